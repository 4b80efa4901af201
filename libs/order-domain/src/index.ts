export {
  initialOrderState,
  orderDecider,
  type CancellationReason,
  type OrderData,
  type OrderEvent,
  type OrderInput,
  type OrderLine,
  type OrderPublishedEvent,
  type OrderRecordedEvent,
  type OrderState,
  type OrderStatus,
  type OrderTimeline,
  type Shortage,
} from './order.decider';
export { orderTimeline, type TimelineEntry, type TimelineStep } from './order-timeline';
