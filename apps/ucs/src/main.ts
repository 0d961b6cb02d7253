import 'reflect-metadata';
import { startServiceApp } from '@cs/platform';
import { exitOnEnvError, loadEnv } from '@cs/platform/core';
import { UcsModule } from './app.module';
import { UcsEnv } from './config/ucs-env';
import { ucsServiceConfig } from './config/service-config';

async function main(): Promise<void> {
  const env = loadEnv(UcsEnv);
  const config = ucsServiceConfig(env);
  await startServiceApp(UcsModule.forRoot(env, config), config);
}

main().catch(exitOnEnvError);
