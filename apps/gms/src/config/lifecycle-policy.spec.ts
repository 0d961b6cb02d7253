import { loadEnv } from '@cs/platform/core';
import { GmsEnv } from './gms-env';
import { gmsOptions } from './gms-options';
import { LifecyclePolicy } from './lifecycle-policy';

const NOW = Date.UTC(2024, 0, 1);

function policy(source: Record<string, string>): LifecyclePolicy {
  return new LifecyclePolicy(gmsOptions(loadEnv(GmsEnv, source)));
}

describe('LifecyclePolicy', () => {
  const attributes = JSON.stringify({
    'Service.type': [
      { dbid: 7, name: 'Short', expiration: '10s' },
      { dbid: 8, name: 'Month', 'settings/expiration': '1M' },
      { dbid: 9, name: 'Plain' },
    ],
  });

  it('expires after GMS_EXPIRATION, or the service type value expiration (spec §1.7)', () => {
    const p = policy({ GMS_EXPIRATION: '3h', GMS_BUSINESS_ATTRIBUTES: attributes });
    expect(p.expiresAt(undefined, NOW)).toBe(NOW + 3 * 3600 * 1000);
    expect(p.expiresAt('Plain', NOW)).toBe(NOW + 3 * 3600 * 1000);
    expect(p.expiresAt('Unknown', NOW)).toBe(NOW + 3 * 3600 * 1000);
    expect(p.expiresAt('Short', NOW)).toBe(NOW + 10 * 1000);
    expect(p.expiresAt(7, NOW)).toBe(NOW + 10 * 1000);
    expect(p.expiresAt('7', NOW)).toBe(NOW + 10 * 1000);
    expect(p.expiresAt('Month', NOW)).toBe(NOW + 30 * 86400 * 1000);
  });

  it('defaults to 5 years', () => {
    expect(policy({}).expiresAt('x', NOW)).toBe(NOW + 5 * 365 * 86400 * 1000);
  });

  it('takes the requested auto-complete delay, else the configured one (spec §1.8)', () => {
    expect(policy({}).autoCompleteAfter(undefined)).toBeNull();
    expect(policy({}).autoCompleteAfter(60)).toBe(60);
    const configured = policy({ GMS_AUTO_COMPLETE_AFTER: '1800' });
    expect(configured.autoCompleteAfter(undefined)).toBe(1800);
    expect(configured.autoCompleteAfter(60)).toBe(60);
    expect(configured.autoCompleteAt(60, NOW)).toBe(NOW + 60000);
    expect(configured.autoCompleteAt(null, NOW)).toBeNull();
  });
});
