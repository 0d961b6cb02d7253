import { CommonEnv } from './common-env';
import { EnvValidationError, loadEnv } from './env';

describe('loadEnv', () => {
  it('applies defaults and converts types', () => {
    const env = loadEnv(CommonEnv, { CS_REQUIRE_TENANT: 'false', GMS_TCP_PORT: '9000' });
    expect(env.CS_REQUIRE_TENANT).toBe(false);
    expect(env.GMS_TCP_PORT).toBe(9000);
    expect(env.CS_BASE_PATH).toBe('/genesys/1/cs');
  });

  it('names every bad variable', () => {
    try {
      loadEnv(CommonEnv, { GMS_TCP_PORT: 'abc', CS_TENANTS: 'oops', CS_REQUIRE_TENANT: 'maybe' });
      throw new Error('expected a validation error');
    } catch (error) {
      expect(error).toBeInstanceOf(EnvValidationError);
      const message = (error as Error).message;
      expect(message).toContain('GMS_TCP_PORT');
      expect(message).toContain('CS_TENANTS');
      expect(message).toContain('CS_REQUIRE_TENANT');
    }
  });
});
