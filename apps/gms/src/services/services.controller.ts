import type { ServiceView } from '@cs/contracts';
import { ApiErrors, Tenant } from '@cs/platform';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Put,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBody,
  ApiExcludeEndpoint,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { emptyExtensionName } from '../events/errors';
import { BusinessAttributes } from '../business-attributes/business-attributes';
import { customServiceId } from '../config/custom-service-id';
import { GMS_OPTIONS, type GmsOptions } from '../config/gms-options';
import { ExtensionSelector } from '../events/extensions';
import { queryText, type StatusFilter } from '../events/list-params';
import {
  EndServiceBodyDoc,
  ExtensionValueDoc,
  ServiceDoc,
  StartServiceBodyDoc,
  StartServiceResponseDoc,
  UpdateExpirationBodyDoc,
} from './dto/api-docs';
import { parseEndService } from './dto/end-service';
import { parseServiceListQuery } from './dto/service-list-query';
import { parseStartService } from './dto/start-service';
import { parseUpdateExpiration } from './dto/update-expiration';
import { ApiNestingFlags, nestingFlags } from './query-flags';
import { groupOf, scopeOf } from './request-scope';
import { ServicesService } from './services.service';

/** Documents the query parameters of the service list operations (spec §4.7–4.12). */
export function ApiServiceListQuery(): MethodDecorator {
  return (target, key, descriptor) => {
    for (const decorator of [
      ApiQuery({ name: 'started_from', required: false, description: 'date-time, inclusive' }),
      ApiQuery({ name: 'started_to', required: false, description: 'date-time, exclusive' }),
      ApiQuery({ name: 'service_types', required: false, description: 'comma-separated list' }),
      ApiQuery({ name: 'extensions', required: false, description: 'spec §2.7 selection' }),
      ApiNestingFlags(),
      ApiOkResponse({ type: ServiceDoc, isArray: true }),
      ApiErrors(400),
    ])
      decorator(target, key, descriptor);
  };
}

/**
 * `/services/...` (spec §4.1, §4.3–4.9, §4.13). Literal segments (`start`, `anonymous`) are declared
 * before the `{service_id}` routes so that they win (spec §2.1).
 */
@ApiTags('services')
@Controller('services')
export class ServicesController {
  constructor(
    private readonly services: ServicesService,
    private readonly attributes: BusinessAttributes,
    @Inject(GMS_OPTIONS) private readonly options: GmsOptions,
  ) {}

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
    // Business attributes (spec §2.6: validation, store-names, defaults) applied to the parsed body.
    const input = this.attributes.applyInput('Service', parseStartService(body, receivedAt));
    // GMS_ALLOW_CUSTOM_IDS (spec §2.5): the body's service_id, else undefined (a generated id).
    const customId = customServiceId(body as Record<string, unknown>, this.options.allowCustomIds);
    const serviceId = await this.services.start(tenant, groupOf(req), input, receivedAt, customId);
    res.setHeader(
      'Location',
      `${req.baseUrl}${req.path.replace(/\/start\/?$/, '')}/${encodeURIComponent(serviceId)}`,
    );
    return { service_id: serviceId };
  }

  @Get('anonymous/:contact_key')
  @ApiOperation({ summary: 'Query all anonymous services of a contact key (CV.WS.SRV.10)' })
  @ApiServiceListQuery()
  anonymous(
    @Tenant() tenant: string,
    @Param('contact_key') contactKey: string,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
  ): Promise<ServiceView[]> {
    return this.anonymousList(tenant, contactKey, 'all', query, req);
  }

  @Get('anonymous/:contact_key/active')
  @ApiOperation({ summary: 'Query active anonymous services of a contact key (CV.WS.SRV.10)' })
  @ApiServiceListQuery()
  anonymousActive(
    @Tenant() tenant: string,
    @Param('contact_key') contactKey: string,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
  ): Promise<ServiceView[]> {
    return this.anonymousList(tenant, contactKey, 'active', query, req);
  }

  @Get('anonymous/:contact_key/completed')
  @ApiOperation({ summary: 'Query completed anonymous services of a contact key (CV.WS.SRV.10)' })
  @ApiServiceListQuery()
  anonymousCompleted(
    @Tenant() tenant: string,
    @Param('contact_key') contactKey: string,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
  ): Promise<ServiceView[]> {
    return this.anonymousList(tenant, contactKey, 'completed', query, req);
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
    const flags = nestingFlags(query);
    const selector = ExtensionSelector.parse(queryText(query, 'extensions'));
    // map-names (spec §1.5): DB ids shown as names.
    return this.attributes.present(
      'Service',
      await this.services.get(scopeOf(tenant, req, serviceId), selector, flags),
    );
  }

  @Put(':service_id')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Update Expiration Time (TTL)',
    description:
      '`ttl` (seconds from now) wins over `expiration_time`; the expiration stays fixed until the next explicit one.',
  })
  @ApiBody({ type: UpdateExpirationBodyDoc })
  @ApiOkResponse({ description: 'Empty body' })
  @ApiErrors(400)
  async updateExpiration(
    @Tenant() tenant: string,
    @Param('service_id') serviceId: string,
    @Body() body: unknown,
    @Req() req: Request,
  ): Promise<void> {
    const now = Date.now();
    const expiresAt = parseUpdateExpiration(body, now);
    await this.services.updateExpiration(scopeOf(tenant, req, serviceId), expiresAt, now);
  }

  @Delete(':service_id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Delete Service by ID', description: 'Deletes its states and tasks too.' })
  @ApiOkResponse({ description: 'Empty body' })
  @ApiErrors(400)
  async delete(
    @Tenant() tenant: string,
    @Param('service_id') serviceId: string,
    @Req() req: Request,
  ): Promise<void> {
    await this.services.delete(scopeOf(tenant, req, serviceId), Date.now());
  }

  @Post(':service_id/end')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Complete (End) Service (CV.WS.SRV.3)',
    description: 'Still-active states and tasks are completed with the same timestamp.',
  })
  @ApiBody({ type: EndServiceBodyDoc, required: false })
  @ApiNoContentResponse()
  @ApiErrors(400)
  async end(
    @Tenant() tenant: string,
    @Param('service_id') serviceId: string,
    @Body() body: unknown,
    @Req() req: Request,
  ): Promise<void> {
    const now = Date.now();
    const scope = scopeOf(tenant, req, serviceId);
    // Business attributes (spec §2.6) of the end event.
    await this.services.end(scope, this.attributes.applyInput('Service', parseEndService(body, now)), now);
  }

  /** `PUT .../extensions/` with an empty name (spec §2.7): 400 rather than an unknown route. */
  @Put(':service_id/extensions')
  @ApiExcludeEndpoint()
  emptyExtensionName(): never {
    throw emptyExtensionName();
  }

  @Put(':service_id/extensions/:ext_name')
  @HttpCode(200)
  @ApiOperation({ summary: 'Update Service Extension (CV.WS.SRV.4)' })
  @ApiParam({ name: 'ext_name', description: 'Extension name; not a reserved field name' })
  @ApiBody({ type: ExtensionValueDoc, description: 'Any JSON value except null' })
  @ApiOkResponse({ description: 'Empty body' })
  @ApiErrors(400)
  async putExtension(
    @Tenant() tenant: string,
    @Param('service_id') serviceId: string,
    @Param('ext_name') name: string,
    @Body() body: unknown,
    @Req() req: Request,
  ): Promise<void> {
    await this.services.putExtension(scopeOf(tenant, req, serviceId), name, body, Date.now());
  }

  private anonymousList(
    tenant: string,
    contactKey: string,
    status: StatusFilter,
    query: Record<string, unknown>,
    req: Request,
  ): Promise<ServiceView[]> {
    const parsed = parseServiceListQuery(query);
    // map-names (spec §1.5): DB ids shown as names.
    return this.services
      .list(tenant, groupOf(req), { contactKey }, status, parsed)
      .then((views) => this.attributes.present('Service', views));
  }
}
