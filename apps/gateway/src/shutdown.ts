import type { Logger } from '@cs/platform/core';
import type { RunningGateway } from './gateway';

/** Long enough for normal requests to finish, short enough for an orchestrator's grace period. */
const HARD_EXIT_MS = 10_000;

/** SIGTERM/SIGINT: stop accepting, let in-flight requests finish, exit; force the exit after 10 s. */
export function exitOnSignals(gateway: RunningGateway, logger: Logger): void {
  const stop = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.warn('in-flight requests did not finish in time; exiting');
      process.exit(1);
    }, HARD_EXIT_MS).unref();
    gateway.close().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
