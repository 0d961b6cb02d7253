// The migration step of one service, as its image runs it: `node migrate.js` next to `main.js`
// (k8s Job, compose one-shot service). Creates the database when missing, applies the pending
// migrations under the DB lock, prints what it did and exits 0.
import { ensureDatabase, openDataSource, runMigrationsLocked, type DatabaseOptions } from '@cs/platform';

export async function migrateService(name: string, options: DatabaseOptions): Promise<void> {
  await ensureDatabase(options.url);
  const dataSource = await openDataSource(options, false);
  try {
    const applied = await runMigrationsLocked(dataSource);
    process.stdout.write(`${name}: ${applied.length ? `applied ${applied.join(', ')}` : 'up to date'}\n`);
  } finally {
    await dataSource.destroy();
  }
}
