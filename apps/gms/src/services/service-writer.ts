import {
  Outbox,
  selectRows,
  selectRowsThen,
  Transactions,
  updateRows,
  type OutboxEntry,
  type RowQuery,
} from '@cs/platform';
import { Injectable } from '@nestjs/common';
import { EntityManager, type ObjectLiteral } from 'typeorm';
import { LifecyclePolicy } from '../config/lifecycle-policy';
import { serviceNotFound } from './errors';
import { ServiceEntity } from './service.entity';

/** Which service a request addresses: its tenant, the `GroupId` if sent, and its id. */
export interface ServiceScope {
  tenant: string;
  group?: string;
  serviceId: string;
}

export interface WriteContext {
  manager: EntityManager;
  /** The locked service row as it was before this write. */
  readonly service: ServiceEntity;
  /** The time the request was received: `updated_at` and the defaults of event timestamps. */
  readonly now: number;
  /** Service columns this write changes; the writer adds the "touch" columns and runs one UPDATE. */
  changes: Partial<ServiceEntity>;
  /** Set by a delete: the service row is gone, nothing to touch. */
  deleted?: boolean;
  /**
   * Queues an event built from the service as written (after the touch; as it was, for a delete). The
   * writer stores the queued events in the outbox before the transaction commits.
   */
  announce(event: (service: ServiceEntity) => OutboxEntry): void;
}

/** True when the service may be seen by this scope (spec §4 conventions: expired = unknown; §1.6 group). */
export function visibleTo(row: ServiceEntity | null, scope: ServiceScope, now: number): row is ServiceEntity {
  return (
    row !== null && Number(row.expiresAt) > now && (scope.group === undefined || row.groupId === scope.group)
  );
}

/**
 * Every write on a service, its states or its tasks goes through here (spec §4 conventions): one
 * transaction that locks the service row, checks it exists for the caller, applies the change and
 * "touches" the service (last update, sliding expiration, auto-complete deadline).
 */
@Injectable()
export class ServiceWriter {
  constructor(
    private readonly transactions: Transactions,
    private readonly policy: LifecyclePolicy,
    private readonly outbox: Outbox,
  ) {}

  /**
   * Runs `work` in the transaction; returns its result and the service row as written. `readAlong`
   * (the state or task the write changes) is read right after the lock, in the same round trip
   * where the transaction batches, and handed to `work`.
   */
  async write<T, R extends ObjectLiteral = ObjectLiteral>(
    scope: ServiceScope,
    now: number,
    work: (ctx: WriteContext, readAlong: R[]) => Promise<T>,
    readAlong?: RowQuery<R>,
  ): Promise<{ result: T; service: ServiceEntity }> {
    return this.transactions.run(async (manager) => {
      const [service, along] = await this.lock(manager, scope, now, readAlong);
      const events: ((service: ServiceEntity) => OutboxEntry)[] = [];
      const ctx: WriteContext = { manager, service, now, changes: {}, announce: (e) => events.push(e) };
      const result = await work(ctx, along);
      if (ctx.deleted) {
        await this.outbox.add(
          manager,
          events.map((e) => e(service)),
        );
        return { result, service };
      }
      const merged = { ...service, ...ctx.changes };
      const set = { ...ctx.changes, ...this.touch(merged, now) };
      await updateRows(manager, ServiceEntity, set, 'tenant = ? AND service_id = ?', [
        scope.tenant,
        service.serviceId,
      ]);
      const written = { ...merged, ...set };
      await this.outbox.add(
        manager,
        events.map((e) => e(written)),
      );
      return { result, service: written };
    });
  }

  /** A transaction of its own (queued on SQLite like `write`), e.g. a new service and its event. */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.transactions.run(work);
  }

  /** Runs a statement that must not land inside another request's SQLite transaction. */
  exclusive<T>(run: () => Promise<T>): Promise<T> {
    return this.transactions.exclusive(run);
  }

  /** The columns every successful write refreshes (spec §1.7 sliding expiration, §1.8, §5 item 51). */
  touch(
    row: Pick<
      ServiceEntity,
      'serviceType' | 'expiresAt' | 'expirationExplicit' | 'completedAt' | 'autoCompleteAfter'
    >,
    now: number,
  ): Pick<ServiceEntity, 'updatedAt' | 'expiresAt' | 'autoCompleteAt'> {
    const serviceType: unknown = row.serviceType === null ? undefined : JSON.parse(row.serviceType);
    return {
      updatedAt: now,
      expiresAt: row.expirationExplicit ? row.expiresAt : this.policy.expiresAt(serviceType, now),
      autoCompleteAt:
        row.completedAt === null ? this.policy.autoCompleteAt(row.autoCompleteAfter, now) : null,
    };
  }

  private async lock<R extends ObjectLiteral>(
    manager: EntityManager,
    scope: ServiceScope,
    now: number,
    readAlong?: RowQuery<R>,
  ): Promise<[ServiceEntity, R[]]> {
    const locked: RowQuery<ServiceEntity> = {
      entity: ServiceEntity,
      where: 'tenant = ? AND service_id = ?',
      values: [scope.tenant, scope.serviceId],
      options: { lock: true },
    };
    const [services, along] = readAlong
      ? await selectRowsThen(manager, locked, readAlong)
      : [await selectRows(manager, locked.entity, locked.where, locked.values, locked.options), []];
    const row = services[0] ?? null;
    if (!visibleTo(row, scope, now)) throw serviceNotFound(scope.serviceId);
    return [row, along];
  }
}
