import { FieldReader, invalidValue } from '../../events/field-reader';

/**
 * The explicit expiration of a body (spec §1.7, §3.2, §4.13): `ttl` seconds from now wins and then
 * `expiration_time` is ignored; otherwise `expiration_time`, which must be later than now.
 */
export function readExplicitExpiration(reader: FieldReader, receivedAt: number): number | undefined {
  const ttl = reader.integer('ttl', 1, Math.floor(Number.MAX_SAFE_INTEGER / 1000));
  if (ttl !== undefined) return receivedAt + ttl * 1000;
  const expirationTime = reader.dateTime('expiration_time');
  if (expirationTime !== undefined && expirationTime <= receivedAt) {
    throw invalidValue('expiration_time', 'must be later than now');
  }
  return expirationTime;
}
