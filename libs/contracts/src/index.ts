export * from './lib/subjects';
export * from './lib/envelope';
export * from './lib/rpc-error';
export * from './lib/payloads';
export * from './lib/routes';
