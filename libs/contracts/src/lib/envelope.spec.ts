import { makeEvent } from './envelope';
import { ownerOfRequest } from './subjects';

describe('makeEvent', () => {
  it('builds the ARCHITECTURE §6 envelope with a fresh uuid', () => {
    const at = new Date('2024-03-04T09:15:02.120Z');
    const a = makeEvent('cs.gms.service.started', '101', { service_id: 'x' }, at);
    const b = makeEvent('cs.gms.service.started', '101', { service_id: 'x' }, at);
    expect(a).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      type: 'cs.gms.service.started',
      occurred_at: '2024-03-04T09:15:02.120Z',
      tenant: '101',
      data: { service_id: 'x' },
    });
    expect(a.id).not.toBe(b.id);
  });
});

describe('ownerOfRequest', () => {
  it('names the service before the first dot', () => {
    expect(ownerOfRequest('ucs.profile.get')).toBe('ucs');
    expect(ownerOfRequest('gms.service.get')).toBe('gms');
  });
});
