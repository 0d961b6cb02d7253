// Entry of dist/apps/gms/migrate.js (see apps/gms/webpack.config.js): gms migrations, then exit.
import 'reflect-metadata';
import { exitOnEnvError, loadEnv } from '@cs/platform/core';
import { GmsEnv } from '../../apps/gms/src/config/gms-env';
import { gmsDatabaseOptions } from '../../apps/gms/src/database/database-options';
import { migrateService } from './migrate-service';

async function main(): Promise<void> {
  await migrateService('gms', gmsDatabaseOptions(loadEnv(GmsEnv).GMS_DATABASE_URL));
}

main().catch(exitOnEnvError);
