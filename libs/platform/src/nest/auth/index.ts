export * from './access.guard';
