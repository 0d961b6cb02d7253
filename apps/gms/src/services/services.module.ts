import { Module } from '@nestjs/common';
import { EventAnnouncer } from '../events/announcer';
import { StatesRepository } from '../states/states.repository';
import { TasksRepository } from '../tasks/tasks.repository';
import { CustomersController } from './customers.controller';
import { NestingLoader } from './nesting';
import { ServiceWriter } from './service-writer';
import { ServicesController } from './services.controller';
import { ServicesRepository } from './services.repository';
import { ServicesService } from './services.service';

/** Services, and the data access that states and tasks share with them (one writer, one nesting loader). */
@Module({
  controllers: [ServicesController, CustomersController],
  providers: [
    ServicesService,
    ServicesRepository,
    StatesRepository,
    TasksRepository,
    ServiceWriter,
    NestingLoader,
    EventAnnouncer,
  ],
  exports: [ServicesService, StatesRepository, TasksRepository, ServiceWriter, EventAnnouncer],
})
export class ServicesModule {}
