import { checkExtension } from './extensions';
import { reservedExtensionName } from './errors';
import { invalidValue } from './field-reader';

/**
 * Validates `PUT .../extensions/{ext_name}` (spec §4.4, §4.19, §4.24): a non-reserved, non-empty name
 * and any JSON value except null. Returns the value to store.
 */
export function checkExtensionUpdate(name: string, value: unknown, reserved: ReadonlySet<string>): unknown {
  if (reserved.has(name)) throw reservedExtensionName(name);
  if (value === undefined) throw invalidValue(name, 'the request body must hold the extension value');
  checkExtension(name, value);
  return value;
}
