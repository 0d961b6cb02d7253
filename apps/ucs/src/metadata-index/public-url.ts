import type { Request } from 'express';

/** How ucs builds the absolute URLs it returns (S8 links, interaction content links). */
export interface PublicUrlOptions {
  basePath: string;
  /** `CS_TRUST_PROXY`: take scheme and host from `X-Forwarded-Proto` / `X-Forwarded-Host`. */
  trustProxy: boolean;
}

export const PUBLIC_URL_OPTIONS = Symbol('PUBLIC_URL_OPTIONS');

/** `http://host:port/genesys/1/cs` as the client addressed it (spec §4.17). */
export function publicBaseUrl(req: Request, options: PublicUrlOptions): string {
  let scheme = req.protocol;
  let host = req.get('host') ?? 'localhost';
  if (options.trustProxy) {
    scheme = firstValue(req.get('x-forwarded-proto')) ?? scheme;
    host = firstValue(req.get('x-forwarded-host')) ?? host;
  }
  return `${scheme}://${host}${options.basePath}`;
}

function firstValue(header: string | undefined): string | undefined {
  const value = header?.split(',', 1)[0].trim();
  return value ? value : undefined;
}
