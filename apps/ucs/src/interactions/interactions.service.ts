import {
  EventSubjects,
  makeEvent,
  type InteractionRecordReply,
  type InteractionRecordRequest,
} from '@cs/contracts';
import { Outbox, SERVICE_CONFIG, type ServiceConfig, Transactions } from '@cs/platform';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { profileNotFound } from '../profiles/errors';
import { DEFAULT_TYPE, entityTypeOf, InteractionStatus, UNKNOWN_MEDIA } from './entity-types';
import { contentNotFound, interactionNotFound } from './errors';
import type { GmsEventEffect, Sighting } from './gms-events';
import { InteractionEntity, type ContentPart, type InteractionContentEntity } from './interaction.entity';
import { contentPartsOf, toInteractionView } from './interaction-view';
import { InteractionsRepository } from './interactions.repository';
import { recordChanges } from './record-request';

export type InteractionView = Record<string, unknown>;

@Injectable()
export class InteractionsService {
  constructor(
    private readonly repository: InteractionsRepository,
    private readonly transactions: Transactions,
    private readonly outbox: Outbox,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  /** `ucs.interaction.record`: one transaction; the same request twice leaves the same row. */
  async record(request: InteractionRecordRequest): Promise<InteractionRecordReply> {
    const changes = recordChanges(request);
    const now = Date.now();
    const created = await this.transactions.runRetryingDeadlocks(async (manager) => {
      const inserted = await this.repository.upsert(manager, changes.newRow(now), (existing) =>
        changes.update(existing, now),
      );
      for (const content of changes.contents) {
        await this.repository.putContent(manager, {
          tenant: request.tenant,
          interactionId: request.interaction_id,
          ...content,
        });
      }
      await this.announce(manager, request.tenant, request.interaction_id);
      return inserted;
    });
    return { interaction_id: request.interaction_id, created };
  }

  /**
   * Applies a gms event inside the consumer's transaction (ARCHITECTURE §6 flows 1 and 2): records or
   * links each interaction it names, then moves or stops the interactions of its service.
   */
  async applyGmsEvent(manager: EntityManager, tenant: string, effect: GmsEventEffect): Promise<void> {
    const now = Date.now();
    for (const sighting of effect.sightings) {
      await this.repository.upsert(manager, this.firstSeen(tenant, sighting, now), (existing) =>
        this.seenAgain(existing, sighting, now),
      );
    }
    if (effect.associate) {
      const { serviceId, customerId } = effect.associate;
      await this.repository.moveServiceToCustomer(manager, tenant, serviceId, customerId, now);
    }
    if (effect.complete) {
      await this.repository.stopServiceInteractions(
        manager,
        tenant,
        effect.complete.serviceId,
        effect.complete.at,
        now,
      );
    }
  }

  /** Spec §4.20 (I1). */
  async ofCustomer(tenant: string, customerId: string, interactionsUrl: string): Promise<InteractionView[]> {
    if (!(await this.repository.customerExists(tenant, customerId))) throw profileNotFound(customerId);
    const rows = await this.repository.findByCustomer(tenant, customerId);
    return rows.map((row) => toInteractionView(row, interactionsUrl));
  }

  /** Spec §4.21 (I2): never 404, ucs does not own services. */
  async ofService(tenant: string, serviceId: string, interactionsUrl: string): Promise<InteractionView[]> {
    const rows = await this.repository.findByService(tenant, serviceId);
    return rows.map((row) => toInteractionView(row, interactionsUrl));
  }

  /** Spec §4.22 (I3). */
  async get(tenant: string, interactionId: string, interactionsUrl: string): Promise<InteractionView> {
    const row = await this.repository.findById(tenant, interactionId);
    if (!row) throw interactionNotFound(interactionId);
    return toInteractionView(row, interactionsUrl);
  }

  /** Spec §4.22 (I4): 404 when the interaction or that part is missing. */
  async content(tenant: string, interactionId: string, part: ContentPart): Promise<InteractionContentEntity> {
    const row = await this.repository.findById(tenant, interactionId);
    if (!row) throw interactionNotFound(interactionId);
    const content = contentPartsOf(row).includes(part)
      ? await this.repository.findContent(tenant, interactionId, part)
      : null;
    if (!content) throw contentNotFound(interactionId, part);
    return content;
  }

  /** An interaction first named by a gms event: in process since that event, defaults elsewhere. */
  private firstSeen(tenant: string, sighting: Sighting, now: number): InteractionEntity {
    const mediaType = sighting.mediaType ?? UNKNOWN_MEDIA;
    return {
      tenant,
      interactionId: sighting.interactionId,
      customerId: sighting.customerId ?? null,
      serviceId: sighting.serviceId,
      status: InteractionStatus.IN_PROCESS,
      entityType: entityTypeOf(mediaType),
      type: DEFAULT_TYPE,
      subType: null,
      mediaType,
      parentId: null,
      threadId: null,
      externalId: null,
      ownerId: null,
      creatorAppId: sighting.applicationId ?? 0,
      startDate: sighting.at,
      endDate: null,
      timeshift: null,
      subject: null,
      details: '{}',
      contentParts: '',
      createdAt: now,
      updatedAt: now,
    };
  }

  /**
   * A known interaction named again: it gains what it lacks (service, customer, media, creator) and
   * the earliest start; what it has is kept, so a late or repeated event changes nothing.
   */
  private seenAgain(
    existing: InteractionEntity,
    sighting: Sighting,
    now: number,
  ): Partial<InteractionEntity> {
    const changes: Partial<InteractionEntity> = {};
    if (existing.serviceId === null) changes.serviceId = sighting.serviceId;
    if (existing.customerId === null && sighting.customerId) changes.customerId = sighting.customerId;
    if (existing.mediaType === UNKNOWN_MEDIA && sighting.mediaType) {
      changes.mediaType = sighting.mediaType;
      changes.entityType = entityTypeOf(sighting.mediaType);
    }
    if (Number(existing.creatorAppId) === 0 && sighting.applicationId) {
      changes.creatorAppId = sighting.applicationId;
    }
    if (sighting.at < Number(existing.startDate)) changes.startDate = sighting.at;
    if (Object.keys(changes).length > 0) changes.updatedAt = now;
    return changes;
  }

  /**
   * `cs.ucs.interaction.recorded`, into the outbox of the recording transaction. The row is read back
   * there (as the post-commit announcement did): the upsert merges into a row it does not return.
   */
  private async announce(manager: EntityManager, tenant: string, interactionId: string): Promise<void> {
    const row = await manager.findOneBy(InteractionEntity, { tenant, interactionId });
    if (!row) return;
    const view = toInteractionView(row, `${this.config.basePath}/interactions`);
    await this.outbox.add(manager, {
      envelope: makeEvent(EventSubjects.ucsInteractionRecorded, tenant, view),
      aggregate: `interaction:${tenant}:${interactionId}`,
    });
  }
}
