import { attributeTypeOf, toOutputValue, toStoredValue, ValueError } from './attribute-types';

describe('attributeTypeOf (spec §3.5)', () => {
  it.each([
    ['String', 'string'],
    ['DATETIME', 'datetime'],
    ['bool', 'boolean'],
    [' Currency ', 'currency'],
  ])('reads %j as %s', (raw, type) => expect(attributeTypeOf(raw)).toBe(type));

  it.each(['blob', '', 3, null])('refuses %j', (raw) => expect(attributeTypeOf(raw)).toBeUndefined());
});

describe('toStoredValue (spec §2.4)', () => {
  it.each([
    ['integer', '42', 42],
    ['integer', -7, -7],
    ['long', '9007199254740993', '9007199254740993'],
    ['long', '12', 12],
    ['double', '0.25', 0.25],
    ['currency', '012.50', '12.5'],
    ['currency', 3, '3'],
    ['currency', '-0.00', '0'],
    ['currency', '1e2', '100'],
    ['boolean', 'FALSE', false],
    ['boolean', true, true],
    ['date', '2024-02-29', '2024-02-29'],
    ['datetime', '1981-03-17T04:00:00+02:00', '1981-03-17T02:00:00.000Z'],
    ['string', 'abc', 'abc'],
  ] as const)('%s %j → %j', (type, value, stored) => expect(toStoredValue(type, value)).toEqual(stored));

  it.each([
    ['integer', 1.5],
    ['integer', '2147483648'],
    ['long', '9223372036854775808'],
    ['double', 'x'],
    ['currency', 'ten'],
    ['boolean', 'yes'],
    ['date', '2023-02-29'],
    ['datetime', '1981-03-17 02:00'],
    ['string', 5],
  ] as const)('%s refuses %j', (type, value) => expect(() => toStoredValue(type, value)).toThrow(ValueError));

  it('checks string length in characters', () => {
    expect(toStoredValue('string', 'ééé', 3)).toBe('ééé');
    expect(() => toStoredValue('string', 'éééé', 3)).toThrow(ValueError);
  });

  it('emits currency as a JSON number', () => {
    expect(toOutputValue('currency', '12.5')).toBe(12.5);
    expect(toOutputValue('string', '12.5')).toBe('12.5');
  });
});
