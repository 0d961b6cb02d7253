import { Module } from '@nestjs/common';
import { MaintenanceModule } from '../maintenance/maintenance.module';
import { ServicesModule } from '../services/services.module';
import { AutoCompleteSweeper } from './auto-complete.sweeper';
import { ExpirationSweeper } from './expiration.sweeper';
import { SweepScheduler } from './sweep-scheduler';

/** The background sweeps of spec §4.28, safe with many replicas. */
@Module({
  imports: [ServicesModule, MaintenanceModule],
  providers: [ExpirationSweeper, AutoCompleteSweeper, SweepScheduler],
  exports: [ExpirationSweeper, AutoCompleteSweeper],
})
export class BackgroundModule {}
