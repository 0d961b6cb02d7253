import 'reflect-metadata';
import { exitOnSignals, startServiceApp } from '@cs/platform';
import { exitOnEnvError, loadEnv, shutdownFrom } from '@cs/platform/core';
import { UcsModule } from './app.module';
import { UcsEnv } from './config/ucs-env';
import { ucsServiceConfig } from './config/service-config';

async function main(): Promise<void> {
  const env = loadEnv(UcsEnv);
  const config = ucsServiceConfig(env);
  const app = await startServiceApp(UcsModule.forRoot(env, config), config);
  exitOnSignals(app, config, shutdownFrom(env));
}

main().catch(exitOnEnvError);
