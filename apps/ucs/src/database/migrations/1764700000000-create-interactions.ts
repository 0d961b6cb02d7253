import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columnTypes } from '@cs/platform';

/**
 * Interactions (spec §3.7) and their content parts (spec §4.22). Every key leads with the tenant
 * (ARCHITECTURE §5); the two list reads (I1 by customer, I2 by service) have an index each, in the
 * order they sort by (start_date, then interaction_id).
 */
export class CreateInteractions1764700000000 implements MigrationInterface {
  name = 'CreateInteractions1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'interactions',
        columns: [
          { name: 'tenant', type: 'varchar', length: '64', isPrimary: true },
          { name: 'interaction_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'customer_id', type: 'varchar', length: '64', isNullable: true },
          { name: 'service_id', type: 'varchar', length: '128', isNullable: true },
          { name: 'status', type: 'int' },
          { name: 'entity_type', type: 'int' },
          { name: 'type', type: 'varchar', length: '64' },
          { name: 'sub_type', type: 'varchar', length: '64', isNullable: true },
          { name: 'media_type', type: 'varchar', length: '64' },
          { name: 'parent_id', type: 'varchar', length: '64', isNullable: true },
          { name: 'thread_id', type: 'varchar', length: '64', isNullable: true },
          { name: 'external_id', type: 'varchar', length: '255', isNullable: true },
          { name: 'owner_id', type: 'int', isNullable: true },
          { name: 'creator_app_id', type: 'int' },
          { name: 'start_date', type: t.epochMs },
          { name: 'end_date', type: t.epochMs, isNullable: true },
          { name: 'timeshift', type: 'int', isNullable: true },
          { name: 'subject', type: 'text', isNullable: true },
          // udata and the kind-specific fields (chat, phone call, e-mail), as JSON text.
          { name: 'details', type: t.json },
          // Comma list of the content parts stored in interaction_contents (links in the view).
          { name: 'content_parts', type: 'varchar', length: '64' },
          { name: 'created_at', type: t.epochMs },
          { name: 'updated_at', type: t.epochMs },
        ],
      }),
    );
    await queryRunner.createIndices('interactions', [
      new TableIndex({
        name: 'ix_interactions_customer',
        columnNames: ['tenant', 'customer_id', 'start_date', 'interaction_id'],
      }),
      new TableIndex({
        name: 'ix_interactions_service',
        columnNames: ['tenant', 'service_id', 'start_date', 'interaction_id'],
      }),
    ]);
    await queryRunner.createTable(
      new Table({
        name: 'interaction_contents',
        columns: [
          { name: 'tenant', type: 'varchar', length: '64', isPrimary: true },
          { name: 'interaction_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'part', type: 'varchar', length: '32', isPrimary: true },
          { name: 'mime_type', type: 'varchar', length: '128' },
          // Text as is; binary content as base64 (it arrives as base64 over the transport).
          { name: 'content', type: t.json },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('interaction_contents');
    await queryRunner.dropIndex('interactions', 'ix_interactions_service');
    await queryRunner.dropIndex('interactions', 'ix_interactions_customer');
    await queryRunner.dropTable('interactions');
  }
}
