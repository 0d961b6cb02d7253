import { Module } from '@nestjs/common';
import { ServicesModule } from '../services/services.module';
import { StatesController } from './states.controller';
import { StatesService } from './states.service';

@Module({
  imports: [ServicesModule],
  controllers: [StatesController],
  providers: [StatesService],
})
export class StatesModule {}
