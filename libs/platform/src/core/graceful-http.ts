import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** The shutdown timing every app reads (CS_SHUTDOWN_DELAY_MS, CS_SHUTDOWN_TIMEOUT_MS). */
export interface ShutdownConfig {
  /**
   * After SIGTERM, how long the app keeps serving while `/health/ready` answers 503, so load balancers
   * and the gateway stop sending before the listener closes. 0 by default (Ctrl-C stays quick).
   */
  delayMs: number;
  /** Then how long in-flight requests and messages may take before the process exits anyway. */
  timeoutMs: number;
}

// While draining, connections that fall idle are closed at this pace (keep-alive clients would
// otherwise hold the server open until their idle timeout).
const DRAIN_SWEEP_MS = 200;

/**
 * Once `when()` is true, every response (those of requests already in flight too) asks the client to
 * close its connection, so keep-alive pools (the gateway's, a load balancer's) move to other replicas
 * while this one still answers.
 */
export function closeConnectionsAfterResponses(server: Server, when: () => boolean): void {
  server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    // Every response goes through writeHead (res.end() calls it implicitly), so this sees them all.
    const writeHead = res.writeHead;
    res.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse['writeHead']>) {
      if (when() && !this.headersSent) this.setHeader('Connection', 'close');
      return writeHead.apply(this, args);
    } as ServerResponse['writeHead'];
  });
}

/**
 * Stops accepting connections, lets the requests in flight finish and closes connections as they
 * fall idle. Resolves true when all connections are gone, false when `timeoutMs` ran out first
 * (the remaining connections are then destroyed).
 */
export function drainHttpServer(server: Server, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve(true);
    const sweep = setInterval(() => server.closeIdleConnections(), DRAIN_SWEEP_MS);
    const giveUp = setTimeout(() => {
      clearInterval(sweep);
      server.closeAllConnections();
      resolve(false);
    }, timeoutMs);
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(giveUp);
      resolve(true);
    });
    server.closeIdleConnections();
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
