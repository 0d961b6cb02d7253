import type { DataSource } from 'typeorm';

/** MySQL and MariaDB: row claims with `FOR UPDATE [SKIP LOCKED]` (ARCHITECTURE §1, §7). */
export function isMySql(dataSource: DataSource): boolean {
  return dataSource.options.type === 'mysql' || dataSource.options.type === 'mariadb';
}
