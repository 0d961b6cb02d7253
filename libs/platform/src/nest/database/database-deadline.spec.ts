import type { DataSource } from 'typeorm';
import {
  armDatabaseDeadline,
  databaseUnavailable,
  isDatabaseUnavailable,
  POOL_ACQUIRE_TIMEOUT,
} from './database-deadline';

describe('isDatabaseUnavailable', () => {
  it.each([
    'ECONNREFUSED',
    'ETIMEDOUT',
    'PROTOCOL_CONNECTION_LOST',
    'PROTOCOL_SEQUENCE_TIMEOUT',
    POOL_ACQUIRE_TIMEOUT,
  ])('%s, also inside a QueryFailedError', (code) => {
    expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code }))).toBe(true);
    expect(isDatabaseUnavailable({ name: 'QueryFailedError', driverError: { code } })).toBe(true);
  });

  it('a statement sent on a dead connection (mysql2 fatal) and a closed pool', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('closed state'), { fatal: true }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Pool is closed.'))).toBe(true);
  });

  it('not for errors of the statement or the data', () => {
    expect(isDatabaseUnavailable({ driverError: { code: 'ER_DUP_ENTRY', fatal: false } })).toBe(false);
    expect(isDatabaseUnavailable({ code: 'ER_PARSE_ERROR' })).toBe(false);
    expect(isDatabaseUnavailable(new Error('boom'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
    expect(isDatabaseUnavailable('ECONNREFUSED')).toBe(false);
  });
});

describe('databaseUnavailable', () => {
  it('is a 503 SERVICE_UNAVAILABLE asking to retry in 2 s', () => {
    const error = databaseUnavailable();
    expect({ status: error.status, code: error.code, headers: error.headers }).toEqual({
      status: 503,
      code: 'SERVICE_UNAVAILABLE',
      headers: { 'Retry-After': '2' },
    });
  });
});

describe('armDatabaseDeadline', () => {
  type Callback = (error: unknown, connection?: { release(): void }) => void;

  function fakeMysql() {
    const waiting: Callback[] = [];
    const pool = { getConnection: (cb: Callback) => void waiting.push(cb) };
    const dataSource = {
      options: { type: 'mysql' },
      driver: { options: {}, pool },
      subscribers: [] as unknown[],
      logger: { logQuerySlow: jest.fn() },
    };
    return { dataSource, pool, waiting };
  }

  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('sets the statement timeout and gives up on a pool wait after acquireTimeoutMs', () => {
    const { dataSource, pool, waiting } = fakeMysql();
    armDatabaseDeadline(dataSource as unknown as DataSource, {
      connectTimeoutMs: 2000,
      acquireTimeoutMs: 1000,
      queryTimeoutMs: 1500,
    });
    expect(dataSource.driver.options).toEqual({ enableQueryTimeout: true, maxQueryExecutionTime: 1500 });
    expect(dataSource.subscribers).toHaveLength(1);

    const cb = jest.fn();
    pool.getConnection(cb);
    jest.advanceTimersByTime(999);
    expect(cb).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(cb).toHaveBeenCalledWith(expect.objectContaining({ code: POOL_ACQUIRE_TIMEOUT }));

    // The connection that comes too late goes back to the pool, not to the caller.
    const late = { release: jest.fn() };
    waiting[0](null, late);
    expect(cb).toHaveBeenCalledTimes(1);
    expect(late.release).toHaveBeenCalled();
  });

  it('hands over a connection that comes in time', () => {
    const { dataSource, pool, waiting } = fakeMysql();
    armDatabaseDeadline(dataSource as unknown as DataSource);
    const cb = jest.fn();
    pool.getConnection(cb);
    const connection = { release: jest.fn() };
    waiting[0](null, connection);
    jest.advanceTimersByTime(5000);
    expect(cb).toHaveBeenCalledTimes(1);
    expect(cb).toHaveBeenCalledWith(null, connection);
    expect(connection.release).not.toHaveBeenCalled();
  });

  it('leaves SQLite alone', () => {
    const { dataSource } = fakeMysql();
    dataSource.options.type = 'better-sqlite3';
    armDatabaseDeadline(dataSource as unknown as DataSource);
    expect(dataSource.driver.options).toEqual({});
    expect(dataSource.subscribers).toHaveLength(0);
  });
});
