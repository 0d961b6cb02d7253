import { EventSubjects } from '@cs/contracts';
import { SERVICE_CONFIG, type ServiceConfig } from '@cs/platform';
import { ApiError } from '@cs/platform/core';
import { Inject, Injectable } from '@nestjs/common';
import { InteractionsRepository } from '../interactions/interactions.repository';
import { mergeStates, parseMergeBody } from './merge';
import { profileAggregate, UcsEvents } from './profile-events';
import type { ProfileState } from './profile-state';
import { ProfileStore, type Body } from './profile-store';

/** P8 merge (spec §4.8): one transaction; the source's data and interactions move, then it is deleted. */
@Injectable()
export class MergeService {
  constructor(
    private readonly store: ProfileStore,
    private readonly interactions: InteractionsRepository,
    private readonly events: UcsEvents,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  async merge(tenant: string, destinationId: string, sourceId: string, body: unknown): Promise<void> {
    if (destinationId === sourceId)
      throw new ApiError(400, 'INVALID_MERGE', 'A profile cannot be merged into itself');
    const options = parseMergeBody(body);
    await this.store.mustExist(tenant, destinationId);
    await this.store.mustExist(tenant, sourceId);
    const catalog = await this.store.catalog(tenant);
    await this.store.write(async (m) => {
      // Lock in id order so two merges of the same pair cannot deadlock.
      const [first, second] = [destinationId, sourceId].sort();
      const locked = new Map([
        [first, await this.store.lockState(m, tenant, first)],
        [second, await this.store.lockState(m, tenant, second)],
      ]);
      const destination = locked.get(destinationId) as ProfileState;
      const source = locked.get(sourceId) as ProfileState;
      const state = mergeStates(destination, source, catalog.extensions, options.keepUniqFromSrc);
      // The source goes first so its unique-key claims are free for the destination.
      await this.store.removeCustomer(m, tenant, sourceId);
      await this.interactions.moveToCustomer(m, tenant, sourceId, destinationId);
      await this.store.updateCore(m, tenant, destinationId, state.core);
      for (const extension of catalog.extensions) {
        const lc = extension.name.toLowerCase();
        if ((source.records.get(lc) ?? []).length === 0) continue;
        await this.store.storeRecords(m, tenant, destinationId, extension, state.records.get(lc) ?? []);
      }
      await this.store.reindex(m, tenant, destinationId, catalog, state);
      await this.events.record(
        m,
        EventSubjects.ucsProfileMerged,
        tenant,
        {
          customer_id: destinationId,
          src_id: sourceId,
          keep_uniq_from_src: options.keepUniqFromSrc,
          keep_active_service_only: options.keepActiveServiceOnly,
          profile: this.store.fullView(destinationId, state, catalog),
        },
        { aggregate: profileAggregate(tenant, destinationId) },
      );
    });
    this.config.logger.info(
      { tenant, customer_id: destinationId, src_id: sourceId, ...auditFields(body) },
      'profiles merged',
    );
  }
}

/** The UCS-variant merge fields, for the audit log only. */
function auditFields(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null) return { agent_id: '0' };
  const { agent_id = '0', reason, description } = body as Body;
  return { agent_id, reason, description };
}
