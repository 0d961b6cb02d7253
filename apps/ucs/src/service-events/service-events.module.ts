import { Module } from '@nestjs/common';
import { InteractionsModule } from '../interactions/interactions.module';
import { ProcessedEventsRepository } from './processed-events.repository';
import { ServiceEventsConsumer } from './service-events.consumer';

@Module({
  imports: [InteractionsModule],
  controllers: [ServiceEventsConsumer],
  providers: [ProcessedEventsRepository],
})
export class ServiceEventsModule {}
