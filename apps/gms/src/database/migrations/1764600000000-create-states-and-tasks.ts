import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { columnTypes } from '@cs/platform';

/**
 * States and tasks (spec §3.10, §3.11), keyed by their service and per-service id; the services
 * table gains the two id counters (spec §2.5), the auto-complete deadline (spec §1.8) and the
 * indexes that purge and export filter on (spec §4.25–4.27).
 */
export class CreateStatesAndTasks1764600000000 implements MigrationInterface {
  name = 'CreateStatesAndTasks1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    await queryRunner.addColumns('services', [
      new TableColumn({ name: 'last_state_id', type: 'int', default: 0 }),
      new TableColumn({ name: 'last_task_id', type: 'int', default: 0 }),
      new TableColumn({ name: 'auto_complete_at', type: t.epochMs, isNullable: true }),
    ]);
    await queryRunner.createIndices('services', [
      new TableIndex({ name: 'ix_services_started', columnNames: ['tenant', 'started_at'] }),
      new TableIndex({ name: 'ix_services_completed', columnNames: ['tenant', 'completed_at'] }),
      // Background sweeps run across tenants (spec §4.28); each row they touch is then handled in its tenant.
      new TableIndex({ name: 'ix_services_auto_complete', columnNames: ['auto_complete_at'] }),
    ]);

    const common = (kind: 'state' | 'task') => [
      { name: 'tenant', type: 'varchar', length: '64', isPrimary: true },
      { name: 'service_id', type: 'varchar', length: '80', isPrimary: true },
      { name: `${kind}_id`, type: 'int', isPrimary: true },
      { name: `${kind}_type`, type: 'text', isNullable: true },
      { name: 'est_duration', type: 'bigint', isNullable: true },
      { name: 'started', type: t.json },
      { name: 'started_at', type: t.epochMs },
      { name: 'completed', type: t.json, isNullable: true },
      { name: 'completed_at', type: t.epochMs, isNullable: true },
      { name: 'disposition', type: 'text', isNullable: true },
      { name: 'disposition_desc', type: 'varchar', length: '64', isNullable: true },
      { name: 'extensions', type: t.json },
    ];
    await queryRunner.createTable(new Table({ name: 'states', columns: common('state') }));
    await queryRunner.createTable(
      new Table({
        name: 'tasks',
        columns: [...common('task'), { name: 'state_id', type: 'int', isNullable: true }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('tasks');
    await queryRunner.dropTable('states');
    await queryRunner.dropIndex('services', 'ix_services_auto_complete');
    await queryRunner.dropIndex('services', 'ix_services_completed');
    await queryRunner.dropIndex('services', 'ix_services_started');
    await queryRunner.dropColumns('services', ['last_state_id', 'last_task_id', 'auto_complete_at']);
  }
}
