import { EnvValidationError, loadEnv } from '@cs/platform/core';
import { GatewayEnv } from './gateway-env';

describe('GatewayEnv', () => {
  it('has the defaults of ARCHITECTURE §3', () => {
    expect(loadEnv(GatewayEnv, {})).toMatchObject({
      GATEWAY_PORT: 8080,
      GATEWAY_HOST: '0.0.0.0',
      GMS_URL: 'http://127.0.0.1:8081',
      UCS_URL: 'http://127.0.0.1:8082',
      GATEWAY_UPSTREAM_TIMEOUT_MS: 30000,
      CS_BASE_PATH: '/genesys/1/cs',
      GATEWAY_MAX_BODY_BYTES: 1024 * 1024,
      GATEWAY_RATE_LIMIT_RPS: 0,
      GATEWAY_RATE_LIMIT_BURST: 0,
      GATEWAY_TRUST_PROXY: 0,
      GATEWAY_CORS_ORIGINS: undefined,
      GATEWAY_HSTS_MAX_AGE: 0,
    });
  });

  it('reads the limits, CORS origins and HSTS', () => {
    expect(
      loadEnv(GatewayEnv, {
        GATEWAY_MAX_BODY_BYTES: '2048',
        GATEWAY_RATE_LIMIT_RPS: '2.5',
        GATEWAY_RATE_LIMIT_BURST: '10',
        GATEWAY_TRUST_PROXY: '1',
        GATEWAY_CORS_ORIGINS: 'https://desk.example.com, http://localhost:3000',
        GATEWAY_HSTS_MAX_AGE: '31536000',
      }),
    ).toMatchObject({
      GATEWAY_MAX_BODY_BYTES: 2048,
      GATEWAY_RATE_LIMIT_RPS: 2.5,
      GATEWAY_RATE_LIMIT_BURST: 10,
      GATEWAY_TRUST_PROXY: 1,
      GATEWAY_CORS_ORIGINS: 'https://desk.example.com, http://localhost:3000',
      GATEWAY_HSTS_MAX_AGE: 31536000,
    });
    expect(loadEnv(GatewayEnv, { GATEWAY_CORS_ORIGINS: '*' }).GATEWAY_CORS_ORIGINS).toBe('*');
  });

  it.each([
    ['GATEWAY_MAX_BODY_BYTES', '0'],
    ['GATEWAY_MAX_BODY_BYTES', '1MiB'],
    ['GATEWAY_RATE_LIMIT_RPS', '-1'],
    ['GATEWAY_RATE_LIMIT_RPS', 'fast'],
    ['GATEWAY_RATE_LIMIT_BURST', '1.5'],
    ['GATEWAY_TRUST_PROXY', 'true'],
    ['GATEWAY_CORS_ORIGINS', 'desk.example.com'],
    ['GATEWAY_CORS_ORIGINS', 'https://desk.example.com/app'],
    ['GATEWAY_CORS_ORIGINS', 'https://a.example.com,*'],
    ['GATEWAY_HSTS_MAX_AGE', '-5'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => loadEnv(GatewayEnv, { [name]: value })).toThrow(name);
  });

  it('converts numbers and accepts origins', () => {
    const env = loadEnv(GatewayEnv, {
      GATEWAY_PORT: '0',
      GMS_URL: 'http://gms:8081/',
      GATEWAY_UPSTREAM_TIMEOUT_MS: '300',
    });
    expect(env).toMatchObject({
      GATEWAY_PORT: 0,
      GMS_URL: 'http://gms:8081/',
      GATEWAY_UPSTREAM_TIMEOUT_MS: 300,
    });
  });

  it('names every bad variable', () => {
    let caught: unknown;
    try {
      loadEnv(GatewayEnv, {
        GATEWAY_PORT: '70000',
        GMS_URL: 'http://gms:8081/cs',
        UCS_URL: 'ucs:8082',
        GATEWAY_UPSTREAM_TIMEOUT_MS: 'x',
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EnvValidationError);
    const problems = (caught as EnvValidationError).problems.join('\n');
    for (const name of ['GATEWAY_PORT', 'GMS_URL', 'UCS_URL', 'GATEWAY_UPSTREAM_TIMEOUT_MS'])
      expect(problems).toContain(name);
  });
});
