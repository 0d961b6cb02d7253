import { QueryRunner, Table, TableIndex } from 'typeorm';
import { columnTypes } from '../database/column-types';

export const OUTBOX_TABLE = 'outbox';

/**
 * The outbox (ARCHITECTURE §6): one row per event, written in the transaction of the change it
 * describes, delivered by the relay in `seq` order. Shared by the migration of every app.
 */
export async function createOutboxTable(queryRunner: QueryRunner): Promise<void> {
  const t = columnTypes(queryRunner);
  await queryRunner.createTable(
    new Table({
      name: OUTBOX_TABLE,
      columns: [
        { name: 'seq', type: t.serial, isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
        { name: 'event_id', type: 'varchar', length: '64' },
        { name: 'tenant', type: 'varchar', length: '64' },
        { name: 'subject', type: 'varchar', length: '128' },
        // What the event is about, e.g. `service:<tenant>:<id>` (diagnostics; order is by seq).
        { name: 'aggregate', type: 'varchar', length: '255' },
        { name: 'envelope', type: t.json },
        { name: 'headers', type: 'text' },
        { name: 'created_at', type: t.epochMs },
        { name: 'sent_at', type: t.epochMs, isNullable: true },
      ],
    }),
  );
  // Serves the relay (`sent_at IS NULL ORDER BY seq`), the backlog count and pruning (sent_at range).
  await queryRunner.createIndex(
    OUTBOX_TABLE,
    new TableIndex({ name: 'ix_outbox_sent_seq', columnNames: ['sent_at', 'seq'] }),
  );
}

export async function dropOutboxTable(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.dropTable(OUTBOX_TABLE);
}
