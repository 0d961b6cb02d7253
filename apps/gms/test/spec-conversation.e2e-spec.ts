/**
 * One whole "conversation" (spec §1.2): a service, five states (start, transitions, end) and ten
 * tasks, then the full representations of spec §3.9–§3.11 read back through §4.5 and §4.10. Every
 * expected object below is written out from the spec tables: each field where it belongs, nothing
 * extra, no nulls, millisecond `Z` timestamps, durations in milliseconds.
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { testBackends } from '@cs/testing';
import { startGms, type StartedGms } from './start-gms';

const BASE = '/genesys/1/cs';
const ALL = 'active_states=true&completed_states=true&active_tasks=true&completed_tasks=true&extensions=*';

type Json = Record<string, unknown>;

/** 2024-03-04T09:<minute>:<second>.<ms>Z. */
const at = (minute: number, second = 0, ms = 0) =>
  new Date(Date.UTC(2024, 2, 4, 9, minute, second, ms)).toISOString();
const duration = (from: string, to: string) => Date.parse(to) - Date.parse(from);

/** Fails on any null anywhere in a response (spec §3.9: absent values are omitted, not null). */
function expectNoNulls(value: unknown, path = '$'): void {
  expect({ path, value }).not.toEqual({ path, value: null });
  if (Array.isArray(value)) value.forEach((item, i) => expectNoNulls(item, `${path}[${i}]`));
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) expectNoNulls(item, `${path}.${key}`);
  }
}

/** Every `timestamp` member anywhere in a response uses the millisecond `Z` form (spec §2.4). */
function timestampsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(timestampsOf);
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) =>
    key === 'timestamp' && typeof item === 'string' ? [item] : timestampsOf(item),
  );
}

describe.each(testBackends().map((b) => [b.name, b] as const))('gms conversation (%s)', (_, backend) => {
  let gms: StartedGms;

  beforeAll(async () => {
    gms = await startGms(backend);
  });

  afterAll(async () => {
    await gms?.close();
  });

  const post = (path: string, body?: Json) => {
    const req = request(gms.url).post(`${BASE}${path}`);
    return body === undefined ? req : req.send(body);
  };

  async function created(path: string, body: Json, key: string): Promise<unknown> {
    const res = await post(path, body);
    expect({ status: res.status, keys: Object.keys(res.body as object) }).toEqual({
      status: 201,
      keys: [key],
    });
    return (res.body as Json)[key];
  }

  async function noContent(path: string, body?: Json): Promise<void> {
    const res = await post(path, body);
    expect({ status: res.status, text: res.text }).toEqual({ status: 204, text: '' });
  }

  async function read(path: string): Promise<unknown> {
    const res = await request(gms.url).get(`${BASE}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    return res.body as unknown;
  }

  interface Conversation {
    serviceId: string;
    customer: string;
    service: Json;
    activeStates: Json[];
    completedStates: Json[];
    activeTasks: Json[];
    completedTasks: Json[];
  }

  /**
   * Plays the conversation and returns what spec §3.9–§3.11 say it must look like (nested forms).
   *
   * States: 1 identification (transition → 2), 2 waiting for agent (transition → 3), 3 delivering
   * (active), 4 offering callback (active, started beside 3), 5 survey offer (started, then ended).
   * Tasks: 1, 2 in state 1; 3 in state 2; 4, 5, 10 in state 3; 8 in state 4; 9 in state 5; 6, 7 on
   * the service itself. Completed: 1, 2, 3, 4, 7, 9.
   */
  async function playConversation(): Promise<Conversation> {
    const customer = `CUST-${randomUUID().slice(0, 8)}`;
    const serviceId = (await created(
      '/services/start',
      {
        customer_id: customer,
        contact_key: '+33155550123',
        service_type: 'PasswordReset',
        est_duration: 300,
        interaction_id: '00A1B2C3D4E5F601',
        media_type: 'voice',
        application_type: 'IVR',
        application_id: 211,
        timestamp: at(0, 2, 120),
        ttl: 3600,
        auto_complete_after: 1800,
        CallerChoices: { menu: 'account', language: 'fr' },
      },
      'service_id',
    )) as string;
    const svc = `/services/${serviceId}`;

    expect(
      await created(
        `${svc}/states/start`,
        {
          state_type: 1,
          est_duration: 60,
          application_type: 'IVR',
          timestamp: at(0, 3),
          Feedback: { channel: 'ivr', rating: 4 },
        },
        'state_id',
      ),
    ).toBe(1);
    expect(
      await created(
        `${svc}/tasks/start`,
        { state_id: 1, task_type: 'CollectPin', timestamp: at(0, 10, 500) },
        'task_id',
      ),
    ).toBe(1);
    expect(
      await created(
        `${svc}/tasks/start`,
        { state_id: 1, task_type: 'CheckAccount', timestamp: at(0, 20) },
        'task_id',
      ),
    ).toBe(2);
    await noContent(`${svc}/tasks/1/end`, { disposition: 'PinOk', timestamp: at(1, 1, 900) });
    await noContent(`${svc}/tasks/2/end`, { timestamp: at(1, 2) });

    expect(
      await created(
        `${svc}/states/transition`,
        {
          from: { state_id: 1, disposition: 'Identified', disposition_desc: 'PIN matched' },
          to: { state_type: 'WaitingForAgent' },
          resource_type: 'Queue',
          timestamp: at(2, 2, 500),
        },
        'state_id',
      ),
    ).toBe(2);
    expect(
      await created(
        `${svc}/tasks/start`,
        { state_id: 2, task_type: 'AgentSearch', timestamp: at(2, 10) },
        'task_id',
      ),
    ).toBe(3);
    await noContent(`${svc}/tasks/3/end`, { disposition: 'Found', timestamp: at(5, 0) });

    expect(
      await created(
        `${svc}/states/transition`,
        {
          from: { state_id: 2, disposition: 'AgentFound' },
          to: { state_type: 'DeliveringService', est_duration: 600 },
          interaction_id: '00A1B2C3D4E5F601',
          resource_type: 'AgentDesktop',
          resource_id: 1207,
          timestamp: at(5, 0, 2),
          Survey: { asked: false },
        },
        'state_id',
      ),
    ).toBe(3);
    expect(
      await created(
        `${svc}/tasks/start`,
        {
          state_id: 3,
          task_type: 'SendResetLink',
          media_type: 'sms',
          timestamp: at(6),
          Target: { msisdn: '+33655550199' },
        },
        'task_id',
      ),
    ).toBe(4);
    expect(
      await created(
        `${svc}/tasks/start`,
        { state_id: 3, task_type: 'ConfirmIdentity', timestamp: at(6, 5) },
        'task_id',
      ),
    ).toBe(5);
    expect(
      await created(
        `${svc}/tasks/start`,
        { task_type: 'Recording', est_duration: 900, timestamp: at(0, 5) },
        'task_id',
      ),
    ).toBe(6);
    expect(
      await created(
        `${svc}/tasks/start`,
        { task_type: 'Log', session_id: 'S-77', timestamp: at(6, 30) },
        'task_id',
      ),
    ).toBe(7);
    await noContent(`${svc}/tasks/4/end`, { disposition: 'Sent', timestamp: at(6, 4, 250) });
    await noContent(`${svc}/tasks/7/end`, { disposition_desc: 'logged', timestamp: at(6, 31) });

    expect(
      await created(
        `${svc}/states/start`,
        { state_type: 6, previous_state_id: 2, media_type: 'web', timestamp: at(7) },
        'state_id',
      ),
    ).toBe(4);
    expect(
      await created(
        `${svc}/tasks/start`,
        { state_id: 4, task_type: 'OfferCallback', timestamp: at(7, 1) },
        'task_id',
      ),
    ).toBe(8);
    expect(
      await created(`${svc}/states/start`, { state_type: 'SurveyOffer', timestamp: at(8) }, 'state_id'),
    ).toBe(5);
    expect(
      await created(
        `${svc}/tasks/start`,
        { state_id: 5, task_type: 'AskSurvey', timestamp: at(8, 1) },
        'task_id',
      ),
    ).toBe(9);
    await noContent(`${svc}/tasks/9/end`, { disposition: 'Declined', timestamp: at(8, 20) });
    await noContent(`${svc}/states/5/end`, {
      disposition: 'Declined',
      disposition_desc: 'no survey today',
      media_type: 'web',
      timestamp: at(8, 30),
      Answer: 'no',
    });
    expect(
      await created(
        `${svc}/tasks/start`,
        { state_id: 3, task_type: 'ExplainSteps', timestamp: at(9), Notes: ['step 1', 'step 2'] },
        'task_id',
      ),
    ).toBe(10);
    await expectOk(
      request(gms.url)
        .put(`${BASE}${svc}/extensions/Offers`)
        .send([{ offer: 'Premium plan' }]),
    );
    await expectOk(request(gms.url).put(`${BASE}${svc}/states/3/extensions/Survey`).send({ asked: true }));

    return {
      serviceId,
      customer,
      service: {
        service_id: serviceId,
        service_type: 'PasswordReset',
        customer_id: customer,
        contact_key: '+33155550123',
        est_duration: 300,
        started: {
          interaction_id: '00A1B2C3D4E5F601',
          media_type: 'voice',
          application_type: 'IVR',
          application_id: 211,
          timestamp: '2024-03-04T09:00:02.120Z',
        },
        CallerChoices: { menu: 'account', language: 'fr' },
        Offers: [{ offer: 'Premium plan' }],
      },
      activeStates: [
        {
          state_id: 3,
          state_type: 'DeliveringService',
          est_duration: 600,
          started: {
            previous_state_id: 2,
            interaction_id: '00A1B2C3D4E5F601',
            resource_type: 'AgentDesktop',
            resource_id: 1207,
            timestamp: '2024-03-04T09:05:00.002Z',
          },
          Survey: { asked: true },
        },
        {
          state_id: 4,
          state_type: 6,
          started: { previous_state_id: 2, media_type: 'web', timestamp: '2024-03-04T09:07:00.000Z' },
        },
      ],
      completedStates: [
        {
          state_id: 1,
          state_type: 1,
          est_duration: 60,
          started: { application_type: 'IVR', timestamp: '2024-03-04T09:00:03.000Z' },
          completed: { resource_type: 'Queue', timestamp: '2024-03-04T09:02:02.500Z' },
          duration: duration(at(0, 3), at(2, 2, 500)),
          disposition: 'Identified',
          disposition_desc: 'PIN matched',
          Feedback: { channel: 'ivr', rating: 4 },
        },
        {
          state_id: 2,
          state_type: 'WaitingForAgent',
          started: { previous_state_id: 1, resource_type: 'Queue', timestamp: '2024-03-04T09:02:02.500Z' },
          completed: {
            interaction_id: '00A1B2C3D4E5F601',
            resource_type: 'AgentDesktop',
            resource_id: 1207,
            timestamp: '2024-03-04T09:05:00.002Z',
          },
          duration: 177502,
          disposition: 'AgentFound',
        },
        {
          state_id: 5,
          state_type: 'SurveyOffer',
          started: { timestamp: '2024-03-04T09:08:00.000Z' },
          completed: { media_type: 'web', timestamp: '2024-03-04T09:08:30.000Z' },
          duration: 30000,
          disposition: 'Declined',
          disposition_desc: 'no survey today',
          Answer: 'no',
        },
      ],
      activeTasks: [
        { task_id: 5, state_id: 3, task_type: 'ConfirmIdentity', started: { timestamp: at(6, 5) } },
        { task_id: 6, task_type: 'Recording', est_duration: 900, started: { timestamp: at(0, 5) } },
        { task_id: 8, state_id: 4, task_type: 'OfferCallback', started: { timestamp: at(7, 1) } },
        {
          task_id: 10,
          state_id: 3,
          task_type: 'ExplainSteps',
          started: { timestamp: at(9) },
          Notes: ['step 1', 'step 2'],
        },
      ],
      completedTasks: [
        {
          task_id: 1,
          state_id: 1,
          task_type: 'CollectPin',
          started: { timestamp: '2024-03-04T09:00:10.500Z' },
          completed: { timestamp: '2024-03-04T09:01:01.900Z' },
          duration: 51400,
          disposition: 'PinOk',
        },
        {
          task_id: 2,
          state_id: 1,
          task_type: 'CheckAccount',
          started: { timestamp: at(0, 20) },
          completed: { timestamp: at(1, 2) },
          duration: 42000,
        },
        {
          task_id: 3,
          state_id: 2,
          task_type: 'AgentSearch',
          started: { timestamp: at(2, 10) },
          completed: { timestamp: at(5) },
          duration: 170000,
          disposition: 'Found',
        },
        {
          task_id: 4,
          state_id: 3,
          task_type: 'SendResetLink',
          started: { media_type: 'sms', timestamp: at(6) },
          completed: { timestamp: '2024-03-04T09:06:04.250Z' },
          duration: 4250,
          disposition: 'Sent',
          Target: { msisdn: '+33655550199' },
        },
        {
          task_id: 7,
          task_type: 'Log',
          started: { session_id: 'S-77', timestamp: at(6, 30) },
          completed: { timestamp: at(6, 31) },
          duration: 1000,
          disposition_desc: 'logged',
        },
        {
          task_id: 9,
          state_id: 5,
          task_type: 'AskSurvey',
          started: { timestamp: at(8, 1) },
          completed: { timestamp: at(8, 20) },
          duration: 19000,
          disposition: 'Declined',
        },
      ],
    };
  }

  async function expectOk(res: Promise<request.Response> | request.Response): Promise<void> {
    const done = await res;
    expect({ status: done.status, text: done.text }).toEqual({ status: 200, text: '' });
  }

  function expectWellFormed(body: unknown): void {
    expectNoNulls(body);
    const stamps = timestampsOf(body);
    expect(stamps.length).toBeGreaterThan(0);
    for (const stamp of stamps) expect(stamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  }

  it('§3.9–§3.11 GET /services/{id} with every nesting flag and extensions=* returns the whole conversation', async () => {
    const c = await playConversation();
    const body = await read(`/services/${c.serviceId}?${ALL}`);
    expect(body).toEqual({
      ...c.service,
      active_states: c.activeStates,
      completed_states: c.completedStates,
      active_tasks: c.activeTasks,
      completed_tasks: c.completedTasks,
    });
    expectWellFormed(body);
  });

  it('§4.5 reproduces the documented example response', async () => {
    const customer = `CUST-${randomUUID().slice(0, 8)}`;
    const serviceId = (await created(
      '/services/start',
      {
        customer_id: customer,
        contact_key: '+33155550123',
        service_type: 'PasswordReset',
        interaction_id: '00A1B2C3D4E5F601',
        media_type: 'voice',
        application_type: 'IVR',
        application_id: 211,
        est_duration: 300,
        timestamp: '2024-03-04T09:15:02.120Z',
        CallerChoices: { menu: 'account', language: 'fr' },
      },
      'service_id',
    )) as string;
    const svc = `/services/${serviceId}`;
    await created(
      `${svc}/states/start`,
      { state_type: 'CustomerIdentification', timestamp: at(15, 3) },
      'state_id',
    );
    await created(
      `${svc}/tasks/start`,
      { state_id: 1, task_type: 'CollectPin', timestamp: '2024-03-04T09:15:10.500Z' },
      'task_id',
    );
    await noContent(`${svc}/tasks/1/end`, { disposition: 'PinOk', timestamp: '2024-03-04T09:16:01.900Z' });
    await created(
      `${svc}/states/transition`,
      {
        from: { state_id: 1 },
        to: { state_type: 'WaitingForAgent' },
        timestamp: '2024-03-04T09:17:40.002Z',
        Feedback: { channel: 'ivr', rating: 4 },
      },
      'state_id',
    );

    const body = await read(
      `${svc}?active_states=true&completed_tasks=true&extensions=CallerChoices,State.Feedback`,
    );
    expect(body).toEqual({
      service_id: serviceId,
      service_type: 'PasswordReset',
      customer_id: customer,
      contact_key: '+33155550123',
      est_duration: 300,
      started: {
        timestamp: '2024-03-04T09:15:02.120Z',
        interaction_id: '00A1B2C3D4E5F601',
        media_type: 'voice',
        application_type: 'IVR',
        application_id: 211,
      },
      active_states: [
        {
          state_id: 2,
          state_type: 'WaitingForAgent',
          started: { timestamp: '2024-03-04T09:17:40.002Z', previous_state_id: 1 },
          Feedback: { channel: 'ivr', rating: 4 },
        },
      ],
      completed_tasks: [
        {
          task_id: 1,
          state_id: 1,
          task_type: 'CollectPin',
          started: { timestamp: '2024-03-04T09:15:10.500Z' },
          completed: { timestamp: '2024-03-04T09:16:01.900Z' },
          duration: 51400,
          disposition: 'PinOk',
        },
      ],
      CallerChoices: { menu: 'account', language: 'fr' },
    });
  });

  it('§4.5 without parameters the conversation is the bare service: no states, tasks or extensions', async () => {
    const c = await playConversation();
    const { CallerChoices: _c, Offers: _o, ...bare } = c.service;
    expect(await read(`/services/${c.serviceId}`)).toEqual(bare);
  });

  it('§4.10 the customer list query with nesting returns the same conversation', async () => {
    const c = await playConversation();
    const other = (await created(
      '/services/start',
      { customer_id: c.customer, timestamp: at(30) },
      'service_id',
    )) as string;
    const body = await read(`/customers/${c.customer}/services?${ALL}`);
    expect(body).toEqual([
      {
        ...c.service,
        active_states: c.activeStates,
        completed_states: c.completedStates,
        active_tasks: c.activeTasks,
        completed_tasks: c.completedTasks,
      },
      {
        service_id: other,
        customer_id: c.customer,
        started: { timestamp: at(30) },
        active_states: [],
        completed_states: [],
        active_tasks: [],
        completed_tasks: [],
      },
    ]);
    expectWellFormed(body);
    expect(
      await read(`/customers/${c.customer}/services/active?active_states=true&extensions=State.Survey`),
    ).toEqual([
      {
        ...withoutExtensions(c.service),
        // State 3 carries only the Survey extension, state 4 none: both appear exactly as played.
        active_states: c.activeStates,
      },
      { service_id: other, customer_id: c.customer, started: { timestamp: at(30) }, active_states: [] },
    ]);
  });

  it('§4.17/§4.22 the state and task queries of the conversation return top-level forms', async () => {
    const c = await playConversation();
    const top = { service_id: c.serviceId, customer_id: c.customer };
    expect(await read(`/services/${c.serviceId}/states?extensions=*`)).toEqual(
      [...c.completedStates, ...c.activeStates]
        .sort((a, b) => (a.state_id as number) - (b.state_id as number))
        .map((s) => ({ ...top, ...s })),
    );
    expect(await read(`/services/${c.serviceId}/tasks/completed?extensions=*`)).toEqual(
      c.completedTasks.map((t) => ({ ...top, ...t })),
    );
    expect(await read(`/services/${c.serviceId}/states/3?active_tasks=true&completed_tasks=true`)).toEqual({
      ...top,
      ...withoutExtensions(c.activeStates[0]),
      active_tasks: c.activeTasks.filter((t) => t.state_id === 3).map(withoutExtensions),
      completed_tasks: c.completedTasks.filter((t) => t.state_id === 3).map(withoutExtensions),
    });
  });

  it('§4.3 ending the conversation completes the rest with one timestamp and keeps what was already completed', async () => {
    const c = await playConversation();
    const end = at(20, 0, 7);
    await noContent(`/services/${c.serviceId}/end`, {
      disposition: 'Resolved',
      disposition_desc: 'Password reset by SMS link',
      media_type: 'voice',
      timestamp: end,
      Outcome: { nps: 9 },
    });
    const closed = (item: Json): Json => ({
      ...item,
      completed: { timestamp: end },
      duration: duration((item.started as { timestamp: string }).timestamp, end),
    });
    const body = await read(`/services/${c.serviceId}?${ALL}`);
    expect(body).toEqual({
      ...c.service,
      completed: { media_type: 'voice', timestamp: end },
      duration: duration(at(0, 2, 120), end),
      disposition: 'Resolved',
      disposition_desc: 'Password reset by SMS link',
      Outcome: { nps: 9 },
      active_states: [],
      completed_states: [...c.completedStates, ...c.activeStates.map(closed)].sort(
        (a, b) => (a.state_id as number) - (b.state_id as number),
      ),
      active_tasks: [],
      completed_tasks: [...c.completedTasks, ...c.activeTasks.map(closed)].sort(
        (a, b) => (a.task_id as number) - (b.task_id as number),
      ),
    });
    expectWellFormed(body);
    expect(await read(`/customers/${c.customer}/services/active`)).toEqual([]);
    expect(await read(`/customers/${c.customer}/services/completed`)).toEqual([
      {
        ...withoutExtensions(c.service),
        completed: { media_type: 'voice', timestamp: end },
        duration: duration(at(0, 2, 120), end),
        disposition: 'Resolved',
        disposition_desc: 'Password reset by SMS link',
      },
    ]);
  });
});

/** The standard members of a spec §3.9–§3.11 object: drops the extensions used in this conversation. */
function withoutExtensions(item: Json): Json {
  const extensionNames = [
    'CallerChoices',
    'Offers',
    'Feedback',
    'Survey',
    'Answer',
    'Target',
    'Notes',
    'Outcome',
  ];
  return Object.fromEntries(Object.entries(item).filter(([key]) => !extensionNames.includes(key)));
}
