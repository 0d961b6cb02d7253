import { DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSourceOptions } from 'typeorm';
import { dataSourceOptions, databaseDeadline, DatabaseOptions, openDataSource } from './data-source';
import { armDatabaseDeadline } from './database-deadline';

/**
 * The app's TypeORM connection; migrations run at start unless `migrate` is false. Once open, a
 * MySQL connection gets the request deadline (decision 0009).
 */
export function databaseModule(options: DatabaseOptions, migrate: boolean): DynamicModule {
  return TypeOrmModule.forRootAsync({
    useFactory: (): DataSourceOptions => dataSourceOptions(options),
    dataSourceFactory: async () =>
      armDatabaseDeadline(await openDataSource(options, migrate), databaseDeadline(options)),
  });
}
