import { DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSourceOptions } from 'typeorm';
import { dataSourceOptions, DatabaseOptions, openDataSource } from './data-source';

/** The app's TypeORM connection; migrations run at start unless `migrate` is false. */
export function databaseModule(options: DatabaseOptions, migrate: boolean): DynamicModule {
  return TypeOrmModule.forRootAsync({
    useFactory: (): DataSourceOptions => dataSourceOptions(options),
    dataSourceFactory: async () => openDataSource(options, migrate),
  });
}
