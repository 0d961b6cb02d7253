import { ApiErrors, SERVICE_CONFIG, Tenant, type ServiceConfig } from '@cs/platform';
import {
  applyDecorators,
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ExportFilesResponseDoc, PurgeBodyDoc } from './api-docs';
import { parseFilesRequest, parseStreamRequest } from './export-request';
import { ExportStreamService } from './export-stream.service';
import { FileExportService } from './file-export.service';
import { groupOf } from './group-header';
import { JobViewDoc } from './jobs/job-docs';
import type { JobView } from './jobs/job-view';
import { JobsService } from './jobs/jobs.service';
import { parsePurgeRequest } from './purge-request';
import { PurgeService } from './purge.service';
import { booleanFlag } from '../services/query-flags';

/** Documents the selection parameters shared by both exports (spec §4.26, §4.27). */
const ApiSelectionQueries = () =>
  applyDecorators(
    ApiQuery({ name: 'time_from', required: true, description: 'Start of the range (inclusive), date-time' }),
    ApiQuery({ name: 'time_to', required: false, description: 'End of the range (exclusive), default now' }),
    ApiQuery({ name: 'filter_events', required: false, enum: ['any', 'started', 'completed'] }),
    ApiQuery({ name: 'filter_state', required: false, enum: ['any', 'active', 'inactive'] }),
  );

/** `?async=true` (docs/decisions/0010): 202 with the job, which runs in the background. */
const ApiAsync = () =>
  applyDecorators(
    ApiQuery({
      name: 'async',
      required: false,
      type: Boolean,
      description: 'true: run as a background job; 202 with the job and its URL in Location',
    }),
    ApiAcceptedResponse({ type: JobViewDoc, description: 'Job accepted; poll the Location URL' }),
  );

@ApiTags('maintenance')
@Controller('maintenance')
export class MaintenanceController {
  constructor(
    private readonly purges: PurgeService,
    private readonly streams: ExportStreamService,
    private readonly files: FileExportService,
    private readonly jobs: JobsService,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  /** 202 Accepted, `Location` of the job, the job as body. */
  private accepted(res: Response, job: JobView): JobView {
    res.status(202);
    res.setHeader('Location', `${this.config.basePath}/maintenance/jobs/${job.job_id}`);
    return job;
  }

  @Post('purge')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Purge Services (spec §4.25)',
    description:
      'Deletes the services started strictly before `limit` that match `operation`, with their states and tasks. ' +
      'The body wins; `limit` and `operation` are read from the query string when there is no body.',
  })
  @ApiBody({ type: PurgeBodyDoc, required: false })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'operation', required: false })
  @ApiOkResponse({ description: 'Empty body' })
  @ApiAsync()
  @ApiErrors(400)
  async purge(
    @Tenant() tenant: string,
    @Body() body: unknown,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<JobView | void> {
    const async = booleanFlag(query, 'async');
    const group = groupOf(req);
    const criteria = parsePurgeRequest(body, query);
    if (async) return this.accepted(res, await this.jobs.submitPurge(tenant, group, criteria));
    await this.purges.purge(tenant, group, criteria);
  }

  @Get('services/stream')
  @ApiOperation({
    summary: 'Export Services to JSON Stream by Date (spec §4.26)',
    description:
      'Service ids, or full services with every state, task and extension when export_content=true.',
  })
  @ApiSelectionQueries()
  @ApiQuery({ name: 'export_content', required: false, type: Boolean })
  @ApiProduces('application/json')
  @ApiOkResponse({ description: 'JSON array of service ids or services, in started.timestamp order' })
  @ApiErrors(400)
  async stream(
    @Tenant() tenant: string,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const group = groupOf(req);
    const request = parseStreamRequest(query, Date.now());
    await this.streams.stream(tenant, group, request, res);
  }

  @Post('services/files')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Export Services to File by Date (spec §4.27)',
    description:
      'Writes services, states and tasks files (csv or json) into the export directory (GMS_EXPORT_DIR).',
  })
  @ApiSelectionQueries()
  @ApiQuery({ name: 'format', required: false, enum: ['csv', 'json'] })
  @ApiOkResponse({ type: ExportFilesResponseDoc })
  @ApiAsync()
  @ApiErrors(400, 500)
  async exportFiles(
    @Tenant() tenant: string,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ created: string[] } | JobView> {
    const async = booleanFlag(query, 'async');
    const group = groupOf(req);
    const request = parseFilesRequest(query, Date.now());
    if (async) return this.accepted(res, await this.jobs.submitExport(tenant, group, request));
    return { created: await this.files.export(tenant, group, request) };
  }
}
