import { jsonShapeError, MAX_JSON_DEPTH } from './json-shape';

const nested = (levels: number) => JSON.parse('['.repeat(levels) + ']'.repeat(levels)) as unknown;

describe('jsonShapeError', () => {
  it('accepts ordinary values and exactly MAX_JSON_DEPTH levels', () => {
    expect(jsonShapeError({ a: [1, 'x', null, true, { b: -0 }] })).toBeUndefined();
    expect(jsonShapeError(nested(MAX_JSON_DEPTH))).toBeUndefined();
    expect(jsonShapeError('text')).toBeUndefined();
  });

  it('rejects one level more, and 100 000 levels without overflowing the stack', () => {
    expect(jsonShapeError(nested(MAX_JSON_DEPTH + 1))).toMatchObject({ status: 400, code: 'MALFORMED_JSON' });
    expect(jsonShapeError(nested(100_000))?.message).toContain(`nested deeper than ${MAX_JSON_DEPTH} levels`);
  });

  it('names the path of a number beyond the double range', () => {
    expect(jsonShapeError(JSON.parse('{"a":{"b":[0,1e309]}}'))?.message).toBe(
      "Invalid JSON body: the number at 'a.b[1]' is out of range",
    );
    expect(jsonShapeError(JSON.parse('-1e400'))?.message).toContain("'(body)'");
  });
});
