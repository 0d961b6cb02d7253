import { ApiErrors, Tenant } from '@cs/platform';
import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { PUBLIC_URL_OPTIONS, publicBaseUrl, type PublicUrlOptions } from '../metadata-index/public-url';
import type { ContentPart } from './interaction.entity';
import { InteractionDoc } from './api-docs';
import { InteractionsService, type InteractionView } from './interactions.service';

/** Read-only interaction history (spec §4.20–§4.22). Writes come only over the transport. */
@ApiTags('interactions')
@Controller()
export class InteractionsController {
  constructor(
    private readonly interactions: InteractionsService,
    @Inject(PUBLIC_URL_OPTIONS) private readonly urls: PublicUrlOptions,
  ) {}

  @Get('customers/:customer_id/interactions')
  @ApiOperation({ summary: 'Interactions of a customer (CV.WS.IXN.2, I1)' })
  @ApiOkResponse({ type: InteractionDoc, isArray: true })
  @ApiErrors(400, 404)
  ofCustomer(
    @Tenant() tenant: string,
    @Param('customer_id') customerId: string,
    @Req() req: Request,
  ): Promise<InteractionView[]> {
    return this.interactions.ofCustomer(tenant, customerId, this.interactionsUrl(req));
  }

  @Get('services/:service_id/interactions')
  @ApiOperation({ summary: 'Interactions of a service (CV.WS.IXN.2, I2)' })
  @ApiOkResponse({ type: InteractionDoc, isArray: true })
  @ApiErrors(400)
  ofService(
    @Tenant() tenant: string,
    @Param('service_id') serviceId: string,
    @Req() req: Request,
  ): Promise<InteractionView[]> {
    return this.interactions.ofService(tenant, serviceId, this.interactionsUrl(req));
  }

  @Get('interactions/:interaction_id')
  @ApiOperation({ summary: 'One interaction (CV.WS.IXN.2, I3)' })
  @ApiOkResponse({ type: InteractionDoc })
  @ApiErrors(400, 404)
  get(
    @Tenant() tenant: string,
    @Param('interaction_id') interactionId: string,
    @Req() req: Request,
  ): Promise<InteractionView> {
    return this.interactions.get(tenant, interactionId, this.interactionsUrl(req));
  }

  @Get('interactions/:interaction_id/plain_text')
  @ApiOperation({ summary: 'Plain text of an interaction (CV.WS.IXN.2, I4)' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'The plain text' })
  @ApiErrors(400, 404)
  plainText(
    @Tenant() tenant: string,
    @Param('interaction_id') interactionId: string,
    @Res() res: Response,
  ): Promise<void> {
    return this.sendContent(tenant, interactionId, 'plain_text', res);
  }

  @Get('interactions/:interaction_id/structured_text')
  @ApiOperation({ summary: 'Structured text of an interaction (CV.WS.IXN.2, I4)' })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'The structured text, in its stored media type' })
  @ApiErrors(400, 404)
  structuredText(
    @Tenant() tenant: string,
    @Param('interaction_id') interactionId: string,
    @Res() res: Response,
  ): Promise<void> {
    return this.sendContent(tenant, interactionId, 'structured_text', res);
  }

  @Get('interactions/:interaction_id/binary_content')
  @ApiOperation({ summary: 'Binary content of an interaction (CV.WS.IXN.2, I4)' })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'The binary content' })
  @ApiErrors(400, 404)
  binaryContent(
    @Tenant() tenant: string,
    @Param('interaction_id') interactionId: string,
    @Res() res: Response,
  ): Promise<void> {
    return this.sendContent(tenant, interactionId, 'binary_content', res);
  }

  private async sendContent(
    tenant: string,
    interactionId: string,
    part: ContentPart,
    res: Response,
  ): Promise<void> {
    const content = await this.interactions.content(tenant, interactionId, part);
    const encoding = part === 'binary_content' ? 'base64' : 'utf8';
    res.status(200).setHeader('Content-Type', content.mimeType);
    // Stored content comes from other systems: never sniffed, and HTML cannot run scripts on this origin.
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', 'sandbox');
    res.end(Buffer.from(content.content, encoding));
  }

  private interactionsUrl(req: Request): string {
    return `${publicBaseUrl(req, this.urls)}/interactions`;
  }
}
