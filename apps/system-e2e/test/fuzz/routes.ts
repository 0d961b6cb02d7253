import fc from 'fast-check';

/**
 * Every route of both APIs, from the controllers of apps/gms and apps/ucs and §4 of both specs
 * (/work/shared/spec/gms-services.md, ucs-profiles.md), with what a well-formed request looks like.
 * The arbitraries start from these valid requests and break them.
 */
export type Upstream = 'gms' | 'ucs';

/** The id pools a path parameter is drawn from (see Seeds); `name` params use fixed names. */
export type Pool =
  | 'service'
  | 'activeService'
  | 'customer'
  | 'contactKey'
  | 'profile'
  | 'extension'
  | 'key'
  | 'interaction'
  | 'stateId'
  | 'taskId'
  | 'extName';

/** What the route does with a body: none, a JSON object, an optional object, any JSON value. */
export type BodyKind = 'none' | 'object' | 'optional' | 'any';

export interface Route {
  id: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Relative to the base path; `{name}` is a path parameter drawn from `params[name]`. */
  path: string;
  upstream: Upstream;
  params: Record<string, Pool>;
  body: BodyKind;
  /** Query parameters the route reads (spec §4). */
  query: readonly string[];
  /** A well-formed body (absent for `none`). */
  valid?: fc.Arbitrary<unknown>;
  /**
   * Requests that must not reach the seeded tenant (they delete by date or switch the server mode):
   * sent with a sandbox ContactCenterId unless the generated headers carry a tenant of their own.
   */
  sandbox?: boolean;
}

// ---- Well-formed field values -------------------------------------------------------------

const dateTime = fc.constantFrom(
  '2024-03-04T10:00:00.000Z',
  '2030-01-01T00:00:00Z',
  '2024-03-04T10:00:00.000+0200',
);
const ext = fc.dictionary(fc.constantFrom('Menu', 'Ext1', 'Notes'), fc.jsonValue({ maxDepth: 2 }), {
  maxKeys: 2,
});
const businessAttr = fc.constantFrom('Sales', 'Support', '1', 2);
const smallInt = fc.integer({ min: 0, max: 1000 });

/** A record with any subset of its optional fields, plus its extensions. */
function withExtensions(fields: Record<string, fc.Arbitrary<unknown>>, required: string[] = []) {
  return fc
    .tuple(fc.record(fields, { requiredKeys: required as never[] }), ext)
    .map(([base, extensions]) => ({ ...extensions, ...base }));
}

const eventFields = {
  session_id: fc.constantFrom('s-1', 'session'),
  interaction_id: fc.constantFrom('ixn-1', '00001a'),
  application_type: businessAttr,
  application_id: smallInt,
  resource_type: businessAttr,
  resource_id: smallInt,
  media_type: fc.constantFrom('voice', 'chat'),
  timestamp: dateTime,
};

const startService = withExtensions(
  {
    contact_key: fc.constantFrom('+33155550123', 'fuzz-key'),
    customer_id: fc.constantFrom('cust-1', 'fuzz-customer'),
    service_type: businessAttr,
    est_duration: smallInt,
    ttl: fc.integer({ min: 1, max: 86400 }),
    auto_complete_after: fc.integer({ min: 1, max: 1000 }),
    ...eventFields,
  },
  ['contact_key'],
);
const endEvent = withExtensions({
  disposition: businessAttr,
  disposition_desc: fc.constantFrom('done', 'ok'),
  ...eventFields,
});
const startState = withExtensions({
  state_type: businessAttr,
  est_duration: smallInt,
  previous_state_id: fc.integer({ min: 1, max: 2 }),
  ...eventFields,
});
const startTask = withExtensions({
  task_type: businessAttr,
  est_duration: smallInt,
  state_id: fc.integer({ min: 1, max: 3 }),
  ...eventFields,
});
const transition = fc.record({
  from: fc.record(
    { state_id: fc.integer({ min: 1, max: 3 }), disposition: businessAttr },
    { requiredKeys: [] },
  ),
  to: startState,
});
const expiration = fc.oneof(
  fc.record({ ttl: fc.integer({ min: 1, max: 86400 }) }),
  fc.record({ expiration_time: dateTime }),
);
const associate = fc.record(
  { service_type: businessAttr, session_id: fc.constant('s-2'), media_type: fc.constant('voice') },
  { requiredKeys: [] },
);
const purge = fc.record({
  limit: fc.constantFrom('2001-01-01T00:00:00.000Z', '2020-01-01T00:00:00Z'),
  operation: fc.constantFrom(
    'purge.service.all',
    'purge.service.started',
    'purge.service.started.anonymous',
    'purge.service.completed',
    'purge.service.completed.anonymous',
  ),
});

/** Seeded schema (seed.ts): Devices (multi-valued, unique serial) and Loyalty (single-valued). */
const device = fc.record(
  { serial: fc.constantFrom('SN-1', 'SN-2', 'SN-3'), model: fc.constantFrom('X100', 'X200') },
  { requiredKeys: ['serial'] },
);
const loyalty = fc.record(
  { tier: fc.constantFrom('gold', 'silver'), points: smallInt },
  { requiredKeys: [] },
);
const profile = fc.record(
  {
    FirstName: fc.constantFrom('Maria', 'José'),
    LastName: fc.constantFrom('Silva', 'Ng'),
    EmailAddress: fc.array(fc.constantFrom('a@x.org', 'b@x.org'), { maxLength: 2 }),
    PhoneNumber: fc.constantFrom('+33155550123', '555'),
    Devices: fc.array(device, { maxLength: 2 }),
    Loyalty: loyalty,
  },
  { requiredKeys: ['FirstName'] },
);
const extensionRecords = fc.record(
  { Devices: fc.array(device, { maxLength: 2 }), Loyalty: loyalty },
  { requiredKeys: [] },
);
const extensionSchema = fc.record({
  name: fc.constantFrom('Visits', 'Cars', 'Devices'),
  type: fc.constantFrom('multi-valued', 'single-valued'),
  attributes: fc.constant([
    { name: 'plate', type: 'string', length: 16, mandatory: true },
    { name: 'year', type: 'integer' },
  ]),
  unique: fc.constant(['plate']),
});
const identificationKey = fc.record(
  {
    name: fc.constantFrom('idPhone', 'idSerial', 'idMail'),
    source: fc.constantFrom('profile', 'Devices'),
    attributes: fc.constantFrom(['PhoneNumber'], ['serial'], ['EmailAddress']),
    unique: fc.boolean(),
  },
  { requiredKeys: ['name', 'attributes'] },
);
const merge = fc.record(
  { keep_uniq_from_src: fc.boolean(), force_merge: fc.boolean(), reason: fc.constant('dup') },
  { requiredKeys: [] },
);

// ---- The catalogue --------------------------------------------------------------------------

const LIST_QUERY = [
  'started_from',
  'started_to',
  'service_types',
  'extensions',
  'active_states',
  'completed_states',
  'active_tasks',
  'completed_tasks',
] as const;
const SERVICE_QUERY = ['extensions', 'active_states', 'completed_states', 'active_tasks', 'completed_tasks'];
const STATE_QUERY = ['extensions', 'active_tasks', 'completed_tasks', 'state_types'];
const TASK_QUERY = ['extensions', 'task_types', 'state_id'];
const SELECTION = ['time_from', 'time_to', 'filter_events', 'filter_state'];
const IDENTIFY = ['id_key', 'include_profile', 'extensions', 'include_extensions', 'PhoneNumber', 'serial'];

const S = { service_id: 'service' } as const;
const SA = { service_id: 'activeService' } as const;
const ST = { service_id: 'activeService', state_id: 'stateId' } as const;
const TK = { service_id: 'activeService', task_id: 'taskId' } as const;
const C = { customer_id: 'customer' } as const;
const P = { customer_id: 'profile' } as const;
const I = { interaction_id: 'interaction' } as const;

const gms = (r: Omit<Route, 'upstream' | 'query'> & { query?: readonly string[] }): Route => ({
  query: [],
  ...r,
  upstream: 'gms',
});
const ucs = (r: Omit<Route, 'upstream' | 'query'> & { query?: readonly string[] }): Route => ({
  query: [],
  ...r,
  upstream: 'ucs',
});

export const ROUTES: readonly Route[] = [
  // gms spec §4.1–4.13: services
  gms({
    id: 'start service',
    method: 'POST',
    path: '/services/start',
    params: {},
    body: 'object',
    valid: startService,
  }),
  gms({
    id: 'associate',
    method: 'POST',
    path: '/customers/{customer_id}/services/{service_id}',
    params: { ...C, ...SA },
    body: 'optional',
    valid: associate,
  }),
  gms({
    id: 'end service',
    method: 'POST',
    path: '/services/{service_id}/end',
    params: SA,
    body: 'optional',
    valid: endEvent,
  }),
  gms({
    id: 'service extension',
    method: 'PUT',
    path: '/services/{service_id}/extensions/{ext_name}',
    params: { ...S, ext_name: 'extName' },
    body: 'any',
    valid: fc.jsonValue({ maxDepth: 2 }),
  }),
  gms({
    id: 'service extension (no name)',
    method: 'PUT',
    path: '/services/{service_id}/extensions',
    params: S,
    body: 'any',
    valid: fc.jsonValue({ maxDepth: 1 }),
  }),
  gms({
    id: 'get service',
    method: 'GET',
    path: '/services/{service_id}',
    params: S,
    body: 'none',
    query: SERVICE_QUERY,
  }),
  gms({ id: 'delete service', method: 'DELETE', path: '/services/{service_id}', params: S, body: 'none' }),
  gms({
    id: 'anonymous services',
    method: 'GET',
    path: '/services/anonymous/{contact_key}',
    params: { contact_key: 'contactKey' },
    body: 'none',
    query: LIST_QUERY,
  }),
  gms({
    id: 'anonymous active',
    method: 'GET',
    path: '/services/anonymous/{contact_key}/active',
    params: { contact_key: 'contactKey' },
    body: 'none',
    query: LIST_QUERY,
  }),
  gms({
    id: 'anonymous completed',
    method: 'GET',
    path: '/services/anonymous/{contact_key}/completed',
    params: { contact_key: 'contactKey' },
    body: 'none',
    query: LIST_QUERY,
  }),
  gms({
    id: 'customer services',
    method: 'GET',
    path: '/customers/{customer_id}/services',
    params: C,
    body: 'none',
    query: LIST_QUERY,
  }),
  gms({
    id: 'customer active',
    method: 'GET',
    path: '/customers/{customer_id}/services/active',
    params: C,
    body: 'none',
    query: LIST_QUERY,
  }),
  gms({
    id: 'customer completed',
    method: 'GET',
    path: '/customers/{customer_id}/services/completed',
    params: C,
    body: 'none',
    query: LIST_QUERY,
  }),
  gms({
    id: 'update expiration',
    method: 'PUT',
    path: '/services/{service_id}',
    params: S,
    body: 'object',
    valid: expiration,
  }),
  // gms spec §4.14–4.19: states
  gms({
    id: 'start state',
    method: 'POST',
    path: '/services/{service_id}/states/start',
    params: SA,
    body: 'object',
    valid: startState,
  }),
  gms({
    id: 'end state',
    method: 'POST',
    path: '/services/{service_id}/states/{state_id}/end',
    params: ST,
    body: 'optional',
    valid: endEvent,
  }),
  gms({
    id: 'transition',
    method: 'POST',
    path: '/services/{service_id}/states/transition',
    params: SA,
    body: 'object',
    valid: transition,
  }),
  gms({
    id: 'states',
    method: 'GET',
    path: '/services/{service_id}/states',
    params: S,
    body: 'none',
    query: STATE_QUERY,
  }),
  gms({
    id: 'active states',
    method: 'GET',
    path: '/services/{service_id}/states/active',
    params: S,
    body: 'none',
    query: STATE_QUERY,
  }),
  gms({
    id: 'completed states',
    method: 'GET',
    path: '/services/{service_id}/states/completed',
    params: S,
    body: 'none',
    query: STATE_QUERY,
  }),
  gms({
    id: 'get state',
    method: 'GET',
    path: '/services/{service_id}/states/{state_id}',
    params: ST,
    body: 'none',
    query: STATE_QUERY,
  }),
  gms({
    id: 'state extension',
    method: 'PUT',
    path: '/services/{service_id}/states/{state_id}/extensions/{ext_name}',
    params: { ...ST, ext_name: 'extName' },
    body: 'any',
    valid: fc.jsonValue({ maxDepth: 2 }),
  }),
  gms({
    id: 'state extension (no name)',
    method: 'PUT',
    path: '/services/{service_id}/states/{state_id}/extensions',
    params: ST,
    body: 'any',
    valid: fc.jsonValue({ maxDepth: 1 }),
  }),
  // gms spec §4.20–4.24: tasks
  gms({
    id: 'start task',
    method: 'POST',
    path: '/services/{service_id}/tasks/start',
    params: SA,
    body: 'object',
    valid: startTask,
  }),
  gms({
    id: 'end task',
    method: 'POST',
    path: '/services/{service_id}/tasks/{task_id}/end',
    params: TK,
    body: 'optional',
    valid: endEvent,
  }),
  gms({
    id: 'tasks',
    method: 'GET',
    path: '/services/{service_id}/tasks',
    params: S,
    body: 'none',
    query: TASK_QUERY,
  }),
  gms({
    id: 'active tasks',
    method: 'GET',
    path: '/services/{service_id}/tasks/active',
    params: S,
    body: 'none',
    query: TASK_QUERY,
  }),
  gms({
    id: 'completed tasks',
    method: 'GET',
    path: '/services/{service_id}/tasks/completed',
    params: S,
    body: 'none',
    query: TASK_QUERY,
  }),
  gms({
    id: 'get task',
    method: 'GET',
    path: '/services/{service_id}/tasks/{task_id}',
    params: TK,
    body: 'none',
    query: TASK_QUERY,
  }),
  gms({
    id: 'task extension',
    method: 'PUT',
    path: '/services/{service_id}/tasks/{task_id}/extensions/{ext_name}',
    params: { ...TK, ext_name: 'extName' },
    body: 'any',
    valid: fc.jsonValue({ maxDepth: 2 }),
  }),
  gms({
    id: 'task extension (no name)',
    method: 'PUT',
    path: '/services/{service_id}/tasks/{task_id}/extensions',
    params: TK,
    body: 'any',
    valid: fc.jsonValue({ maxDepth: 1 }),
  }),
  // gms spec §4.25–4.27: maintenance
  gms({
    id: 'purge',
    method: 'POST',
    path: '/maintenance/purge',
    params: {},
    body: 'optional',
    valid: purge,
    query: ['limit', 'operation', 'async'],
    sandbox: true,
  }),
  gms({
    id: 'export stream',
    method: 'GET',
    path: '/maintenance/services/stream',
    params: {},
    body: 'none',
    query: [...SELECTION, 'export_content'],
    sandbox: true,
  }),
  gms({
    id: 'export files',
    method: 'POST',
    path: '/maintenance/services/files',
    params: {},
    body: 'none',
    query: [...SELECTION, 'format', 'async'],
    sandbox: true,
  }),
  // decision 0010: maintenance jobs (`?async=true` above creates them). No job ids are seeded, so the
  // id routes see unknown and malformed ids only.
  gms({ id: 'list jobs', method: 'GET', path: '/maintenance/jobs', params: {}, body: 'none', query: [] }),
  gms({
    id: 'get job',
    method: 'GET',
    path: '/maintenance/jobs/{job_id}',
    params: { job_id: 'service' },
    body: 'none',
    query: [],
  }),
  gms({
    id: 'cancel job',
    method: 'POST',
    path: '/maintenance/jobs/{job_id}/cancel',
    params: { job_id: 'service' },
    body: 'optional',
    valid: fc.constant({}),
    query: [],
  }),
  // ucs spec §4.1–4.9: profiles
  ucs({
    id: 'create profile',
    method: 'POST',
    path: '/profiles',
    params: {},
    body: 'object',
    valid: profile,
  }),
  ucs({ id: 'identify', method: 'GET', path: '/profiles', params: {}, body: 'none', query: IDENTIFY }),
  ucs({
    id: 'get profile',
    method: 'GET',
    path: '/profiles/{customer_id}',
    params: P,
    body: 'none',
    query: ['extensions'],
  }),
  ucs({
    id: 'update profile',
    method: 'PUT',
    path: '/profiles/{customer_id}',
    params: P,
    body: 'object',
    valid: profile,
  }),
  ucs({ id: 'delete profile', method: 'DELETE', path: '/profiles/{customer_id}', params: P, body: 'none' }),
  ucs({
    id: 'insert extensions',
    method: 'POST',
    path: '/profiles/{customer_id}/extensions',
    params: P,
    body: 'object',
    valid: extensionRecords,
  }),
  ucs({
    id: 'update by unique',
    method: 'PUT',
    path: '/profiles/{customer_id}/extensions/{ext_name}/by/unique',
    params: { ...P, ext_name: 'extension' },
    body: 'object',
    valid: device,
  }),
  ucs({
    id: 'delete by unique',
    method: 'PUT',
    path: '/profiles/{customer_id}/extensions/{ext_name}/delete/by/unique',
    params: { ...P, ext_name: 'extension' },
    body: 'object',
    valid: device,
  }),
  ucs({
    id: 'merge',
    method: 'PUT',
    path: '/profiles/{customer_id}/merge/{src_id}',
    params: { ...P, src_id: 'profile' },
    body: 'optional',
    valid: merge,
  }),
  // ucs spec §4.10–4.17: schema and metadata
  ucs({ id: 'profile schema', method: 'GET', path: '/metadata/profiles', params: {}, body: 'none' }),
  ucs({
    id: 'create extension schema',
    method: 'POST',
    path: '/metadata/profiles/extensions',
    params: {},
    body: 'object',
    valid: extensionSchema,
  }),
  ucs({
    id: 'extension schemas',
    method: 'GET',
    path: '/metadata/profiles/extensions',
    params: {},
    body: 'none',
  }),
  ucs({
    id: 'extension schema',
    method: 'GET',
    path: '/metadata/profiles/extensions/{extension_name}',
    params: { extension_name: 'extension' },
    body: 'none',
  }),
  ucs({
    id: 'delete extension schema',
    method: 'DELETE',
    path: '/metadata/profiles/extensions/{extension_name}',
    params: { extension_name: 'extension' },
    body: 'none',
  }),
  ucs({
    id: 'identification keys',
    method: 'GET',
    path: '/metadata/identification-keys',
    params: {},
    body: 'none',
  }),
  ucs({
    id: 'identification key',
    method: 'GET',
    path: '/metadata/identification-keys/{key_name}',
    params: { key_name: 'key' },
    body: 'none',
  }),
  ucs({
    id: 'create identification key',
    method: 'POST',
    path: '/metadata/identification-keys',
    params: {},
    body: 'object',
    valid: identificationKey,
  }),
  ucs({
    id: 'delete identification key',
    method: 'DELETE',
    path: '/metadata/identification-keys/{key_name}',
    params: { key_name: 'key' },
    body: 'none',
  }),
  ucs({ id: 'metadata index', method: 'GET', path: '/metadata', params: {}, body: 'none' }),
  // ucs spec §4.18–4.19: server mode (never switched by the fuzz: see arbitraries)
  ucs({
    id: 'server mode',
    method: 'POST',
    path: '/server/mode',
    params: {},
    body: 'object',
    valid: fc.record({ mode: fc.constantFrom('production', 'PRODUCTION') }),
    sandbox: true,
  }),
  ucs({ id: 'server status', method: 'GET', path: '/server/status', params: {}, body: 'none' }),
  // ucs spec §4.20–4.22: interactions
  ucs({
    id: 'customer interactions',
    method: 'GET',
    path: '/customers/{customer_id}/interactions',
    params: C,
    body: 'none',
  }),
  ucs({
    id: 'service interactions',
    method: 'GET',
    path: '/services/{service_id}/interactions',
    params: S,
    body: 'none',
  }),
  ucs({ id: 'interaction', method: 'GET', path: '/interactions/{interaction_id}', params: I, body: 'none' }),
  ucs({
    id: 'interaction plain text',
    method: 'GET',
    path: '/interactions/{interaction_id}/plain_text',
    params: I,
    body: 'none',
  }),
  ucs({
    id: 'interaction structured text',
    method: 'GET',
    path: '/interactions/{interaction_id}/structured_text',
    params: I,
    body: 'none',
  }),
  ucs({
    id: 'interaction binary content',
    method: 'GET',
    path: '/interactions/{interaction_id}/binary_content',
    params: I,
    body: 'none',
  }),
];

/** The routes whose answers depend on the ucs server mode being maintenance (spec §2.9). */
export const isSchemaRoute = (route: Route): boolean =>
  route.upstream === 'ucs' && (route.path.startsWith('/metadata') || route.path.startsWith('/server'));
