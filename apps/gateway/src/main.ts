import { createLogger, exitOnEnvError, loadEnv, shutdownFrom } from '@cs/platform/core';
import { GatewayEnv } from './config/gateway-env';
import { startGateway } from './gateway';
import { exitOnSignals } from './shutdown';

/** Entry point: validated env, JSON logs, the gateway, graceful shutdown. */
async function main(): Promise<void> {
  const env = loadEnv(GatewayEnv);
  const logger = createLogger('gateway', env.LOG_LEVEL);
  const gateway = await startGateway(env, logger);
  exitOnSignals(gateway, logger, shutdownFrom(env));
}

main().catch(exitOnEnvError);
