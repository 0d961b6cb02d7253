import { ApiError } from '@cs/platform/core';
import { csvField, csvRow } from './csv';
import { exportBaseName } from './export-files';
import { parseFilesRequest, parseStreamRequest } from './export-request';
import { parsePurgeRequest } from './purge-request';

const code = (run: () => unknown): string | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof ApiError ? error.code : 'not an ApiError';
  }
};

describe('CSV fields (spec §4.27, RFC 4180)', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\r\nlines', '"two\r\nlines"'],
    ['lf\nonly', '"lf\nonly"'],
    [12, '12'],
    [null, ''],
    [undefined, ''],
    [{ a: 'x,y' }, '"{""a"":""x,y""}"'],
  ])('%j → %s', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('ends each record with CRLF', () => {
    expect(csvRow(['a', 'b,c', null])).toBe('a,"b,c",\r\n');
  });
});

describe('export file names (spec §4.27)', () => {
  it('uses export<yyyyMMdd_HHmmss_SSS> in UTC', () => {
    expect(exportBaseName(new Date('2014-08-13T16:05:08.183Z'))).toBe('export20140813_160508_183');
    expect(exportBaseName(new Date('2024-01-02T03:04:05.006Z'))).toBe('export20240102_030405_006');
  });
});

describe('purge input (spec §4.25)', () => {
  const limit = '2023-01-01T00:00:00.000Z';
  it('reads the body, falling back to the query only without a body', () => {
    expect(parsePurgeRequest({ limit, operation: 'purge.service.completed.anonymous' }, {})).toEqual({
      limit: Date.parse(limit),
      status: 'completed',
      anonymousOnly: true,
    });
    expect(parsePurgeRequest(undefined, { limit, operation: 'purge.service.all' })).toMatchObject({
      status: 'any',
      anonymousOnly: false,
    });
    expect(parsePurgeRequest({}, { limit, operation: 'purge.service.started' })).toMatchObject({
      status: 'active',
    });
    expect(
      parsePurgeRequest({ limit, operation: 'purge.service.started' }, { operation: 'purge.service.all' }),
    ).toMatchObject({ status: 'active' });
  });

  it.each([
    [{ operation: 'purge.service.all' }, {}, 'MISSING_FIELD'],
    [{ limit }, {}, 'MISSING_FIELD'],
    [{ limit: 'soon', operation: 'purge.service.all' }, {}, 'INVALID_VALUE'],
    [{ limit, operation: 'purge.all' }, {}, 'INVALID_VALUE'],
    [{ limit, operation: 'toString' }, {}, 'INVALID_VALUE'],
    [[limit], {}, 'MALFORMED_JSON'],
    [undefined, {}, 'MISSING_PARAMETER'],
    [undefined, { limit: 'soon', operation: 'purge.service.all' }, 'INVALID_PARAMETER'],
  ])('rejects %j / %j with %s', (body, query, expected) => {
    expect(code(() => parsePurgeRequest(body, query))).toBe(expected);
  });
});

describe('export selection (spec §4.26, §4.27)', () => {
  const now = Date.parse('2024-03-05T00:00:00.000Z');
  it('defaults time_to to now, filters to any, content off, format csv', () => {
    expect(parseStreamRequest({ time_from: '2024-03-04T00:00:00Z' }, now)).toEqual({
      selection: { from: Date.parse('2024-03-04T00:00:00Z'), to: now, events: 'any', state: 'any' },
      content: false,
    });
    expect(parseFilesRequest({ time_from: '2024-03-04T00:00:00Z', filter_state: 'inactive' }, now)).toEqual({
      selection: { from: Date.parse('2024-03-04T00:00:00Z'), to: now, events: 'any', state: 'inactive' },
      format: 'csv',
    });
  });

  it('ignores filter_state on the stream unless export_content=true (spec §5 item 40)', () => {
    const query = { time_from: '2024-03-04T00:00:00Z', filter_state: 'active' };
    expect(parseStreamRequest(query, now).selection.state).toBe('any');
    expect(parseStreamRequest({ ...query, export_content: 'true' }, now).selection.state).toBe('active');
  });

  it.each([
    [{}, 'MISSING_PARAMETER'],
    [{ time_from: 'x' }, 'INVALID_PARAMETER'],
    [{ time_from: '2024-03-04T00:00:00Z', time_to: '2024-03-03T00:00:00Z' }, 'INVALID_PARAMETER'],
    [{ time_from: '2024-03-04T00:00:00Z', filter_events: 'all' }, 'INVALID_PARAMETER'],
    [{ time_from: ['2024-03-04T00:00:00Z', '2024-03-04T00:00:00Z'] }, 'INVALID_PARAMETER'],
  ])('rejects %j with %s', (query, expected) => {
    expect(code(() => parseStreamRequest(query, now))).toBe(expected);
  });
});
