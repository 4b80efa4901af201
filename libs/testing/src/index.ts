export * from './wait-for';
export * from './toxiproxy';
export * from './temp-database';
export * from './kafka';
export * from './event-records';
export * from './metrics';
export * from './child-process';
export * from './test-logger';
