import { IdentificationKey } from './identification-key';
import { entriesOf, tupleHash } from './key-index';

describe('entriesOf (spec §4.2, §4.15, A-03)', () => {
  const profileKey = new IdentificationKey(1, {
    name: 'k',
    source: null,
    attributes: ['LastName', 'EmailAddress'],
    unique: true,
  });
  const extensionKey = new IdentificationKey(2, {
    name: 'e',
    source: 'Devices',
    attributes: ['model', 'slots'],
    unique: false,
  });

  it('indexes every prefix and one tuple per combination of core values', () => {
    const entries = entriesOf([profileKey], {
      core: { LastName: ['Silva'], EmailAddress: ['a@x', 'b@x'] },
      records: new Map(),
    });
    expect(entries).toEqual(
      expect.arrayContaining([
        { keyId: 1, prefixLen: 1, hash: tupleHash(['Silva']) },
        { keyId: 1, prefixLen: 2, hash: tupleHash(['Silva', 'a@x']) },
        { keyId: 1, prefixLen: 2, hash: tupleHash(['Silva', 'b@x']) },
      ]),
    );
    expect(entries).toHaveLength(3);
  });

  it('stops at the first attribute without a value', () => {
    expect(entriesOf([profileKey], { core: { EmailAddress: ['a@x'] }, records: new Map() })).toEqual([]);
  });

  it('indexes one tuple per extension record, never mixing records', () => {
    const entries = entriesOf([extensionKey], {
      core: {},
      records: new Map([
        [
          'devices',
          [
            { model: 'X', slots: 2 },
            { model: 'Y', slots: 4 },
          ],
        ],
      ]),
    });
    const full = entries.filter((e) => e.prefixLen === 2).map((e) => e.hash);
    expect(full.sort()).toEqual([tupleHash(['X', 2]), tupleHash(['Y', 4])].sort());
    expect(full).not.toContain(tupleHash(['X', 4]));
  });

  it('compares exactly: case and type matter', () => {
    expect(tupleHash(['a'])).not.toBe(tupleHash(['A']));
    expect(tupleHash([4])).not.toBe(tupleHash(['4']));
  });
});
