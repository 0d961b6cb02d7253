import { upstreamError } from './upstream-errors';

const failure = (code?: string) => Object.assign(new Error('driver text that must not leak'), { code });

describe('upstreamError', () => {
  it.each(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENOTFOUND'])(
    'maps %s to 503 with Retry-After',
    (code) => {
      const error = upstreamError('gms', failure(code), false);
      expect(error).toMatchObject({
        status: 503,
        code: 'UPSTREAM_UNAVAILABLE',
        headers: { 'Retry-After': '1' },
      });
      expect(error.message).toBe('The gms service is unavailable');
    },
  );

  it.each(['ETIMEDOUT', 'ESOCKETTIMEDOUT'])('maps %s to 504', (code) => {
    expect(upstreamError('ucs', failure(code), false)).toMatchObject({
      status: 504,
      code: 'UPSTREAM_TIMEOUT',
    });
  });

  it('maps the abort of a timed-out request (ECONNRESET) to 504', () => {
    const error = upstreamError('ucs', failure('ECONNRESET'), true);
    expect(error).toMatchObject({
      status: 504,
      code: 'UPSTREAM_TIMEOUT',
      message: 'The ucs service did not answer in time',
    });
  });

  it.each([['HPE_INVALID_CONSTANT'], ['EPROTO'], [undefined]])('maps anything else (%s) to 502', (code) => {
    const error = upstreamError('gms', failure(code), false);
    expect(error).toMatchObject({ status: 502, code: 'BAD_GATEWAY' });
    expect(error.message).not.toContain('driver text');
  });

  it('copes with a thrown non-error', () => {
    expect(upstreamError('gms', 'boom', false).status).toBe(502);
  });
});
