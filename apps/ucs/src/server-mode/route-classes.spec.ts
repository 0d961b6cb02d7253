import { classifyRoute, isExtensionSchemaCreate } from './route-classes';

describe('classifyRoute (spec §2.9 matrix)', () => {
  it.each([
    ['POST', '/profiles', 'data'],
    ['GET', '/profiles', 'data'],
    ['PUT', '/profiles/X/extensions/Devices/by/unique', 'data'],
    ['PUT', '/profiles/X/merge/Y/', 'data'],
    ['DELETE', '/profiles/X', 'data'],
    ['GET', '/customers/X/interactions', 'data'],
    ['GET', '/services/S/interactions', 'data'],
    ['GET', '/interactions/I/binary_content', 'data'],
    ['GET', '/metadata', 'schema-read'],
    ['GET', '/metadata/', 'schema-read'],
    ['GET', '/metadata/profiles', 'schema-read'],
    ['GET', '/Metadata/Profiles/Extensions/Devices', 'schema-read'],
    ['GET', '/metadata/identification-keys/idEmail', 'schema-read'],
    ['POST', '/metadata/profiles/extensions', 'schema-write'],
    ['POST', '/metadata/profiles/extensions/', 'schema-write'],
    ['DELETE', '/metadata/profiles/extensions/Devices', 'schema-write'],
    ['POST', '/metadata/identification-keys', 'schema-write'],
    ['DELETE', '/metadata/identification-keys/idEmail', 'schema-write'],
    ['POST', '/server/mode', 'control'],
    ['GET', '/server/status', 'control'],
    ['GET', '/health/live', 'control'],
  ])('%s %s → %s', (method, path, expected) => {
    expect(classifyRoute(method, path)).toBe(expected);
  });

  it('A-07: only S2 is the extension-schema create', () => {
    expect(isExtensionSchemaCreate('POST', '/metadata/profiles/extensions/')).toBe(true);
    expect(isExtensionSchemaCreate('post', '/Metadata/Profiles/Extensions')).toBe(true);
    expect(isExtensionSchemaCreate('DELETE', '/metadata/profiles/extensions/X')).toBe(false);
    expect(isExtensionSchemaCreate('POST', '/metadata/identification-keys')).toBe(false);
  });
});
