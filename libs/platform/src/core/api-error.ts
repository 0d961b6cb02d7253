/**
 * The one error type of the system. Domain code throws it; the exception filter (HTTP) and the
 * messaging layer (RPC) turn it into the unified error body of ARCHITECTURE §5.
 */
export const GMS_EXCEPTION =
  'com.genesyslab.gsg.services.contextservices.exceptions.ContextServicesExceptionResource';
export const GMS_NOT_FOUND_EXCEPTION =
  'com.genesyslab.gsg.services.contextservices.exceptions.NotFoundException';
export const UCS_EXCEPTION = 'com.genesyslab.cs.ucs.ProfileException';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Overrides the app's default `exception` value (e.g. GMS NotFoundException). */
    readonly exception?: string,
    /** Extra response headers, e.g. `Allow` on 405 or `Retry-After` on 503. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static badRequest(code: string, message: string): ApiError {
    return new ApiError(400, code, message);
  }

  static invalidParameter(param: string, reason: string): ApiError {
    return new ApiError(400, 'INVALID_PARAMETER', `Invalid value for query parameter '${param}': ${reason}`);
  }
}

export interface ErrorBody {
  message: string;
  exception: string;
  code: string;
  status: number;
  http_method: string;
  uri: string;
}

/** Builds the unified error body. `uri` is the path without the query string. */
export function errorBody(error: ApiError, method: string, url: string, defaultException: string): ErrorBody {
  return {
    message: error.message,
    exception: error.exception ?? defaultException,
    code: error.code,
    status: error.status,
    http_method: method.toUpperCase(),
    uri: pathOf(url),
  };
}

export function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

export const internalError = (): ApiError =>
  new ApiError(500, 'INTERNAL_ERROR', 'An unexpected error occurred; it has been logged.');
