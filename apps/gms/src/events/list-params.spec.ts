import { dateParam, integerListParam, typeFilter } from './list-params';
import { parseIdParam } from './id-param';

describe('list query parameters', () => {
  it('matches type items as strings: a numeric item also matches the integer id', () => {
    expect(typeFilter({ service_types: 'Billing, 5' }, 'service_types')).toEqual(['"Billing"', '"5"', '5']);
    expect(typeFilter({ service_types: ['A', 'B'] }, 'service_types')).toEqual(['"A"', '"B"']);
    expect(typeFilter({ service_types: ' , ' }, 'service_types')).toBeUndefined();
    expect(typeFilter({}, 'service_types')).toBeUndefined();
  });

  it('parses date-times and names the parameter when it cannot', () => {
    expect(dateParam({ started_from: '2024-03-04T09:00:00Z' }, 'started_from')).toBe(
      Date.parse('2024-03-04T09:00:00.000Z'),
    );
    expect(() => dateParam({ started_from: '2024-03-04' }, 'started_from')).toThrow(/'started_from'/);
  });

  it('reads an integer or a comma list of integers', () => {
    expect(integerListParam({ state_id: '3' }, 'state_id')).toEqual([3]);
    expect(integerListParam({ state_id: ['1,2', '4'] }, 'state_id')).toEqual([1, 2, 4]);
    expect(() => integerListParam({ state_id: '1,b' }, 'state_id')).toThrow(/'state_id'/);
    expect(() => integerListParam({ state_id: { a: '1' } }, 'state_id')).toThrow(/'state_id'/);
  });

  it('accepts only decimal 32-bit ids in paths', () => {
    expect(parseIdParam('task_id', '42')).toBe(42);
    for (const raw of ['', 'x', '1e3', '0x10', '-2', '2147483648']) {
      expect(() => parseIdParam('task_id', raw)).toThrow(/'task_id'/);
    }
  });
});
