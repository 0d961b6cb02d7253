import { ArgumentsHost, Catch, ExceptionFilter, HttpException, NotFoundException } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Request, Response } from 'express';
import { Observable, throwError } from 'rxjs';
import { isRpcErrorShape, type RpcErrorShape } from '@cs/contracts';
import { RpcException } from '@nestjs/microservices';
import {
  ApiError,
  bodyParserError,
  internalError,
  methodNotAllowed,
  pathOf,
  routeNotFound,
  sendError,
} from '../core';
import { databaseUnavailable, isDatabaseUnavailable } from './database/database-deadline';
import type { ServiceConfig } from './service-config';

const CODE_BY_STATUS: Record<number, string> = {
  400: 'INVALID_PARAMETER',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'ROUTE_NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  503: 'SERVICE_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
};

/**
 * The one exception filter of a service (HTTP and messaging). Every failure becomes the unified error
 * body (ARCHITECTURE §5) or, for a message handler, an RPC error `{status, code, message}`. Nothing
 * of an unexpected error (stack, SQL, driver text) reaches the caller; it is logged instead.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  constructor(
    private readonly config: ServiceConfig,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): Observable<never> | void {
    if (host.getType() === 'rpc') {
      const error = this.toApiError(exception);
      const shape: RpcErrorShape = { status: error.status, code: error.code, message: error.message };
      return throwError(() => shape);
    }
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    sendError(req, res, this.toApiError(exception, req), this.config.defaultException);
  }

  private toApiError(exception: unknown, req?: Request): ApiError {
    if (exception instanceof ApiError) {
      if (exception.status >= 500) this.logFailure(exception, req);
      return exception;
    }
    if (exception instanceof RpcException) {
      const error = exception.getError();
      if (isRpcErrorShape(error)) return new ApiError(error.status, error.code, error.message);
    }
    if (exception instanceof NotFoundException && req) return this.routeError(req);
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status >= 500) this.logFailure(exception, req);
      return new ApiError(
        status,
        CODE_BY_STATUS[status] ?? 'HTTP_ERROR',
        status >= 500 ? internalError().message : exception.message,
      );
    }
    const parserError = bodyParserError(exception);
    if (parserError) return parserError;
    if (isDatabaseUnavailable(exception)) {
      // Expected during an outage: one line per request, the driver's code but no SQL.
      this.config.logger.warn(
        {
          code: databaseErrorCode(exception),
          method: req?.method,
          path: req ? pathOf(req.originalUrl ?? req.url) : undefined,
        },
        'database unavailable',
      );
      return databaseUnavailable();
    }
    this.logFailure(exception, req);
    return internalError();
  }

  /** Nest's router found nothing: 405 when the path exists with other methods, else 404. */
  private routeError(req: Request): ApiError {
    const path = pathOf(req.originalUrl ?? req.url);
    const allowed = allowedMethods(this.adapterHost.httpAdapter.getInstance(), path);
    if (allowed.length === 0) return routeNotFound(req.method, path);
    return methodNotAllowed(req.method, path, allowed);
  }

  private logFailure(exception: unknown, req?: Request): void {
    this.config.logger.error(
      { err: exception, method: req?.method, path: req ? pathOf(req.originalUrl ?? req.url) : undefined },
      'request failed',
    );
  }
}

function databaseErrorCode(error: unknown): unknown {
  const e = error as { code?: unknown; message?: unknown } | undefined;
  return e?.code ?? e?.message;
}

interface RouteLayer {
  route?: { methods: Record<string, boolean> };
  match(path: string): boolean;
}

/** Methods the Express router serves for `path` (empty when no route matches it at all). */
export function allowedMethods(expressApp: { router?: { stack: RouteLayer[] } }, path: string): string[] {
  const methods = new Set<string>();
  for (const layer of expressApp.router?.stack ?? []) {
    if (!layer.route) continue;
    let matches = false;
    try {
      matches = layer.match(path);
    } catch {
      matches = false; // a malformed percent-encoding cannot match a route
    }
    if (!matches) continue;
    for (const method of Object.keys(layer.route.methods))
      if (method !== '_all') methods.add(method.toUpperCase());
  }
  return [...methods].sort();
}
