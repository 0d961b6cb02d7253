import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@cs/platform';

/** Table name → `rows:digest`, over both databases. */
export type Fingerprint = Record<string, string>;

/**
 * A cheap, order-independent fingerprint of every table of the gms and ucs databases: row count and
 * the XOR of a hash per row. Read through connections of its own (SQLite in WAL mode: readers never
 * block the apps' writers).
 */
export class Databases {
  private constructor(private readonly sources: Record<string, DataSource>) {}

  static async open(urls: Record<string, string>): Promise<Databases> {
    const sources: Record<string, DataSource> = {};
    for (const [name, url] of Object.entries(urls)) {
      const source = new DataSource(
        dataSourceOptions({ url, entities: [], migrations: [], migrationsTableName: 'x', poolSize: 1 }),
      );
      sources[name] = await source.initialize();
    }
    return new Databases(sources);
  }

  async fingerprint(): Promise<Fingerprint> {
    const result: Fingerprint = {};
    for (const [db, source] of Object.entries(this.sources)) {
      for (const table of await tables(source)) {
        const rows = (await source.query(`SELECT * FROM ${quote(source, table)}`)) as Record<
          string,
          unknown
        >[];
        const digest = Buffer.alloc(20);
        for (const row of rows) {
          const hash = createHash('sha1').update(JSON.stringify(row)).digest();
          for (let i = 0; i < 20; i++) digest[i] ^= hash[i];
        }
        result[`${db}.${table}`] = `${rows.length}:${digest.toString('hex')}`;
      }
    }
    return result;
  }

  /**
   * Waits until the fingerprint holds still for `quietMs` (the outbox relay and the event consumers
   * finish what accepted requests started), and returns it.
   */
  async settle(quietMs = 200, timeoutMs = 20000): Promise<Fingerprint> {
    const deadline = Date.now() + timeoutMs;
    let last = await this.fingerprint();
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, quietMs));
      const next = await this.fingerprint();
      if (sameFingerprint(last, next)) return next;
      if (Date.now() > deadline)
        throw new Error(`the databases did not settle: ${diff(last, next).join(', ')}`);
      last = next;
    }
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.sources).map((source) => source.destroy()));
  }
}

export function sameFingerprint(a: Fingerprint, b: Fingerprint): boolean {
  return diff(a, b).length === 0;
}

/** The tables whose fingerprint differs. */
export function diff(a: Fingerprint, b: Fingerprint): string[] {
  const names = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...names].filter((name) => a[name] !== b[name]).map((name) => `${name} ${a[name]} → ${b[name]}`);
}

async function tables(source: DataSource): Promise<string[]> {
  if (source.options.type === 'mysql') {
    const rows = (await source.query('SHOW TABLES')) as Record<string, string>[];
    return rows.map((row) => Object.values(row)[0]);
  }
  const rows = (await source.query("SELECT name FROM sqlite_master WHERE type = 'table'")) as {
    name: string;
  }[];
  return rows.map((row) => row.name);
}

const quote = (source: DataSource, table: string) =>
  source.options.type === 'mysql' ? `\`${table}\`` : `"${table}"`;
