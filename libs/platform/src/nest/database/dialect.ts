import type { DataSourceOptions } from 'typeorm';

/**
 * True when the database speaks MySQL (MariaDB or MySQL), false for the embedded SQLite. The one place
 * that decides it, for the few statements that differ: `FOR UPDATE`, named locks, column types, pools.
 * Takes anything with TypeORM's `options`: a DataSource, or `manager.connection`.
 */
export function isMySql(source: { options: Pick<DataSourceOptions, 'type'> }): boolean {
  return source.options.type === 'mysql' || source.options.type === 'mariadb';
}
