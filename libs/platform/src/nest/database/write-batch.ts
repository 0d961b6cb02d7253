import { QueryResult, type DataSource, type EntityManager, type QueryRunner } from 'typeorm';

/** The pending statements of a batching transaction, on its query runner's `data`. */
const WRITE_BATCH = 'csWriteBatch';

interface WriteBatch {
  statements: string[];
  /** Sends the pending statements and then these, in one round trip; answers these in order. */
  together(statements: string[]): Promise<unknown[]>;
  /** The connection's own client-side formatting, exactly what mysql2 does for `query(sql, values)`. */
  format(sql: string, values: unknown[]): string;
}

interface Mysql2Connection {
  format(sql: string, values: unknown[]): string;
}

/**
 * Runs a write whose answer nobody reads (an INSERT of a new row, an UPDATE by key, an outbox row).
 * Inside a batching transaction it waits and goes to the server together with the next statement
 * that needs an answer, or with COMMIT: one round trip for both. Elsewhere it runs now.
 * A failure of a deferred write surfaces at that later statement and rolls the transaction back,
 * so callers must not catch errors of the write itself (they can catch those of the transaction).
 */
export async function deferWrite(manager: EntityManager, sql: string, values: unknown[]): Promise<void> {
  const batch = manager.queryRunner?.data?.[WRITE_BATCH] as WriteBatch | undefined;
  if (batch) batch.statements.push(batch.format(sql, values));
  else await manager.query(sql, values);
}

/**
 * Statements that need answers, run in order: in a batching transaction in one round trip (with
 * whatever is pending, before them), elsewhere one after the other.
 */
export async function queryTogether(
  manager: EntityManager,
  statements: { sql: string; values: unknown[] }[],
): Promise<unknown[]> {
  const batch = manager.queryRunner?.data?.[WRITE_BATCH] as WriteBatch | undefined;
  if (batch && statements.length > 1)
    return batch.together(statements.map((s) => batch.format(s.sql, s.values)));
  const answers: unknown[] = [];
  for (const s of statements) answers.push(await manager.query(s.sql, s.values));
  return answers;
}

/**
 * A MySQL transaction that sends its statements in as few round trips as possible. On this 2-core
 * machine each round trip costs ~80 µs of CPU in socket writes alone (tools/bench/RESULTS.md), and a
 * Start Service used four: START TRANSACTION, two INSERTs, COMMIT. Here `START TRANSACTION` and the
 * deferred writes wait until a statement needs an answer (a locking SELECT, say) and go in its round
 * trip, before it; at the end the rest goes with `COMMIT`. A Start Service is one round trip, ending
 * a task three instead of seven (lock the service, read the task, write both and the event). Needs the connection's `multipleStatements` (decision 0011).
 *
 * Like `DataSource.transaction`: the work runs on its own query runner; a failure rolls back and
 * rethrows. The commit and rollback events reach subscribers (the outbox wakes its relay on them).
 */
export async function runBatchedTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  const send = runner.query.bind(runner) as (
    sql: string,
    values?: unknown[],
    structured?: boolean,
  ) => Promise<unknown>;
  const pending: string[] = ['START TRANSACTION'];
  let sent = false;
  // The error of a round trip that carried pending statements. Which of them failed is unknown, and
  // the work may have caught the error (a nested transaction does, at its SAVEPOINT): the
  // transaction must not go on nor commit, whatever the work does next.
  let broken: { error: unknown } | undefined;
  const flush = async (): Promise<unknown> => {
    const sql = pending.join(';\n');
    pending.length = 0;
    sent = true;
    try {
      return await send(sql);
    } catch (error) {
      broken ??= { error };
      throw error;
    }
  };
  try {
    const connection = (await runner.connect()) as Mysql2Connection;
    const usable = () => {
      if (broken) throw broken.error;
      // Never a statement outside the transaction (after a ROLLBACK sent by TypeORM, say).
      if (!runner.isTransactionActive) throw new Error('statement after the end of its transaction');
    };
    const batch: WriteBatch = {
      statements: pending,
      format: (sql, values) => connection.format(sql, values),
      together: async (statements) => {
        usable();
        pending.push(...statements);
        // Two or more statements: the answer is one result per statement, these are the last ones.
        const answers = (await flush()) as unknown[];
        return answers.slice(answers.length - statements.length);
      },
    };
    runner.data = { ...runner.data, [WRITE_BATCH]: batch };
    // Every statement of the work (TypeORM's own included) goes in the same round trip as what is
    // pending, after it; its answer is the last of the batch's answers.
    runner.query = (async (sql: string, values?: unknown[], structured?: boolean) => {
      usable();
      if (pending.length === 0) return send(sql, values, structured);
      pending.push(batch.format(sql, values ?? []));
      const answers = (await flush()) as unknown[];
      return answerOf(answers[answers.length - 1], structured);
    }) as QueryRunner['query'];
    // What TypeORM's startTransaction sets: Outbox.add checks it, a nested transaction uses savepoints.
    setTransactionState(runner, true);
    const result = await work(runner.manager);
    if (broken) throw broken.error;
    if (!runner.isTransactionActive) throw new Error('the transaction was ended inside its work');
    pending.push('COMMIT');
    await flush();
    setTransactionState(runner, false);
    await runner.broadcaster.broadcast('AfterTransactionCommit');
    return result;
  } catch (error) {
    pending.length = 0;
    const active = runner.isTransactionActive;
    setTransactionState(runner, false);
    // A batch stops at its failing statement with the transaction open; nothing sent, nothing to undo.
    if (sent) await send('ROLLBACK').catch(() => undefined);
    if (active) await runner.broadcaster.broadcast('AfterTransactionRollback').catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}

/** One statement's answer as TypeORM's MysqlQueryRunner gives it (structured: records, affected rows). */
function answerOf(raw: unknown, structured: boolean | undefined): unknown {
  if (!structured) return raw;
  const result = new QueryResult();
  result.raw = raw;
  if (Array.isArray(raw)) result.records = raw;
  const affected = (raw as { affectedRows?: unknown } | null)?.affectedRows;
  if (typeof affected === 'number') result.affected = affected;
  return result;
}

function setTransactionState(runner: QueryRunner, active: boolean): void {
  Object.assign(runner, { isTransactionActive: active, transactionDepth: active ? 1 : 0 });
}
