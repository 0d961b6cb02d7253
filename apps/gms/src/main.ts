import 'reflect-metadata';
import { startServiceApp } from '@cs/platform';
import { exitOnEnvError, loadEnv } from '@cs/platform/core';
import { GmsModule } from './app.module';
import { GmsEnv } from './config/gms-env';
import { gmsServiceConfig } from './config/service-config';

async function main(): Promise<void> {
  const env = loadEnv(GmsEnv);
  const config = gmsServiceConfig(env);
  await startServiceApp(GmsModule.forRoot(env, config), config);
}

main().catch(exitOnEnvError);
