import { mkdirSync } from 'node:fs';
import { DataSource, DataSourceOptions, MixedList, EntitySchema } from 'typeorm';
import { dirname } from 'node:path';
import { parseDatabaseUrl } from './database-url';
import { DATABASE_DEADLINE_DEFAULTS, type DatabaseDeadline } from './database-deadline';
import { isMySql } from './dialect';

export interface DatabaseOptions {
  url: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  /** Name of the migrations bookkeeping table, e.g. `gms_migrations`. */
  migrationsTableName: string;
  poolSize?: number;
  /** MySQL: how long a request may wait on the database (decision 0009); defaults when omitted. */
  deadline?: Partial<DatabaseDeadline>;
}

export function databaseDeadline(options: DatabaseOptions): DatabaseDeadline {
  return { ...DATABASE_DEADLINE_DEFAULTS, ...options.deadline };
}

/** TypeORM options for either backend. `synchronize` is always off: the schema comes from migrations. */
export function dataSourceOptions(options: DatabaseOptions): DataSourceOptions {
  const target = parseDatabaseUrl(options.url);
  const common = {
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: options.migrationsTableName,
    synchronize: false,
    migrationsRun: false,
    logging: false,
  } as const;
  if (target.kind === 'sqlite') {
    return {
      ...common,
      type: 'better-sqlite3',
      database: target.file,
      enableWAL: target.file !== ':memory:',
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        db.pragma('busy_timeout = 5000');
        db.pragma('foreign_keys = ON');
      },
    };
  }
  return {
    ...common,
    type: 'mysql',
    url: target.url,
    charset: 'utf8mb4_bin',
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: true,
    poolSize: options.poolSize ?? 10,
    // Batched transactions send deferred writes with the next statement (write-batch.ts, decision 0011).
    multipleStatements: true,
    extra: { connectTimeout: databaseDeadline(options).connectTimeoutMs, enableKeepAlive: true },
  };
}

/** Creates the database (MySQL) or its directory (SQLite) when missing. */
export async function ensureDatabase(url: string): Promise<void> {
  const target = parseDatabaseUrl(url);
  if (target.kind === 'sqlite') {
    if (target.file !== ':memory:') mkdirSync(dirname(target.file), { recursive: true });
    return;
  }
  const server = new DataSource({ type: 'mysql', url: target.serverUrl, extra: { connectTimeout: 5000 } });
  await server.initialize();
  try {
    await server.query(
      `CREATE DATABASE IF NOT EXISTS \`${target.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
    );
  } finally {
    await server.destroy();
  }
}

/**
 * Applies pending migrations. On MySQL a named lock serialises replicas that start together, so only
 * one of them migrates and the others find nothing left to do.
 */
export async function runMigrationsLocked(dataSource: DataSource): Promise<string[]> {
  if (!isMySql(dataSource)) {
    return (await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name);
  }
  const lockName = `${dataSource.options.migrationsTableName ?? 'migrations'}_lock`;
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    const [row] = (await runner.query('SELECT GET_LOCK(?, 120) AS got', [lockName])) as {
      got: number | string;
    }[];
    if (Number(row.got) !== 1)
      throw new Error(`could not take the migration lock '${lockName}' within 120 s`);
    try {
      return (await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name);
    } finally {
      await runner.query('SELECT RELEASE_LOCK(?)', [lockName]);
    }
  } finally {
    await runner.release();
  }
}

/** Opens a data source: database created if missing, migrations applied when asked. */
export async function openDataSource(options: DatabaseOptions, migrate: boolean): Promise<DataSource> {
  await ensureDatabase(options.url);
  const dataSource = new DataSource(dataSourceOptions(options));
  await dataSource.initialize();
  if (migrate) await runMigrationsLocked(dataSource);
  return dataSource;
}
