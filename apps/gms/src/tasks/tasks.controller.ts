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
import { integerListParam, queryText, typeFilter, type StatusFilter } from '../events/list-params';
import { ExtensionValueDoc } from '../services/dto/api-docs';
import { scopeOf } from '../services/request-scope';
import { EndTaskBodyDoc, StartTaskBodyDoc, StartTaskResponseDoc, TaskDoc } from './dto/api-docs';
import { parseEndTask } from './dto/end-task';
import { parseStartTask } from './dto/start-task';
import { TasksService } from './tasks.service';

type Query = Record<string, unknown>;

/** Documents the query of spec §4.22. */
function ApiTaskListQuery(): MethodDecorator {
  return (target, key, descriptor) => {
    for (const decorator of [
      ApiQuery({ name: 'state_id', required: false, description: 'An integer or a comma-separated list' }),
      ApiQuery({ name: 'task_types', required: false, description: 'comma-separated list' }),
      ApiQuery({ name: 'extensions', required: false, description: 'Unprefixed names apply to tasks' }),
      ApiOkResponse({ type: TaskDoc, isArray: true }),
      ApiErrors(400),
    ])
      decorator(target, key, descriptor);
  };
}

/**
 * `/services/{service_id}/tasks...` (spec §4.20–4.24). The literal segments `start`, `active` and
 * `completed` are declared before `{task_id}` so that they win (spec §2.1).
 */
@ApiTags('tasks')
@Controller('services/:service_id/tasks')
export class TasksController {
  constructor(
    private readonly tasks: TasksService,
    private readonly attributes: BusinessAttributes,
  ) {}

  @Post('start')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Start Task (CV.WS.SRV.8)',
    description: 'Unknown top-level keys are extensions.',
  })
  @ApiBody({ type: StartTaskBodyDoc, required: false })
  @ApiCreatedResponse({ type: StartTaskResponseDoc })
  @ApiErrors(400)
  async start(
    @Tenant() tenant: string,
    @Param('service_id') serviceId: string,
    @Body() body: unknown,
    @Req() req: Request,
  ): Promise<{ task_id: number }> {
    const now = Date.now();
    // Business attributes (spec §2.6): validation, store-names, defaults.
    const input = this.attributes.applyInput('Task', parseStartTask(body, now));
    return { task_id: await this.tasks.start(scopeOf(tenant, req, serviceId), input, now) };
  }

  @Get()
  @ApiOperation({ summary: 'Query Tasks (CV.WS.SRV.13)' })
  @ApiTaskListQuery()
  all(
    @Tenant() tenant: string,
    @Param('service_id') serviceId: string,
    @Query() query: Query,
    @Req() req: Request,
  ): Promise<Record<string, unknown>[]> {
    return this.list(tenant, serviceId, 'all', query, req);
  }

  @Get('active')
  @ApiOperation({ summary: 'Query active Tasks (CV.WS.SRV.13)' })
  @ApiTaskListQuery()
  active(
    @Tenant() tenant: string,
    @Param('service_id') serviceId: string,
    @Query() query: Query,
    @Req() req: Request,
  ): Promise<Record<string, unknown>[]> {
    return this.list(tenant, serviceId, 'active', query, req);
  }

  @Get('completed')
  @ApiOperation({ summary: 'Query completed Tasks (CV.WS.SRV.13)' })
  @ApiTaskListQuery()
  completed(
    @Tenant() tenant: string,
    @Param('service_id') serviceId: string,
    @Query() query: Query,
    @Req() req: Request,
  ): Promise<Record<string, unknown>[]> {
    return this.list(tenant, serviceId, 'completed', query, req);
  }

  @Get(':task_id')
  @ApiOperation({ summary: 'Query Task by ID (CV.WS.SRV.16)' })
  @ApiQuery({ name: 'extensions', required: false, description: 'Unprefixed names apply to the task' })
  @ApiOkResponse({ type: TaskDoc })
  @ApiErrors(400)
  get(
    @Tenant() tenant: string,
    @Param('service_id') serviceId: string,
    @Param('task_id') rawTaskId: string,
    @Query() query: Query,
    @Req() req: Request,
  ): Promise<Record<string, unknown>> {
    const taskId = parseIdParam('task_id', rawTaskId);
    const selector = ExtensionSelector.parse(queryText(query, 'extensions'));
    // map-names (spec §1.5): DB ids shown as names.
    return this.tasks
      .get(scopeOf(tenant, req, serviceId), taskId, selector)
      .then((view) => this.attributes.present('Task', view));
  }

  @Post(':task_id/end')
  @HttpCode(204)
  @ApiOperation({ summary: 'Complete Task (CV.WS.SRV.9)' })
  @ApiBody({ type: EndTaskBodyDoc, required: false })
  @ApiNoContentResponse()
  @ApiErrors(400)
  async end(
    @Tenant() tenant: string,
    @Param('service_id') serviceId: string,
    @Param('task_id') rawTaskId: string,
    @Body() body: unknown,
    @Req() req: Request,
  ): Promise<void> {
    const now = Date.now();
    const taskId = parseIdParam('task_id', rawTaskId);
    // Business attributes (spec §2.6) of the end event.
    const input = this.attributes.applyInput('Task', parseEndTask(body, now));
    await this.tasks.end(scopeOf(tenant, req, serviceId), taskId, input, now);
  }

  /** `PUT .../extensions/` with an empty name (spec §2.7): 400 rather than an unknown route. */
  @Put(':task_id/extensions')
  @ApiExcludeEndpoint()
  emptyExtensionName(): never {
    throw emptyExtensionName();
  }

  @Put(':task_id/extensions/:ext_name')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Update Task Extension (CV.WS.SRV.18)',
    description: 'PUT only (spec §5 item 4).',
  })
  @ApiBody({ type: ExtensionValueDoc, description: 'Any JSON value except null' })
  @ApiOkResponse({ description: 'Empty body' })
  @ApiErrors(400)
  async putExtension(
    @Tenant() tenant: string,
    @Param('service_id') serviceId: string,
    @Param('task_id') rawTaskId: string,
    @Param('ext_name') name: string,
    @Body() body: unknown,
    @Req() req: Request,
  ): Promise<void> {
    const taskId = parseIdParam('task_id', rawTaskId);
    await this.tasks.putExtension(scopeOf(tenant, req, serviceId), taskId, name, body, Date.now());
  }

  private list(
    tenant: string,
    serviceId: string,
    status: StatusFilter,
    query: Query,
    req: Request,
  ): Promise<Record<string, unknown>[]> {
    const parsed = {
      taskTypes: typeFilter(query, 'task_types'),
      stateIds: integerListParam(query, 'state_id'),
      selector: ExtensionSelector.parse(queryText(query, 'extensions')),
    };
    // map-names (spec §1.5): DB ids shown as names.
    return this.tasks
      .list(scopeOf(tenant, req, serviceId), status, parsed)
      .then((views) => this.attributes.present('Task', views));
  }
}
