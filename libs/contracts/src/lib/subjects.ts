/**
 * The NATS subject catalogue (ARCHITECTURE §6). Requests are `<service>.<aggregate>.<verb>`;
 * events are `cs.<service>.<aggregate>.<past-tense>`. docs/messaging.md documents each one.
 */
export const RequestSubjects = {
  ucsProfileGet: 'ucs.profile.get',
} as const;

export const EventSubjects = {
  gmsServiceStarted: 'cs.gms.service.started',
} as const;

export type RequestSubject = (typeof RequestSubjects)[keyof typeof RequestSubjects];
export type EventSubject = (typeof EventSubjects)[keyof typeof EventSubjects];

/** The service that answers a request subject: the part before the first dot. */
export function ownerOfRequest(subject: string): string {
  return subject.split('.', 1)[0];
}
