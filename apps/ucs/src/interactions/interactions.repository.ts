import { isMySql } from '@cs/platform';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { QueryResult } from 'typeorm/query-runner/QueryResult';
import { ProfileEntity } from '../profiles/profile.entity';
import { ContentPart, InteractionContentEntity, InteractionEntity } from './interaction.entity';

/** Spec §4.20 order of the list reads: start_date, then interaction_id. */
const ORDER = ['i.start_date', 'i.interaction_id'] as const;

/** SQL for interactions. Every query filters on the tenant. */
@Injectable()
export class InteractionsRepository {
  private readonly mysql: boolean;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.mysql = isMySql(dataSource);
  }

  /**
   * Spec §4.8 rule 4: every interaction of `fromCustomerId` now belongs to `toCustomerId`.
   * Runs in the caller's transaction (the profile merge), so it commits or rolls back with it.
   */
  async moveToCustomer(
    manager: EntityManager,
    tenant: string,
    fromCustomerId: string,
    toCustomerId: string,
  ): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(InteractionEntity)
      .set({ customerId: toCustomerId, updatedAt: Date.now() })
      .where('tenant = :tenant AND customer_id = :fromCustomerId', { tenant, fromCustomerId })
      .updateEntity(false)
      .execute();
  }

  /** ARCHITECTURE §6 flow 2: the interactions of a service follow it to the customer it was associated with. */
  async moveServiceToCustomer(
    manager: EntityManager,
    tenant: string,
    serviceId: string,
    customerId: string,
    now: number,
  ): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(InteractionEntity)
      .set({ customerId, updatedAt: now })
      .where('tenant = :tenant AND service_id = :serviceId', { tenant, serviceId })
      .updateEntity(false)
      .execute();
  }

  /** The interactions of a completed service stop (status 3) at its end, unless already stopped. */
  async stopServiceInteractions(
    manager: EntityManager,
    tenant: string,
    serviceId: string,
    endDate: number,
    now: number,
  ): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(InteractionEntity)
      .set({ status: 3, endDate: () => 'COALESCE(end_date, :endDate)', updatedAt: now })
      .where('tenant = :tenant AND service_id = :serviceId AND status <> 3', { tenant, serviceId })
      .setParameter('endDate', endDate)
      .updateEntity(false)
      .execute();
  }

  /**
   * Inserts `row` when the tenant has no interaction of that id; otherwise applies `update(existing)`
   * to the locked existing row. Safe under concurrent first writes. Returns true when it inserted.
   */
  async upsert(
    manager: EntityManager,
    row: InteractionEntity,
    update: (existing: InteractionEntity) => Partial<InteractionEntity>,
  ): Promise<boolean> {
    if (await this.insertOrLock(manager, row)) return true;
    const existing = await this.findForUpdate(manager, row.tenant, row.interactionId);
    if (!existing) throw new Error(`interaction ${row.interactionId} vanished during its upsert`);
    const changes = update(existing);
    if (Object.keys(changes).length > 0) {
      await manager
        .createQueryBuilder()
        .update(InteractionEntity)
        .set(changes)
        .where('tenant = :tenant AND interaction_id = :id', { tenant: row.tenant, id: row.interactionId })
        .updateEntity(false)
        .execute();
    }
    return false;
  }

  /**
   * Inserts the row, or (MySQL) takes the write lock of the existing one in the same statement: an
   * INSERT IGNORE would take a shared lock first, and two requests upgrading theirs deadlock. The
   * no-op `updated_at + 1` makes the affected-rows count tell an insert (1) from a hit (2). SQLite
   * transactions are serialised (Transactions), so an INSERT OR IGNORE is enough there.
   */
  private async insertOrLock(manager: EntityManager, row: InteractionEntity): Promise<boolean> {
    const runner = manager.queryRunner;
    if (!runner) throw new Error('InteractionsRepository.upsert must run inside a transaction');
    const insert = manager.createQueryBuilder().insert().into(InteractionEntity).values(row);
    if (!this.mysql) {
      const [sql, parameters] = insert.orIgnore().getQueryAndParameters();
      const result = (await runner.query(sql, parameters, true)) as QueryResult;
      return (result.affected ?? 0) > 0;
    }
    const [sql, parameters] = insert.getQueryAndParameters();
    const result = (await runner.query(
      `${sql} ON DUPLICATE KEY UPDATE \`updated_at\` = \`updated_at\` + 1`,
      parameters,
      true,
    )) as QueryResult;
    return result.affected === 1;
  }

  /** Replaces one content part of an interaction. */
  async putContent(manager: EntityManager, content: InteractionContentEntity): Promise<void> {
    await manager
      .createQueryBuilder()
      .delete()
      .from(InteractionContentEntity)
      .where('tenant = :tenant AND interaction_id = :id AND part = :part', {
        tenant: content.tenant,
        id: content.interactionId,
        part: content.part,
      })
      .execute();
    await manager
      .createQueryBuilder()
      .insert()
      .into(InteractionContentEntity)
      .values(content)
      .updateEntity(false)
      .execute();
  }

  // MySQL's default collation ignores case and trailing spaces; the reads below keep only exact
  // matches, so opaque ids compare as the spec says (§2.5) on every backend.

  async findById(tenant: string, interactionId: string): Promise<InteractionEntity | null> {
    const row = await this.dataSource
      .getRepository(InteractionEntity)
      .createQueryBuilder('i')
      .where('i.tenant = :tenant AND i.interaction_id = :interactionId', { tenant, interactionId })
      .getOne();
    return row !== null && row.interactionId === interactionId ? row : null;
  }

  async findByCustomer(tenant: string, customerId: string): Promise<InteractionEntity[]> {
    const rows = await this.dataSource
      .getRepository(InteractionEntity)
      .createQueryBuilder('i')
      .where('i.tenant = :tenant AND i.customer_id = :customerId', { tenant, customerId })
      .orderBy(ORDER[0], 'ASC')
      .addOrderBy(ORDER[1], 'ASC')
      .getMany();
    return rows.filter((r) => r.customerId === customerId);
  }

  async findByService(tenant: string, serviceId: string): Promise<InteractionEntity[]> {
    const rows = await this.dataSource
      .getRepository(InteractionEntity)
      .createQueryBuilder('i')
      .where('i.tenant = :tenant AND i.service_id = :serviceId', { tenant, serviceId })
      .orderBy(ORDER[0], 'ASC')
      .addOrderBy(ORDER[1], 'ASC')
      .getMany();
    return rows.filter((r) => r.serviceId === serviceId);
  }

  async findContent(
    tenant: string,
    interactionId: string,
    part: ContentPart,
  ): Promise<InteractionContentEntity | null> {
    const row = await this.dataSource
      .getRepository(InteractionContentEntity)
      .createQueryBuilder('c')
      .where('c.tenant = :tenant AND c.interaction_id = :interactionId AND c.part = :part', {
        tenant,
        interactionId,
        part,
      })
      .getOne();
    return row !== null && row.interactionId === interactionId ? row : null;
  }

  /** I1 answers 404 for a customer without a profile (spec §4.20). */
  async customerExists(tenant: string, customerId: string): Promise<boolean> {
    const rows = await this.dataSource
      .getRepository(ProfileEntity)
      .createQueryBuilder('p')
      .select('p.customer_id', 'customer_id')
      .where('p.tenant = :tenant AND p.customer_id = :customerId', { tenant, customerId })
      .getRawMany<{ customer_id: string }>();
    return rows.some((r) => r.customer_id === customerId);
  }

  private async findForUpdate(
    manager: EntityManager,
    tenant: string,
    interactionId: string,
  ): Promise<InteractionEntity | null> {
    const query = manager
      .getRepository(InteractionEntity)
      .createQueryBuilder('i')
      .where('i.tenant = :tenant AND i.interaction_id = :interactionId', { tenant, interactionId });
    // SQLite transactions are serialised (Transactions); MySQL needs the row lock.
    if (this.mysql) query.setLock('pessimistic_write');
    return query.getOne();
  }
}
