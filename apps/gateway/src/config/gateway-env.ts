import { IsInt, IsNotEmpty, IsNumber, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { CommonEnv, MAX_BODY_BYTES } from '@cs/platform/core';

/** An origin only: the gateway forwards paths unchanged, so an upstream URL must not add a path. */
const ORIGIN = /^https?:\/\/[^/?#\s]+\/?$/;
const ORIGIN_MESSAGE = { message: 'must be an http(s) origin without a path, such as http://127.0.0.1:8081' };

/** `*`, or a comma list of browser origins (scheme, host, optional port; no path, no trailing slash). */
const CORS_ORIGINS = /^(\*|https?:\/\/[^/,\s*]+(\s*,\s*https?:\/\/[^/,\s*]+)*)$/;

/** Gateway configuration, validated at boot (ARCHITECTURE §3). Every field has a default. */
export class GatewayEnv extends CommonEnv {
  /** 0 picks a free port (tests). */
  @IsInt()
  @Min(0)
  @Max(65535)
  GATEWAY_PORT: number = 8080;

  @IsString()
  @IsNotEmpty()
  GATEWAY_HOST: string = '0.0.0.0';

  @Matches(ORIGIN, ORIGIN_MESSAGE)
  GMS_URL: string = 'http://127.0.0.1:8081';

  @Matches(ORIGIN, ORIGIN_MESSAGE)
  UCS_URL: string = 'http://127.0.0.1:8082';

  /** How long an upstream may stay silent (no bytes) before the gateway answers 504. */
  @IsInt()
  @Min(100)
  @Max(600000)
  GATEWAY_UPSTREAM_TIMEOUT_MS: number = 30000;

  /**
   * Request bodies larger than this are refused with 413 (Content-Length up front, chunked bodies
   * while they stream). Default: the services' own JSON limit (1 MiB), so the gateway never forwards
   * a body a service would refuse anyway.
   */
  @IsInt()
  @Min(1)
  @Max(1024 * 1024 * 1024)
  GATEWAY_MAX_BODY_BYTES: number = MAX_BODY_BYTES;

  /**
   * Requests per second each client may send on average (token bucket); 0 turns the limit off.
   * Off by default: behind an ingress every request comes from the ingress address unless
   * GATEWAY_TRUST_PROXY is set, and one limit shared by all clients would throttle the whole site.
   */
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'must be a number' })
  @Min(0)
  @Max(1000000)
  GATEWAY_RATE_LIMIT_RPS: number = 0;

  /** Requests a client may send at once above its rate (bucket size); 0: one second's worth of the rate. */
  @IsInt()
  @Min(0)
  @Max(1000000)
  GATEWAY_RATE_LIMIT_BURST: number = 0;

  /**
   * Proxies in front of the gateway whose X-Forwarded-For entries are trusted (ingress: 1). 0 uses
   * the socket address: a header the client wrote itself must not pick its rate-limit bucket.
   */
  @IsInt()
  @Min(0)
  @Max(10)
  GATEWAY_TRUST_PROXY: number = 0;

  /** Browser origins allowed by CORS: `*` or a comma list such as https://desk.example.com. Unset: CORS off. */
  @IsOptional()
  @Matches(CORS_ORIGINS, { message: 'must be * or a comma list of origins such as https://desk.example.com' })
  GATEWAY_CORS_ORIGINS?: string = undefined;

  /** Strict-Transport-Security max-age in seconds; 0 (default): no header, TLS ends at the ingress. */
  @IsInt()
  @Min(0)
  @Max(2 * 365 * 24 * 3600)
  GATEWAY_HSTS_MAX_AGE: number = 0;
}
