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
    });
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
