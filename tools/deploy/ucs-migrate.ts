// Entry of dist/apps/ucs/migrate.js (see apps/ucs/webpack.config.js): ucs migrations, then exit.
import 'reflect-metadata';
import { exitOnEnvError, loadEnv } from '@cs/platform/core';
import { UcsEnv } from '../../apps/ucs/src/config/ucs-env';
import { ucsDatabaseOptions } from '../../apps/ucs/src/database/database-options';
import { migrateService } from './migrate-service';

async function main(): Promise<void> {
  await migrateService('ucs', ucsDatabaseOptions(loadEnv(UcsEnv).UCS_DATABASE_URL));
}

main().catch(exitOnEnvError);
