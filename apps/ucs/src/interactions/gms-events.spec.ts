import { EventSubjects } from '@cs/contracts';
import { effectOf } from './gms-events';

const AT = Date.parse('2024-03-04T09:00:00.000Z');

describe('effectOf (ARCHITECTURE §6 flows 1 and 2)', () => {
  it('reads started and completed of a service, with its customer, media and application', () => {
    const effect = effectOf(
      EventSubjects.gmsServiceCompleted,
      {
        service_id: 's1',
        customer_id: 'c1',
        started: {
          interaction_id: 'i1',
          media_type: 'voice',
          application_id: 7,
          timestamp: '2024-03-04T09:15:02.120Z',
        },
        completed: { interaction_id: 'i2', timestamp: '2024-03-04T09:20:00.000Z' },
      },
      AT,
    );
    expect(effect).toEqual({
      sightings: [
        {
          interactionId: 'i1',
          serviceId: 's1',
          customerId: 'c1',
          at: Date.parse('2024-03-04T09:15:02.120Z'),
          mediaType: 'voice',
          applicationId: 7,
        },
        {
          interactionId: 'i2',
          serviceId: 's1',
          customerId: 'c1',
          at: Date.parse('2024-03-04T09:20:00.000Z'),
        },
      ],
      complete: { serviceId: 's1', at: Date.parse('2024-03-04T09:20:00.000Z') },
    });
  });

  it('reads from.completed and to.started of a transition only', () => {
    const effect = effectOf(
      EventSubjects.gmsStateTransitioned,
      {
        from: {
          service_id: 's',
          state_id: 1,
          started: { interaction_id: 'old' },
          completed: { interaction_id: 'a' },
        },
        to: { service_id: 's', state_id: 2, started: { interaction_id: 'b' } },
      },
      AT,
    );
    expect(effect.sightings.map((s) => s.interactionId)).toEqual(['a', 'b']);
    expect(effect.sightings.every((s) => s.at === AT)).toBe(true);
  });

  it('an association names the customer the service moves to', () => {
    expect(
      effectOf(EventSubjects.gmsServiceAssociated, { service_id: 's', customer_id: 'c', started: {} }, AT),
    ).toEqual({ sightings: [], associate: { serviceId: 's', customerId: 'c' } });
  });

  it.each([
    ['no data', null],
    ['no service id', { started: { interaction_id: 'i' } }],
    ['an empty interaction id', { service_id: 's', started: { interaction_id: '' } }],
    [
      'an interaction id over 64 characters',
      { service_id: 's', started: { interaction_id: 'x'.repeat(65) } },
    ],
    ['a started that is not an object', { service_id: 's', started: 'i' }],
  ])('skips %s', (_case, data) => {
    expect(effectOf(EventSubjects.gmsTaskStarted, data, AT).sightings).toEqual([]);
  });

  it('a numeric interaction id or media type is read as a string; a bad timestamp falls back to the envelope time', () => {
    const [sighting] = effectOf(
      EventSubjects.gmsStateStarted,
      { service_id: 's', started: { interaction_id: 51, media_type: 2, timestamp: 'yesterday' } },
      AT,
    ).sightings;
    expect(sighting).toEqual({ interactionId: '51', serviceId: 's', at: AT, mediaType: '2' });
  });
});
