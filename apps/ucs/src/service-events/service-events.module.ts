import { Module } from '@nestjs/common';
import { ProcessedEventsRepository } from './processed-events.repository';
import { ServiceEventsConsumer } from './service-events.consumer';

@Module({ controllers: [ServiceEventsConsumer], providers: [ProcessedEventsRepository] })
export class ServiceEventsModule {}
