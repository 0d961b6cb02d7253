import { ApiError } from '@cs/platform/core';
import { parseAttributeLists } from './attributes-config';
import { BusinessAttributes, type BusinessAttributesOptions } from './business-attributes';

const LISTS = parseAttributeLists({
  'Service.type': [
    { dbid: 1, name: 'Billing', default: true },
    { dbid: 2, name: 'PasswordReset', expiration: '1h' },
  ],
  'Service.disposition': [
    { dbid: 10, name: 'Resolved', default: true },
    { dbid: 11, name: 'Abandoned' },
  ],
  'Service.media_type': [
    { dbid: 20, name: 'voice', default: true },
    { dbid: 21, name: 'chat' },
  ],
  'State.type': [{ dbid: 30, name: 'Identify' }],
  'State.media_type': [{ dbid: 31, name: 'email' }],
  'Task.type': [{ dbid: 40, name: 'Lookup', default: true }],
  'Task.disposition': [{ dbid: 41, name: 'Found' }],
});

function attributes(flags: Partial<BusinessAttributesOptions> = {}): BusinessAttributes {
  return new BusinessAttributes({
    lists: LISTS,
    dataValidation: false,
    mapNames: false,
    storeNames: false,
    ...flags,
  });
}

function rejection(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError');
}

describe('BusinessAttributes.applyInput (spec §1.5, §2.6)', () => {
  it('fills the defaults of an omitted type and event field on a start record, as DB ids', () => {
    const input = {
      serviceType: undefined,
      started: { fields: { timestamp: 't' }, timestampMs: 1 },
      other: 1,
    };
    const out = attributes().applyInput('Service', input);
    expect(out).toEqual({
      serviceType: 1,
      started: { fields: { timestamp: 't', media_type: 20 }, timestampMs: 1 },
      other: 1,
    });
    expect(input.serviceType).toBeUndefined();
    expect(input.started.fields).toEqual({ timestamp: 't' });
  });

  it('stores default names with store-names', () => {
    const out = attributes({ storeNames: true }).applyInput('Service', { started: { timestamp: 't' } });
    expect(out).toEqual({ service_type: 'Billing', started: { timestamp: 't', media_type: 'voice' } });
  });

  it('keeps given values as received, matching or not, without validation', () => {
    const record = { service_type: 'Whatever', started: { media_type: 21 } };
    expect(attributes().applyInput('Service', record)).toEqual(record);
  });

  it('rejects an unknown value with data validation, naming the field and the valid values', () => {
    const error = rejection(() =>
      attributes({ dataValidation: true }).applyInput('Service', { service_type: 'Gold', started: {} }),
    );
    expect(error).toMatchObject({ status: 400, code: 'INVALID_VALUE' });
    expect(error.message).toBe(
      "Invalid value 'Gold' for Service.service_type; valid values: Billing (1), PasswordReset (2)",
    );
    const inEvent = rejection(() =>
      attributes({ dataValidation: true }).applyInput('Service', { started: { fields: { media_type: 99 } } }),
    );
    expect(inEvent.message).toContain("Invalid value '99' for Service.media_type");
  });

  it('accepts a value by name, DB id or numeric string with data validation', () => {
    const ba = attributes({ dataValidation: true });
    for (const value of ['PasswordReset', 2, '2']) {
      expect(ba.applyInput('Service', { service_type: value, started: {} }).service_type).toBe(value);
    }
  });

  it('stores the name of a matched value with store-names', () => {
    const ba = attributes({ storeNames: true });
    expect(ba.applyInput('Service', { serviceType: '2', started: { fields: { media_type: 21 } } })).toEqual({
      serviceType: 'PasswordReset',
      started: { fields: { media_type: 'chat' } },
    });
  });

  it('fills the disposition default on an end record, not the type', () => {
    const out = attributes().applyInput('Service', { completed: { fields: {} }, disposition: undefined });
    expect(out).toEqual({ completed: { fields: { media_type: 20 } }, disposition: 10 });
  });

  it('validates without defaults for phase none (e.g. associate)', () => {
    const ba = attributes({ dataValidation: true });
    expect(ba.applyInput('Service', { started: {} }, 'none')).toEqual({ started: {} });
    expect(() => ba.applyInput('Service', { service_type: 'x' }, 'none')).toThrow(ApiError);
  });

  it('works on a flat body given its phase', () => {
    expect(attributes().applyInput('Task', { foo: 1 }, 'start')).toEqual({ foo: 1, task_type: 40 });
    expect(attributes({ storeNames: true }).applyInput('Task', { disposition: 41 }, 'end')).toEqual({
      disposition: 'Found',
    });
  });

  it('uses the lists of the given kind only', () => {
    const ba = attributes({ dataValidation: true });
    expect(ba.applyInput('State', { state_type: 'Identify', started: { media_type: 'email' } })).toEqual({
      state_type: 'Identify',
      started: { media_type: 'email' },
    });
    expect(() => ba.applyInput('State', { state_type: 'Billing', started: {} })).toThrow('State.state_type');
  });

  it('leaves records alone when nothing is configured, and non-scalar values to the parser', () => {
    const record = { service_type: { x: 1 }, started: { media_type: ['voice'] } };
    const none = new BusinessAttributes({
      lists: new Map(),
      dataValidation: true,
      mapNames: true,
      storeNames: true,
    });
    expect(none.applyInput('Service', record)).toBe(record);
    expect(attributes({ dataValidation: true }).applyInput('Service', record)).toEqual(record);
  });
});

describe('BusinessAttributes.applyTransition (spec §3.8)', () => {
  const event = { fields: { timestamp: 't' }, timestampMs: 1 };

  it('fills the new state type, the shared event fields and the old state disposition', () => {
    const ba = new BusinessAttributes({
      lists: parseAttributeLists({
        'State.type': [{ dbid: 30, name: 'Identify', default: true }],
        'State.disposition': [{ dbid: 32, name: 'Done', default: true }],
        'State.media_type': [{ dbid: 31, name: 'email', default: true }],
      }),
      dataValidation: true,
      mapNames: false,
      storeNames: true,
    });
    expect(
      ba.applyTransition({ fromStateId: 1, stateType: undefined, disposition: undefined, event }),
    ).toEqual({
      fromStateId: 1,
      stateType: 'Identify',
      disposition: 'Done',
      event: { fields: { timestamp: 't', media_type: 'email' }, timestampMs: 1 },
    });
    expect(ba.applyTransition({ stateType: 30, disposition: '32', event })).toMatchObject({
      stateType: 'Identify',
      disposition: 'Done',
    });
    expect(() => ba.applyTransition({ stateType: 'Nope', event })).toThrow('State.state_type');
    expect(() => ba.applyTransition({ disposition: 'Nope', event })).toThrow('State.disposition');
  });
});

describe('BusinessAttributes.applyInput on raw bodies', () => {
  it('returns what is not an object unchanged, for the parser to reject', () => {
    const ba = attributes({ dataValidation: true });
    for (const body of [undefined, null, 'text', [1], 3])
      expect(ba.applyInput('Service', body, 'none')).toBe(body);
  });

  it('checks and converts the flat fields of an associate body without defaults', () => {
    const ba = attributes({ dataValidation: true, storeNames: true });
    expect(ba.applyInput('Service', { service_type: 2, media_type: '21', Ext: 1 }, 'none')).toEqual({
      service_type: 'PasswordReset',
      media_type: 'chat',
      Ext: 1,
    });
    expect(() => ba.applyInput('Service', { media_type: 'fax' }, 'none')).toThrow('Service.media_type');
  });
});

describe('BusinessAttributes.present (map-names)', () => {
  const view = {
    service_id: '0-x',
    service_type: 2,
    started: { media_type: '21', timestamp: 't' },
    completed: { media_type: 'voice' },
    disposition: 11,
    Ext: { service_type: 1 },
    active_states: [
      {
        state_id: 1,
        state_type: 30,
        started: { media_type: 31 },
        active_tasks: [{ task_id: 1, task_type: 40 }],
      },
    ],
    completed_tasks: [{ task_id: 2, task_type: 40, disposition: 41 }],
  };

  it('returns the view itself without map-names', () => {
    expect(attributes().present('Service', view)).toBe(view);
  });

  it('replaces DB ids by names everywhere, leaving names, unknown ids and extensions', () => {
    expect(attributes({ mapNames: true }).present('Service', view)).toEqual({
      service_id: '0-x',
      service_type: 'PasswordReset',
      started: { media_type: 'chat', timestamp: 't' },
      completed: { media_type: 'voice' },
      disposition: 'Abandoned',
      Ext: { service_type: 1 },
      active_states: [
        {
          state_id: 1,
          state_type: 'Identify',
          started: { media_type: 'email' },
          active_tasks: [{ task_id: 1, task_type: 'Lookup' }],
        },
      ],
      completed_tasks: [{ task_id: 2, task_type: 'Lookup', disposition: 'Found' }],
    });
    expect(view.service_type).toBe(2);
  });

  it('maps lists of views', () => {
    expect(attributes({ mapNames: true }).present('Task', [{ task_type: 40 }, { task_type: 99 }])).toEqual([
      { task_type: 'Lookup' },
      { task_type: 99 },
    ]);
  });
});

describe('BusinessAttributes.serviceTypeExpiration', () => {
  it('is the expiration of the service type value, by name or id', () => {
    expect(attributes().serviceTypeExpiration('PasswordReset')).toBe(3600);
    expect(attributes().serviceTypeExpiration(2)).toBe(3600);
    expect(attributes().serviceTypeExpiration('Billing')).toBeUndefined();
    expect(attributes().serviceTypeExpiration(undefined)).toBeUndefined();
  });
});
