import {
  dataSourceOptions,
  deferWrite,
  insertRow,
  openDataSource,
  selectRowsThen,
  Transactions,
} from '@cs/platform';
import { dropDatabases, testBackends, type Backend } from '@cs/testing';
import {
  DataSource,
  EntitySchema,
  QueryFailedError,
  type AfterQueryEvent,
  type EntityManager,
  type EntitySubscriberInterface,
  type ObjectLiteral,
  type QueryRunner,
} from 'typeorm';

/**
 * Batched write transactions (decision 0011, libs/platform database/write-batch.ts) against the real
 * database: `Transactions.run` on MariaDB holds back START TRANSACTION and `deferWrite` statements and
 * sends them in the round trip of the next statement that needs an answer, or with COMMIT. On SQLite
 * `deferWrite` runs at once.
 */

interface Item {
  id: string;
  note: string | null;
  counter: number;
}

/** A throwaway entity over a table made by plain SQL (no migrations). */
const ItemEntity = new EntitySchema<Item>({
  name: 'WbItem',
  tableName: 'wb_item',
  columns: {
    id: { type: String, primary: true, length: 64 },
    note: { type: 'text', nullable: true },
    counter: { type: Number, default: 0 },
  },
});

const INSERT_ITEM = 'INSERT INTO wb_item (id, note) VALUES (?, ?)';

interface SentQuery {
  sql: string;
  runner: QueryRunner;
  success: boolean;
}

/** Records every statement a data source sends (one entry per round trip) and its transaction events. */
class Recorder implements EntitySubscriberInterface {
  readonly sent: SentQuery[] = [];
  commits = 0;
  rollbacks = 0;

  afterQuery(event: AfterQueryEvent<ObjectLiteral>): void {
    this.sent.push({ sql: event.query, runner: event.queryRunner, success: event.success });
  }

  afterTransactionCommit(): void {
    this.commits++;
  }

  afterTransactionRollback(): void {
    this.rollbacks++;
  }

  reset(): void {
    this.sent.length = 0;
    this.commits = 0;
    this.rollbacks = 0;
  }
}

/** Bounds a step that would hang on a lock left by a leaked transaction; fails with a clear message. */
async function within<T>(ms: number, what: string, step: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not finish within ${ms} ms (a transaction left open?)`)),
      ms,
    );
  });
  try {
    return await Promise.race([step, limit]);
  } finally {
    clearTimeout(timer);
  }
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

function expectDuplicate(error: unknown): void {
  expect(error).toBeInstanceOf(QueryFailedError);
  expect((error as QueryFailedError & { driverError: { code?: string } }).driverError.code).toBe(
    'ER_DUP_ENTRY',
  );
}

const plain = <T extends object>(rows: T[]): T[] => rows.map((r) => ({ ...r }));

const realBackends = testBackends().filter((b): b is Backend => b.name === 'real');
if (realBackends.length > 0) {
  describe.each(realBackends.map((b) => [b.name, b] as const))(
    'batched write transactions on MariaDB (%s)',
    (_, backend) => {
      let url: string;
      let dataSource: DataSource;
      /** Another data source: what other connections see (committed rows only). */
      let other: DataSource;
      let transactions: Transactions;
      const recorder = new Recorder();

      const itemsLike = async (prefix: string): Promise<Item[]> =>
        plain(
          (await other.query('SELECT id, note, counter FROM wb_item WHERE id LIKE ? ORDER BY id', [
            `${prefix}%`,
          ])) as Item[],
        );

      beforeAll(async () => {
        url = backend.env().GMS_DATABASE_URL;
        const options = {
          url,
          entities: [ItemEntity],
          migrations: [],
          migrationsTableName: 'wb_migrations',
          poolSize: 2,
        };
        dataSource = await openDataSource(options, false);
        other = new DataSource(dataSourceOptions({ ...options, poolSize: 1 }));
        await other.initialize();
        await dataSource.query(
          'CREATE TABLE wb_item (id VARCHAR(64) NOT NULL PRIMARY KEY, note TEXT NULL, counter INT NOT NULL DEFAULT 0)',
        );
        await dataSource.query(
          'CREATE TABLE wb_hostile (id INT NOT NULL PRIMARY KEY, txt LONGTEXT NULL, bin LONGBLOB NULL, at DATETIME(3) NULL)',
        );
        await dataSource.query('CREATE TABLE wb_victim (id INT NOT NULL PRIMARY KEY)');
        await dataSource.query('INSERT INTO wb_victim (id) VALUES (1)');
        dataSource.subscribers.push(recorder);
        transactions = new Transactions(dataSource);
        expect(transactions.sqlite).toBe(false);
      });

      afterAll(async () => {
        await dataSource?.destroy();
        await other?.destroy();
        if (url) await dropDatabases([url]);
      });

      beforeEach(() => recorder.reset());

      it('two deferred INSERTs commit in ONE round trip: START TRANSACTION; INSERT; INSERT; COMMIT', async () => {
        const result = await transactions.run(async (m) => {
          await deferWrite(m, INSERT_ITEM, ['t1-a', 'A']);
          await deferWrite(m, INSERT_ITEM, ['t1-b', 'B']);
          return 'done';
        });
        expect(result).toBe('done');
        expect(recorder.sent).toHaveLength(1);
        const [batch] = recorder.sent;
        expect(batch.success).toBe(true);
        expect(batch.sql.startsWith('START TRANSACTION')).toBe(true);
        expect(batch.sql.endsWith('COMMIT')).toBe(true);
        expect(batch.sql.split(';\n')).toEqual([
          'START TRANSACTION',
          "INSERT INTO wb_item (id, note) VALUES ('t1-a', 'A')",
          "INSERT INTO wb_item (id, note) VALUES ('t1-b', 'B')",
          'COMMIT',
        ]);
        expect(await itemsLike('t1-')).toEqual([
          { id: 't1-a', note: 'A', counter: 0 },
          { id: 't1-b', note: 'B', counter: 0 },
        ]);
      });

      it('reads in the transaction see its deferred writes; raw reads answer rows, structured reads records/affected', async () => {
        const seen = await transactions.run(async (m) => {
          await deferWrite(m, INSERT_ITEM, ['t2-a', 'A']);
          const raw = (await m.query('SELECT id, note FROM wb_item WHERE id = ?', ['t2-a'])) as Item[];
          await insertRow(m, ItemEntity, { id: 't2-b', note: 'B' });
          const built = (await m
            .createQueryBuilder()
            .select('t.id', 'id')
            .addSelect('t.note', 'note')
            .from('wb_item', 't')
            .where('t.id IN (:...ids)', { ids: ['t2-a', 't2-b'] })
            .orderBy('t.id')
            .getRawMany()) as Item[];
          await deferWrite(m, 'UPDATE wb_item SET counter = counter + 1 WHERE id = ?', ['t2-a']);
          const updated = await m
            .createQueryBuilder()
            .update('wb_item')
            .set({ note: 'B2' })
            .where('id = :id', { id: 't2-b' })
            .execute();
          await deferWrite(m, INSERT_ITEM, ['t2-d', 'D']);
          const entity = await m.getRepository(ItemEntity).findOneBy({ id: 't2-a' });
          const count = await m.getRepository(ItemEntity).countBy({ note: 'B2' });
          await m.getRepository(ItemEntity).save({ id: 't2-c', note: 'C', counter: 7 });
          const saved = await m.getRepository(ItemEntity).findOneByOrFail({ id: 't2-c' });
          // Nothing of this is visible to other connections before the commit.
          const outside = await itemsLike('t2-');
          return {
            raw: plain(raw),
            built: plain(built),
            entity,
            affected: updated.affected,
            count,
            saved,
            outside,
          };
        });
        expect(seen).toEqual({
          raw: [{ id: 't2-a', note: 'A' }],
          built: [
            { id: 't2-a', note: 'A' },
            { id: 't2-b', note: 'B' },
          ],
          entity: { id: 't2-a', note: 'A', counter: 1 },
          affected: 1,
          count: 1,
          saved: { id: 't2-c', note: 'C', counter: 7 },
          outside: [],
        });
        // The first round trip carried START TRANSACTION, the INSERT and the SELECT (its answer = the SELECT's).
        const mine = recorder.sent.filter((q) => q.runner === recorder.sent[0].runner);
        expect(mine[0].sql.split(';\n')).toEqual([
          'START TRANSACTION',
          "INSERT INTO wb_item (id, note) VALUES ('t2-a', 'A')",
          "SELECT id, note FROM wb_item WHERE id = 't2-a'",
        ]);
        // The others that carried deferred writes: the structured read, the UPDATE, the entity read.
        const statements = mine.map((q) => q.sql.split(';\n').length);
        expect(statements.slice(0, 4)).toEqual([3, 2, 2, 2]);
        expect(statements.slice(4).every((n) => n === 1)).toBe(true);
        expect(mine[mine.length - 1].sql).toBe('COMMIT');
        expect(await itemsLike('t2-')).toEqual([
          { id: 't2-a', note: 'A', counter: 1 },
          { id: 't2-b', note: 'B2', counter: 0 },
          { id: 't2-c', note: 'C', counter: 7 },
          { id: 't2-d', note: 'D', counter: 0 },
        ]);
      });

      it('selectRowsThen: pending writes, the locking read and the read after it in ONE round trip, each answer its own', async () => {
        const [locked, after] = await transactions.run(async (m) => {
          await deferWrite(m, INSERT_ITEM, ['t9-a', "it's ?"]);
          await deferWrite(m, INSERT_ITEM, ['t9-b', 'B']);
          return selectRowsThen(
            m,
            { entity: ItemEntity, where: 'id = ?', values: ['t9-a'], options: { lock: true } },
            { entity: ItemEntity, where: 'id LIKE ?', values: ['t9-%'], options: { orderBy: 'id DESC' } },
          );
        });
        expect(plain(locked)).toEqual([{ id: 't9-a', note: "it's ?", counter: 0 }]);
        expect(plain(after)).toEqual([
          { id: 't9-b', note: 'B', counter: 0 },
          { id: 't9-a', note: "it's ?", counter: 0 },
        ]);
        const mine = recorder.sent.filter((q) => q.runner === recorder.sent[0].runner);
        expect(mine.map((q) => q.sql.split(';\n'))).toEqual([
          [
            'START TRANSACTION',
            "INSERT INTO wb_item (id, note) VALUES ('t9-a', 'it\\'s ?')",
            "INSERT INTO wb_item (id, note) VALUES ('t9-b', 'B')",
            expect.stringMatching(/^SELECT .* FROM `wb_item` WHERE id = 't9-a' FOR UPDATE$/),
            expect.stringMatching(/^SELECT .* FROM `wb_item` WHERE id LIKE 't9-%' ORDER BY id DESC$/),
          ],
          ['COMMIT'],
        ]);
      });

      it('a duplicate key in the batch rejects with ER_DUP_ENTRY, rolls back the earlier INSERT, and leaves no connection in a transaction', async () => {
        await transactions.run((m) => deferWrite(m, INSERT_ITEM, ['t3-existing', 'kept']));
        const shapes: ((m: EntityManager) => Promise<unknown>)[] = [
          // Both the valid INSERT and its duplicate go with COMMIT.
          async (m) => {
            await deferWrite(m, INSERT_ITEM, ['t3-a', 'first']);
            await deferWrite(m, INSERT_ITEM, ['t3-a', 'again']);
          },
          // The duplicate is of a committed row; it surfaces at the read it travels with.
          async (m) => {
            await deferWrite(m, INSERT_ITEM, ['t3-a', 'first']);
            await deferWrite(m, INSERT_ITEM, ['t3-existing', 'dup']);
            return m.query('SELECT id FROM wb_item WHERE id = ?', ['t3-a']);
          },
          // A read first (the transaction is open on the server), then the failing batch at COMMIT.
          async (m) => {
            await m.query('SELECT id FROM wb_item WHERE id = ? FOR UPDATE', ['t3-a']);
            await deferWrite(m, INSERT_ITEM, ['t3-a', 'first']);
            await deferWrite(m, INSERT_ITEM, ['t3-existing', 'dup']);
          },
        ];
        // More failing transactions than the pool has connections: a leaked one would be reused.
        for (let round = 0; round < 3; round++) {
          for (const shape of shapes) {
            expectDuplicate(await rejectionOf(transactions.run(shape)));
            expect(await itemsLike('t3-')).toEqual([{ id: 't3-existing', note: 'kept', counter: 0 }]);
          }
        }
        // Hold every connection of the pool (poolSize 2) at once: none is inside a transaction.
        const runners = [dataSource.createQueryRunner(), dataSource.createQueryRunner()];
        try {
          const states = await within(
            10000,
            'taking both pool connections',
            Promise.all(
              runners.map(async (r) => {
                await r.connect();
                const [row] = (await r.query('SELECT @@in_transaction AS open')) as { open: number }[];
                return Number(row.open);
              }),
            ),
          );
          expect(states).toEqual([0, 0]);
        } finally {
          await Promise.all(runners.map((r) => r.release()));
        }
        // The same row again, locked and written: no lock is left behind (bounded, not timed).
        await within(
          20000,
          'a transaction on the row the failed ones wrote',
          transactions.run(async (m) => {
            await m.query('SELECT id FROM wb_item WHERE id = ? FOR UPDATE NOWAIT', ['t3-a']);
            await deferWrite(m, INSERT_ITEM, ['t3-a', 'finally']);
          }),
        );
        expect(await itemsLike('t3-')).toEqual([
          { id: 't3-a', note: 'finally', counter: 0 },
          { id: 't3-existing', note: 'kept', counter: 0 },
        ]);
      });

      it('work() throwing after deferred writes writes nothing and rethrows the very error', async () => {
        const early = new Error('before any round trip');
        await expect(
          transactions.run(async (m) => {
            await deferWrite(m, INSERT_ITEM, ['t4-a', 'A']);
            throw early;
          }),
        ).rejects.toBe(early);
        // Nothing had been sent: nothing to undo.
        expect(recorder.sent).toEqual([]);

        const late = new Error('after a round trip');
        await expect(
          transactions.run(async (m) => {
            await deferWrite(m, INSERT_ITEM, ['t4-b', 'B']);
            await m.query('SELECT 1');
            await deferWrite(m, INSERT_ITEM, ['t4-c', 'C']);
            throw late;
          }),
        ).rejects.toBe(late);
        expect(recorder.sent.map((q) => q.sql)).toEqual([
          "START TRANSACTION;\nINSERT INTO wb_item (id, note) VALUES ('t4-b', 'B');\nSELECT 1",
          'ROLLBACK',
        ]);
        expect(await itemsLike('t4-')).toEqual([]);
      });

      it('hostile values are stored exactly as given; `?` in a value is no placeholder; no second statement runs', async () => {
        const values: unknown[] = [
          `it's "quoted" \`back\``,
          'C:\\path\\to\\file\\',
          "\\'; SELECT 1; --",
          "'); DROP TABLE wb_victim; --",
          '"); DROP TABLE wb_victim; --',
          '?',
          '??',
          ':id ?? ? $1',
          '😀 ünïcödé 中文 \u0000 \u001a \r\n\t',
          null,
          `${"'\\?".repeat(50000)}end`,
        ];
        const binary = Buffer.from(Array.from({ length: 256 * 4 }, (__, i) => i % 256));
        const at = new Date('2026-11-30T12:34:56.789Z');
        const inTransaction = await transactions.run(async (m) => {
          for (const [i, value] of values.entries()) {
            await deferWrite(m, 'INSERT INTO wb_hostile (id, txt) VALUES (?, ?)', [i, value]);
          }
          // `?` first, then the placeholders after it must still take their own values.
          await deferWrite(m, 'INSERT INTO wb_hostile (id, txt, bin, at) VALUES (?, ?, ?, ?)', [
            100,
            '?',
            binary,
            at,
          ]);
          return (await m.query('SELECT id, txt FROM wb_hostile WHERE id < 100 ORDER BY id')) as {
            id: number;
            txt: string | null;
          }[];
        });
        const expected = values.map((txt, id) => ({ id, txt }));
        expect(plain(inTransaction)).toEqual(expected);
        expect(
          plain((await other.query('SELECT id, txt FROM wb_hostile WHERE id < 100 ORDER BY id')) as object[]),
        ).toEqual(expected);
        const [last] = (await other.query('SELECT txt, bin, at FROM wb_hostile WHERE id = 100')) as {
          txt: string;
          bin: Buffer;
          at: Date;
        }[];
        expect(last.txt).toBe('?');
        expect(Buffer.compare(last.bin, binary)).toBe(0);
        expect(last.at.toISOString()).toBe(at.toISOString());
        expect(plain((await other.query('SELECT id FROM wb_victim')) as object[])).toEqual([{ id: 1 }]);
        expect(plain((await other.query('SELECT COUNT(*) AS n FROM wb_hostile')) as { n: string }[])).toEqual(
          [{ n: String(values.length + 1) }],
        );
      });

      it('a nested transaction uses a savepoint, commits nothing early, and a later failure rolls everything back', async () => {
        const failure = new Error('after the nested transaction');
        let visibleAfterNested: Item[] | undefined;
        await expect(
          transactions.run(async (m) => {
            await deferWrite(m, INSERT_ITEM, ['t6-outer', 'O']);
            await m.transaction(async (inner) => {
              await deferWrite(inner, INSERT_ITEM, ['t6-inner', 'I']);
            });
            visibleAfterNested = await itemsLike('t6-');
            throw failure;
          }),
        ).rejects.toBe(failure);
        expect(visibleAfterNested).toEqual([]);
        const sql = recorder.sent.map((q) => q.sql).join(';\n');
        expect(sql).toContain('SAVEPOINT typeorm_1');
        expect(sql).toContain('RELEASE SAVEPOINT typeorm_1');
        expect(sql).not.toMatch(/(^|\n)COMMIT/);
        expect(recorder.sent[recorder.sent.length - 1].sql).toBe('ROLLBACK');
        expect(await itemsLike('t6-')).toEqual([]);

        // A failing nested transaction undoes only its own writes, to the savepoint.
        await transactions.run(async (m) => {
          await deferWrite(m, INSERT_ITEM, ['t6-kept', 'K']);
          await m
            .transaction(async (inner) => {
              await deferWrite(inner, INSERT_ITEM, ['t6-undone', 'U']);
              throw new Error('inner');
            })
            .catch(() => undefined);
          await deferWrite(m, INSERT_ITEM, ['t6-after', 'A']);
        });
        expect((await itemsLike('t6-')).map((r) => r.id)).toEqual(['t6-after', 't6-kept']);
      });

      it('a deferred write failing at a nested SAVEPOINT fails the whole transaction even when the work catches it', async () => {
        await transactions.run((m) => deferWrite(m, INSERT_ITEM, ['t8-existing', 'kept']));
        recorder.reset();
        let nested: unknown;
        const error = await rejectionOf(
          transactions.run(async (m) => {
            await deferWrite(m, INSERT_ITEM, ['t8-a', 'A']);
            await deferWrite(m, INSERT_ITEM, ['t8-existing', 'dup']); // fails in the SAVEPOINT's round trip
            nested = await m
              .transaction((inner) => deferWrite(inner, INSERT_ITEM, ['t8-inner', 'I']))
              .catch((e: unknown) => e);
            await deferWrite(m, INSERT_ITEM, ['t8-b', 'B']);
          }),
        );
        expectDuplicate(nested);
        expectDuplicate(error);
        expect(await itemsLike('t8-')).toEqual([{ id: 't8-existing', note: 'kept', counter: 0 }]);
        const sql = recorder.sent.map((q) => q.sql);
        expect(sql.some((q) => /(^|\n)COMMIT/.test(q))).toBe(false);
        expect(sql[sql.length - 1]).toBe('ROLLBACK');
        expect({ commits: recorder.commits, rollbacks: recorder.rollbacks }).toEqual({
          commits: 0,
          rollbacks: 1,
        });
      });

      it('subscribers get afterTransactionCommit once per committed transaction, afterTransactionRollback on failure', async () => {
        await transactions.run((m) => deferWrite(m, INSERT_ITEM, ['t7-a', 'A']));
        expect({ commits: recorder.commits, rollbacks: recorder.rollbacks }).toEqual({
          commits: 1,
          rollbacks: 0,
        });
        await transactions.run(async (m) => {
          await m.query('SELECT id FROM wb_item WHERE id = ? FOR UPDATE', ['t7-a']);
          await deferWrite(m, 'UPDATE wb_item SET counter = counter + 1 WHERE id = ?', ['t7-a']);
        });
        expect({ commits: recorder.commits, rollbacks: recorder.rollbacks }).toEqual({
          commits: 2,
          rollbacks: 0,
        });

        recorder.reset();
        expectDuplicate(
          await rejectionOf(transactions.run((m) => deferWrite(m, INSERT_ITEM, ['t7-a', 'dup']))),
        );
        expect({ commits: recorder.commits, rollbacks: recorder.rollbacks }).toEqual({
          commits: 0,
          rollbacks: 1,
        });
        await expect(
          transactions.run(async () => {
            throw new Error('work failed');
          }),
        ).rejects.toThrow('work failed');
        expect({ commits: recorder.commits, rollbacks: recorder.rollbacks }).toEqual({
          commits: 0,
          rollbacks: 2,
        });
        expect(await itemsLike('t7-')).toEqual([{ id: 't7-a', note: 'A', counter: 1 }]);
      });
    },
  );
}

const embeddedBackends = testBackends().filter((b): b is Backend => b.name === 'embedded');
if (embeddedBackends.length > 0) {
  describe.each(embeddedBackends.map((b) => [b.name, b] as const))(
    'deferWrite on SQLite (%s)',
    (_, backend) => {
      let dataSource: DataSource;
      let transactions: Transactions;
      const recorder = new Recorder();

      beforeAll(async () => {
        dataSource = await openDataSource(
          {
            url: backend.env().GMS_DATABASE_URL,
            entities: [ItemEntity],
            migrations: [],
            migrationsTableName: 'wb_migrations',
          },
          false,
        );
        await dataSource.query(
          'CREATE TABLE wb_item (id VARCHAR(64) NOT NULL PRIMARY KEY, note TEXT NULL, counter INTEGER NOT NULL DEFAULT 0)',
        );
        dataSource.subscribers.push(recorder);
        transactions = new Transactions(dataSource);
        expect(transactions.sqlite).toBe(true);
      });

      afterAll(async () => {
        await dataSource?.destroy();
      });

      beforeEach(() => recorder.reset());

      it('selectRowsThen runs its two reads one after the other, each answer its own', async () => {
        await dataSource.query(INSERT_ITEM, ['s9-a', 'A']);
        await dataSource.query(INSERT_ITEM, ['s9-b', 'B']);
        const [first, then] = await transactions.run((m) =>
          selectRowsThen(
            m,
            { entity: ItemEntity, where: 'id = ?', values: ['s9-a'], options: { lock: true } },
            { entity: ItemEntity, where: 'id LIKE ?', values: ['s9-%'], options: { orderBy: 'id DESC' } },
          ),
        );
        expect(plain(first)).toEqual([{ id: 's9-a', note: 'A', counter: 0 }]);
        expect(plain(then).map((r) => r.id)).toEqual(['s9-b', 's9-a']);
        const reads = recorder.sent.filter((q) => q.sql.startsWith('SELECT')).map((q) => q.sql);
        expect(reads).toHaveLength(2);
        expect(reads[0]).not.toContain('FOR UPDATE');
        await dataSource.query("DELETE FROM wb_item WHERE id LIKE 's9-%'");
      });

      it('runs each deferred write at once; reads see them; a failure rolls back', async () => {
        const seen = await transactions.run(async (m) => {
          await deferWrite(m, INSERT_ITEM, ['s-a', 'A']);
          // Already sent, on its own, before anything else.
          const sentSoFar = recorder.sent.map((q) => q.sql);
          await insertRow(m, ItemEntity, { id: 's-b', note: "it's ?" });
          const rows = (await m.query('SELECT id, note, counter FROM wb_item ORDER BY id')) as Item[];
          const entity = await m.getRepository(ItemEntity).findOneBy({ id: 's-b' });
          return { sentSoFar, rows: plain(rows), entity };
        });
        expect(seen.sentSoFar.filter((sql) => sql.startsWith('INSERT'))).toEqual([INSERT_ITEM]);
        expect(seen.rows).toEqual([
          { id: 's-a', note: 'A', counter: 0 },
          { id: 's-b', note: "it's ?", counter: 0 },
        ]);
        expect(seen.entity).toEqual({ id: 's-b', note: "it's ?", counter: 0 });
        expect(recorder.commits).toBe(1);

        const error = await rejectionOf(
          transactions.run(async (m) => {
            await deferWrite(m, INSERT_ITEM, ['s-c', 'C']);
            await deferWrite(m, INSERT_ITEM, ['s-a', 'dup']);
          }),
        );
        expect(error).toBeInstanceOf(QueryFailedError);
        expect(plain((await dataSource.query('SELECT id FROM wb_item ORDER BY id')) as object[])).toEqual([
          { id: 's-a' },
          { id: 's-b' },
        ]);
      });
    },
  );
}
