export * from './lib/backends';
export * from './lib/ports';
export * from './lib/drop-databases';
export * from './lib/spawn-app';
export * from './lib/start-in-process';
export * from './lib/expect-error';
export * from './lib/event-publisher';
export * from './lib/outbox';
