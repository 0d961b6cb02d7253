import { queryDatabase } from '../../libs/testing/src/lib/query-database';

/** Rows of ucs's `interactions` table per interaction id, for the ids starting with `prefix`. */
export async function countInteractionRows(
  databaseUrl: string,
  prefix: string,
): Promise<Map<string, number>> {
  const rows = await queryDatabase<{ id: string; n: string | number }>(
    databaseUrl,
    'SELECT interaction_id AS id, COUNT(*) AS n FROM interactions WHERE interaction_id LIKE ? GROUP BY interaction_id',
    [`${prefix}%`],
  );
  return new Map(rows.map((row) => [row.id, Number(row.n)]));
}
