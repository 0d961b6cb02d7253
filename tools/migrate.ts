// `npm run migrate`: applies gms and ucs migrations (under the DB lock) and exits. `npm run db:create`
// only creates the databases. Reads the same variables as the apps (GMS_DATABASE_URL, UCS_DATABASE_URL).
import 'reflect-metadata';
import { ensureDatabase, openDataSource, runMigrationsLocked } from '@cs/platform';
import { exitOnEnvError, loadEnv } from '@cs/platform/core';
import { GmsEnv } from '../apps/gms/src/config/gms-env';
import { gmsDatabaseOptions } from '../apps/gms/src/database/database-options';
import { UcsEnv } from '../apps/ucs/src/config/ucs-env';
import { ucsDatabaseOptions } from '../apps/ucs/src/database/database-options';

async function main(): Promise<void> {
  const createOnly = process.argv.includes('--create-only');
  const targets = [
    { name: 'gms', options: gmsDatabaseOptions(loadEnv(GmsEnv).GMS_DATABASE_URL) },
    { name: 'ucs', options: ucsDatabaseOptions(loadEnv(UcsEnv).UCS_DATABASE_URL) },
  ];
  for (const { name, options } of targets) {
    if (createOnly) {
      await ensureDatabase(options.url);
      process.stdout.write(`${name}: database ready\n`);
      continue;
    }
    const dataSource = await openDataSource(options, false);
    try {
      const applied = await runMigrationsLocked(dataSource);
      process.stdout.write(`${name}: ${applied.length ? `applied ${applied.join(', ')}` : 'up to date'}\n`);
    } finally {
      await dataSource.destroy();
    }
  }
}

main().catch(exitOnEnvError);
