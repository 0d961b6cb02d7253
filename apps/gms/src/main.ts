import 'reflect-metadata';
import { exitOnSignals, startServiceApp } from '@cs/platform';
import { exitOnEnvError, loadEnv, shutdownFrom } from '@cs/platform/core';
import { GmsModule } from './app.module';
import { GmsEnv } from './config/gms-env';
import { gmsServiceConfig } from './config/service-config';

async function main(): Promise<void> {
  const env = loadEnv(GmsEnv);
  const config = gmsServiceConfig(env);
  const app = await startServiceApp(GmsModule.forRoot(env, config), config);
  exitOnSignals(app, config, shutdownFrom(env));
}

main().catch(exitOnEnvError);
