import { IsInt, IsNotEmpty, IsString, Matches, Max, Min } from 'class-validator';
import { CommonEnv } from '@cs/platform/core';

/** An origin only: the gateway forwards paths unchanged, so an upstream URL must not add a path. */
const ORIGIN = /^https?:\/\/[^/?#\s]+\/?$/;
const ORIGIN_MESSAGE = { message: 'must be an http(s) origin without a path, such as http://127.0.0.1:8081' };

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
}
