import { ApiError } from '@cs/platform/core';
import { IdentificationKey, type KeyDefinition } from '../identification-keys/identification-key';
import { chooseKey, parseIdentifyQuery } from './identify';

const key = (id: number, definition: KeyDefinition) => new IdentificationKey(id, definition);
// Appendix A: K1 idNameDob, K2 idEmail, K3 idSerial.
const keys = [
  key(1, { name: 'idNameDob', source: null, attributes: ['LastName', 'FirstName', 'DOB'], unique: false }),
  key(2, { name: 'idEmail', source: null, attributes: ['EmailAddress'], unique: false }),
  key(3, { name: 'idSerial', source: 'Devices', attributes: ['serial'], unique: true }),
];

function choose(query: string): { key: string; used: number } {
  const choice = chooseKey(keys, parseIdentifyQuery(new URLSearchParams(query).entries()));
  return { key: choice.key.name, used: choice.used };
}

function codeOf(query: string): string {
  try {
    chooseKey(keys, parseIdentifyQuery(new URLSearchParams(query).entries()));
  } catch (error) {
    if (error instanceof ApiError) return error.code;
    throw error;
  }
  return 'none';
}

describe('key inference (spec §4.2, Appendix A)', () => {
  it.each([
    ['LastName=Silva&FirstName=Maria&DOB=1980-01-02', 'idNameDob', 3],
    ['EmailAddress=a@b.c&LastName=Silva', 'idEmail', 1],
    ['LastName=Silva&FirstName=Maria', 'idNameDob', 2],
    ['devices.SERIAL=SN-0001', 'idSerial', 1],
    ['id_key=IDEMAIL&EmailAddress=x', 'idEmail', 1],
  ])('%s → %s using %i attribute(s)', (query, name, used) =>
    expect(choose(query)).toEqual({ key: name, used }),
  );

  it.each([
    ['FirstName=Maria&DOB=1980-01-02', 'NO_IDENTIFICATION_KEY'],
    ['serial=SN-0001', 'NO_IDENTIFICATION_KEY'],
    ['id_key=idNameDob&LastName=Silva', 'INCOMPLETE_IDENTIFICATION_KEY'],
    ['id_key=idNope&LastName=Silva', 'UNKNOWN_IDENTIFICATION_KEY'],
    ['include_profile=yes', 'MISSING_PARAMETER'],
    ['LastName=x&include_profile=maybe', 'INVALID_PARAMETER'],
    ['LastName=x&include_extensions=never', 'INVALID_PARAMETER'],
  ])('%s → %s', (query, code) => expect(codeOf(query)).toBe(code));

  it('breaks score ties by the lowest key id', () => {
    const tied = [
      key(5, { name: 'b', source: null, attributes: ['LastName', 'Title'], unique: false }),
      key(4, { name: 'a', source: null, attributes: ['LastName', 'DOB'], unique: false }),
    ].sort((x, y) => x.id - y.id);
    const choice = chooseKey(tied, parseIdentifyQuery(new URLSearchParams('LastName=S').entries()));
    expect(choice.key.name).toBe('a');
  });
});
