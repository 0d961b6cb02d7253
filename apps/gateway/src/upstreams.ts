import type { Upstream } from '@cs/contracts';

/** Base URLs of the services, without a trailing slash, so `${origin}/health/ready` is well formed. */
export type UpstreamOrigins = Record<Upstream, string>;

export function originsFrom(env: { GMS_URL: string; UCS_URL: string }): UpstreamOrigins {
  const trim = (url: string) => url.replace(/\/+$/, '');
  return { gms: trim(env.GMS_URL), ucs: trim(env.UCS_URL) };
}
