import { ExtensionSelector, MAX_STORED_EXTENSIONS_BYTES, mergeExtensions } from './extensions';

const ext = { A: 1, B: 2, Feedback: 3 };

describe('ExtensionSelector', () => {
  it('returns nothing when the parameter is absent or empty', () => {
    expect(ExtensionSelector.parse(undefined).pick('Service', ext, true)).toEqual({});
    expect(ExtensionSelector.parse('').pick('Service', ext, true)).toEqual({});
  });

  it('selects plain names on the top-level kind only', () => {
    const s = ExtensionSelector.parse('A');
    expect(s.pick('Service', ext, true)).toEqual({ A: 1 });
    expect(s.pick('State', ext, false)).toEqual({});
  });

  it('selects Kind.Name anywhere, and everything with Kind, Kind.* or *', () => {
    expect(ExtensionSelector.parse('State.Feedback').pick('State', ext, false)).toEqual({ Feedback: 3 });
    expect(ExtensionSelector.parse('State.Feedback').pick('Service', ext, true)).toEqual({});
    expect(ExtensionSelector.parse('State').pick('State', ext, false)).toEqual(ext);
    expect(ExtensionSelector.parse('Service.*').pick('Service', ext, true)).toEqual(ext);
    expect(ExtensionSelector.parse('*').pick('Task', ext, false)).toEqual(ext);
  });

  it('treats a repeated parameter as one comma list and matches case-sensitively', () => {
    expect(ExtensionSelector.parse(['A', 'B, feedback']).pick('Service', ext, true)).toEqual({ A: 1, B: 2 });
  });
});

describe('mergeExtensions (spec §2.7 per-key merge)', () => {
  it('writes the added keys over the stored ones and keeps the others', () => {
    expect(JSON.parse(mergeExtensions('{"A":1,"B":{"x":1}}', { B: [1], C: 'c' }))).toEqual({
      A: 1,
      B: [1],
      C: 'c',
    });
  });

  it('refuses with 413 a result too large to store, instead of failing in the database', () => {
    const stored = JSON.stringify({ A: 'a'.repeat(MAX_STORED_EXTENSIONS_BYTES - 100) });
    expect(() => mergeExtensions(stored, { B: 'b'.repeat(200) })).toThrow(
      expect.objectContaining({ status: 413, code: 'PAYLOAD_TOO_LARGE' }),
    );
    expect(() => mergeExtensions(stored, { A: 'small' })).not.toThrow();
  });
});
