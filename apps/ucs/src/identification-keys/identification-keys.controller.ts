import { ApiErrors, Tenant } from '@cs/platform';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CreatedNameDoc } from '../schema/api-docs';
import { ServerModeClass } from '../server-mode/route-classes';
import { IdentificationKeysService } from './identification-keys.service';

class IdentificationKeyBodyDoc {
  @ApiProperty({ example: 'idSerial' })
  name!: string;
  @ApiPropertyOptional({ example: 'Devices', description: '"profile" (default) or an extension name' })
  source?: string;
  @ApiProperty({ type: [String], example: ['serial'] })
  attributes!: string[];
  @ApiPropertyOptional({ default: false })
  unique?: boolean;
}

class IdentificationKeyDoc {
  @ApiProperty({ example: 'idSerial' })
  name!: string;
  @ApiProperty({ type: [String], example: ['Devices.serial'] })
  attributes!: string[];
  @ApiPropertyOptional({ description: 'Present (true) only for unique keys' })
  unique?: boolean;
}

@ApiTags('metadata')
@ServerModeClass('schema-read')
@Controller('metadata/identification-keys')
export class IdentificationKeysController {
  constructor(private readonly keys: IdentificationKeysService) {}

  @Get()
  @ApiOperation({ summary: 'Get identification keys (CV.WS.PROF.META.6)' })
  @ApiOkResponse({ type: IdentificationKeyDoc, isArray: true })
  @ApiErrors(400)
  list(@Tenant() tenant: string): Promise<Record<string, unknown>[]> {
    return this.keys.list(tenant);
  }

  @Get(':key_name')
  @ApiOperation({ summary: 'Get identification key (CV.WS.PROF.META.6)' })
  @ApiOkResponse({ type: IdentificationKeyDoc })
  @ApiErrors(400, 404)
  get(@Tenant() tenant: string, @Param('key_name') name: string): Promise<Record<string, unknown>> {
    return this.keys.get(tenant, name);
  }

  @Post()
  @ServerModeClass('schema-write')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create identification key (CV.WS.PROF.META.7)',
    description: 'Maintenance mode only. With unique:true, existing duplicates make it fail with 409.',
  })
  @ApiBody({ type: IdentificationKeyBodyDoc })
  @ApiCreatedResponse({ type: CreatedNameDoc })
  @ApiErrors(400, 409)
  async create(
    @Tenant() tenant: string,
    @Body() body: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ name: string }> {
    const name = await this.keys.create(tenant, body);
    res.setHeader('Location', `${req.baseUrl}${req.path.replace(/\/$/, '')}/${encodeURIComponent(name)}`);
    return { name };
  }

  @Delete(':key_name')
  @ServerModeClass('schema-write')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete identification key (CV.WS.PROF.META.8)',
    description: 'Maintenance mode only.',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(400, 404)
  async delete(@Tenant() tenant: string, @Param('key_name') name: string): Promise<void> {
    await this.keys.delete(tenant, name);
  }
}
