/**
 * The NATS subject catalogue (ARCHITECTURE §6). Requests are `<service>.<aggregate>.<verb>`;
 * events are `cs.<service>.<aggregate>.<past-tense>`. docs/messaging.md documents each one.
 */
export const RequestSubjects = {
  ucsProfileGet: 'ucs.profile.get',
  /** Records (or updates) an interaction in ucs: the only write path for interactions. */
  ucsInteractionRecord: 'ucs.interaction.record',
} as const;

export const EventSubjects = {
  // gms services (spec gms §1.10); `data` is the service as GET /services/{id} returns it with every
  // extension; a deleted or expired service is given as it was just before.
  gmsServiceStarted: 'cs.gms.service.started',
  gmsServiceAssociated: 'cs.gms.service.associated',
  /** `meta.reason`: `api` or `auto-complete`. */
  gmsServiceCompleted: 'cs.gms.service.completed',
  /** `meta.reason`: `api` (DELETE), `purge`, or `merge` (decision 0005). */
  gmsServiceDeleted: 'cs.gms.service.deleted',
  gmsServiceExpired: 'cs.gms.service.expired',
  gmsServiceExpirationUpdated: 'cs.gms.service.expiration-updated',
  /** `meta.extension`: the name of the extension written. */
  gmsServiceExtensionUpdated: 'cs.gms.service.extension-updated',
  // gms states and tasks; `data` is the state/task in top-level form with every extension.
  gmsStateStarted: 'cs.gms.state.started',
  gmsStateCompleted: 'cs.gms.state.completed',
  /** `data`: `{ from: <completed state>, to: <started state> }`. */
  gmsStateTransitioned: 'cs.gms.state.transitioned',
  gmsStateExtensionUpdated: 'cs.gms.state.extension-updated',
  gmsTaskStarted: 'cs.gms.task.started',
  gmsTaskCompleted: 'cs.gms.task.completed',
  gmsTaskExtensionUpdated: 'cs.gms.task.extension-updated',
  // ucs profiles (spec ucs); `data` is the profile as GET /profiles/{id}?extensions=all would return it.
  ucsProfileCreated: 'cs.ucs.profile.created',
  ucsProfileUpdated: 'cs.ucs.profile.updated',
  ucsProfileDeleted: 'cs.ucs.profile.deleted',
  /** `data`: `{ customer_id, src_id, keep_uniq_from_src, keep_active_service_only, profile }` (destination after the merge). */
  ucsProfileMerged: 'cs.ucs.profile.merged',
  /** Extension records inserted, updated or deleted; `data` is the profile after the change. */
  ucsProfileExtensionsUpdated: 'cs.ucs.profile.extensions-updated',
  ucsExtensionSchemaCreated: 'cs.ucs.extension-schema.created',
  ucsExtensionSchemaDeleted: 'cs.ucs.extension-schema.deleted',
  ucsIdentificationKeyCreated: 'cs.ucs.identification-key.created',
  ucsIdentificationKeyDeleted: 'cs.ucs.identification-key.deleted',
  ucsServerModeChanged: 'cs.ucs.server.mode-changed',
  ucsInteractionRecorded: 'cs.ucs.interaction.recorded',
} as const;

/**
 * Embedded mode (no NATS): the relay hands each event to every peer service with this acknowledged
 * request; data is `BusMessage { headers, payload: envelope }` and the answer comes once it is applied.
 */
export const EVENT_DELIVERY_SUBJECT = 'cs.events.deliver';

/** The JetStream stream that keeps every event (`cs.>`) for consumers and outside subscribers. */
export const EVENTS_STREAM = 'CS_EVENTS';

export type RequestSubject = (typeof RequestSubjects)[keyof typeof RequestSubjects];
export type EventSubject = (typeof EventSubjects)[keyof typeof EventSubjects];

/** The service that answers a request subject: the part before the first dot. */
export function ownerOfRequest(subject: string): string {
  return subject.split('.', 1)[0];
}
