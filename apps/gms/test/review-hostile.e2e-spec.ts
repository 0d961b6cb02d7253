/**
 * Hostile-input review of the gms Service API (spec /work/shared/spec/gms-services.md §2.3, §2.7,
 * §4.1, §4.4, §4.13; ARCHITECTURE §5): each test pins a bug found by probing the running app from
 * outside, and checks that the rejected request changed nothing.
 */
import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import request from 'supertest';
import { expectErrorResponse, testBackends } from '@cs/testing';
import { startGms, type StartedGms } from './start-gms';

const BASE = '/genesys/1/cs';
const GMS_EXCEPTION =
  'com.genesyslab.gsg.services.contextservices.exceptions.ContextServicesExceptionResource';

/** `{"a":{"a":...1...}}` with `levels` objects. */
const nestedObjects = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
/** `[[...[]...]]` with `levels` arrays. */
const nestedArrays = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

describe.each(testBackends().map((b) => [b.name, b] as const))(
  'gms hostile input review (%s)',
  (_, backend) => {
    let gms: StartedGms;

    beforeAll(async () => {
      gms = await startGms(backend);
    });

    afterAll(async () => {
      await gms?.close();
    });

    /** Sends `raw` verbatim as the JSON text of the body. */
    const sendRaw = (method: 'post' | 'put', path: string, raw: string) =>
      request(gms.url)[method](path).set('Content-Type', 'application/json').send(raw);

    async function startService(contactKey: string): Promise<string> {
      const res = await request(gms.url).post(`${BASE}/services/start`).send({ contact_key: contactKey });
      expect(res.status).toBe(201);
      return (res.body as { service_id: string }).service_id;
    }

    async function anonymousServices(contactKey: string): Promise<unknown[]> {
      const res = await request(gms.url).get(`${BASE}/services/anonymous/${contactKey}`);
      expect(res.status).toBe(200);
      return res.body as unknown[];
    }

    async function readExtensions(serviceId: string): Promise<Record<string, unknown>> {
      const res = await request(gms.url).get(`${BASE}/services/${serviceId}?extensions=*`);
      expect(res.status).toBe(200);
      return res.body as Record<string, unknown>;
    }

    function expectMalformed(res: request.Response, method: string, uri: string, message: string) {
      expectErrorResponse(res, {
        status: 400,
        code: 'MALFORMED_JSON',
        exception: GMS_EXCEPTION,
        method,
        uri,
        message: expect.stringContaining(message) as unknown as string,
      });
    }

    describe('§2.3 malformed bodies are client errors, not logged failures', () => {
      it('three malformed bodies → 400 each, and at most one failed provider lookup logged (issue 7 fuzz)', async () => {
        const logged = jest.spyOn(Logger.prototype, 'error');
        try {
          for (let i = 0; i < 3; i++) {
            expect((await sendRaw('post', `${BASE}/services/start`, '{"contact_key":')).status).toBe(400);
          }
          const lookups = logged.mock.calls.filter(([message]) => String(message).includes('body-gate'));
          expect(lookups.length).toBeLessThanOrEqual(1);
        } finally {
          logged.mockRestore();
        }
      });
    });

    describe('§2.3 deeply nested bodies', () => {
      it('§2.3/§4.1 a Start Service body nested 10 000 levels deep → 400 MALFORMED_JSON (not 500), nothing stored', async () => {
        const contactKey = `deep-${randomUUID()}`;
        for (const deep of [nestedArrays(10_000), nestedObjects(10_000)]) {
          const res = await sendRaw(
            'post',
            `${BASE}/services/start`,
            `{"contact_key":"${contactKey}","Deep":${deep}}`,
          );
          expectMalformed(res, 'POST', `${BASE}/services/start`, "Invalid JSON body: 'Deep");
          expect(res.body.message).toContain('nested deeper than 100 levels');
        }
        expect(await anonymousServices(contactKey)).toEqual([]);
      });

      it('§2.3/§4.4 an extension PUT nested 10 000 levels deep → 400 MALFORMED_JSON, the old value stays', async () => {
        const serviceId = await startService(`deep-put-${randomUUID()}`);
        const uri = `${BASE}/services/${serviceId}/extensions/Deep`;
        expect((await sendRaw('put', uri, '{"kept":true}')).status).toBe(200);
        expectMalformed(await sendRaw('put', uri, nestedArrays(10_000)), 'PUT', uri, 'nested deeper than');
        expect((await readExtensions(serviceId)).Deep).toEqual({ kept: true });
      });

      it('§2.3/§2.7 a body of exactly 100 levels is still accepted and its extension read back unchanged', async () => {
        const contactKey = `deep-ok-${randomUUID()}`;
        // The body is level 1, so the extension value may hold 99 levels.
        const value = nestedObjects(99);
        const res = await sendRaw(
          'post',
          `${BASE}/services/start`,
          `{"contact_key":"${contactKey}","Deep":${value}}`,
        );
        expect(res.status).toBe(201);
        const { service_id } = res.body as { service_id: string };
        expect((await readExtensions(service_id)).Deep).toEqual(JSON.parse(value));
      });
    });

    describe('§2.7 numbers beyond the double range', () => {
      it('§2.7/§4.1 an extension 1e309 (Infinity once parsed) → 400 naming the field, never stored as null', async () => {
        const contactKey = `inf-${randomUUID()}`;
        const res = await sendRaw(
          'post',
          `${BASE}/services/start`,
          `{"contact_key":"${contactKey}","Score":{"values":[1,1e309]}}`,
        );
        expectMalformed(
          res,
          'POST',
          `${BASE}/services/start`,
          "the number at 'Score.values[1]' is out of range",
        );
        expect(await anonymousServices(contactKey)).toEqual([]);
      });

      it('§2.7/§4.4 PUT of an extension value -1e309 → 400, the extension is not replaced by null', async () => {
        const serviceId = await startService(`inf-put-${randomUUID()}`);
        const uri = `${BASE}/services/${serviceId}/extensions/Score`;
        expect((await sendRaw('put', uri, '42')).status).toBe(200);
        expectMalformed(await sendRaw('put', uri, '-1e309'), 'PUT', uri, 'out of range');
        expect((await readExtensions(serviceId)).Score).toBe(42);
      });
    });

    describe('§4.13 ttl bounds', () => {
      it('§4.13/§2.4 an out-of-range ttl is rejected with an integer bound in the message, expiration unchanged', async () => {
        const serviceId = await startService(`ttl-${randomUUID()}`);
        const uri = `${BASE}/services/${serviceId}`;
        for (const ttl of [0, -1]) {
          const res = await request(gms.url).put(uri).send({ ttl });
          expectErrorResponse(res, {
            status: 400,
            code: 'INVALID_VALUE',
            exception: GMS_EXCEPTION,
            method: 'PUT',
            uri,
            message: "Invalid value for 'ttl': must be between 1 and 9007199254740",
          });
        }
        // Still readable: the rejected updates did not expire it.
        expect((await request(gms.url).get(uri)).status).toBe(200);
      });

      it('§1.7/§4.1 Start Service with ttl and a past expiration_time: ttl wins, expiration_time is ignored (as on §4.3 and §4.13)', async () => {
        const contactKey = `ttl-wins-${randomUUID()}`;
        const both = { ttl: 3600, expiration_time: '2000-01-01T00:00:00.000Z' };
        const res = await request(gms.url)
          .post(`${BASE}/services/start`)
          .send({ contact_key: contactKey, ...both });
        expect(res.status).toBe(201);
        const { service_id } = res.body as { service_id: string };
        const uri = `${BASE}/services/${service_id}`;
        expect((await request(gms.url).put(uri).send(both)).status).toBe(200);
        expect((await request(gms.url).post(`${uri}/end`).send(both)).status).toBe(204);
        // Neither call expired it, and expiration_time never became an extension.
        const read = await request(gms.url).get(`${uri}?extensions=*`);
        expect(read.status).toBe(200);
        expect(read.body).not.toHaveProperty('expiration_time');
        expect(read.body).not.toHaveProperty('ttl');
      });
    });

    describe('§2.10 precedence: routing before media type and body', () => {
      it('§2.10 an unsupported method with a text/plain or broken JSON body → 405 (not 415/400), Allow listed', async () => {
        const uri = `${BASE}/services/x`;
        const bodies: [string, string][] = [
          ['text/plain', 'x'],
          ['application/json', '{'],
          ['application/json', nestedArrays(10_000)],
        ];
        for (const [contentType, body] of bodies) {
          const res = await request(gms.url).patch(uri).set('Content-Type', contentType).send(body);
          expectErrorResponse(res, {
            status: 405,
            code: 'METHOD_NOT_ALLOWED',
            exception: GMS_EXCEPTION,
            method: 'PATCH',
            uri,
            message: `Method PATCH is not allowed on ${uri}`,
          });
          expect(res.headers.allow).toBe('DELETE, GET, PUT');
        }
      });

      it('§2.10 a served route still answers 415 and 400 for its body', async () => {
        const uri = `${BASE}/services/start`;
        const text = await request(gms.url).post(uri).set('Content-Type', 'text/plain').send('x');
        expect({ status: text.status, code: text.body.code }).toEqual({
          status: 415,
          code: 'UNSUPPORTED_MEDIA_TYPE',
        });
        expectMalformed(await sendRaw('post', uri, '{'), 'POST', uri, 'Invalid JSON body');
      });
    });

    describe('§2.9 requests the HTTP parser rejects', () => {
      it('§2.9/§1.6 a 20 KiB ContactCenterId header → 431 with the unified error body (not an empty answer)', async () => {
        const uri = `${BASE}/services/x`;
        const res = await request(gms.url).get(uri).set('ContactCenterId', 't'.repeat(20_000));
        expectErrorResponse(res, {
          status: 431,
          code: 'HEADERS_TOO_LARGE',
          exception: GMS_EXCEPTION,
          method: 'GET',
          uri,
          message: 'The request line and headers exceed the 16 KiB limit',
        });
      });
    });

    describe('§4.7 service_types string comparison', () => {
      it('§4.7/§4.10 service_types=05 or -0 match neither the id 5/0 nor the name "5"/"0"; 5 matches both', async () => {
        const contactKey = `types-${randomUUID()}`;
        for (const serviceType of [5, '5', 0, '05']) {
          const res = await request(gms.url)
            .post(`${BASE}/services/start`)
            .send({ contact_key: contactKey, service_type: serviceType });
          expect(res.status).toBe(201);
        }
        const types = async (filter: string) => {
          const res = await request(gms.url).get(
            `${BASE}/services/anonymous/${contactKey}?service_types=${filter}`,
          );
          expect(res.status).toBe(200);
          return (res.body as { service_type: unknown }[]).map((service) => service.service_type);
        };
        expect(await types('5')).toEqual([5, '5']);
        expect(await types('05')).toEqual(['05']);
        expect(await types('-0')).toEqual([]);
        expect(await types('0')).toEqual([0]);
      });
    });

    describe('§2.7 prototype-named extensions', () => {
      it('§2.7 "__proto__" and "constructor" are ordinary extension names: stored, selected and returned as own members', async () => {
        const contactKey = `proto-${randomUUID()}`;
        const res = await sendRaw(
          'post',
          `${BASE}/services/start`,
          `{"contact_key":"${contactKey}","__proto__":{"polluted":1},"constructor":{"a":1}}`,
        );
        expect(res.status).toBe(201);
        const { service_id } = res.body as { service_id: string };
        const read = await request(gms.url).get(`${BASE}/services/${service_id}?extensions=__proto__`);
        expect(read.status).toBe(200);
        expect(Object.keys(JSON.parse(read.text) as object)).toEqual([
          'service_id',
          'contact_key',
          'started',
          '__proto__',
        ]);
        expect(read.text).toContain('"__proto__":{"polluted":1}');
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      });
    });

    describe('§2.7/§2.10 extensions too large to store', () => {
      it('§4.4 extension PUTs that would push the stored extensions past 8 MiB → 413 PAYLOAD_TOO_LARGE (not 500), nothing changed', async () => {
        const serviceId = await startService(`big-${randomUUID()}`);
        const value = JSON.stringify('x'.repeat(1_000_000));
        for (let i = 0; i < 8; i++) {
          const res = await sendRaw('put', `${BASE}/services/${serviceId}/extensions/E${i}`, value);
          expect(res.status).toBe(200);
        }
        const uri = `${BASE}/services/${serviceId}/extensions/E8`;
        const refused = await sendRaw('put', uri, value);
        expectErrorResponse(refused, {
          status: 413,
          code: 'PAYLOAD_TOO_LARGE',
          exception: GMS_EXCEPTION,
          method: 'PUT',
          uri,
          message: expect.stringContaining('extensions') as unknown as string,
        });
        const stored = await readExtensions(serviceId);
        expect(Object.keys(stored).filter((name) => /^E\d$/.test(name))).toHaveLength(8);
      });
    });
  },
);
