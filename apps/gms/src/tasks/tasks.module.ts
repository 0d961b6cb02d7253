import { Module } from '@nestjs/common';
import { ServicesModule } from '../services/services.module';
import { TasksController } from './tasks.controller';
import { TasksService } from './tasks.service';

@Module({
  imports: [ServicesModule],
  controllers: [TasksController],
  providers: [TasksService],
})
export class TasksModule {}
