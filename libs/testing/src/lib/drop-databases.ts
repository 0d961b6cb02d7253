import { DataSource } from 'typeorm';
import { parseDatabaseUrl } from '@cs/platform';

/** Drops the MySQL databases a test created (SQLite files live in a temp directory). */
export async function dropDatabases(urls: string[]): Promise<void> {
  for (const url of urls) {
    const target = parseDatabaseUrl(url);
    if (target.kind !== 'mysql') continue;
    const server = new DataSource({ type: 'mysql', url: target.serverUrl });
    await server.initialize();
    try {
      await server.query(`DROP DATABASE IF EXISTS \`${target.database}\``);
    } finally {
      await server.destroy();
    }
  }
}
