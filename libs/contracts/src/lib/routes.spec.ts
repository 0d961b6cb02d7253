import { ROUTE_TABLE, routeFor } from './routes';

const BASE = '/genesys/1/cs';
const route = (path: string) => routeFor(`${BASE}${path}`, BASE);

describe('routeFor', () => {
  it('keeps the table of ARCHITECTURE §4 in its order', () => {
    expect(ROUTE_TABLE.map((row) => `${row.pattern} ${row.upstream}`)).toEqual([
      '/services/{id}/interactions ucs',
      '/customers/{id}/interactions ucs',
      '/interactions/** ucs',
      '/profiles/** ucs',
      '/metadata/** ucs',
      '/server/** ucs',
      '/services/** gms',
      '/customers/{id}/services/** gms',
      '/maintenance/** gms',
    ]);
  });

  describe.each([
    [
      '/services/{id}/interactions',
      ['/services/42-abc/interactions', '/services/%2B331/interactions'],
      'ucs',
    ],
    ['/customers/{id}/interactions', ['/customers/CUST-1/interactions'], 'ucs'],
    [
      '/interactions, /interactions/**',
      ['/interactions', '/interactions/I1', '/interactions/I1/plain_text'],
      'ucs',
    ],
    [
      '/profiles, /profiles/**',
      ['/profiles', '/profiles/P1', '/profiles/P1/extensions/Devices/by/unique', '/profiles/P1/merge/P2'],
      'ucs',
    ],
    [
      '/metadata, /metadata/**',
      [
        '/metadata',
        '/metadata/profiles',
        '/metadata/profiles/extensions/Devices',
        '/metadata/identification-keys/k',
      ],
      'ucs',
    ],
    ['/server/**', ['/server', '/server/mode', '/server/status'], 'ucs'],
    [
      '/services/**',
      [
        '/services',
        '/services/start',
        '/services/S1',
        '/services/S1/end',
        '/services/anonymous/%2B33155550123/active',
        '/services/S1/states/3/extensions/Feedback',
        '/services/S1/tasks/2/end',
      ],
      'gms',
    ],
    [
      '/customers/{id}/services, /customers/{id}/services/**',
      [
        '/customers/C1/services',
        '/customers/C1/services/active',
        '/customers/C1/services/completed',
        '/customers/C1/services/S1',
      ],
      'gms',
    ],
    [
      '/maintenance/**',
      ['/maintenance', '/maintenance/purge', '/maintenance/services/stream', '/maintenance/services/files'],
      'gms',
    ],
  ] as const)('row %s', (_row, paths, upstream) => {
    it.each(paths)(`routes %s to ${upstream}`, (path) => {
      expect(route(path)).toBe(upstream);
    });
  });

  describe('precedence (first match wins)', () => {
    it('sends the interactions of a service to ucs although /services/** belongs to gms', () => {
      expect(route('/services/S1/interactions')).toBe('ucs');
      expect(route('/services/S1')).toBe('gms');
    });

    it('sends deeper paths below a service interactions to gms (the ucs row is exact)', () => {
      expect(route('/services/S1/interactions/I1')).toBe('gms');
    });

    it('splits /customers/{id} between ucs (interactions) and gms (services)', () => {
      expect(route('/customers/C1/interactions')).toBe('ucs');
      expect(route('/customers/C1/services')).toBe('gms');
    });

    it('does not route other /customers paths', () => {
      expect(route('/customers')).toBeUndefined();
      expect(route('/customers/C1')).toBeUndefined();
      expect(route('/customers/C1/profiles')).toBeUndefined();
      expect(route('/customers/C1/interactions/I1')).toBeUndefined();
    });
  });

  describe('{id} is one non-empty segment', () => {
    it('does not match an empty id', () => {
      expect(route('/customers//interactions')).toBeUndefined();
      expect(route('/customers//services')).toBeUndefined();
      expect(route('/services//interactions')).toBe('gms'); // falls through to /services/**
    });

    it('does not match an id spanning two segments', () => {
      expect(route('/customers/a/b/interactions')).toBeUndefined();
      expect(route('/services/a/b/interactions')).toBe('gms');
    });
  });

  describe('trailing slash', () => {
    it.each([
      ['/services/S1/interactions/', 'ucs'],
      ['/customers/C1/interactions/', 'ucs'],
      ['/interactions/', 'ucs'],
      ['/profiles/', 'ucs'],
      ['/metadata/identification-keys/', 'ucs'],
      ['/server/mode/', 'ucs'],
      ['/services/', 'gms'],
      ['/services/start/', 'gms'],
      ['/customers/C1/services/', 'gms'],
      ['/maintenance/purge/', 'gms'],
    ])('tolerates %s', (path, upstream) => {
      expect(route(path)).toBe(upstream);
    });
  });

  describe('not routed', () => {
    it.each([
      `${BASE}${BASE}/services/S1/states`,
      `${BASE}${BASE}/customers/C1/services/S1`,
      `${BASE}${BASE}/profiles`,
    ])('refuses the doubled prefix %s', (path) => {
      expect(routeFor(path, BASE)).toBeUndefined();
    });

    it.each([
      BASE,
      `${BASE}/`,
      `${BASE}/unknown`,
      `${BASE}/servicesX`,
      `${BASE}/profilesX/1`,
      `${BASE}/serverX`,
    ])('has no route for %s', (path) => {
      expect(routeFor(path, BASE)).toBeUndefined();
    });

    it.each(['/services/S1', '/profiles', '/genesys/1/csX/profiles', '/genesys/1/profiles', '/'])(
      'requires the base path (%s)',
      (path) => {
        expect(routeFor(path, BASE)).toBeUndefined();
      },
    );

    it('is case-sensitive', () => {
      expect(route('/Profiles')).toBeUndefined();
      expect(routeFor('/GENESYS/1/cs/profiles', BASE)).toBeUndefined();
    });

    it.each(['/services/../profiles', '/profiles/./P1', '/services/S1/..'])(
      'refuses dot segments (%s)',
      (path) => {
        expect(route(path)).toBeUndefined();
      },
    );
  });

  it('honours another base path', () => {
    expect(routeFor('/cs/profiles/P1', '/cs')).toBe('ucs');
    expect(routeFor('/cs/services/start', '/cs')).toBe('gms');
    expect(routeFor('/genesys/1/cs/profiles/P1', '/cs')).toBeUndefined();
  });
});
