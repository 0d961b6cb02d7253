import { ApiErrors, Tenant } from '@cs/platform';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AttributeSchemaDoc, CreatedNameDoc, ExtensionSchemaDoc } from './api-docs';
import type { CoreAttribute } from './profile-schema';
import { ServerModeClass } from '../server-mode/route-classes';
import { SchemaService } from './schema.service';

@ApiTags('metadata')
@ServerModeClass('schema-read')
@Controller('metadata/profiles')
export class SchemaController {
  constructor(private readonly schema: SchemaService) {}

  @Get()
  @ApiOperation({ summary: 'Query profile schema (S1)', description: 'The configured core attributes.' })
  @ApiOkResponse({ type: AttributeSchemaDoc, isArray: true })
  @ApiErrors(400)
  profileSchema(@Tenant() tenant: string): CoreAttribute[] {
    return this.schema.profileSchema(tenant);
  }

  @Post('extensions')
  @ServerModeClass('schema-write')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create profile extension schema (CV.WS.PROF.META.4)',
    description: 'Maintenance mode only.',
  })
  @ApiBody({ type: ExtensionSchemaDoc })
  @ApiCreatedResponse({ type: CreatedNameDoc })
  @ApiErrors(400, 409)
  async create(
    @Tenant() tenant: string,
    @Body() body: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ name: string }> {
    const name = await this.schema.create(tenant, body);
    res.setHeader('Location', `${req.baseUrl}${req.path.replace(/\/$/, '')}/${encodeURIComponent(name)}`);
    return { name };
  }

  @Get('extensions')
  @ApiOperation({ summary: 'Query profile extension schemas (CV.WS.PROF.META.3)' })
  @ApiOkResponse({ type: ExtensionSchemaDoc, isArray: true })
  @ApiErrors(400)
  list(@Tenant() tenant: string): Promise<Record<string, unknown>[]> {
    return this.schema.list(tenant);
  }

  @Get('extensions/:extension_name')
  @ApiOperation({ summary: 'Query profile extension schema (CV.WS.PROF.META.3)' })
  @ApiOkResponse({ type: ExtensionSchemaDoc })
  @ApiErrors(400, 404)
  get(@Tenant() tenant: string, @Param('extension_name') name: string): Promise<Record<string, unknown>> {
    return this.schema.get(tenant, name);
  }

  @Delete('extensions/:extension_name')
  @ServerModeClass('schema-write')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete profile extension schema (CV.WS.PROF.META.5)',
    description:
      'Removes every record of the extension. Refused while an identification key uses it. Maintenance mode only.',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(400, 404, 409)
  async delete(@Tenant() tenant: string, @Param('extension_name') name: string): Promise<void> {
    await this.schema.delete(tenant, name);
  }
}
