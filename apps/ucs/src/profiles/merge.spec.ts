import { ApiError } from '@cs/platform/core';
import { ExtensionSchema } from '../schema/extension-schema';
import { mergeStates, parseMergeBody } from './merge';

const phones = new ExtensionSchema(1, {
  name: 'Phones',
  type: 'multi-valued',
  required: false,
  unique: ['number'],
  attributes: [
    { name: 'number', type: 'string', mandatory: false },
    { name: 'label', type: 'string', mandatory: false },
  ],
});
const loyalty = new ExtensionSchema(2, {
  name: 'Loyalty',
  type: 'single-valued',
  required: false,
  unique: [],
  attributes: [{ name: 'tier', type: 'string', mandatory: false }],
});

describe('mergeStates (spec §4.8 rules 1–3)', () => {
  const destination = {
    core: { FirstName: ['Maria'], EmailAddress: ['a@x', 'b@x'] },
    records: new Map([
      [
        'phones',
        [
          { number: '1', label: 'd1' },
          { number: '2', label: 'd2' },
        ],
      ],
      ['loyalty', [{ tier: 'dst' }]],
    ]),
  };
  const source = {
    core: { FirstName: ['maria', 'Maria'], EmailAddress: ['b@x', 'c@x'], LastName: ['Silva'] },
    records: new Map([
      [
        'phones',
        [
          { number: '2', label: 's2' },
          { number: '3', label: 's3' },
        ],
      ],
      ['loyalty', [{ tier: 'src' }]],
    ]),
  };

  it('keeps the destination on conflicts by default and appends new source values', () => {
    const merged = mergeStates(destination, source, [phones, loyalty], false);
    expect(merged.core).toEqual({
      FirstName: ['Maria', 'maria'],
      EmailAddress: ['a@x', 'b@x', 'c@x'],
      LastName: ['Silva'],
    });
    expect(merged.records.get('phones')).toEqual([
      { number: '1', label: 'd1' },
      { number: '2', label: 'd2' },
      { number: '3', label: 's3' },
    ]);
    expect(merged.records.get('loyalty')).toEqual([{ tier: 'dst' }]);
  });

  it('keeps the source on conflicts with keep_uniq_from_src', () => {
    const merged = mergeStates(destination, source, [phones, loyalty], true);
    expect(merged.records.get('phones')).toEqual([
      { number: '1', label: 'd1' },
      { number: '2', label: 's2' },
      { number: '3', label: 's3' },
    ]);
    expect(merged.records.get('loyalty')).toEqual([{ tier: 'src' }]);
  });
});

describe('parseMergeBody (spec §4.8, A-22)', () => {
  it.each([
    [undefined, { keepUniqFromSrc: false, keepActiveServiceOnly: false }],
    [{}, { keepUniqFromSrc: false, keepActiveServiceOnly: false }],
    [{ force_merge: true }, { keepUniqFromSrc: true, keepActiveServiceOnly: false }],
    [
      { keep_active_service_only: true, agent_id: '7' },
      { keepUniqFromSrc: false, keepActiveServiceOnly: true },
    ],
  ])('%j → %j', (body, options) => expect(parseMergeBody(body)).toEqual(options));

  it.each([[[]], ['x'], [null], [true], [{ keep_uniq_from_src: 'true' }], [{ reason: 5 }]])(
    'refuses %j',
    (body) => {
      expect(() => parseMergeBody(body)).toThrow(ApiError);
    },
  );
});
