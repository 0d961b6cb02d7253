import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { columnTypes } from '@cs/platform';

/** Profiles and the consumers' processed-event log; keys lead with the tenant (ARCHITECTURE §5). */
export class CreateProfiles1764500000000 implements MigrationInterface {
  name = 'CreateProfiles1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'profiles',
        columns: [
          { name: 'tenant', type: 'varchar', length: '64', isPrimary: true },
          { name: 'customer_id', type: 'varchar', length: '16', isPrimary: true },
          { name: 'attributes', type: t.json },
          { name: 'created_at', type: t.epochMs },
          { name: 'updated_at', type: t.epochMs },
        ],
      }),
    );
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
    await queryRunner.dropTable('profiles');
  }
}
