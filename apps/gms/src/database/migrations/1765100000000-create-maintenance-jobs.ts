import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columnTypes } from '@cs/platform';

/** Background purge and export jobs (issue 7, docs/decisions/0010), listed per tenant, claimed by lease. */
export class CreateMaintenanceJobs1765100000000 implements MigrationInterface {
  name = 'CreateMaintenanceJobs1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'maintenance_jobs',
        columns: [
          { name: 'job_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'tenant', type: 'varchar', length: '64' },
          { name: 'group_id', type: 'varchar', length: '256', isNullable: true },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'parameters', type: t.json },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'done', type: 'bigint', default: 0 },
          { name: 'total', type: 'bigint', isNullable: true },
          { name: 'attempts', type: 'int', default: 0 },
          { name: 'created_at', type: t.epochMs },
          { name: 'started_at', type: t.epochMs, isNullable: true },
          { name: 'updated_at', type: t.epochMs },
          { name: 'finished_at', type: t.epochMs, isNullable: true },
          { name: 'error', type: 'text', isNullable: true },
          { name: 'result', type: t.json, isNullable: true },
          { name: 'lease_owner', type: 'varchar', length: '64', isNullable: true },
          { name: 'lease_expires_at', type: t.epochMs, isNullable: true },
        ],
      }),
    );
    await queryRunner.createIndices('maintenance_jobs', [
      new TableIndex({ name: 'ix_maintenance_jobs_tenant', columnNames: ['tenant', 'created_at'] }),
      new TableIndex({ name: 'ix_maintenance_jobs_claim', columnNames: ['status', 'lease_expires_at'] }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('maintenance_jobs');
  }
}
