import type { ProfileView } from '@cs/contracts';
import { ApiErrors, Tenant } from '@cs/platform';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  CreatedProfileDoc,
  ExtensionRecordsBodyDoc,
  MergeBodyDoc,
  ProfileBodyDoc,
  ProfileDoc,
  RecordDoc,
} from './dto/api-docs';
import { ServerModeClass } from '../server-mode/route-classes';
import { ExtensionRecordsService } from '../extensions/extension-records.service';
import { MergeService } from './merge.service';
import { ProfilesService } from './profiles.service';

/** `extensions=A,B` (repeated parameters join), names trimmed (spec §4.2). */
function extensionNames(value: string | string[] | undefined): string[] {
  const raw = Array.isArray(value) ? value.join(',') : (value ?? '');
  return raw
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
}

/** The raw query string as name/value pairs, URL-decoded, in order (identify criteria, spec §4.2). */
function queryPairs(req: Request): [string, string][] {
  const url = req.originalUrl ?? req.url;
  const q = url.indexOf('?');
  return q === -1 ? [] : [...new URLSearchParams(url.slice(q + 1)).entries()];
}

@ApiTags('profiles')
@ServerModeClass('data')
@Controller('profiles')
export class ProfilesController {
  constructor(
    private readonly profiles: ProfilesService,
    private readonly records: ExtensionRecordsService,
    private readonly merges: MergeService,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create customer profile (CV.WS.PROF.3)',
    description: 'Core attributes and extensions at the top level; the server assigns customer_id.',
  })
  @ApiBody({ type: ProfileBodyDoc })
  @ApiCreatedResponse({ type: CreatedProfileDoc })
  @ApiErrors(400, 403, 409)
  async create(
    @Tenant() tenant: string,
    @Body() body: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ customer_id: string }> {
    const customerId = await this.profiles.create(tenant, body);
    res.setHeader('Location', `${req.baseUrl}${req.path.replace(/\/$/, '')}/${customerId}`);
    return { customer_id: customerId };
  }

  @Get()
  @ApiOperation({
    summary: 'Identify customer (CV.WS.CUSTID.1)',
    description:
      'Every query parameter other than id_key, include_profile, extensions and include_extensions is a criterion: `LastName=Silva`, `Devices.serial=SN-1`.',
  })
  @ApiQuery({
    name: 'id_key',
    required: false,
    description: 'Identification key to use; inferred when absent',
  })
  @ApiQuery({ name: 'include_profile', required: false, enum: ['yes', 'no'] })
  @ApiQuery({ name: 'extensions', required: false, description: 'Comma-separated extension names' })
  @ApiQuery({ name: 'include_extensions', required: false, enum: ['always', 'unique'] })
  @ApiOkResponse({ type: ProfileDoc, isArray: true })
  @ApiErrors(400)
  identify(@Tenant() tenant: string, @Req() req: Request): Promise<ProfileView[]> {
    return this.profiles.identify(tenant, queryPairs(req));
  }

  @Get(':customer_id')
  @ApiOperation({ summary: 'Query customer profile (CV.WS.PROF.1)' })
  @ApiQuery({ name: 'extensions', required: false, description: 'Comma-separated extension names' })
  @ApiOkResponse({ type: ProfileDoc })
  @ApiErrors(400, 404)
  get(
    @Tenant() tenant: string,
    @Param('customer_id') customerId: string,
    @Query('extensions') extensions: string | string[] | undefined,
  ): Promise<ProfileView> {
    return this.profiles.get(tenant, customerId, extensionNames(extensions));
  }

  @Put(':customer_id')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Update customer profile (CV.WS.PROF.2)',
    description:
      'Full replace of the core attributes; each extension named in the body is replaced, the others are kept.',
  })
  @ApiBody({ type: ProfileDoc })
  @ApiOkResponse({ description: 'Updated; empty body' })
  @ApiErrors(400, 403, 404, 409)
  async update(
    @Tenant() tenant: string,
    @Param('customer_id') customerId: string,
    @Body() body: unknown,
  ): Promise<void> {
    await this.profiles.update(tenant, customerId, body);
  }

  @Delete(':customer_id')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Delete customer profile (CV.WS.PROF.8)',
    description: 'Removes the profile, its extension records and identification entries; interactions stay.',
  })
  @ApiOkResponse({ description: 'Deleted; empty body' })
  @ApiErrors(400, 404)
  async delete(@Tenant() tenant: string, @Param('customer_id') customerId: string): Promise<void> {
    await this.profiles.delete(tenant, customerId);
  }

  @Post(':customer_id/extensions')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Insert extension records (CV.WS.PROF.4)',
    description:
      'Single-valued: replaced. Multi-valued with a unique list: upsert on the unique values. Otherwise appended.',
  })
  @ApiBody({ type: ExtensionRecordsBodyDoc })
  @ApiOkResponse({ description: 'Stored; empty body' })
  @ApiErrors(400, 404, 409)
  async insertRecords(
    @Tenant() tenant: string,
    @Param('customer_id') customerId: string,
    @Body() body: unknown,
  ): Promise<void> {
    await this.records.insert(tenant, customerId, body);
  }

  @Put(':customer_id/extensions/:ext_name/by/unique')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Update record in profile extension (CV.WS.PROF.6)',
    description: 'The unique attributes select the record; the other attributes given are written.',
  })
  @ApiBody({ type: RecordDoc })
  @ApiNoContentResponse({ description: 'Updated' })
  @ApiErrors(400, 404, 409)
  async updateByUnique(
    @Tenant() tenant: string,
    @Param('customer_id') customerId: string,
    @Param('ext_name') extension: string,
    @Body() body: unknown,
  ): Promise<void> {
    await this.records.updateByUnique(tenant, customerId, extension, body);
  }

  @Put(':customer_id/extensions/:ext_name/delete/by/unique')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete record from profile extension (CV.WS.PROF.7)',
    description: 'The unique attributes select the record; other attributes are ignored.',
  })
  @ApiBody({ type: RecordDoc })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(400, 404, 409)
  async deleteByUnique(
    @Tenant() tenant: string,
    @Param('customer_id') customerId: string,
    @Param('ext_name') extension: string,
    @Body() body: unknown,
  ): Promise<void> {
    await this.records.deleteByUnique(tenant, customerId, extension, body);
  }

  @Put(':customer_id/merge/:src_id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Merge customer profiles (CV.WS.PROF.MERGE.1)',
    description:
      'Moves the source profile (src_id) into the destination (customer_id), moves its interactions, then deletes the source.',
  })
  @ApiBody({ type: MergeBodyDoc, required: false })
  @ApiNoContentResponse({ description: 'Merged' })
  @ApiErrors(400, 404, 409)
  async merge(
    @Tenant() tenant: string,
    @Param('customer_id') customerId: string,
    @Param('src_id') sourceId: string,
    @Body() body: unknown,
  ): Promise<void> {
    await this.merges.merge(tenant, customerId, sourceId, body);
  }
}
