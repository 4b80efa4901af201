export * from './snapshot';
export { INVARIANTS, type InvariantKey, type Violation } from './violation';
export { checkInvariants, countByInvariant } from './check-invariants';
export { consistentWorld, type WorldSnapshot } from './world.fixture';
