import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columnTypes } from '@cs/platform';

/**
 * Extension schemas, identification keys, extension records and the lookup tables that make
 * uniqueness hold under concurrency (ARCHITECTURE §7): every index leads with the tenant.
 */
export class CreateProfileSchemaAndKeys1764610000000 implements MigrationInterface {
  name = 'CreateProfileSchemaAndKeys1764610000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    const serial = {
      name: 'id',
      type: t.serial,
      isPrimary: true,
      isGenerated: true,
      generationStrategy: 'increment' as const,
    };
    // Spec §3.4; `id` is the creation order used when listing.
    await queryRunner.createTable(
      new Table({
        name: 'extension_schemas',
        columns: [
          serial,
          { name: 'tenant', type: 'varchar', length: '64' },
          { name: 'name_lc', type: 'varchar', length: '32' },
          { name: 'definition', type: t.json },
          { name: 'created_at', type: t.epochMs },
        ],
        indices: [
          new TableIndex({
            name: 'uq_extension_schemas_name',
            columnNames: ['tenant', 'name_lc'],
            isUnique: true,
          }),
        ],
      }),
    );
    // Spec §3.6; `id` is the internal, monotonic key id of key inference (§4.2, A-38).
    await queryRunner.createTable(
      new Table({
        name: 'identification_keys',
        columns: [
          serial,
          { name: 'tenant', type: 'varchar', length: '64' },
          { name: 'name_lc', type: 'varchar', length: '32' },
          { name: 'source_ext_lc', type: 'varchar', length: '32', isNullable: true },
          { name: 'definition', type: t.json },
          { name: 'created_at', type: t.epochMs },
        ],
        indices: [
          new TableIndex({
            name: 'uq_identification_keys_name',
            columnNames: ['tenant', 'name_lc'],
            isUnique: true,
          }),
        ],
      }),
    );
    // Spec §3.3. `unique_hash`: a constant for single-valued records (one per customer), the hash of
    // the unique attributes for multi-valued extensions with a `unique` list, NULL otherwise.
    await queryRunner.createTable(
      new Table({
        name: 'extension_records',
        columns: [
          serial,
          { name: 'tenant', type: 'varchar', length: '64' },
          { name: 'customer_id', type: 'varchar', length: '16' },
          { name: 'ext_name_lc', type: 'varchar', length: '32' },
          { name: 'unique_hash', type: 'varchar', length: '64', isNullable: true },
          { name: 'record', type: t.json },
        ],
        indices: [
          new TableIndex({
            name: 'uq_extension_records_unique',
            columnNames: ['tenant', 'customer_id', 'ext_name_lc', 'unique_hash'],
            isUnique: true,
          }),
          new TableIndex({ name: 'ix_extension_records_ext', columnNames: ['tenant', 'ext_name_lc'] }),
        ],
      }),
    );
    // Identify lookups: one row per (key, covered prefix length, value tuple, customer) (spec §4.2).
    await queryRunner.createTable(
      new Table({
        name: 'identification_entries',
        columns: [
          { name: 'tenant', type: 'varchar', length: '64', isPrimary: true },
          { name: 'key_id', type: 'bigint', isPrimary: true },
          { name: 'prefix_len', type: 'integer', isPrimary: true },
          { name: 'value_hash', type: 'varchar', length: '64', isPrimary: true },
          { name: 'customer_id', type: 'varchar', length: '16', isPrimary: true },
        ],
        indices: [
          new TableIndex({
            name: 'ix_identification_entries_customer',
            columnNames: ['tenant', 'customer_id'],
          }),
        ],
      }),
    );
    // `unique:true` keys: the full value tuple may belong to one customer only (spec §4.15, A-03).
    await queryRunner.createTable(
      new Table({
        name: 'unique_key_claims',
        columns: [
          { name: 'tenant', type: 'varchar', length: '64', isPrimary: true },
          { name: 'key_id', type: 'bigint', isPrimary: true },
          { name: 'value_hash', type: 'varchar', length: '64', isPrimary: true },
          { name: 'customer_id', type: 'varchar', length: '16' },
        ],
        indices: [
          new TableIndex({ name: 'ix_unique_key_claims_customer', columnNames: ['tenant', 'customer_id'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('unique_key_claims');
    await queryRunner.dropTable('identification_entries');
    await queryRunner.dropTable('extension_records');
    await queryRunner.dropTable('identification_keys');
    await queryRunner.dropTable('extension_schemas');
  }
}
