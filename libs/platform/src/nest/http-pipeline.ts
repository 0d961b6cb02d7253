import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { json } from 'express';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import {
  answerClientErrorsWithJson,
  ApiError,
  BODY_GATE,
  type BodyGate,
  MAX_BODY_BYTES,
  bodyParserError,
  hasBody,
  isJsonContentType,
  jsonShapeError,
  pathOf,
  sendError,
  unsupportedMediaType,
} from '../core';
import { requestIdFrom, REQUEST_ID_HEADER } from '../core/request-id';
import { allowedMethods } from './exception.filter';
import { runWithContext } from './request-context';
import type { ServiceConfig } from './service-config';

/**
 * The raw Express stages that run before Nest's router: request id + access log, 415, JSON parsing
 * with the 1 MiB limit, then the request context. Their errors never reach Nest's filters, so they write the unified body here.
 */
export function installHttpPipeline(app: INestApplication, config: ServiceConfig): void {
  answerClientErrorsWithJson(app.getHttpServer() as Server, () => config.defaultException);
  const parseJson = json({ limit: MAX_BODY_BYTES, strict: false, type: () => true });
  const fail = (req: IncomingMessage, res: ServerResponse, error: ApiError) =>
    sendError(req, res, error, config.defaultException);
  // A body error gives way to the app's BODY_GATE refusal, if it provides one (ucs server mode).
  let gate: BodyGate | null | undefined;
  const failBody = (req: Request, res: Response, error: ApiError) => {
    // Looked up once: a missing provider is null, not undefined, and each failed lookup is logged
    // by Nest at error level (every malformed body in gms did so before).
    if (gate === undefined) gate = optionalProvider<BodyGate>(app, BODY_GATE);
    fail(req, res, gate?.(req) ?? error);
  };

  app.use((req: Request, res: Response, next: NextFunction) => {
    const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
    const started = process.hrtime.bigint();
    res.setHeader('X-Request-Id', requestId);
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      config.logger.info(
        {
          request_id: requestId,
          method: req.method,
          path: req.path,
          status: res.statusCode,
          ms: Math.round(ms * 10) / 10,
        },
        'request',
      );
    });
    res.locals.requestId = requestId;
    next();
  });

  const expressApp = app.getHttpAdapter().getInstance() as Parameters<typeof allowedMethods>[0];
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (!hasBody(req)) return next();
    // Routing errors win over 415/400 (gms spec §2.10 precedence): a body sent to a path or method
    // that nothing serves is left unread, and Nest's router answers 404/405.
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    if (!allowedMethods(expressApp, pathOf(req.originalUrl ?? req.url)).includes(method)) return next();
    const contentType = req.headers['content-type'];
    if (!isJsonContentType(contentType)) return failBody(req, res, unsupportedMediaType(contentType ?? ''));
    parseJson(req, res, (error?: unknown) => {
      if (error === undefined) {
        const shapeError = jsonShapeError((req as { body?: unknown }).body);
        return shapeError ? failBody(req, res, shapeError) : next();
      }
      failBody(
        req,
        res,
        bodyParserError(error) ?? ApiError.badRequest('MALFORMED_JSON', 'The request body could not be read'),
      );
    });
  });

  // Entered last: body parsing runs in the socket's async context and would lose the store.
  app.use((_req: Request, res: Response, next: NextFunction) =>
    runWithContext({ requestId: res.locals.requestId as string }, next),
  );
}

/** A provider the app may or may not declare; null when it does not. */
function optionalProvider<T>(app: INestApplication, token: symbol): T | null {
  try {
    return app.get<T>(token, { strict: false });
  } catch {
    return null;
  }
}
