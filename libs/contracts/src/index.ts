export * from './topics';
export * from './topology';
export * from './envelope';
export * as Payloads from './payloads';
export { CANCELLATION_REASONS } from './payloads';
export * from './catalog';
export * from './codec';
