import { parseTransition } from './transition';

const NOW = Date.parse('2024-03-04T09:00:00.000Z');

describe('parseTransition (spec §3.8)', () => {
  it('shares the common event fields, keeps from/to members apart and takes other keys as extensions', () => {
    const input = parseTransition(
      {
        from: { state_id: '2', disposition: 'AgentFound' },
        to: { state_type: 8, est_duration: 600 },
        interaction_id: 'IX',
        state_type: 'ignored at top level',
        Offer: { a: 1 },
      },
      NOW,
    );
    expect(input).toEqual({
      fromStateId: 2,
      disposition: 'AgentFound',
      dispositionDesc: undefined,
      stateType: 8,
      estDuration: 600,
      event: { fields: { interaction_id: 'IX', timestamp: '2024-03-04T09:00:00.000Z' }, timestampMs: NOW },
      extensions: { Offer: { a: 1 } },
    });
  });

  it('names the prefixed field in errors', () => {
    expect(() => parseTransition({ from: { state_id: 0 }, to: {} }, NOW)).toThrow(/'from\.state_id'/);
    expect(() => parseTransition({ from: { state_id: 1 }, to: [] }, NOW)).toThrow(/'to'/);
    expect(() => parseTransition({ from: { state_id: 1 } }, NOW)).toThrow(/Missing mandatory field 'to'/);
  });
});
