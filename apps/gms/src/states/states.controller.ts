import { ApiErrors, Tenant } from '@cs/platform';
import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req } from '@nestjs/common';
import {
  ApiBody,
  ApiExcludeEndpoint,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { emptyExtensionName } from '../events/errors';
import { BusinessAttributes } from '../business-attributes/business-attributes';
import { ExtensionSelector } from '../events/extensions';
import { parseIdParam } from '../events/id-param';
import { queryText, typeFilter, type StatusFilter } from '../events/list-params';
import { ExtensionValueDoc } from '../services/dto/api-docs';
import { booleanFlag } from '../services/query-flags';
import { scopeOf } from '../services/request-scope';
import {
  EndStateBodyDoc,
  StartStateBodyDoc,
  StartStateResponseDoc,
  StateDoc,
  TransitionBodyDoc,
} from './dto/api-docs';
import { parseEndState } from './dto/end-state';
import { parseStartState } from './dto/start-state';
import { parseTransition } from './dto/transition';
import { StatesService, type TaskFlags } from './states.service';

type Query = Record<string, unknown>;

const taskFlags = (query: Query): TaskFlags => ({
  active_tasks: booleanFlag(query, 'active_tasks'),
  completed_tasks: booleanFlag(query, 'completed_tasks'),
});

/** Documents the query of spec §4.17 (and the flags/extensions of §4.18). */
function ApiStateQuery(list: boolean): MethodDecorator {
  return (target, key, descriptor) => {
    const decorators = [
      ApiQuery({ name: 'active_tasks', required: false, type: Boolean }),
      ApiQuery({ name: 'completed_tasks', required: false, type: Boolean }),
      ApiQuery({ name: 'extensions', required: false, description: 'Unprefixed names apply to states' }),
      ApiOkResponse({ type: StateDoc, isArray: list }),
      ApiErrors(400),
    ];
    if (list)
      decorators.push(
        ApiQuery({ name: 'state_types', required: false, description: 'comma-separated list' }),
      );
    for (const decorator of decorators) decorator(target, key, descriptor);
  };
}

/**
 * `/services/{service_id}/states...` (spec §4.14–4.19). The literal segments `start`, `transition`,
 * `active` and `completed` are declared before `{state_id}` so that they win (spec §2.1).
 */
@ApiTags('states')
@Controller('services/:service_id/states')
export class StatesController {
  constructor(
    private readonly states: StatesService,
    private readonly attributes: BusinessAttributes,
  ) {}

  @Post('start')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Start State (CV.WS.SRV.5)',
    description: 'Unknown top-level keys are extensions.',
  })
  @ApiBody({ type: StartStateBodyDoc, required: false })
  @ApiCreatedResponse({ type: StartStateResponseDoc })
  @ApiErrors(400)
  async start(
    @Tenant() tenant: string,
    @Param('service_id') serviceId: string,
    @Body() body: unknown,
    @Req() req: Request,
  ): Promise<{ state_id: number }> {
    const now = Date.now();
    // Business attributes (spec §2.6): validation, store-names, defaults.
    const input = this.attributes.applyInput('State', parseStartState(body, now));
    return { state_id: await this.states.start(scopeOf(tenant, req, serviceId), input, now) };
  }

  @Post('transition')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Perform State Transition (CV.WS.SRV.7)',
    description: 'Completes the active state `from.state_id` and starts a new one, atomically.',
  })
  @ApiBody({ type: TransitionBodyDoc })
  @ApiCreatedResponse({ type: StartStateResponseDoc })
  @ApiErrors(400)
  async transition(
    @Tenant() tenant: string,
    @Param('service_id') serviceId: string,
    @Body() body: unknown,
    @Req() req: Request,
  ): Promise<{ state_id: number }> {
    const now = Date.now();
    // Business attributes (spec §2.6) of the new state's start and the old state's end.
    const input = this.attributes.applyTransition(parseTransition(body, now));
    return { state_id: await this.states.transition(scopeOf(tenant, req, serviceId), input, now) };
  }

  @Get()
  @ApiOperation({ summary: 'Query States (CV.WS.SRV.12)' })
  @ApiStateQuery(true)
  all(
    @Tenant() tenant: string,
    @Param('service_id') serviceId: string,
    @Query() query: Query,
    @Req() req: Request,
  ): Promise<Record<string, unknown>[]> {
    return this.list(tenant, serviceId, 'all', query, req);
  }

  @Get('active')
  @ApiOperation({ summary: 'Query active States (CV.WS.SRV.12)' })
  @ApiStateQuery(true)
  active(
    @Tenant() tenant: string,
    @Param('service_id') serviceId: string,
    @Query() query: Query,
    @Req() req: Request,
  ): Promise<Record<string, unknown>[]> {
    return this.list(tenant, serviceId, 'active', query, req);
  }

  @Get('completed')
  @ApiOperation({ summary: 'Query completed States (CV.WS.SRV.12)' })
  @ApiStateQuery(true)
  completed(
    @Tenant() tenant: string,
    @Param('service_id') serviceId: string,
    @Query() query: Query,
    @Req() req: Request,
  ): Promise<Record<string, unknown>[]> {
    return this.list(tenant, serviceId, 'completed', query, req);
  }

  @Get(':state_id')
  @ApiOperation({ summary: 'Query State by ID (CV.WS.SRV.15)' })
  @ApiStateQuery(false)
  get(
    @Tenant() tenant: string,
    @Param('service_id') serviceId: string,
    @Param('state_id') rawStateId: string,
    @Query() query: Query,
    @Req() req: Request,
  ): Promise<Record<string, unknown>> {
    const stateId = parseIdParam('state_id', rawStateId);
    const flags = taskFlags(query);
    const selector = ExtensionSelector.parse(queryText(query, 'extensions'));
    // map-names (spec §1.5): DB ids shown as names.
    return this.states
      .get(scopeOf(tenant, req, serviceId), stateId, selector, flags)
      .then((view) => this.attributes.present('State', view));
  }

  @Post(':state_id/end')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Complete State (CV.WS.SRV.6)',
    description: 'Tasks of the state are not completed.',
  })
  @ApiBody({ type: EndStateBodyDoc, required: false })
  @ApiNoContentResponse()
  @ApiErrors(400)
  async end(
    @Tenant() tenant: string,
    @Param('service_id') serviceId: string,
    @Param('state_id') rawStateId: string,
    @Body() body: unknown,
    @Req() req: Request,
  ): Promise<void> {
    const now = Date.now();
    const stateId = parseIdParam('state_id', rawStateId);
    // Business attributes (spec §2.6) of the end event.
    const input = this.attributes.applyInput('State', parseEndState(body, now));
    await this.states.end(scopeOf(tenant, req, serviceId), stateId, input, now);
  }

  /** `PUT .../extensions/` with an empty name (spec §2.7): 400 rather than an unknown route. */
  @Put(':state_id/extensions')
  @ApiExcludeEndpoint()
  emptyExtensionName(): never {
    throw emptyExtensionName();
  }

  @Put(':state_id/extensions/:ext_name')
  @HttpCode(200)
  @ApiOperation({ summary: 'Update State Extension (CV.WS.SRV.17)' })
  @ApiBody({ type: ExtensionValueDoc, description: 'Any JSON value except null' })
  @ApiOkResponse({ description: 'Empty body' })
  @ApiErrors(400)
  async putExtension(
    @Tenant() tenant: string,
    @Param('service_id') serviceId: string,
    @Param('state_id') rawStateId: string,
    @Param('ext_name') name: string,
    @Body() body: unknown,
    @Req() req: Request,
  ): Promise<void> {
    const stateId = parseIdParam('state_id', rawStateId);
    await this.states.putExtension(scopeOf(tenant, req, serviceId), stateId, name, body, Date.now());
  }

  private list(
    tenant: string,
    serviceId: string,
    status: StatusFilter,
    query: Query,
    req: Request,
  ): Promise<Record<string, unknown>[]> {
    const parsed = {
      stateTypes: typeFilter(query, 'state_types'),
      selector: ExtensionSelector.parse(queryText(query, 'extensions')),
      flags: taskFlags(query),
    };
    // map-names (spec §1.5): DB ids shown as names.
    return this.states
      .list(scopeOf(tenant, req, serviceId), status, parsed)
      .then((views) => this.attributes.present('State', views));
  }
}
