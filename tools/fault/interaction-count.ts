import { DataSource } from 'typeorm';
import { parseDatabaseUrl } from '@cs/platform';

/** A plain connection to an app's database (MySQL or SQLite), for counting rows from outside. */
export async function openDatabase(databaseUrl: string): Promise<DataSource> {
  const target = parseDatabaseUrl(databaseUrl);
  const db =
    target.kind === 'mysql'
      ? new DataSource({ type: 'mysql', url: databaseUrl })
      : new DataSource({ type: 'better-sqlite3', database: target.file });
  await db.initialize();
  return db;
}

/** Rows of ucs's `interactions` table per interaction id, for the ids starting with `prefix`. */
export async function countInteractionRows(
  databaseUrl: string,
  prefix: string,
): Promise<Map<string, number>> {
  const db = await openDatabase(databaseUrl);
  try {
    const rows = (await db
      .createQueryBuilder()
      .select('i.interaction_id', 'id')
      .addSelect('COUNT(*)', 'n')
      .from('interactions', 'i')
      .where('i.interaction_id LIKE :prefix', { prefix: `${prefix}%` })
      .groupBy('i.interaction_id')
      .getRawMany()) as { id: string; n: string | number }[];
    return new Map(rows.map((row) => [row.id, Number(row.n)]));
  } finally {
    await db.destroy();
  }
}
