import { Module } from '@nestjs/common';
import { ServicesModule } from '../services/services.module';
import { ExportPages } from './export-pages';
import { ExportStreamService } from './export-stream.service';
import { FileExportService } from './file-export.service';
import { MaintenanceController } from './maintenance.controller';
import { PurgeService } from './purge.service';
import { ServiceEvents } from './service-events';
import { ServiceGraphRepository } from './service-graph.repository';

/** Purge and export (spec §4.25–§4.27). */
@Module({
  imports: [ServicesModule],
  controllers: [MaintenanceController],
  providers: [
    ServiceGraphRepository,
    ServiceEvents,
    PurgeService,
    ExportPages,
    ExportStreamService,
    FileExportService,
  ],
  exports: [ServiceGraphRepository, ServiceEvents],
})
export class MaintenanceModule {}
