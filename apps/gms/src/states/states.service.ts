import { EventSubjects } from '@cs/contracts';
import { Injectable } from '@nestjs/common';
import { ChildService } from '../children/child.service';
import { ownerOf } from '../children/child-view';
import { EventAnnouncer } from '../events/announcer';
import { alreadyCompleted } from '../events/errors';
import type { ExtensionSelector } from '../events/extensions';
import type { StatusFilter } from '../events/list-params';
import type { ServiceEntity } from '../services/service.entity';
import { ServiceScope, ServiceWriter, WriteContext } from '../services/service-writer';
import { ServicesService } from '../services/services.service';
import { toTaskView } from '../tasks/task-view';
import { TasksRepository } from '../tasks/tasks.repository';
import type { StartStateInput } from './dto/start-state';
import { STATE_RESERVED } from './dto/state-fields';
import type { TransitionInput } from './dto/transition';
import { stateNotFound } from './errors';
import type { StateEntity } from './state.entity';
import { toStateView } from './state-view';
import { StatesRepository } from './states.repository';

export type TaskFlags = Record<'active_tasks' | 'completed_tasks', boolean>;

export interface StateListQuery {
  stateTypes?: string[];
  selector: ExtensionSelector;
  flags: TaskFlags;
}

/** States: start and transition here; end, extensions and lookups shared with tasks (ChildService). */
@Injectable()
export class StatesService extends ChildService<StateEntity> {
  constructor(
    private readonly repository: StatesRepository,
    private readonly tasks: TasksRepository,
    services: ServicesService,
    writer: ServiceWriter,
    events: EventAnnouncer,
  ) {
    super(
      {
        name: 'State',
        lastId: 'lastStateId',
        notFound: stateNotFound,
        reserved: STATE_RESERVED,
        completedSubject: EventSubjects.gmsStateCompleted,
        extensionUpdatedSubject: EventSubjects.gmsStateExtensionUpdated,
        eventView: (row, owner) => toStateView(row, { owner, extensions: 'all' }),
      },
      repository,
      services,
      writer,
      events,
    );
  }

  /** Spec §4.14: a new active state with the next id of the service. */
  async start(scope: ServiceScope, input: StartStateInput, now: number): Promise<number> {
    const { result: row } = await this.writer.write(scope, now, async (ctx) => {
      if (input.previousStateId !== undefined) await this.existing(ctx, input.previousStateId);
      const started =
        input.previousStateId === undefined
          ? input.started.fields
          : { ...input.started.fields, previous_state_id: input.previousStateId };
      const state = await this.insertNext(ctx, {
        stateType: input.stateType === undefined ? null : JSON.stringify(input.stateType),
        estDuration: input.estDuration ?? null,
        started: JSON.stringify(started),
        startedAt: input.started.timestampMs,
        extensions: JSON.stringify(input.extensions),
      });
      ctx.announce((service) => this.event(EventSubjects.gmsStateStarted, scope, service, state));
      return state;
    });
    return row.stateId;
  }

  /** Spec §4.16: completes an active state and starts the next one, atomically. */
  async transition(scope: ServiceScope, input: TransitionInput, now: number): Promise<number> {
    const { result } = await this.writeRow(scope, input.fromStateId, now, async (ctx, from) => {
      if (from.completed !== null) throw alreadyCompleted('State', input.fromStateId);
      const completed = await this.complete(ctx, from, {
        completed: input.event,
        disposition: input.disposition,
        dispositionDesc: input.dispositionDesc,
        extensions: {},
      });
      const started = await this.insertNext(ctx, {
        stateType: input.stateType === undefined ? null : JSON.stringify(input.stateType),
        estDuration: input.estDuration ?? null,
        started: JSON.stringify({ ...input.event.fields, previous_state_id: input.fromStateId }),
        startedAt: input.event.timestampMs,
        extensions: JSON.stringify(input.extensions),
      });
      ctx.announce((service) => {
        const owner = ownerOf(service);
        return this.events.event(
          EventSubjects.gmsStateTransitioned,
          scope.tenant,
          service.serviceId,
          {
            from: toStateView(completed, { owner, extensions: 'all' }),
            to: toStateView(started, { owner, extensions: 'all' }),
          },
          { group: scope.group },
        );
      });
      return { completed, started };
    });
    return result.started.stateId;
  }

  /** Spec §4.18. */
  async get(
    scope: ServiceScope,
    stateId: number,
    selector: ExtensionSelector,
    flags: TaskFlags,
  ): Promise<Record<string, unknown>> {
    const { service, row } = await this.visible(scope, stateId);
    const [view] = await this.views(service, [row], selector, flags);
    return view;
  }

  /** Spec §4.17: ordered by state_id; `[]` when none. */
  async list(
    scope: ServiceScope,
    status: StatusFilter,
    query: StateListQuery,
  ): Promise<Record<string, unknown>[]> {
    const service = await this.services.requireVisible(scope);
    const rows = await this.repository.list(scope.tenant, scope.serviceId, {
      status,
      types: query.stateTypes,
    });
    return this.views(service, rows, query.selector, query.flags);
  }

  /** Top-level states with their tasks when asked (spec §2.8): one task query for all of them. */
  private async views(
    service: ServiceEntity,
    rows: StateEntity[],
    selector: ExtensionSelector,
    flags: TaskFlags,
  ): Promise<Record<string, unknown>[]> {
    const owner = ownerOf(service);
    const status: StatusFilter | null =
      flags.active_tasks && flags.completed_tasks
        ? 'all'
        : flags.active_tasks
          ? 'active'
          : flags.completed_tasks
            ? 'completed'
            : null;
    const tasks =
      status && rows.length > 0 ? await this.tasks.list(service.tenant, service.serviceId, { status }) : [];
    return rows.map((row) => {
      const own = tasks.filter((t) => t.stateId !== null && Number(t.stateId) === Number(row.stateId));
      const nesting: Record<string, unknown[]> = {};
      if (flags.active_tasks)
        nesting.active_tasks = own
          .filter((t) => t.completedAt === null)
          .map((t) => toTaskView(t, null, selector));
      if (flags.completed_tasks)
        nesting.completed_tasks = own
          .filter((t) => t.completedAt !== null)
          .map((t) => toTaskView(t, null, selector));
      return toStateView(row, { owner, extensions: selector, nesting });
    });
  }

  /** Inserts a state with the next id of the service (spec §2.5: never reused). */
  private async insertNext(
    ctx: WriteContext,
    fields: Pick<StateEntity, 'stateType' | 'estDuration' | 'started' | 'startedAt' | 'extensions'>,
  ): Promise<StateEntity> {
    const row: StateEntity = {
      tenant: ctx.service.tenant,
      serviceId: ctx.service.serviceId,
      stateId: this.nextId(ctx),
      ...fields,
      completed: null,
      completedAt: null,
      disposition: null,
      dispositionDesc: null,
    };
    await this.repository.insert(ctx.manager, row);
    return row;
  }
}
