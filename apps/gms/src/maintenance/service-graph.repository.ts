import { isMySql } from '@cs/platform';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { ServiceEntity } from '../services/service.entity';
import { StateEntity } from '../states/state.entity';
import { TaskEntity } from '../tasks/task.entity';
import type { ExportSelection } from './export-request';
import type { PurgeCriteria } from './purge-request';

/** A SQL condition on unqualified `services` columns, re-checked when rows are written. */
export interface StillDue {
  sql: string;
  params: Record<string, unknown>;
}

/** Where an export page resumes: after this (started_at, seq) pair (keyset pagination). */
export interface PageCursor {
  startedAt: string | number;
  seq: string;
}

/**
 * SQL over a service together with its states and tasks, for purge, export and the background
 * sweeps. Every query filters on the tenant, except the sweeps' cross-tenant claims, whose rows are
 * then written tenant by tenant.
 */
@Injectable()
export class ServiceGraphRepository {
  constructor(@InjectDataSource() readonly dataSource: DataSource) {}

  /** Up to `size` services matching a purge (spec §4.25); locked for the transaction on MySQL. */
  async purgeCandidates(
    manager: EntityManager,
    tenant: string,
    group: string | undefined,
    criteria: PurgeCriteria,
    size: number,
  ): Promise<ServiceEntity[]> {
    const qb = this.purgeQuery(manager, tenant, group, criteria);
    qb.orderBy('s.started_at', 'ASC').addOrderBy('s.seq', 'ASC').limit(size);
    if (isMySql(this.dataSource) && manager.queryRunner?.isTransactionActive) qb.setLock('pessimistic_write');
    return qb.getMany();
  }

  /** How many services of the tenant (and group) a purge would remove now (a job's `total`). */
  countPurge(tenant: string, group: string | undefined, criteria: PurgeCriteria): Promise<number> {
    return this.purgeQuery(this.dataSource.manager, tenant, group, criteria).getCount();
  }

  private purgeQuery(
    manager: EntityManager,
    tenant: string,
    group: string | undefined,
    criteria: PurgeCriteria,
  ): SelectQueryBuilder<ServiceEntity> {
    const qb = manager
      .getRepository(ServiceEntity)
      .createQueryBuilder('s')
      .where('s.tenant = :tenant', { tenant })
      .andWhere('s.started_at < :limit', { limit: criteria.limit });
    if (group !== undefined) qb.andWhere('s.group_id = :group', { group });
    if (criteria.status === 'active') qb.andWhere('s.completed_at IS NULL');
    if (criteria.status === 'completed') qb.andWhere('s.completed_at IS NOT NULL');
    if (criteria.anonymousOnly) qb.andWhere('s.customer_id IS NULL');
    return qb;
  }

  /** How many services an export selects now (a job's `total`). */
  countSelection(
    tenant: string,
    group: string | undefined,
    selection: ExportSelection,
    now: number,
  ): Promise<number> {
    return this.selectionQuery(tenant, group, selection, now).getCount();
  }

  /** The purge criteria as a condition on unqualified columns, re-checked by `deleteGraph`. */
  static purgeCondition(criteria: PurgeCriteria): StillDue {
    const parts = ['started_at < :limit'];
    if (criteria.status === 'active') parts.push('completed_at IS NULL');
    if (criteria.status === 'completed') parts.push('completed_at IS NOT NULL');
    if (criteria.anonymousOnly) parts.push('customer_id IS NULL');
    return { sql: parts.join(' AND '), params: { limit: criteria.limit } };
  }

  /**
   * Deletes the tasks, states and rows of those services of `tenant` that still satisfy `due`;
   * returns the ids actually deleted. Call inside a transaction.
   */
  async deleteGraph(
    manager: EntityManager,
    tenant: string,
    serviceIds: string[],
    due: StillDue,
  ): Promise<Set<string>> {
    if (serviceIds.length === 0) return new Set();
    const params = { ...due.params, tenant, ids: serviceIds };
    const stillDue = `SELECT service_id FROM services WHERE tenant = :tenant AND service_id IN (:...ids) AND ${due.sql}`;
    for (const entity of [TaskEntity, StateEntity]) {
      await manager
        .createQueryBuilder()
        .delete()
        .from(entity)
        .where(`tenant = :tenant AND service_id IN (${stillDue})`, params)
        .execute();
    }
    await manager
      .createQueryBuilder()
      .delete()
      .from(ServiceEntity)
      .where(`tenant = :tenant AND service_id IN (:...ids) AND ${due.sql}`, params)
      .execute();
    const left = await this.existingIds(manager, tenant, serviceIds);
    return new Set(serviceIds.filter((id) => !left.has(id)));
  }

  async existingIds(manager: EntityManager, tenant: string, serviceIds: string[]): Promise<Set<string>> {
    if (serviceIds.length === 0) return new Set();
    const rows = await manager
      .getRepository(ServiceEntity)
      .createQueryBuilder('s')
      .select('s.service_id', 'id')
      .where('s.tenant = :tenant AND s.service_id IN (:...ids)', { tenant, ids: serviceIds })
      .getRawMany<{ id: string }>();
    return new Set(rows.map((row) => row.id));
  }

  /**
   * One page of an export (spec §4.26): services of the tenant (and group) selected by `selection`,
   * not expired, in `started_at` then creation order, after `cursor`. With `idsOnly` the rows carry
   * only `seq`, `serviceId` and `startedAt`.
   */
  async exportPage(
    tenant: string,
    group: string | undefined,
    selection: ExportSelection,
    now: number,
    cursor: PageCursor | undefined,
    size: number,
    idsOnly = false,
  ): Promise<ServiceEntity[]> {
    const qb = this.selectionQuery(tenant, group, selection, now);
    // Ids only: the JSON columns stay in the database.
    if (idsOnly) qb.select(['s.seq', 's.serviceId', 's.startedAt']);
    if (cursor) {
      qb.andWhere(
        new Brackets((or) =>
          or
            .where('s.started_at > :afterStarted')
            .orWhere('s.started_at = :afterStarted AND s.seq > :afterSeq'),
        ),
        { afterStarted: cursor.startedAt, afterSeq: cursor.seq },
      );
    }
    return qb.orderBy('s.started_at', 'ASC').addOrderBy('s.seq', 'ASC').limit(size).getMany();
  }

  private selectionQuery(
    tenant: string,
    group: string | undefined,
    selection: ExportSelection,
    now: number,
  ): SelectQueryBuilder<ServiceEntity> {
    const qb = this.dataSource
      .getRepository(ServiceEntity)
      .createQueryBuilder('s')
      .where('s.tenant = :tenant', { tenant })
      .andWhere('s.expires_at > :now', { now })
      .setParameters({ from: selection.from, to: selection.to });
    if (group !== undefined) qb.andWhere('s.group_id = :group', { group });
    const started = 's.started_at >= :from AND s.started_at < :to';
    const completed = 's.completed_at >= :from AND s.completed_at < :to';
    if (selection.events === 'started') qb.andWhere(started);
    else if (selection.events === 'completed') qb.andWhere(completed);
    else qb.andWhere(new Brackets((or) => or.where(started).orWhere(completed)));
    if (selection.state === 'active') qb.andWhere('s.completed_at IS NULL');
    if (selection.state === 'inactive') qb.andWhere('s.completed_at IS NOT NULL');
    return qb;
  }

  /** Every state of these services of `tenant`, in id order: one query per page, no N+1. */
  async statesOf(tenant: string, serviceIds: string[]): Promise<StateEntity[]> {
    if (serviceIds.length === 0) return [];
    return this.dataSource
      .getRepository(StateEntity)
      .createQueryBuilder('st')
      .where('st.tenant = :tenant AND st.service_id IN (:...ids)', { tenant, ids: serviceIds })
      .orderBy('st.service_id', 'ASC')
      .addOrderBy('st.state_id', 'ASC')
      .getMany();
  }

  async tasksOf(tenant: string, serviceIds: string[]): Promise<TaskEntity[]> {
    if (serviceIds.length === 0) return [];
    return this.dataSource
      .getRepository(TaskEntity)
      .createQueryBuilder('t')
      .where('t.tenant = :tenant AND t.service_id IN (:...ids)', { tenant, ids: serviceIds })
      .orderBy('t.service_id', 'ASC')
      .addOrderBy('t.task_id', 'ASC')
      .getMany();
  }
}
