import { MigrationInterface, QueryRunner } from 'typeorm';
import { createOutboxTable, dropOutboxTable } from '@cs/platform';

/** The transactional outbox of gms events (ARCHITECTURE §6). */
export class CreateOutbox1764960000000 implements MigrationInterface {
  name = 'CreateOutbox1764960000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createOutboxTable(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropOutboxTable(queryRunner);
  }
}
