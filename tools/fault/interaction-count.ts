import { DataSource } from 'typeorm';
import { parseDatabaseUrl } from '@cs/platform';

/** Rows of ucs's `interactions` table per interaction id, for the ids starting with `prefix`. */
export async function countInteractionRows(
  databaseUrl: string,
  prefix: string,
): Promise<Map<string, number>> {
  const target = parseDatabaseUrl(databaseUrl);
  if (target.kind !== 'mysql') throw new Error(`ucs database is not MySQL: ${databaseUrl}`);
  const db = new DataSource({ type: 'mysql', url: databaseUrl });
  await db.initialize();
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
