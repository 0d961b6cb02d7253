import { ApiError } from '@cs/platform/core';
import { parseStartService } from './start-service';

const NOW = Date.UTC(2024, 2, 4, 9, 15, 2, 120);

function error(body: unknown): ApiError {
  try {
    parseStartService(body, NOW);
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected an ApiError');
}

describe('parseStartService', () => {
  it('splits fields, started event and extensions', () => {
    const input = parseStartService(
      {
        contact_key: '+331',
        service_type: 'Reset',
        est_duration: '300',
        interaction_id: 51,
        media_type: 1,
        Choices: { a: 1 },
        ttl: 60,
      },
      NOW,
    );
    expect(input).toMatchObject({
      contactKey: '+331',
      serviceType: 'Reset',
      estDuration: 300,
      explicitExpiresAt: NOW + 60000,
      extensions: { Choices: { a: 1 } },
      started: {
        fields: { interaction_id: '51', media_type: 1, timestamp: '2024-03-04T09:15:02.120Z' },
        timestampMs: NOW,
      },
    });
    expect(input.started.fields).not.toHaveProperty('est_duration');
  });

  it('normalises a supplied timestamp to UTC milliseconds', () => {
    const input = parseStartService({ customer_id: 'c', timestamp: '2014-09-02T10:00:00+02:00' }, NOW);
    expect(input.started.fields.timestamp).toBe('2014-09-02T08:00:00.000Z');
  });

  it('keeps an extension named __proto__ as data', () => {
    const input = parseStartService(JSON.parse('{"customer_id":"c","__proto__":{"x":1}}'), NOW);
    expect(Object.getOwnPropertyDescriptor(input.extensions, '__proto__')?.value).toEqual({ x: 1 });
  });

  it.each([
    [{}, 'MISSING_FIELD'],
    [{ customer_id: '  ' }, 'INVALID_VALUE'],
    [{ contact_key: 'k', session_id: 'x'.repeat(33) }, 'FIELD_TOO_LONG'],
    [{ contact_key: 'k', interaction_id: 'x'.repeat(51) }, 'FIELD_TOO_LONG'],
    [{ contact_key: 'k', timestamp: '2016-Dec-05T10:00:00.000Z' }, 'INVALID_VALUE'],
    [{ contact_key: 'k', ttl: 0 }, 'INVALID_VALUE'],
    [{ contact_key: 'k', expiration_time: '2000-01-01T00:00:00.000Z' }, 'INVALID_VALUE'],
    [{ contact_key: 'k', application_id: 'abc' }, 'INVALID_VALUE'],
    [{ contact_key: 'k', service_type: { a: 1 } }, 'INVALID_VALUE'],
    [{ contact_key: 'k', Ext: null }, 'INVALID_VALUE'],
    [[], 'MALFORMED_JSON'],
    [null, 'MALFORMED_JSON'],
  ])('refuses %j with %s', (body, code) => {
    expect(error(body)).toMatchObject({ status: 400, code });
  });

  it('names the missing fields as the spec says', () => {
    expect(error({ service_type: 1 }).message).toBe("Missing mandatory field 'customer_id' or 'contact_key'");
  });
});
