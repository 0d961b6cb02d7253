import { EventSubjects } from '@cs/contracts';
import { parseDateTime } from '@cs/platform/core';

/** One place a gms event names an interaction: the `started` or `completed` event of a service, state or task. */
export interface Sighting {
  interactionId: string;
  serviceId: string;
  /** The customer of the service, when it is identified. */
  customerId?: string;
  /** The time of that start or end event (epoch ms); the envelope's time when it has none. */
  at: number;
  mediaType?: string;
  applicationId?: number;
}

/** What ucs does with one gms event (ARCHITECTURE §6 flows 1 and 2). */
export interface GmsEventEffect {
  sightings: Sighting[];
  /** cs.gms.service.associated: every interaction of the service moves to this customer. */
  associate?: { serviceId: string; customerId: string };
  /** cs.gms.service.completed: the interactions of the service stop at this time. */
  complete?: { serviceId: string; at: number };
}

type Phase = 'started' | 'completed';
type Json = Record<string, unknown>;

const BOTH: Phase[] = ['started', 'completed'];

/** The gms subjects this consumer reads. */
export const GMS_INTERACTION_SUBJECTS = [
  EventSubjects.gmsServiceStarted,
  EventSubjects.gmsServiceCompleted,
  EventSubjects.gmsServiceAssociated,
  EventSubjects.gmsStateStarted,
  EventSubjects.gmsStateCompleted,
  EventSubjects.gmsStateTransitioned,
  EventSubjects.gmsTaskStarted,
  EventSubjects.gmsTaskCompleted,
] as const;

/**
 * Reads an event's `data` (the service, state or task in top-level form; `{from, to}` for a
 * transition). Malformed parts are skipped: an event never fails because of what it lacks.
 */
export function effectOf(subject: string, data: unknown, occurredAt: number): GmsEventEffect {
  if (!isObject(data)) return { sightings: [] };
  if (subject === EventSubjects.gmsStateTransitioned) {
    return {
      sightings: [
        ...sightingsOf(data.from, ['completed'], occurredAt),
        ...sightingsOf(data.to, ['started'], occurredAt),
      ],
    };
  }
  const effect: GmsEventEffect = { sightings: sightingsOf(data, BOTH, occurredAt) };
  const serviceId = text(data.service_id);
  if (subject === EventSubjects.gmsServiceAssociated && serviceId) {
    const customerId = text(data.customer_id);
    if (customerId) effect.associate = { serviceId, customerId };
  }
  if (subject === EventSubjects.gmsServiceCompleted && serviceId) {
    const completed = isObject(data.completed) ? data.completed : {};
    effect.complete = { serviceId, at: timeOf(completed, occurredAt) };
  }
  return effect;
}

function sightingsOf(resource: unknown, phases: Phase[], occurredAt: number): Sighting[] {
  if (!isObject(resource)) return [];
  const serviceId = text(resource.service_id);
  if (!serviceId || serviceId.length > 128) return [];
  const customerId = text(resource.customer_id);
  const sightings: Sighting[] = [];
  for (const phase of phases) {
    const event = resource[phase];
    if (!isObject(event)) continue;
    const interactionId = text(event.interaction_id);
    if (!interactionId || interactionId.length > 64) continue;
    const sighting: Sighting = { interactionId, serviceId, at: timeOf(event, occurredAt) };
    if (customerId && customerId.length <= 64) sighting.customerId = customerId;
    const mediaType = event.media_type;
    if (typeof mediaType === 'string' && mediaType.length > 0 && mediaType.length <= 64) {
      sighting.mediaType = mediaType;
    } else if (typeof mediaType === 'number') {
      sighting.mediaType = String(mediaType);
    }
    if (typeof event.application_id === 'number' && Number.isInteger(event.application_id)) {
      sighting.applicationId = event.application_id;
    }
    sightings.push(sighting);
  }
  return sightings;
}

function timeOf(event: Json, fallback: number): number {
  return typeof event.timestamp === 'string' ? (parseDateTime(event.timestamp) ?? fallback) : fallback;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
