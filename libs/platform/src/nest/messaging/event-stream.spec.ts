import { coveringFilter } from './event-stream';

describe('coveringFilter (the durable filter on NATS servers before 2.10)', () => {
  it('is the subject itself for one subject', () => {
    expect(coveringFilter(['cs.ucs.profile.merged'])).toBe('cs.ucs.profile.merged');
    expect(coveringFilter(['cs.ucs.profile.merged', 'cs.ucs.profile.merged'])).toBe('cs.ucs.profile.merged');
  });

  it('is the common leading tokens plus > for several subjects', () => {
    expect(coveringFilter(['cs.gms.service.started', 'cs.gms.state.started', 'cs.gms.task.completed'])).toBe(
      'cs.gms.>',
    );
    expect(coveringFilter(['cs.gms.service.started', 'cs.gms.service.completed'])).toBe('cs.gms.service.>');
    expect(coveringFilter(['cs.gms.service.started', 'cs.ucs.profile.merged'])).toBe('cs.>');
  });

  it('leaves at least one token for > to match', () => {
    expect(coveringFilter(['cs.gms', 'cs.gms.service.started'])).toBe('cs.>');
    expect(coveringFilter(['a.b', 'c.d'])).toBe('>');
  });
});
