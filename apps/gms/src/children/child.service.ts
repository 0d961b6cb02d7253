import type { ApiError } from '@cs/platform/core';
import type { OutboxEntry } from '@cs/platform';
import { EventAnnouncer } from '../events/announcer';
import type { EndEventInput } from '../events/end-event';
import { alreadyCompleted } from '../events/errors';
import { checkExtensionUpdate } from '../events/extension-update';
import { mergeExtensions } from '../events/extensions';
import type { ServiceEntity } from '../services/service.entity';
import { ServiceScope, ServiceWriter, WriteContext } from '../services/service-writer';
import { ServicesService } from '../services/services.service';
import type { ChildRepository, ChildRow } from './child.repository';
import { ownerOf, type Owner } from './child-view';

/** What tells states from tasks in the writes and reads they share. */
export interface ChildKind<E> {
  /** The resource name of errors (`State`, `Task`). */
  name: 'State' | 'Task';
  /** The service column that holds the last id given out (spec §2.5: ids are never reused). */
  lastId: 'lastStateId' | 'lastTaskId';
  notFound(serviceId: string, id: number): ApiError;
  /** Fields that are never extensions. */
  reserved: ReadonlySet<string>;
  completedSubject: string;
  extensionUpdatedSubject: string;
  /** The payload of the kind's events: the top-level view with every extension. */
  eventView(row: E, owner: Owner): Record<string, unknown>;
}

/**
 * What states and tasks do alike (spec §4.15, §4.19, §4.21, §4.23, §4.24): end, update an extension,
 * find one row, each write through the ServiceWriter with its event.
 */
export abstract class ChildService<E extends ChildRow> {
  protected constructor(
    private readonly kind: ChildKind<E>,
    /** The kind's repository (the subclass keeps its own typed reference for its own queries). */
    private readonly rows: ChildRepository<E>,
    protected readonly services: ServicesService,
    protected readonly writer: ServiceWriter,
    protected readonly events: EventAnnouncer,
  ) {}

  /** Spec §4.15, §4.21: completes one active row (a state's tasks stay as they are). */
  async end(scope: ServiceScope, id: number, input: EndEventInput, now: number): Promise<void> {
    await this.writeRow(scope, id, now, async (ctx, row) => {
      if (row.completed !== null) throw alreadyCompleted(this.kind.name, id);
      const completed = await this.complete(ctx, row, input);
      ctx.announce((service) => this.event(this.kind.completedSubject, scope, service, completed));
    });
  }

  /** Spec §4.19, §4.24: replaces one extension of the row. */
  async putExtension(
    scope: ServiceScope,
    id: number,
    name: string,
    value: unknown,
    now: number,
  ): Promise<void> {
    const checked = checkExtensionUpdate(name, value, this.kind.reserved);
    await this.writeRow(scope, id, now, async (ctx, row) => {
      const extensions = mergeExtensions(row.extensions, { [name]: checked });
      await this.rows.update(ctx.manager, row, { extensions } as Partial<E>);
      const updated = { ...row, extensions };
      ctx.announce((service) => this.event(this.kind.extensionUpdatedSubject, scope, service, updated, name));
    });
  }

  /** The service visible to the scope and its row `id`, or 400 NotFound (spec §4.18, §4.23). */
  protected async visible(scope: ServiceScope, id: number): Promise<{ service: ServiceEntity; row: E }> {
    const service = await this.services.requireVisible(scope);
    const row = await this.rows.findById(scope.tenant, scope.serviceId, id);
    if (!row) throw this.kind.notFound(scope.serviceId, id);
    return { service, row };
  }

  /**
   * A write on row `id` of the service: the row is read with the service lock (one round trip where
   * the transaction batches), or 400 NotFound (spec §3.4, §4.15).
   */
  protected writeRow<T>(
    scope: ServiceScope,
    id: number,
    now: number,
    work: (ctx: WriteContext, row: E) => Promise<T>,
  ): Promise<{ result: T; service: ServiceEntity }> {
    return this.writer.write(
      scope,
      now,
      (ctx, [row]) => {
        if (!row) throw this.kind.notFound(scope.serviceId, id);
        return work(ctx, row);
      },
      this.rows.byId(scope.tenant, scope.serviceId, id),
    );
  }

  /** The row of the locked service, or 400 NotFound (spec §3.4, §4.15). */
  protected async existing(ctx: WriteContext, id: number): Promise<E> {
    const row = await this.rows.findById(ctx.service.tenant, ctx.service.serviceId, id, ctx.manager);
    if (!row) throw this.kind.notFound(ctx.service.serviceId, id);
    return row;
  }

  /** The next id of the service, recorded in the write's service changes. */
  protected nextId(ctx: WriteContext): number {
    const id = Number(ctx.changes[this.kind.lastId] ?? ctx.service[this.kind.lastId]) + 1;
    ctx.changes[this.kind.lastId] = id;
    return id;
  }

  /** Stores the end event of `row`; returns the row as completed. */
  protected async complete(ctx: WriteContext, row: E, input: EndEventInput): Promise<E> {
    const changes: Partial<ChildRow> = {
      completed: JSON.stringify(input.completed.fields),
      completedAt: input.completed.timestampMs,
      disposition: input.disposition === undefined ? null : JSON.stringify(input.disposition),
      dispositionDesc: input.dispositionDesc ?? null,
    };
    if (Object.keys(input.extensions).length > 0)
      changes.extensions = mergeExtensions(row.extensions, input.extensions);
    await this.rows.update(ctx.manager, row, changes as Partial<E>);
    return { ...row, ...changes };
  }

  /** An event of the kind: the row's top-level view with every extension (spec §3.10, §3.11). */
  protected event(
    subject: string,
    scope: ServiceScope,
    service: ServiceEntity,
    row: E,
    extension?: string,
  ): OutboxEntry {
    return this.events.event(
      subject,
      scope.tenant,
      service.serviceId,
      this.kind.eventView(row, ownerOf(service)),
      { group: scope.group, extension },
    );
  }
}
