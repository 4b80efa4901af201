export * from './config';
export * from './logger';
export * from './metrics';
export * from './errors';
export * from './http';
export * from './db';
export * from './lifecycle';
