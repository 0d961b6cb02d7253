import { EventSubjects, type ServiceView } from '@cs/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { isDuplicateKeyError, SERVICE_ID_INDEX, serviceAlreadyExists } from '../config/custom-service-id';
import { GMS_OPTIONS, type GmsOptions } from '../config/gms-options';
import { LifecyclePolicy } from '../config/lifecycle-policy';
import type { OutboxEntry } from '@cs/platform';
import { EventAnnouncer } from '../events/announcer';
import { alreadyCompleted } from '../events/errors';
import { checkExtensionUpdate } from '../events/extension-update';
import { ExtensionSelector, mergeExtensions } from '../events/extensions';
import type { StatusFilter } from '../events/list-params';
import { StatesRepository } from '../states/states.repository';
import { TasksRepository } from '../tasks/tasks.repository';
import type { AssociateServiceInput } from './dto/associate-service';
import type { EndServiceInput } from './dto/end-service';
import type { ServiceListQuery } from './dto/service-list-query';
import { SERVICE_RESERVED } from './dto/service-fields';
import type { StartServiceInput } from './dto/start-service';
import { serviceNotFound } from './errors';
import { NestingLoader } from './nesting';
import type { NestingFlag } from './query-flags';
import type { ServiceEntity } from './service.entity';
import { toServiceView } from './service-view';
import { ServiceScope, ServiceWriter, visibleTo } from './service-writer';
import { ServicesRepository } from './services.repository';

@Injectable()
export class ServicesService {
  constructor(
    private readonly repository: ServicesRepository,
    private readonly states: StatesRepository,
    private readonly tasks: TasksRepository,
    private readonly writer: ServiceWriter,
    private readonly nesting: NestingLoader,
    private readonly policy: LifecyclePolicy,
    private readonly events: EventAnnouncer,
    @Inject(GMS_OPTIONS) private readonly options: GmsOptions,
  ) {}

  /** Spec §4.1: stores the service as active and announces it. */
  async start(
    tenant: string,
    group: string | undefined,
    input: StartServiceInput,
    receivedAt: number,
    customId?: string,
  ): Promise<string> {
    const serviceId = customId ?? `${this.options.nodeId}-${randomUUID()}`;
    const autoCompleteAfter = this.policy.autoCompleteAfter(input.autoCompleteAfter);
    const row: Omit<ServiceEntity, 'seq'> = {
      tenant,
      groupId: group ?? null,
      serviceId,
      customerId: input.customerId ?? null,
      contactKey: input.contactKey ?? null,
      serviceType: input.serviceType === undefined ? null : JSON.stringify(input.serviceType),
      estDuration: input.estDuration ?? null,
      started: JSON.stringify(input.started.fields),
      startedAt: input.started.timestampMs,
      completed: null,
      completedAt: null,
      disposition: null,
      dispositionDesc: null,
      extensions: JSON.stringify(input.extensions),
      expiresAt: input.explicitExpiresAt ?? this.policy.expiresAt(input.serviceType, receivedAt),
      expirationExplicit: input.explicitExpiresAt !== undefined,
      autoCompleteAfter,
      updatedAt: receivedAt,
      lastStateId: 0,
      lastTaskId: 0,
      autoCompleteAt: this.policy.autoCompleteAt(autoCompleteAfter, receivedAt),
    };
    const started = this.serviceEvent(EventSubjects.gmsServiceStarted, { tenant, group }, row);
    await this.writer
      .transaction(async (manager) => {
        await this.repository.insert(row, manager);
        await this.events.record(manager, started);
      })
      .catch((error: unknown) => {
        // A custom id already taken in the tenant (spec §2.5): the unique index decides, so races are safe.
        throw customId !== undefined && isDuplicateKeyError(error, SERVICE_ID_INDEX)
          ? serviceAlreadyExists(customId)
          : error;
      });
    return serviceId;
  }

  /**
   * Spec §4.5. Expired services count as unknown even before the sweeper removes them; with a
   * `GroupId`, so do services of another business unit (spec §1.6).
   */
  async get(
    scope: ServiceScope,
    selector: ExtensionSelector,
    flags: Record<NestingFlag, boolean>,
  ): Promise<ServiceView> {
    const row = await this.requireVisible(scope);
    const nested = await this.nesting.forServices(scope.tenant, [row.serviceId], flags, selector);
    return toServiceView(row, { extensions: selector, nesting: nested.get(row.serviceId) });
  }

  /** The service a read addresses, or the unknown-service error (spec §4 conventions). */
  async requireVisible(scope: ServiceScope): Promise<ServiceEntity> {
    const row = await this.repository.findById(scope.tenant, scope.serviceId);
    if (!visibleTo(row, scope, Date.now())) throw serviceNotFound(scope.serviceId);
    return row;
  }

  /** Spec §4.7–4.12: anonymous services of a contact key, or the services of a customer. */
  async list(
    tenant: string,
    group: string | undefined,
    owner: { contactKey: string } | { customerId: string },
    status: StatusFilter,
    query: ServiceListQuery,
  ): Promise<ServiceView[]> {
    const rows = await this.repository.list(tenant, group, Date.now(), {
      owner,
      status,
      startedFrom: query.startedFrom,
      startedTo: query.startedTo,
      serviceTypes: query.serviceTypes,
    });
    const nested = await this.nesting.forServices(
      tenant,
      rows.map((r) => r.serviceId),
      query.nesting,
      query.selector,
    );
    return rows.map((row) =>
      toServiceView(row, { extensions: query.selector, nesting: nested.get(row.serviceId) }),
    );
  }

  /** Spec §4.2: sets (or replaces) the customer; body fields update the service. */
  async associate(
    scope: ServiceScope,
    customerId: string,
    input: AssociateServiceInput,
    now: number,
  ): Promise<void> {
    await this.writer.write(scope, now, async (ctx) => {
      ctx.announce((service) => this.serviceEvent(EventSubjects.gmsServiceAssociated, scope, service));
      ctx.changes.customerId = customerId;
      if (input.serviceType !== undefined) ctx.changes.serviceType = JSON.stringify(input.serviceType);
      if (Object.keys(input.startedFields).length > 0) {
        const started = JSON.parse(ctx.service.started) as Record<string, unknown>;
        ctx.changes.started = JSON.stringify({ ...started, ...input.startedFields });
      }
      if (Object.keys(input.extensions).length > 0)
        ctx.changes.extensions = mergeExtensions(ctx.service.extensions, input.extensions);
    });
  }

  /** Spec §4.3: completes the service and cascades to its still-active states and tasks. */
  async end(scope: ServiceScope, input: EndServiceInput, now: number): Promise<void> {
    await this.writer.write(scope, now, async (ctx) => {
      ctx.announce((service) =>
        this.serviceEvent(EventSubjects.gmsServiceCompleted, scope, service, { reason: 'api' }),
      );
      if (ctx.service.completed !== null) throw alreadyCompleted('Service', scope.serviceId);
      const at = input.completed.timestampMs;
      Object.assign(ctx.changes, {
        completed: JSON.stringify(input.completed.fields),
        completedAt: at,
        disposition: input.disposition === undefined ? null : JSON.stringify(input.disposition),
        dispositionDesc: input.dispositionDesc ?? null,
      });
      if (Object.keys(input.extensions).length > 0)
        ctx.changes.extensions = mergeExtensions(ctx.service.extensions, input.extensions);
      if (input.explicitExpiresAt !== undefined) {
        ctx.changes.expiresAt = input.explicitExpiresAt;
        ctx.changes.expirationExplicit = true;
      }
      const cascade = JSON.stringify({ timestamp: input.completed.fields.timestamp });
      await this.states.completeActive(ctx.manager, scope.tenant, scope.serviceId, cascade, at);
      await this.tasks.completeActive(ctx.manager, scope.tenant, scope.serviceId, cascade, at);
    });
  }

  /** Spec §4.4: replaces one extension, creating it if absent. */
  async putExtension(scope: ServiceScope, name: string, value: unknown, now: number): Promise<void> {
    const checked = checkExtensionUpdate(name, value, SERVICE_RESERVED);
    await this.writer.write(scope, now, async (ctx) => {
      ctx.announce((service) =>
        this.serviceEvent(EventSubjects.gmsServiceExtensionUpdated, scope, service, { extension: name }),
      );
      ctx.changes.extensions = mergeExtensions(ctx.service.extensions, { [name]: checked });
    });
  }

  /** Spec §4.13: an explicit expiration, fixed until the next explicit one. */
  async updateExpiration(scope: ServiceScope, expiresAt: number, now: number): Promise<void> {
    await this.writer.write(scope, now, async (ctx) => {
      ctx.announce((service) => this.serviceEvent(EventSubjects.gmsServiceExpirationUpdated, scope, service));
      ctx.changes.expiresAt = expiresAt;
      ctx.changes.expirationExplicit = true;
    });
  }

  /** Spec §4.6: the service with all its states, tasks and extensions. */
  async delete(scope: ServiceScope, now: number): Promise<void> {
    await this.writer.write(scope, now, async (ctx) => {
      ctx.announce((service) =>
        this.serviceEvent(EventSubjects.gmsServiceDeleted, scope, service, { reason: 'api' }),
      );
      await this.repository.deleteWithChildren(ctx.manager, scope.tenant, scope.serviceId);
      ctx.deleted = true;
    });
  }

  /** The event `data` is the service in top-level form with every extension (subjects.ts). */
  private serviceEvent(
    subject: string,
    scope: Pick<ServiceScope, 'tenant' | 'group'>,
    row: Omit<ServiceEntity, 'seq'>,
    meta: { reason?: string; extension?: string } = {},
  ): OutboxEntry {
    return this.events.event(
      subject,
      scope.tenant,
      row.serviceId,
      toServiceView(row, { extensions: 'all' }),
      {
        ...meta,
        group: scope.group,
      },
    );
  }
}
