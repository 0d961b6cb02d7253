export * from './outbox';
export * from './outbox-table';
export * from './outbox-store';
export * from './outbox-relay';
export * from './relay-lease';
export * from './outbox.module';
