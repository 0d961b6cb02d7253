import { asOpenApiDocument, mergeOpenApi } from './merge-openapi';
import type { OpenApiDocument } from './merge-openapi';

const gms: OpenApiDocument = {
  openapi: '3.0.0',
  info: { title: 'gms', version: '1' },
  paths: {
    '/genesys/1/cs/services/start': { post: { tags: ['services'] } },
    '/health/live': { get: { tags: ['health'] } },
  },
  components: { schemas: { Service: { type: 'object' }, ErrorBodyDto: { type: 'object', title: 'gms' } } },
  tags: [{ name: 'services' }, { name: 'health' }],
};
const ucs: OpenApiDocument = {
  openapi: '3.0.0',
  info: { title: 'ucs', version: '1' },
  paths: {
    '/genesys/1/cs/profiles': { post: { tags: ['profiles'] }, get: { tags: ['profiles'] } },
    '/health/live': { get: { tags: ['health'] }, head: {} },
  },
  components: {
    schemas: { Profile: { type: 'object' }, ErrorBodyDto: { type: 'object', title: 'ucs' } },
    parameters: { Tenant: { name: 'ContactCenterId', in: 'header' } },
  },
  tags: [{ name: 'profiles' }, { name: 'health' }],
};

describe('mergeOpenApi', () => {
  it('unites paths, components and tags under one title', () => {
    const merged = mergeOpenApi([
      { upstream: 'gms', document: gms },
      { upstream: 'ucs', document: ucs },
    ]);
    expect(merged.info?.['title']).toBe('Context Services');
    expect(merged.openapi).toBe('3.0.0');
    expect(Object.keys(merged.paths ?? {}).sort()).toEqual([
      '/genesys/1/cs/profiles',
      '/genesys/1/cs/services/start',
      '/health/live',
    ]);
    expect(Object.keys(merged.paths?.['/health/live'] ?? {}).sort()).toEqual(['get', 'head']);
    expect(Object.keys(merged.components?.['schemas'] ?? {}).sort()).toEqual([
      'ErrorBodyDto',
      'Profile',
      'Service',
    ]);
    expect(merged.components?.['schemas']?.['ErrorBodyDto']).toEqual({ type: 'object', title: 'gms' });
    expect(merged.components?.['parameters']).toEqual(ucs.components?.['parameters']);
    expect(merged.tags).toEqual([{ name: 'services' }, { name: 'health' }, { name: 'profiles' }]);
    expect(merged['x-unavailable']).toBeUndefined();
  });

  it('merges what is available and names what is not', () => {
    const merged = mergeOpenApi([
      { upstream: 'gms', document: undefined },
      { upstream: 'ucs', document: ucs },
    ]);
    expect(merged['x-unavailable']).toEqual(['gms']);
    expect(Object.keys(merged.paths ?? {}).sort()).toEqual(['/genesys/1/cs/profiles', '/health/live']);
  });

  it('still answers a valid document when nothing is available', () => {
    const merged = mergeOpenApi([
      { upstream: 'gms', document: undefined },
      { upstream: 'ucs', document: undefined },
    ]);
    expect(merged).toMatchObject({
      openapi: '3.0.0',
      paths: {},
      components: {},
      tags: [],
      'x-unavailable': ['gms', 'ucs'],
    });
  });
});

describe('asOpenApiDocument', () => {
  it('accepts an object with paths', () => {
    expect(asOpenApiDocument(gms)).toBe(gms);
  });

  it.each([undefined, null, 'text', [], { openapi: '3.0.0' }, { paths: null }])('rejects %p', (value) => {
    expect(asOpenApiDocument(value)).toBeUndefined();
  });
});
