/** Export Services to File by Date, spec §4.27 (and §5 items 23, 40, 41), on every test backend. */
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { testBackends } from '@cs/testing';
import { startGms, type StartedGms } from './start-gms';
import {
  BASE,
  at,
  client,
  expectError,
  freshTenant,
  parseCsv,
  type Headers,
  type Json,
} from './maintenance-support';

const FILES = '/maintenance/services/files';
const NAME = /^export\d{8}_\d{6}_\d{3}_(services|states|tasks)\.(csv|json)$/;
const SERVICE_COLUMNS =
  'service_id,service_type,customer_id,contact_key,est_duration,started_timestamp,completed_timestamp,duration,disposition,disposition_desc,started,completed,extensions';
const STATE_COLUMNS =
  'service_id,state_id,state_type,est_duration,started_timestamp,completed_timestamp,duration,disposition,disposition_desc,started,completed,extensions';
const TASK_COLUMNS =
  'service_id,task_id,state_id,task_type,est_duration,started_timestamp,completed_timestamp,duration,disposition,disposition_desc,started,completed,extensions';

describe.each(testBackends().map((b) => [b.name, b] as const))('gms export files (%s)', (_, backend) => {
  let gms: StartedGms;
  let exportDir: string;
  const api = client(() => gms.url);

  beforeAll(async () => {
    exportDir = join(mkdtempSync(join(tmpdir(), 'gms-export-')), 'nested', 'exports');
    gms = await startGms(backend, { GMS_EXPORT_DIR: exportDir });
  });

  afterAll(async () => {
    await gms?.close();
  });

  const exportFiles = (query: Record<string, string>, headers: Headers) =>
    api.post(`${FILES}?${new URLSearchParams(query).toString()}`, undefined, headers);

  /** One identified completed service with awkward text, a state and two tasks; one anonymous active service. */
  async function fixture(headers: Headers) {
    const done = await api.start(
      {
        customer_id: 'CUST,1',
        contact_key: 'say "hi"',
        service_type: 12,
        est_duration: 60,
        timestamp: at(11),
        Note: 'line one\r\nline two, with comma',
      },
      headers,
    );
    const stateId = await api.startState(done, { state_type: 'Identify', timestamp: at(11, 10) }, headers);
    const taskId = await api.startTask(
      done,
      { state_id: stateId, task_type: 'Pin', timestamp: at(11, 20) },
      headers,
    );
    const looseTask = await api.startTask(done, { timestamp: at(11, 30), Survey: { q: 'a"b' } }, headers);
    await api.end(
      done,
      { timestamp: at(12), disposition: 'Resolved', disposition_desc: 'ok, "fine"', media_type: 'voice' },
      headers,
    );
    const active = await api.start({ contact_key: 'K-2', timestamp: at(13) }, headers);
    return { done, stateId, taskId, looseTask, active };
  }

  function created(res: { status: number; body: unknown }): string[] {
    expect(res.status).toBe(200);
    expect(Object.keys(res.body as object)).toEqual(['created']);
    const paths = (res.body as { created: string[] }).created;
    expect(paths).toHaveLength(3);
    const names = paths.map((path) => basename(path));
    for (const name of names) expect(name).toMatch(NAME);
    expect(names.map((name) => name.replace(/_(services|states|tasks)\..*$/, ''))).toEqual(
      Array(3).fill(names[0].replace(/_services\..*$/, '')),
    );
    expect(names.map((name) => /_(services|states|tasks)\./.exec(name)?.[1])).toEqual([
      'services',
      'states',
      'tasks',
    ]);
    for (const path of paths) expect(path.startsWith(exportDir)).toBe(true);
    return paths;
  }

  it('§4.27 writes three CSV files with the spec columns, RFC 4180 quoting and one row per resource', async () => {
    const headers = freshTenant();
    const ids = await fixture(headers);
    const paths = created(await exportFiles({ time_from: at(10), time_to: at(20) }, headers));
    for (const path of paths) expect(path.endsWith('.csv')).toBe(true);
    const [services, states, tasks] = paths.map((path) => readFileSync(path, 'utf8'));

    const serviceRows = parseCsv(services);
    expect(serviceRows[0].join(',')).toBe(SERVICE_COLUMNS);
    expect(serviceRows.slice(1)).toEqual([
      [
        ids.done,
        '12',
        'CUST,1',
        'say "hi"',
        '60',
        at(11),
        at(12),
        '60000',
        'Resolved',
        'ok, "fine"',
        expect.any(String),
        expect.any(String),
        expect.any(String),
      ],
      [ids.active, '', '', 'K-2', '', at(13), '', '', '', '', expect.any(String), '', '{}'],
    ]);
    expect(JSON.parse(serviceRows[1][10])).toEqual({ timestamp: at(11) });
    expect(JSON.parse(serviceRows[1][11])).toEqual({ media_type: 'voice', timestamp: at(12) });
    expect(JSON.parse(serviceRows[1][12])).toEqual({ Note: 'line one\r\nline two, with comma' });
    // Quoting as RFC 4180 writes it: doubled quotes inside a quoted field.
    expect(services).toContain('"say ""hi"""');
    expect(services).toContain('"CUST,1"');
    expect(services.endsWith('\r\n')).toBe(true);

    const stateRows = parseCsv(states);
    expect(stateRows[0].join(',')).toBe(STATE_COLUMNS);
    expect(stateRows.slice(1)).toEqual([
      [
        ids.done,
        String(ids.stateId),
        'Identify',
        '',
        at(11, 10),
        at(12),
        String(60000 - 10000),
        '',
        '',
        expect.any(String),
        expect.any(String),
        '{}',
      ],
    ]);
    expect(JSON.parse(stateRows[1][10])).toEqual({ timestamp: at(12) });

    const taskRows = parseCsv(tasks);
    expect(taskRows[0].join(',')).toBe(TASK_COLUMNS);
    expect(taskRows.slice(1)).toEqual([
      [
        ids.done,
        String(ids.taskId),
        String(ids.stateId),
        'Pin',
        '',
        at(11, 20),
        at(12),
        '40000',
        '',
        '',
        expect.any(String),
        expect.any(String),
        '{}',
      ],
      [
        ids.done,
        String(ids.looseTask),
        '',
        '',
        '',
        at(11, 30),
        at(12),
        '30000',
        '',
        '',
        expect.any(String),
        expect.any(String),
        '{"Survey":{"q":"a\\"b"}}',
      ],
    ]);
  });

  it('§4.27 format=json writes one JSON array per file: services, states and tasks in top-level form with extensions', async () => {
    const headers = freshTenant();
    const ids = await fixture(headers);
    const paths = created(await exportFiles({ time_from: at(10), format: 'json' }, headers));
    for (const path of paths) expect(path.endsWith('.json')).toBe(true);
    const [services, states, tasks] = paths.map((path) => JSON.parse(readFileSync(path, 'utf8')) as Json[]);
    expect(services).toEqual([
      {
        service_id: ids.done,
        service_type: 12,
        customer_id: 'CUST,1',
        contact_key: 'say "hi"',
        est_duration: 60,
        started: { timestamp: at(11) },
        completed: { media_type: 'voice', timestamp: at(12) },
        duration: 60000,
        disposition: 'Resolved',
        disposition_desc: 'ok, "fine"',
        Note: 'line one\r\nline two, with comma',
      },
      { service_id: ids.active, contact_key: 'K-2', started: { timestamp: at(13) } },
    ]);
    expect(states).toEqual([
      {
        service_id: ids.done,
        customer_id: 'CUST,1',
        state_id: ids.stateId,
        state_type: 'Identify',
        started: { timestamp: at(11, 10) },
        completed: { timestamp: at(12) },
        duration: 50000,
      },
    ]);
    expect(tasks).toEqual([
      expect.objectContaining({
        service_id: ids.done,
        task_id: ids.taskId,
        state_id: ids.stateId,
        task_type: 'Pin',
      }),
      expect.objectContaining({ service_id: ids.done, task_id: ids.looseTask, Survey: { q: 'a"b' } }),
    ]);
  });

  it('§4.27 §5 item 40 honours filter_state and filter_events; other tenants are never exported', async () => {
    const headers = freshTenant();
    const ids = await fixture(headers);
    await fixture(freshTenant());
    const read = async (query: Record<string, string>) => {
      const paths = created(await exportFiles({ format: 'json', ...query }, headers));
      return (JSON.parse(readFileSync(paths[0], 'utf8')) as Json[]).map((s) => s.service_id);
    };
    expect(await read({ time_from: at(10), filter_state: 'active' })).toEqual([ids.active]);
    expect(await read({ time_from: at(10), filter_state: 'inactive' })).toEqual([ids.done]);
    expect(await read({ time_from: at(11, 30), filter_events: 'completed' })).toEqual([ids.done]);
    expect(await read({ time_from: at(11, 30), filter_events: 'started' })).toEqual([ids.active]);
    expect(await read({ time_from: at(14) })).toEqual([]);
  });

  it('§4.27 an empty selection still creates the three files (headers only in CSV)', async () => {
    const paths = created(await exportFiles({ time_from: at(10), time_to: at(10) }, freshTenant()));
    expect(readFileSync(paths[0], 'utf8')).toBe(`${SERVICE_COLUMNS}\r\n`);
    expect(readFileSync(paths[1], 'utf8')).toBe(`${STATE_COLUMNS}\r\n`);
    expect(readFileSync(paths[2], 'utf8')).toBe(`${TASK_COLUMNS}\r\n`);
  });

  it('§4.27 two exports in quick succession never overwrite each other', async () => {
    const headers = freshTenant();
    await fixture(headers);
    const results = await Promise.all([1, 2, 3].map(() => exportFiles({ time_from: at(10) }, headers)));
    const all = results.flatMap((res) => created(res));
    expect(new Set(all).size).toBe(9);
  });

  describe('§4.27 invalid parameters answer 400 and write nothing', () => {
    const uri = `${BASE}${FILES}`;
    const fileCount = () => (existsSync(exportDir) ? readdirSync(exportDir).length : 0);
    it.each([
      ['time_from missing', {}, 'MISSING_PARAMETER', "'time_from'"],
      ['format unknown', { time_from: at(1), format: 'xml' }, 'INVALID_PARAMETER', "'format'"],
      [
        'filter_state unknown',
        { time_from: at(1), filter_state: 'done' },
        'INVALID_PARAMETER',
        "'filter_state'",
      ],
      [
        'time_from later than time_to',
        { time_from: at(2), time_to: at(1) },
        'INVALID_PARAMETER',
        "'time_from'",
      ],
    ])('%s', async (_name, query, code, message) => {
      const before = fileCount();
      const res = await exportFiles(query as Record<string, string>, freshTenant());
      expectError(res, { status: 400, code, method: 'POST', uri, message: expect.stringContaining(message) });
      expect(fileCount()).toBe(before);
    });
  });

  it('§4.27 §2.10 an export directory that cannot be written answers 500 with a generic message', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'gms-export-bad-'));
    writeFileSync(join(parent, 'a-file'), 'not a directory');
    const broken = await startGms(backend, { GMS_EXPORT_DIR: join(parent, 'a-file', 'exports') });
    try {
      const res = await client(() => broken.url).post(
        `${FILES}?time_from=${encodeURIComponent(at(1))}`,
        undefined,
        freshTenant(),
      );
      expectError(res, {
        status: 500,
        code: 'EXPORT_FAILED',
        method: 'POST',
        uri: `${BASE}${FILES}`,
        message: expect.not.stringContaining(parent),
      });
    } finally {
      await broken.close();
    }
  });
});
