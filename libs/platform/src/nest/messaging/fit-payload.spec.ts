import { fitToPayload } from './fit-payload';

const envelope = (data: unknown) => ({
  id: 'e1',
  type: 'cs.gms.service.started',
  occurred_at: '2026-11-30T00:00:00.000Z',
  tenant: '1',
  data,
});

describe('fitToPayload', () => {
  it('returns an envelope that fits as it is', () => {
    const small = envelope({ service_id: 's1' });
    expect(fitToPayload(small, 10_000)).toBe(small);
  });

  it('leaves out the largest top-level fields first and names them in meta.omitted', () => {
    const big = envelope({
      service_id: 's1',
      started: { timestamp: '2026-11-30T00:00:00.000Z', interaction_id: 'i1' },
      Huge: 'x'.repeat(5000),
      Large: 'y'.repeat(3000),
      Small: 'z'.repeat(10),
    });
    const fitted = fitToPayload(big, 4000);
    expect(fitted?.meta).toEqual({ omitted: ['Huge'] });
    expect(fitted?.data).toEqual({
      service_id: 's1',
      started: { timestamp: '2026-11-30T00:00:00.000Z', interaction_id: 'i1' },
      Large: 'y'.repeat(3000),
      Small: 'z'.repeat(10),
    });
    expect(Buffer.byteLength(JSON.stringify(fitted))).toBeLessThanOrEqual(4000);

    const tighter = fitToPayload(big, 1000);
    expect(tighter?.meta).toEqual({ omitted: ['Huge', 'Large'] });
    expect(tighter?.data).toMatchObject({ service_id: 's1', started: { interaction_id: 'i1' } });
  });

  it('keeps existing meta next to omitted', () => {
    const big = { ...envelope({ a: 'x'.repeat(2000), id: 'k' }), meta: { reason: 'merge' } };
    expect(fitToPayload(big, 500)?.meta).toEqual({ reason: 'merge', omitted: ['a'] });
  });

  it('gives up when even the bare envelope is over the limit', () => {
    expect(fitToPayload(envelope({ a: 'x'.repeat(2000) }), 50)).toBeUndefined();
    expect(fitToPayload(envelope('x'.repeat(2000)), 500)).toBeUndefined();
  });
});
