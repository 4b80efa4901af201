export * from './append-to-outbox';
export * from './outbox.schema';
export * from './outbox-sweeper';
export * from './publication-monitor';
export * from './trace-context';
export * from './slot-state';
