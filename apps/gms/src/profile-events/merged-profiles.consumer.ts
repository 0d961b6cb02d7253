import { EventSubjects, type BusMessage, type EventEnvelope } from '@cs/contracts';
import { MessageController, SERVICE_CONFIG, type ServiceConfig } from '@cs/platform';
import { Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { readMergedProfile } from './merged-profile';
import { ServicesMover } from './services-mover';

/**
 * `cs.ucs.profile.merged` (ARCHITECTURE §6 flow 3): the source customer's services move to the
 * destination, so no service points at a profile that no longer exists. Each event id is applied
 * once; a failure is thrown so the event comes back (JetStream nak, or an error answer to the
 * embedded relay).
 */
@MessageController()
export class MergedProfilesConsumer {
  constructor(
    private readonly mover: ServicesMover,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  @EventPattern(EventSubjects.ucsProfileMerged)
  async profileMerged(@Payload() message: BusMessage<EventEnvelope<unknown>>): Promise<void> {
    const event = message?.payload;
    const log = this.config.logger;
    if (!isEnvelope(event)) {
      log.warn({ subject: EventSubjects.ucsProfileMerged }, 'dropped an event without a valid envelope');
      return;
    }
    const merge = readMergedProfile(event.data);
    if (typeof merge === 'string') {
      // Redelivering cannot fix the payload: acknowledge it and say why.
      log.warn({ subject: event.type, event_id: event.id, problem: merge }, 'dropped a profile merge event');
      return;
    }
    const now = Date.now();
    let outcome;
    try {
      outcome = await this.mover.apply(event, merge, now);
    } catch (error) {
      log.error({ err: error, subject: event.type, event_id: event.id }, 'profile merge not applied');
      throw error;
    }
    log.info(
      {
        tenant: event.tenant,
        event_id: event.id,
        src_id: merge.sourceId,
        customer_id: merge.destinationId,
        moved: outcome.moved.length,
        deleted: outcome.deleted.length,
      },
      'services of a merged profile moved',
    );
  }
}

function isEnvelope(value: unknown): value is EventEnvelope<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Partial<EventEnvelope>;
  return (
    typeof e.id === 'string' &&
    e.id.length > 0 &&
    e.id.length <= 64 &&
    typeof e.tenant === 'string' &&
    e.tenant.length > 0 &&
    e.tenant.length <= 64
  );
}
