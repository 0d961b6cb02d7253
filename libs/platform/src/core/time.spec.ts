import { formatDateTime, parseDateTime } from './time';

describe('parseDateTime', () => {
  it('accepts the millisecond Z form and normalises offsets to UTC', () => {
    expect(parseDateTime('2014-09-02T08:00:00.000Z')).toBe(Date.UTC(2014, 8, 2, 8));
    expect(parseDateTime('2014-09-02T08:00:00Z')).toBe(Date.UTC(2014, 8, 2, 8));
    expect(parseDateTime('2014-09-02T10:00:00.000+02:00')).toBe(Date.UTC(2014, 8, 2, 8));
  });

  it.each([
    '2016-Dec-05T10:00:00.000Z',
    '2021-02-30T00:00:00Z',
    '2021-01-01T00:00:00',
    '2021-01-01',
    '',
    '2021-13-01T00:00:00Z',
  ])('rejects %p', (value) => expect(parseDateTime(value)).toBeUndefined());

  it('formats with milliseconds and Z', () => {
    expect(formatDateTime(Date.UTC(2014, 8, 2, 8))).toBe('2014-09-02T08:00:00.000Z');
  });
});
