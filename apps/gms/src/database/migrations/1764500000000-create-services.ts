import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columnTypes } from '@cs/platform';

/** The services table; every index leads with the tenant (ARCHITECTURE §5). */
export class CreateServices1764500000000 implements MigrationInterface {
  name = 'CreateServices1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'services',
        columns: [
          {
            name: 'seq',
            type: t.serial,
            isPrimary: true,
            isGenerated: true,
            generationStrategy: 'increment',
          },
          { name: 'tenant', type: 'varchar', length: '64' },
          { name: 'group_id', type: 'varchar', length: '256', isNullable: true },
          { name: 'service_id', type: 'varchar', length: '80' },
          { name: 'customer_id', type: 'varchar', length: '256', isNullable: true },
          { name: 'contact_key', type: 'varchar', length: '256', isNullable: true },
          { name: 'service_type', type: 'text', isNullable: true },
          { name: 'est_duration', type: 'bigint', isNullable: true },
          { name: 'started', type: t.json },
          { name: 'started_at', type: t.epochMs },
          { name: 'completed', type: t.json, isNullable: true },
          { name: 'completed_at', type: t.epochMs, isNullable: true },
          { name: 'disposition', type: 'text', isNullable: true },
          { name: 'disposition_desc', type: 'varchar', length: '64', isNullable: true },
          { name: 'extensions', type: t.json },
          { name: 'expires_at', type: t.epochMs },
          { name: 'expiration_explicit', type: 'boolean' },
          { name: 'auto_complete_after', type: 'int', isNullable: true },
          { name: 'updated_at', type: t.epochMs },
        ],
      }),
    );
    await queryRunner.createIndices('services', [
      new TableIndex({
        name: 'uq_services_tenant_id',
        columnNames: ['tenant', 'service_id'],
        isUnique: true,
      }),
      new TableIndex({ name: 'ix_services_customer', columnNames: ['tenant', 'customer_id', 'started_at'] }),
      new TableIndex({ name: 'ix_services_contact', columnNames: ['tenant', 'contact_key', 'started_at'] }),
      new TableIndex({ name: 'ix_services_expires', columnNames: ['expires_at'] }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('services');
  }
}
