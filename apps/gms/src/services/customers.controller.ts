import type { ServiceView } from '@cs/contracts';
import { ApiErrors, Tenant } from '@cs/platform';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { BusinessAttributes } from '../business-attributes/business-attributes';
import { FieldReader } from '../events/field-reader';
import type { StatusFilter } from '../events/list-params';
import { parseAssociateService } from './dto/associate-service';
import { AssociateServiceBodyDoc } from './dto/api-docs';
import { parseServiceListQuery } from './dto/service-list-query';
import { groupOf, scopeOf } from './request-scope';
import { ApiServiceListQuery } from './services.controller';
import { ServicesService } from './services.service';

/**
 * `/customers/{customer_id}/services...` (spec §4.2, §4.10–4.12). `active` and `completed` are GET
 * routes; `{service_id}` exists only for POST, so they cannot collide (spec §2.1).
 */
@ApiTags('services')
@Controller('customers/:customer_id/services')
export class CustomersController {
  constructor(
    private readonly services: ServicesService,
    private readonly attributes: BusinessAttributes,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Query all services of a customer (CV.WS.SRV.11)' })
  @ApiServiceListQuery()
  all(
    @Tenant() tenant: string,
    @Param('customer_id') customerId: string,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
  ): Promise<ServiceView[]> {
    return this.list(tenant, customerId, 'all', query, req);
  }

  @Get('active')
  @ApiOperation({ summary: 'Query active services of a customer (CV.WS.SRV.11)' })
  @ApiServiceListQuery()
  active(
    @Tenant() tenant: string,
    @Param('customer_id') customerId: string,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
  ): Promise<ServiceView[]> {
    return this.list(tenant, customerId, 'active', query, req);
  }

  @Get('completed')
  @ApiOperation({ summary: 'Query completed services of a customer (CV.WS.SRV.11)' })
  @ApiServiceListQuery()
  completed(
    @Tenant() tenant: string,
    @Param('customer_id') customerId: string,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
  ): Promise<ServiceView[]> {
    return this.list(tenant, customerId, 'completed', query, req);
  }

  @Post(':service_id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Associate Service (CV.WS.SRV.2)',
    description:
      'Sets or replaces the customer of the service. Optional body: service_type, common event fields (not timestamp) and extensions.',
  })
  @ApiBody({ type: AssociateServiceBodyDoc, required: false })
  @ApiNoContentResponse()
  @ApiErrors(400)
  async associate(
    @Tenant() tenant: string,
    @Param('customer_id') customerId: string,
    @Param('service_id') serviceId: string,
    @Body() body: unknown,
    @Req() req: Request,
  ): Promise<void> {
    const now = Date.now();
    const customer = new FieldReader({ customer_id: customerId }).identifier('customer_id') as string;
    // Business attributes (spec §2.6) of the raw body: checked and converted, no defaults on associate.
    const input = parseAssociateService(this.attributes.applyInput('Service', body, 'none'), now);
    await this.services.associate(scopeOf(tenant, req, serviceId), customer, input, now);
  }

  private list(
    tenant: string,
    customerId: string,
    status: StatusFilter,
    query: Record<string, unknown>,
    req: Request,
  ): Promise<ServiceView[]> {
    // map-names (spec §1.5): DB ids shown as names.
    return this.services
      .list(tenant, groupOf(req), { customerId }, status, parseServiceListQuery(query))
      .then((views) => this.attributes.present('Service', views));
  }
}
