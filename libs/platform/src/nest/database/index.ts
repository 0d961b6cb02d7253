export * from './database-url';
export * from './data-source';
export * from './database.module';
export * from './column-types';
export * from './database-deadline';
export * from './transactions';
export * from './insert-row';
export * from './write-batch';
