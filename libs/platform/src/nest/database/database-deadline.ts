import type { AfterQueryEvent, DataSource, EntitySubscriberInterface } from 'typeorm';
import { ApiError } from '../../core/api-error';
import { isMySql } from './dialect';

/**
 * How long a request may wait on MySQL/MariaDB before it gives up (decision 0009). A database that
 * stops answering (paused, partitioned) must turn into quick 503s, not requests that hang.
 */
export interface DatabaseDeadline {
  /** Opening a connection: TCP and the server handshake. */
  connectTimeoutMs: number;
  /** Waiting for a pooled connection (all busy, or a new one still connecting). */
  acquireTimeoutMs: number;
  /** One statement, from sent to answered. The connection is discarded when it runs out. */
  queryTimeoutMs: number;
}

export const DATABASE_DEADLINE_DEFAULTS: DatabaseDeadline = {
  connectTimeoutMs: 2000,
  acquireTimeoutMs: 1000,
  queryTimeoutMs: 1500,
};

/** The `code` of the error our pool deadline raises. */
export const POOL_ACQUIRE_TIMEOUT = 'POOL_ACQUIRE_TIMEOUT';

/** Error codes meaning "the database cannot be reached or did not answer", not "the statement is wrong". */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
  POOL_ACQUIRE_TIMEOUT,
]);

interface DriverErrorLike {
  code?: unknown;
  fatal?: unknown;
  message?: unknown;
  driverError?: unknown;
  cause?: unknown;
}

/**
 * True for a failure of the database connection itself (refused, lost, timed out, pool deadline,
 * a statement sent on a connection already dead), looking through TypeORM's QueryFailedError.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error as DriverErrorLike | undefined, depth = 0; e && depth < 4; depth++) {
    if (typeof e !== 'object') return false;
    if (typeof e.code === 'string' && UNAVAILABLE_CODES.has(e.code)) return true;
    // mysql2 marks connection-level errors fatal ("Can't add new command when connection is in closed state").
    if (e.fatal === true) return true;
    if (e.message === 'Pool is closed.') return true;
    e = (e.driverError ?? e.cause) as DriverErrorLike | undefined;
  }
  return false;
}

/** The answer to a request that needed the database while it was unavailable (decision 0004 code). */
export function databaseUnavailable(): ApiError {
  return new ApiError(503, 'SERVICE_UNAVAILABLE', 'The database is not available; retry later', undefined, {
    'Retry-After': '2',
  });
}

interface PooledConnection {
  destroy(): void;
  release(): void;
  stream?: { destroy?: () => void };
}

type GetConnection = (cb: (error: unknown, connection?: PooledConnection) => void) => void;

/**
 * A statement that timed out leaves its command in the connection's queue: whatever is sent next
 * on it would wait behind it. The connection is destroyed instead of going back to the pool, so the
 * transaction's ROLLBACK fails at once and the pool opens a fresh connection when it is needed.
 */
class DiscardBrokenConnections implements EntitySubscriberInterface {
  afterQuery(event: AfterQueryEvent<unknown>): void {
    if (event.success || !isDatabaseUnavailable(event.error)) return;
    const connection = (event.queryRunner as unknown as { databaseConnection?: PooledConnection })
      .databaseConnection;
    if (!connection) return;
    connection.destroy();
    connection.stream?.destroy?.();
  }
}

/**
 * Puts the deadline on a MySQL data source once it is open (and migrated: migrations and their
 * lock may take longer than one request): every statement gets `queryTimeoutMs`, every pool
 * acquisition `acquireTimeoutMs`, and a connection that failed is discarded. SQLite is left alone.
 */
export function armDatabaseDeadline(
  dataSource: DataSource,
  deadline: DatabaseDeadline = DATABASE_DEADLINE_DEFAULTS,
): DataSource {
  if (!isMySql(dataSource)) return dataSource;
  // Read by TypeORM's MysqlQueryRunner on every query: passes `timeout` to mysql2.
  Object.assign(dataSource.driver.options, {
    enableQueryTimeout: true,
    maxQueryExecutionTime: deadline.queryTimeoutMs,
  });
  // TypeORM also prints every statement slower than that to the console, SQL included: a timed-out
  // one reaches the exception filter, which logs it without the SQL.
  dataSource.logger.logQuerySlow = () => undefined;
  dataSource.subscribers.push(new DiscardBrokenConnections());
  const pool = (dataSource.driver as unknown as { pool?: { getConnection: GetConnection } }).pool;
  if (pool)
    pool.getConnection = withAcquireDeadline(pool.getConnection.bind(pool), deadline.acquireTimeoutMs);
  return dataSource;
}

/** mysql2's pool waits for a connection without limit; this one gives up after `ms`. */
function withAcquireDeadline(getConnection: GetConnection, ms: number): GetConnection {
  return (cb) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      const error = new Error(`no database connection within ${ms} ms`);
      cb(Object.assign(error, { code: POOL_ACQUIRE_TIMEOUT }));
    }, ms);
    getConnection((error, connection) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        cb(error, connection);
        return;
      }
      // Came too late for this caller: back to the pool for the next one.
      connection?.release();
    });
  };
}
