import type { ServiceView } from '@cs/contracts';
import { ApiErrors, Tenant } from '@cs/platform';
import { ApiError } from '@cs/platform/core';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ExtensionSelector } from '../events/extensions';
import { ServiceDoc, StartServiceBodyDoc, StartServiceResponseDoc } from './dto/api-docs';
import { parseStartService } from './dto/start-service';
import { ApiNestingFlags, nestingFlags } from './query-flags';
import { ServicesService } from './services.service';

/** The `GroupId` header (business unit, spec §1.6), trimmed; undefined when absent or empty. */
function groupOf(req: Request): string | undefined {
  const raw = req.headers.groupid;
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  if (!value) return undefined;
  if (value.length > 256)
    throw new ApiError(400, 'INVALID_GROUP', "HTTP header 'GroupId' exceeds 256 characters");
  return value;
}

@ApiTags('services')
@Controller('services')
export class ServicesController {
  constructor(private readonly services: ServicesService) {}

  @Post('start')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Start Service (CV.WS.SRV.1)',
    description: 'Unknown top-level keys are stored as extensions.',
  })
  @ApiBody({ type: StartServiceBodyDoc })
  @ApiCreatedResponse({ type: StartServiceResponseDoc })
  @ApiErrors(400, 409)
  async start(
    @Tenant() tenant: string,
    @Body() body: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ service_id: string }> {
    const receivedAt = Date.now();
    const serviceId = await this.services.start(
      tenant,
      groupOf(req),
      parseStartService(body, receivedAt),
      receivedAt,
    );
    res.setHeader(
      'Location',
      `${req.baseUrl}${req.path.replace(/\/start\/?$/, '')}/${encodeURIComponent(serviceId)}`,
    );
    return { service_id: serviceId };
  }

  @Get(':service_id')
  @ApiOperation({ summary: 'Query Service by ID (CV.WS.SRV.14)' })
  @ApiQuery({
    name: 'extensions',
    required: false,
    description: 'Name, Service.Name, State.Name, Task.Name, State, State.*, *',
  })
  @ApiNestingFlags()
  @ApiOkResponse({ type: ServiceDoc })
  @ApiErrors(400)
  async get(
    @Tenant() tenant: string,
    @Param('service_id') serviceId: string,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
  ): Promise<ServiceView> {
    const selector = ExtensionSelector.parse(query.extensions as string | string[] | undefined);
    return this.services.get(tenant, groupOf(req), serviceId, selector, nestingFlags(query));
  }
}
