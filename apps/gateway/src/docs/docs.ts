import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { methodNotAllowed, routeNotFound } from '@cs/platform/core';
// The deep import locates the assets without loading the 1.5 MB browser bundle into the gateway.
import getAbsoluteFSPath from 'swagger-ui-dist/absolute-path.js';
import { fetchJson } from '../http/fetch-json';
import { fail, isReadMethod, READ_METHODS, sendJson } from '../http/respond';
import { UPSTREAMS } from '@cs/contracts';
import type { UpstreamOrigins } from '../upstreams';
import { asOpenApiDocument, mergeOpenApi } from './merge-openapi';

export const DOCS_PATH = '/docs';
const SPEC_PATH = `${DOCS_PATH}/openapi.json`;

// The page's one inline script; the CSP allows exactly this text by its hash. No validator badge:
// it would send the spec URL to validator.swagger.io.
const INLINE_SCRIPT = `
    window.ui = SwaggerUIBundle({ url: '${SPEC_PATH}', dom_id: '#swagger-ui', deepLinking: true, validatorUrl: null });
  `;

/**
 * The docs page loads its own scripts, styles and the spec from the gateway; Swagger UI sets inline
 * styles and uses data: images in its CSS. Nothing else, and no framing.
 */
export const DOCS_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `script-src 'self' 'sha256-${createHash('sha256').update(INLINE_SCRIPT).digest('base64')}'`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

// Our own page: swagger-ui-dist's index.html would load its petstore initializer.
const INDEX_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Context Services API</title>
  <link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css">
  <link rel="icon" type="image/png" href="${DOCS_PATH}/favicon-32x32.png" sizes="32x32">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
  <script>${INLINE_SCRIPT}</script>
</body>
</html>
`;

// Only the files the page uses: no path from the URL ever reaches the file system.
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-16x16.png': 'image/png',
  'favicon-32x32.png': 'image/png',
};

/** `/docs`: Swagger UI over the merged OpenAPI document of both services. */
export function createDocsHandler(origins: UpstreamOrigins) {
  const assetDir = getAbsoluteFSPath();
  const cache = new Map<string, Buffer>();

  async function asset(name: string): Promise<Buffer> {
    let content = cache.get(name);
    if (!content) {
      content = await readFile(join(assetDir, name));
      cache.set(name, content);
    }
    return content;
  }

  async function mergedDocument() {
    const documents = await Promise.all(UPSTREAMS.map((name) => fetchJson(`${origins[name]}/openapi.json`)));
    return mergeOpenApi(
      UPSTREAMS.map((upstream, i) => ({ upstream, document: asOpenApiDocument(documents[i]) })),
    );
  }

  return async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    const name = path === DOCS_PATH ? '' : path.slice(DOCS_PATH.length + 1);
    const known = name === '' || name === 'openapi.json' || Object.hasOwn(ASSETS, name);
    if (!known) return fail(req, res, routeNotFound(req.method ?? 'GET', path));
    if (!isReadMethod(req)) return fail(req, res, methodNotAllowed(req.method ?? '', path, READ_METHODS));

    if (name === 'openapi.json') return sendJson(res, 200, await mergedDocument());
    const [body, type] =
      name === '' ? [Buffer.from(INDEX_HTML), 'text/html; charset=utf-8'] : [await asset(name), ASSETS[name]];
    res.statusCode = 200;
    res.setHeader('Content-Type', type);
    res.setHeader('Content-Length', body.length);
    res.setHeader('Cache-Control', name === '' ? 'no-cache' : 'public, max-age=3600');
    res.end(body);
  };
}
