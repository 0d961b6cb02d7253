import { SERVICE_CONFIG, type ServiceConfig } from '@cs/platform';
import { Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { BusinessAttributes } from '../business-attributes/business-attributes';
import { ExportPages, type ExportedService } from './export-pages';
import type { StreamRequest } from './export-request';
import { JsonArrayWriter, StreamClosedError } from './json-array-writer';
import { fullServiceView } from './resource-views';

/**
 * Spec §4.26: the JSON array is written to the response page by page as the database yields it. The
 * first page is read before anything is sent, so a failure up to there still gets the unified error
 * body; after the first byte a failure can only cut the response short (and is logged).
 */
@Injectable()
export class ExportStreamService {
  constructor(
    private readonly pages: ExportPages,
    private readonly attributes: BusinessAttributes,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  async stream(
    tenant: string,
    group: string | undefined,
    request: StreamRequest,
    res: Response,
  ): Promise<void> {
    const pages = this.pages.read(tenant, group, request.selection, request.content);
    const first = await pages.next();
    res.status(200);
    res.setHeader('Content-Type', 'application/json;charset=UTF-8');
    const out = new JsonArrayWriter(res);
    try {
      await out.open();
      if (!first.done) {
        await this.writePage(out, first.value, request.content);
        for await (const page of pages) await this.writePage(out, page, request.content);
      }
      await out.close();
      res.end();
    } catch (error) {
      await pages.return(undefined);
      if (!(error instanceof StreamClosedError)) {
        this.config.logger.error(
          { err: error, written: out.written },
          'export stream failed after the first byte',
        );
      }
      res.destroy();
    }
  }

  private async writePage(out: JsonArrayWriter, page: ExportedService[], content: boolean): Promise<void> {
    for (const { service, states, tasks } of page) {
      // With map-names, exported content shows value names like every other read (spec §1.5).
      await out.add(
        content
          ? this.attributes.present('Service', fullServiceView(service, states, tasks))
          : service.serviceId,
      );
    }
  }
}
