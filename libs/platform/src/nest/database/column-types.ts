import type { QueryRunner } from 'typeorm';
import { isMySql } from './dialect';

/**
 * The few column types that differ between MySQL/MariaDB and SQLite, for migrations written with
 * TypeORM's schema API (ARCHITECTURE §7). Everything else uses portable types.
 */
export function columnTypes(queryRunner: QueryRunner) {
  const mysql = isMySql(queryRunner.connection);
  return {
    /** Auto-increment primary key (SQLite needs INTEGER PRIMARY KEY for that). */
    serial: mysql ? 'bigint' : 'integer',
    /** JSON documents up to the 1 MiB body limit (MySQL TEXT stops at 64 KiB). */
    json: mysql ? 'mediumtext' : 'text',
    epochMs: 'bigint',
  } as const;
}
