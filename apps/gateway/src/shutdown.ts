import { sleep, type Logger, type ShutdownConfig } from '@cs/platform/core';
import type { RunningGateway } from './gateway';

/**
 * SIGTERM/SIGINT: readiness fails while requests are still served (`delayMs`, so load balancers stop
 * sending), then the listener closes and in-flight requests finish (at most `timeoutMs`), then exit 0.
 * The process exits 1 when that takes longer, or on a second signal.
 */
export function exitOnSignals(gateway: RunningGateway, logger: Logger, shutdown: ShutdownConfig): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal, delay_ms: shutdown.delayMs, timeout_ms: shutdown.timeoutMs }, 'shutting down');
    setTimeout(
      () => {
        logger.warn('in-flight requests did not finish in time; exiting');
        process.exit(1);
      },
      shutdown.delayMs + shutdown.timeoutMs + 1000,
    ).unref();
    stopGateway(gateway, shutdown).then(
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

async function stopGateway(gateway: RunningGateway, shutdown: ShutdownConfig): Promise<void> {
  gateway.beginDraining();
  if (shutdown.delayMs > 0) await sleep(shutdown.delayMs);
  await gateway.close(shutdown.timeoutMs);
}
