import { EventSubjects, makeEvent, type ServiceView } from '@cs/contracts';
import { MessageBus, SERVICE_CONFIG, type ServiceConfig } from '@cs/platform';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ExtensionSelector } from '../events/extensions';
import { GMS_OPTIONS, type GmsOptions } from '../config/gms-options';
import type { StartServiceInput } from './dto/start-service';
import { serviceNotFound } from './errors';
import type { NestingFlag } from './query-flags';
import type { ServiceEntity } from './service.entity';
import { toServiceView } from './service-view';
import { ServicesRepository } from './services.repository';

@Injectable()
export class ServicesService {
  constructor(
    private readonly repository: ServicesRepository,
    private readonly bus: MessageBus,
    @Inject(GMS_OPTIONS) private readonly options: GmsOptions,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  /** Spec §4.1: stores the service as active and announces it. */
  async start(
    tenant: string,
    group: string | undefined,
    input: StartServiceInput,
    receivedAt: number,
  ): Promise<string> {
    const serviceId = `${this.options.nodeId}-${randomUUID()}`;
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
      expiresAt: input.explicitExpiresAt ?? receivedAt + this.options.expirationSeconds * 1000,
      expirationExplicit: input.explicitExpiresAt !== undefined,
      autoCompleteAfter: input.autoCompleteAfter ?? null,
      updatedAt: receivedAt,
      lastStateId: 0,
      lastTaskId: 0,
      autoCompleteAt: null,
    };
    await this.repository.insert(row);
    await this.announce(EventSubjects.gmsServiceStarted, tenant, toServiceView(row, { extensions: 'all' }));
    return serviceId;
  }

  /**
   * Spec §4.5. Expired services count as unknown even before the sweeper removes them; with a
   * `GroupId`, so do services of another business unit (spec §1.6).
   */
  async get(
    tenant: string,
    group: string | undefined,
    serviceId: string,
    selector: ExtensionSelector,
    nesting: Record<NestingFlag, boolean>,
  ): Promise<ServiceView> {
    const row = await this.repository.findById(tenant, serviceId);
    if (!row || Number(row.expiresAt) <= Date.now() || (group !== undefined && row.groupId !== group)) {
      throw serviceNotFound(serviceId);
    }
    // States and tasks arrive with their own tables; until then a service has none to nest.
    const nested = Object.fromEntries(
      Object.entries(nesting)
        .filter(([, on]) => on)
        .map(([flag]) => [flag, []]),
    );
    return toServiceView(row, { extensions: selector, nesting: nested });
  }

  /** Published after commit; a lost event is logged (the outbox of the events issue makes it durable). */
  private async announce(subject: string, tenant: string, data: ServiceView): Promise<void> {
    try {
      await this.bus.publish(makeEvent(subject, tenant, data));
    } catch (error) {
      this.config.logger.error({ err: error, subject }, 'event not published');
    }
  }
}
