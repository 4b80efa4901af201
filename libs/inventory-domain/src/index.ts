export {
  initialProductState,
  productDecider,
  type ProductEvent,
  type ProductInput,
  type ProductPublishedEvent,
  type ProductRecordedEvent,
  type ProductState,
} from './product.decider';
export {
  initialReservationState,
  reservationDecider,
  stockDeltasOf,
  type ReservationEvent,
  type ReservationInput,
  type ReservationPublishedEvent,
  type ReservationRecordedEvent,
  type ReservationState,
  type Shortage,
  type StockLevel,
} from './reservation.decider';
export { lockOrder, stockDeltas, type StockDelta, type StockLine, type StockMovement } from './stock-lines';
