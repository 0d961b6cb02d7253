import request from 'supertest';
import { expectErrorResponse, testBackends } from '@cs/testing';
import { startUcs, type StartedUcs } from './start-ucs';

const BASE = '/genesys/1/cs';
const UCS_EXCEPTION = 'com.genesyslab.cs.ucs.ProfileException';

/** Spec §4.17 / A-26: exactly these three members. */
const index = (origin: string) => ({
  'profiles schema': `${origin}${BASE}/metadata/profiles`,
  'profiles extensions': `${origin}${BASE}/metadata/profiles/extensions`,
  'identification-keys schemas': `${origin}${BASE}/metadata/identification-keys`,
});

/** Anchors of the HTML page, in order: [href, text]. */
function anchors(html: string): [string, string][] {
  return [...html.matchAll(/<a href="([^"]*)">([^<]*)<\/a><br\/>/g)].map((m) => [m[1], m[2]]);
}

describe.each(testBackends().map((b) => [b.name, b] as const))('ucs metadata index (%s)', (_, backend) => {
  let ucs: StartedUcs;

  beforeAll(async () => {
    ucs = await startUcs(backend);
  });

  afterAll(async () => {
    await ucs?.close();
  });

  const getMetadata = (headers: Record<string, string> = {}) =>
    request(ucs.url).get(`${BASE}/metadata`).set(headers);

  describe('§4.17 S8 — GET /metadata', () => {
    it('answers JSON by default: resource names → absolute URLs built from the request host', async () => {
      const res = await getMetadata();
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual(index(ucs.url));
    });

    it('answers JSON for Content-Type: application/json, even when Accept asks for HTML', async () => {
      const res = await getMetadata({ 'Content-Type': 'application/json', Accept: 'text/html' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual(index(ucs.url));
    });

    it('answers the HTML page for Content-Type: text/html: heading "Available Resources", one link per resource', async () => {
      const res = await getMetadata({
        'Content-Type': 'text/html; charset=UTF-8',
        Accept: 'application/json',
      });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toContain('<h1>Available Resources</h1>');
      expect(anchors(res.text)).toEqual(Object.entries(index(ucs.url)).map(([name, url]) => [url, name]));
    });

    it('§2.2 falls back to Accept when Content-Type is missing', async () => {
      const html = await getMetadata({ Accept: 'application/json;q=0.5, text/html' });
      expect(html.headers['content-type']).toMatch(/^text\/html/);
      expect(anchors(html.text)).toHaveLength(3);
      const json = await getMetadata({ Accept: 'text/html;q=0.2, application/json;q=0.9' });
      expect(json.body).toEqual(index(ucs.url));
      const neither = await getMetadata({ Accept: 'text/plain' });
      expect(neither.status).toBe(200);
      expect(neither.body).toEqual(index(ucs.url));
    });

    it('answers 415 UNSUPPORTED_MEDIA_TYPE for another Content-Type', async () => {
      const res = await getMetadata({ 'Content-Type': 'text/plain' });
      expectErrorResponse(res, {
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        method: 'GET',
        uri: `${BASE}/metadata`,
        exception: UCS_EXCEPTION,
      });
    });

    it('tolerates a trailing slash', async () => {
      const res = await request(ucs.url).get(`${BASE}/metadata/`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(index(ucs.url));
    });

    it('ignores X-Forwarded-* unless CS_TRUST_PROXY=true', async () => {
      const res = await getMetadata({ 'X-Forwarded-Host': 'cs.example:8443', 'X-Forwarded-Proto': 'https' });
      expect(res.body).toEqual(index(ucs.url));
    });
  });
});

describe.each(testBackends().map((b) => [b.name, b] as const))(
  'ucs metadata index behind a proxy (%s)',
  (_, backend) => {
    it('§4.17 CS_TRUST_PROXY=true: links use X-Forwarded-Proto and X-Forwarded-Host', async () => {
      const ucs = await startUcs(backend, { CS_TRUST_PROXY: 'true' });
      try {
        const res = await request(ucs.url)
          .get(`${BASE}/metadata`)
          .set({ 'X-Forwarded-Host': 'cs.example:8443', 'X-Forwarded-Proto': 'https' });
        expect(res.body).toEqual(index('https://cs.example:8443'));
        const html = await request(ucs.url).get(`${BASE}/metadata`).set({
          'Content-Type': 'text/html',
          'X-Forwarded-Host': 'cs.example',
          'X-Forwarded-Proto': 'https',
        });
        expect(anchors(html.text)[0]).toEqual([
          `https://cs.example${BASE}/metadata/profiles`,
          'profiles schema',
        ]);
      } finally {
        await ucs.close();
      }
    });
  },
);
