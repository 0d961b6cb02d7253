import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { columnTypes } from '@cs/platform';

/**
 * Events gms has applied, by consumer and event id (ARCHITECTURE §6: consumers are idempotent); the
 * row is written in the transaction of the event's effect, so a redelivery has no second effect.
 */
export class CreateProcessedEvents1764950000000 implements MigrationInterface {
  name = 'CreateProcessedEvents1764950000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'processed_events',
        columns: [
          { name: 'consumer', type: 'varchar', length: '64', isPrimary: true },
          { name: 'event_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'tenant', type: 'varchar', length: '64' },
          { name: 'subject', type: 'varchar', length: '128' },
          { name: 'processed_at', type: t.epochMs },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('processed_events');
  }
}
