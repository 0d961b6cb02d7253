import { dataSourceOptions } from '@cs/platform';
import { DataSource } from 'typeorm';

/**
 * Runs one query on an app's database (SQLite file or MySQL) from outside the app, the way a test or
 * a tool checks what was stored. `?` placeholders on both backends.
 */
export async function queryDatabase<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const ds = new DataSource(
    dataSourceOptions({ url, entities: [], migrations: [], migrationsTableName: 'unused' }),
  );
  await ds.initialize();
  try {
    return (await ds.query(sql, params)) as T[];
  } finally {
    await ds.destroy();
  }
}
