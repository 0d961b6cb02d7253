import { ApiErrors } from '@cs/platform';
import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { metadataFormat } from './metadata-format';
import { PUBLIC_URL_OPTIONS, publicBaseUrl, type PublicUrlOptions } from './public-url';

/** Spec §4.17 / A-26: exactly the three UCS metadata resources, with these names. */
const RESOURCES: readonly (readonly [string, string])[] = [
  ['profiles schema', '/metadata/profiles'],
  ['profiles extensions', '/metadata/profiles/extensions'],
  ['identification-keys schemas', '/metadata/identification-keys'],
];

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** S8 — GET /metadata (CV.WS.META.1): links to the metadata resources, as JSON or as a small HTML page. */
@ApiTags('metadata')
@Controller('metadata')
export class MetadataIndexController {
  constructor(@Inject(PUBLIC_URL_OPTIONS) private readonly urls: PublicUrlOptions) {}

  @Get()
  @ApiOperation({
    summary: 'Metadata index (CV.WS.META.1, S8); the request Content-Type (or Accept) picks the format',
  })
  @ApiProduces('application/json', 'text/html')
  @ApiOkResponse({
    description: 'Resource name → absolute URL',
    schema: { type: 'object', additionalProperties: { type: 'string', format: 'uri' } },
  })
  @ApiErrors()
  index(@Req() req: Request, @Res() res: Response): void {
    const format = metadataFormat(req.get('content-type'), req.get('accept'));
    const base = publicBaseUrl(req, this.urls);
    const links = RESOURCES.map(([name, path]) => [name, `${base}${path}`] as const);
    if (format === 'json') {
      res.status(200).json(Object.fromEntries(links));
      return;
    }
    const anchors = links.map(([name, url]) => `<a href="${escapeHtml(url)}">${escapeHtml(name)}</a><br/>`);
    const html = [
      '<!DOCTYPE html>',
      '<html><head><meta charset="utf-8"><title>Available Resources</title></head><body>',
      '<h1>Available Resources</h1>',
      ...anchors,
      '</body></html>',
      '',
    ].join('\n');
    res.status(200).type('text/html; charset=utf-8').send(html);
  }
}
