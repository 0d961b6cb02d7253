export * from './message-bus';
export * from './messaging.module';
export * from './transport';
export * from './bus-context.interceptor';
export * from './rpc-errors';
export * from './nats-bus';
export * from './tcp-bus';
