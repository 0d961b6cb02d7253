import { EventSubjects, type BusMessage, type EventEnvelope, type ServiceView } from '@cs/contracts';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { ProcessedEventsRepository } from './processed-events.repository';

export const SERVICE_EVENTS_CONSUMER = 'ucs.service-events';

/**
 * gms service events. For now ucs records that it saw each one (once per event id); the interactions
 * flow of ARCHITECTURE §6 builds on this handler.
 */
@Controller()
export class ServiceEventsConsumer {
  constructor(private readonly processed: ProcessedEventsRepository) {}

  @EventPattern(EventSubjects.gmsServiceStarted)
  async serviceStarted(@Payload() message: BusMessage<EventEnvelope<ServiceView>>): Promise<void> {
    await this.processed.remember(SERVICE_EVENTS_CONSUMER, message.payload);
  }
}
