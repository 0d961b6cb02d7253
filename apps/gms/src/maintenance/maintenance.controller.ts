import { ApiErrors, Tenant } from '@cs/platform';
import { applyDecorators, Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ExportFilesResponseDoc, PurgeBodyDoc } from './api-docs';
import { parseFilesRequest, parseStreamRequest } from './export-request';
import { ExportStreamService } from './export-stream.service';
import { FileExportService } from './file-export.service';
import { groupOf } from './group-header';
import { parsePurgeRequest } from './purge-request';
import { PurgeService } from './purge.service';

/** Documents the selection parameters shared by both exports (spec §4.26, §4.27). */
const ApiSelectionQueries = () =>
  applyDecorators(
    ApiQuery({ name: 'time_from', required: true, description: 'Start of the range (inclusive), date-time' }),
    ApiQuery({ name: 'time_to', required: false, description: 'End of the range (exclusive), default now' }),
    ApiQuery({ name: 'filter_events', required: false, enum: ['any', 'started', 'completed'] }),
    ApiQuery({ name: 'filter_state', required: false, enum: ['any', 'active', 'inactive'] }),
  );

@ApiTags('maintenance')
@Controller('maintenance')
export class MaintenanceController {
  constructor(
    private readonly purges: PurgeService,
    private readonly streams: ExportStreamService,
    private readonly files: FileExportService,
  ) {}

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
  @ApiErrors(400)
  async purge(
    @Tenant() tenant: string,
    @Body() body: unknown,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
  ): Promise<void> {
    const group = groupOf(req);
    await this.purges.purge(tenant, group, parsePurgeRequest(body, query));
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
  @ApiErrors(400, 500)
  async exportFiles(
    @Tenant() tenant: string,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
  ): Promise<{ created: string[] }> {
    const group = groupOf(req);
    const request = parseFilesRequest(query, Date.now());
    return { created: await this.files.export(tenant, group, request) };
  }
}
