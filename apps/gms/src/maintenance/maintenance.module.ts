import { Module } from '@nestjs/common';
import { ServicesModule } from '../services/services.module';
import { ExportPages } from './export-pages';
import { ExportStreamService } from './export-stream.service';
import { FileExportService } from './file-export.service';
import { JobRunner } from './jobs/job-runner';
import { JobStore } from './jobs/job-store';
import { JobsController } from './jobs/jobs.controller';
import { JobsService } from './jobs/jobs.service';
import { MaintenanceController } from './maintenance.controller';
import { PurgeService } from './purge.service';
import { ServiceEvents } from './service-events';
import { ServiceGraphRepository } from './service-graph.repository';

/** Purge and export (spec §4.25–§4.27), also as background jobs (docs/decisions/0010). */
@Module({
  imports: [ServicesModule],
  controllers: [MaintenanceController, JobsController],
  providers: [
    ServiceGraphRepository,
    ServiceEvents,
    PurgeService,
    ExportPages,
    ExportStreamService,
    FileExportService,
    JobStore,
    JobRunner,
    JobsService,
  ],
  exports: [ServiceGraphRepository, ServiceEvents],
})
export class MaintenanceModule {}
