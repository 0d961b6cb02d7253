import { Module } from '@nestjs/common';
import { ServicesModule } from '../services/services.module';
import { ServicesRepository } from '../services/services.repository';
import { MergedProfilesConsumer } from './merged-profiles.consumer';
import { ProcessedEvents } from './processed-events';
import { ServicesMover } from './services-mover';

/** ucs profile events that change gms data (ARCHITECTURE §6 flow 3). */
@Module({
  imports: [ServicesModule],
  controllers: [MergedProfilesConsumer],
  providers: [ProcessedEvents, ServicesMover, ServicesRepository],
})
export class ProfileEventsModule {}
