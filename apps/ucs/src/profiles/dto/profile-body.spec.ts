import { ApiError } from '@cs/platform/core';
import { DEFAULT_PROFILE_SCHEMA, ProfileSchema, parseProfileSchema } from '../../schema/profile-schema';
import { toProfileView } from '../profile-view';
import { parseProfileBody } from './profile-body';

const schema = new ProfileSchema(DEFAULT_PROFILE_SCHEMA);

function error(body: unknown, s = schema): ApiError {
  try {
    parseProfileBody(body, s);
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected an ApiError');
}

describe('parseProfileBody', () => {
  it('matches names case-insensitively and keeps the primary value first', () => {
    expect(
      parseProfileBody(
        { firstname: 'Maria', EmailAddress: ['a@x', 'b@x'], customer_id: 'ignored', Title: null },
        schema,
      ),
    ).toEqual({
      FirstName: ['Maria'],
      EmailAddress: ['a@x', 'b@x'],
    });
  });

  it.each([
    [{ FirstName: 'x', Nope: 'x' }, 400, 'UNKNOWN_ATTRIBUTE'],
    [{ Nope: 'x' }, 400, 'MISSING_PARAMETER'],
    [{ FirstName: [] }, 400, 'MISSING_PARAMETER'],
    [{ DOB: '1962-02-30' }, 400, 'INVALID_ATTRIBUTE_VALUE'],
    [{ FirstName: 3 }, 400, 'INVALID_ATTRIBUTE_VALUE'],
    [['FirstName'], 400, 'MALFORMED_JSON'],
    [{ FirstName: 'a', firstname: 'b' }, 400, 'INVALID_PARAMETER'],
  ])('refuses %j', (body, status, code) => expect(error(body)).toMatchObject({ status, code }));

  it('refuses every write while the core schema is empty', () => {
    expect(error({ FirstName: 'x' }, new ProfileSchema([]))).toMatchObject({
      status: 403,
      code: 'PROFILE_SCHEMA_UNDEFINED',
    });
  });
});

describe('toProfileView', () => {
  it('gives a scalar for one value, an array for several, in schema order', () => {
    expect(toProfileView('id', { EmailAddress: ['a', 'b'], FirstName: ['M'] }, schema)).toEqual({
      customer_id: 'id',
      FirstName: 'M',
      EmailAddress: ['a', 'b'],
    });
  });
});

describe('parseProfileSchema / ProfileSchema.forTenant (spec §3.2)', () => {
  it('reads a default set and per-tenant sets', () => {
    const schema = new ProfileSchema(
      parseProfileSchema(
        JSON.stringify({ default: [{ name: 'Nick' }], '101': [{ name: 'Born', type: 'date' }] }),
      ),
    );
    expect(schema.forTenant('1').attributes).toEqual([{ name: 'Nick', type: 'string' }]);
    expect(schema.forTenant('101').attributes).toEqual([{ name: 'Born', type: 'date' }]);
    expect(schema.forTenant('101').find('born')?.name).toBe('Born');
  });

  it('falls back to the built-in set without a default', () => {
    const schema = new ProfileSchema(parseProfileSchema(JSON.stringify({ '7': [] })));
    expect(schema.forTenant('1').attributes).toBe(DEFAULT_PROFILE_SCHEMA);
    expect(schema.forTenant('7').attributes).toEqual([]);
  });

  it.each([['{"acme": []}'], ['{"default": {}}'], ['"x"'], ['[{"name": "a b"}]']])('refuses %s', (json) => {
    expect(() => parseProfileSchema(json)).toThrow(Error);
  });
});
