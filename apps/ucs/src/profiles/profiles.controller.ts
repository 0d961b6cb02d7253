import type { ProfileView } from '@cs/contracts';
import { ApiErrors, Tenant } from '@cs/platform';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { PROFILE_SCHEMA, ProfileSchema } from '../schema/profile-schema';
import { CreatedProfileDoc, ProfileBodyDoc, ProfileDoc } from './dto/api-docs';
import { parseProfileBody } from './dto/profile-body';
import { unknownExtension } from './errors';
import { ProfilesService } from './profiles.service';

/** `extensions=A,B` (repeated parameters join), names trimmed (spec §4.2). */
function extensionNames(value: string | string[] | undefined): string[] {
  const raw = Array.isArray(value) ? value.join(',') : (value ?? '');
  return raw
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
}

@ApiTags('profiles')
@Controller('profiles')
export class ProfilesController {
  constructor(
    private readonly profiles: ProfilesService,
    @Inject(PROFILE_SCHEMA) private readonly schema: ProfileSchema,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create customer profile (CV.WS.PROF.3)' })
  @ApiBody({ type: ProfileBodyDoc })
  @ApiCreatedResponse({ type: CreatedProfileDoc })
  @ApiErrors(400, 403, 409)
  async create(
    @Tenant() tenant: string,
    @Body() body: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ customer_id: string }> {
    const customerId = await this.profiles.create(tenant, parseProfileBody(body, this.schema));
    res.setHeader('Location', `${req.baseUrl}${req.path.replace(/\/$/, '')}/${customerId}`);
    return { customer_id: customerId };
  }

  @Get(':customer_id')
  @ApiOperation({ summary: 'Query customer profile (CV.WS.PROF.1)' })
  @ApiQuery({ name: 'extensions', required: false, description: 'Comma-separated extension names' })
  @ApiOkResponse({ type: ProfileDoc })
  @ApiErrors(400, 404)
  async get(
    @Tenant() tenant: string,
    @Param('customer_id') customerId: string,
    @Query('extensions') extensions: string | string[] | undefined,
  ): Promise<ProfileView> {
    const profile = await this.profiles.get(tenant, customerId);
    // Extension schemas come with the schema operations; until one exists every name is unknown.
    const [unknown] = extensionNames(extensions);
    if (unknown !== undefined) throw unknownExtension(unknown);
    return profile;
  }
}
