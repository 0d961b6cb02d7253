import { EventSubjects, type BusMessage, type EventEnvelope } from '@cs/contracts';
import { MessageController, SERVICE_CONFIG, type ServiceConfig, Transactions } from '@cs/platform';
import { Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { effectOf } from '../interactions/gms-events';
import { InteractionsService } from '../interactions/interactions.service';
import { ProcessedEventsRepository } from './processed-events.repository';

export const SERVICE_EVENTS_CONSUMER = 'ucs.service-events';

type GmsEvent = BusMessage<EventEnvelope<unknown>>;

/**
 * gms service, state and task events (ARCHITECTURE §6 flows 1 and 2): the interactions they name are
 * recorded and linked to their service and customer; an association moves the service's
 * interactions to the customer. Each event id is applied once: it is remembered in the same
 * transaction as its effect.
 */
@MessageController()
export class ServiceEventsConsumer {
  constructor(
    private readonly processed: ProcessedEventsRepository,
    private readonly transactions: Transactions,
    private readonly interactions: InteractionsService,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  @EventPattern(EventSubjects.gmsServiceStarted)
  serviceStarted(@Payload() message: GmsEvent): Promise<void> {
    return this.apply(EventSubjects.gmsServiceStarted, message);
  }

  @EventPattern(EventSubjects.gmsServiceCompleted)
  serviceCompleted(@Payload() message: GmsEvent): Promise<void> {
    return this.apply(EventSubjects.gmsServiceCompleted, message);
  }

  @EventPattern(EventSubjects.gmsServiceAssociated)
  serviceAssociated(@Payload() message: GmsEvent): Promise<void> {
    return this.apply(EventSubjects.gmsServiceAssociated, message);
  }

  @EventPattern(EventSubjects.gmsStateStarted)
  stateStarted(@Payload() message: GmsEvent): Promise<void> {
    return this.apply(EventSubjects.gmsStateStarted, message);
  }

  @EventPattern(EventSubjects.gmsStateCompleted)
  stateCompleted(@Payload() message: GmsEvent): Promise<void> {
    return this.apply(EventSubjects.gmsStateCompleted, message);
  }

  @EventPattern(EventSubjects.gmsStateTransitioned)
  stateTransitioned(@Payload() message: GmsEvent): Promise<void> {
    return this.apply(EventSubjects.gmsStateTransitioned, message);
  }

  @EventPattern(EventSubjects.gmsTaskStarted)
  taskStarted(@Payload() message: GmsEvent): Promise<void> {
    return this.apply(EventSubjects.gmsTaskStarted, message);
  }

  @EventPattern(EventSubjects.gmsTaskCompleted)
  taskCompleted(@Payload() message: GmsEvent): Promise<void> {
    return this.apply(EventSubjects.gmsTaskCompleted, message);
  }

  /** The subject comes from the subscription, not from the envelope, so a mislabelled event cannot steer it. */
  private async apply(subject: string, message: GmsEvent): Promise<void> {
    const event = message?.payload;
    if (!isEnvelope(event)) {
      this.config.logger.warn({ subject }, 'dropped an event without a valid envelope');
      return;
    }
    const occurredAt = Date.parse(event.occurred_at);
    const effect = effectOf(subject, event.data, Number.isNaN(occurredAt) ? Date.now() : occurredAt);
    // Most gms events name no interaction: nothing to apply, so no transaction and nothing to remember
    // (a redelivery of such an event has no effect either).
    if (effect.sightings.length === 0 && !effect.associate && !effect.complete) return;
    try {
      await this.transactions.runRetryingDeadlocks(async (manager) => {
        if (!(await this.processed.claim(manager, SERVICE_EVENTS_CONSUMER, event))) return;
        await this.interactions.applyGmsEvent(manager, event.tenant, effect);
      });
    } catch (error) {
      this.config.logger.error({ err: error, subject, event_id: event.id }, 'event not applied');
      throw error;
    }
  }
}

function isEnvelope(value: unknown): value is EventEnvelope<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Partial<EventEnvelope>;
  return (
    typeof e.id === 'string' &&
    e.id.length > 0 &&
    e.id.length <= 64 &&
    typeof e.type === 'string' &&
    typeof e.tenant === 'string' &&
    e.tenant.length > 0 &&
    e.tenant.length <= 64 &&
    typeof e.occurred_at === 'string'
  );
}
