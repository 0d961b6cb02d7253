import { parseAttributeLists } from './attributes-config';

describe('parseAttributeLists (GMS_BUSINESS_ATTRIBUTES)', () => {
  it('maps every kind and field, with the <kind>_type alias', () => {
    const lists = parseAttributeLists({
      'Service.service_type': [{ dbid: 1, name: 'Billing', default: true, expiration: '30d' }],
      'State.type': [{ dbid: 2, name: 'Identify' }],
      'Task.task_type': [{ dbid: 3, name: 'Lookup', 'setting/expiration': undefined }],
      'Service.disposition': [{ dbid: 4, name: 'Done' }],
      'State.application_type': [{ dbid: 5, name: 'IVR' }],
      'Task.resource_type': [{ dbid: 6, name: 'Agent' }],
      'Service.media_type': [{ dbid: 7, name: 'voice' }],
    });
    expect([...lists.keys()]).toEqual([
      'Service.type',
      'State.type',
      'Task.type',
      'Service.disposition',
      'State.application_type',
      'Task.resource_type',
      'Service.media_type',
    ]);
    const billing = lists.get('Service.type')?.values[0];
    expect(billing).toEqual({ dbid: 1, name: 'Billing', isDefault: true, expirationSeconds: 30 * 86400 });
  });

  it('accepts settings/expiration and setting/expiration (spec §5 item 54)', () => {
    const lists = parseAttributeLists({
      'Service.type': [
        { dbid: 1, name: 'A', 'settings/expiration': '1h' },
        { dbid: 2, name: 'B', 'setting/expiration': '2h' },
      ],
    });
    expect(lists.get('Service.type')?.values.map((v) => v.expirationSeconds)).toEqual([3600, 7200]);
  });

  it.each([
    [[], 'must be a JSON object'],
    [{ 'Profile.type': [{ dbid: 1, name: 'A' }] }, '"Profile.type": unknown key'],
    [{ 'Service.state_type': [{ dbid: 1, name: 'A' }] }, '"Service.state_type": unknown field'],
    [{ 'Service.type.x': [{ dbid: 1, name: 'A' }] }, 'unknown key'],
    [
      { 'Service.type': [{ dbid: 1, name: 'A' }], 'Service.service_type': [{ dbid: 2, name: 'B' }] },
      'Service.type is mapped twice',
    ],
    [{ 'Service.type': [] }, '"Service.type": must be a non-empty array'],
    [{ 'Service.type': ['A'] }, '"Service.type"[0]: must be an object'],
    [{ 'Service.type': [{ dbid: '1', name: 'A' }] }, '"Service.type"[0].dbid: must be an integer'],
    [{ 'Service.type': [{ dbid: 1, name: ' ' }] }, '"Service.type"[0].name: must be a non-blank string'],
    [
      { 'Service.type': [{ dbid: 1, name: 'A', colour: 'red' }] },
      '"Service.type"[0]: unknown member "colour"',
    ],
    [
      { 'Service.type': [{ dbid: 1, name: 'A', default: 'yes' }] },
      '"Service.type"[0].default: must be true or false',
    ],
    [
      { 'Service.type': [{ dbid: 1, name: 'A', expiration: '5 years' }] },
      '"Service.type"[0].expiration: must be',
    ],
    [
      { 'Service.type': [{ dbid: 1, name: 'A', expiration: '1d', 'settings/expiration': '2d' }] },
      'give only one of',
    ],
    [
      {
        'Service.type': [
          { dbid: 1, name: 'A' },
          { dbid: 2, name: 'A' },
        ],
      },
      "name 'A' is listed twice",
    ],
    [
      {
        'Service.type': [
          { dbid: 1, name: 'A' },
          { dbid: 1, name: 'B' },
        ],
      },
      'dbid 1 is listed twice',
    ],
    [
      {
        'Service.type': [
          { dbid: 1, name: 'A', default: true },
          { dbid: 2, name: 'B', default: true },
        ],
      },
      'more than one value is marked "default"',
    ],
  ])('rejects %j', (json, message) => {
    expect(() => parseAttributeLists(json)).toThrow(message);
  });
});
