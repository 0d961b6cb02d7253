/** Nest-free platform pieces, safe for the gateway (no TypeORM, no Nest). */
export * from './api-error';
export * from './env';
export * from './tenancy';
export * from './request-id';
export * from './logger';
export * from './http-errors';
export * from './json-shape';
export * from './client-errors';
export * from './body-gate';
export * from './common-env';
export * from './time';
export * from './graceful-http';
export * from './auth';
export * from './request-metrics';
