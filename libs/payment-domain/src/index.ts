export {
  customerToCharge,
  initialPaymentState,
  paymentDecider,
  type DeclineReason,
  type PaymentEvent,
  type PaymentInput,
  type PaymentPublishedEvent,
  type PaymentRecordedEvent,
  type PaymentState,
  type PaymentStatus,
} from './payment.decider';
export { ledgerEntryFor, setBalance, type Account, type LedgerEntry, type LedgerKind } from './account.policy';
