import { ApiError } from '@cs/platform/core';
import { AttributeField, AttributeKind, AttributeLists, listKey } from './attributes-config';

/** How business-attribute fields are checked, stored and shown (spec §1.5, §1.11, §2.6). */
export interface BusinessAttributesOptions {
  lists: AttributeLists;
  /** GMS_DATA_VALIDATION: a value of a mapped field must match its list (else 400). */
  dataValidation: boolean;
  /** GMS_MAP_NAMES: reads show value names instead of DB ids. */
  mapNames: boolean;
  /** GMS_STORE_NAMES: writes store the value's name even when the client sent its DB id. */
  storeNames: boolean;
}

/** Which event a record carries: it decides which omitted fields receive their default value. */
export type RecordPhase = 'start' | 'end' | 'none';

const EVENT_FIELDS = ['application_type', 'resource_type', 'media_type'] as const;
const NESTED_KINDS: Record<string, AttributeKind> = {
  active_states: 'State',
  completed_states: 'State',
  active_tasks: 'Task',
  completed_tasks: 'Task',
};

type Fields = Record<string, unknown>;

/** The business-attribute members of a parsed State Transition. */
export interface TransitionFields {
  stateType?: number | string;
  disposition?: number | string;
  event: { fields: Fields };
}

/**
 * The business-attribute rules as one-line calls for the request path. Pure: inputs are never
 * mutated, results are copies.
 */
export class BusinessAttributes {
  constructor(private readonly options: BusinessAttributesOptions) {}

  /**
   * Checks and normalises the mapped fields of a parsed record of `kind`: the type field
   * (`service_type`, or `serviceType` in a parsed input), `disposition`, and the event fields
   * `application_type`, `resource_type`, `media_type` — top-level, or inside a `started`/`completed`
   * object (or its `fields` when it is an EventRecord). With data validation an unknown value → 400
   * INVALID_VALUE; with store-names a matched value becomes its name; an omitted field whose list has
   * a default receives it: on a start record (one with `started`, or `phase: 'start'`) the type and
   * event fields, on an end record (`completed`, or `phase: 'end'`) the disposition and event fields.
   * `phase: 'none'` (e.g. associate) validates without filling defaults.
   */
  applyInput<T>(kind: AttributeKind, record: T, phase?: RecordPhase): T {
    // Not an object (e.g. a raw body of the wrong type): left to the parser, which rejects it.
    if (this.options.lists.size === 0 || !isObject(record)) return record;
    const out: Fields = { ...(record as Fields) };
    const nested = ['started', 'completed'].filter((member) => isObject(out[member]));
    const current =
      phase ?? (nested.includes('started') ? 'start' : nested.includes('completed') ? 'end' : 'none');
    const camelType = `${kind.toLowerCase()}Type`;
    const typeKey = camelType in out ? camelType : typeField(kind);
    this.applyField(kind, 'type', out, typeKey, current === 'start');
    this.applyField(kind, 'disposition', out, 'disposition', current === 'end');
    for (const field of EVENT_FIELDS)
      this.applyField(kind, field, out, field, current !== 'none' && nested.length === 0);
    for (const member of nested) {
      const fillDefaults =
        (member === 'started' && current === 'start') || (member === 'completed' && current === 'end');
      out[member] = this.applyEvent(kind, out[member] as Fields, fillDefaults);
    }
    return out as T;
  }

  /**
   * A parsed State Transition (spec §3.8): `stateType` and the shared `event` as the new state's start,
   * `disposition` as the old state's end (each receiving its default when omitted).
   */
  applyTransition<T extends TransitionFields>(input: T): T {
    const started = this.applyInput('State', { stateType: input.stateType, started: input.event });
    const ended = this.applyInput('State', { disposition: input.disposition, completed: {} });
    return { ...input, stateType: started.stateType, event: started.started, disposition: ended.disposition };
  }

  /**
   * With map-names, a copy of `view` (a Service, State or Task representation, or a list of them)
   * whose DB ids of mapped fields are replaced by names, in `started`/`completed` and in nested
   * `active_states`/`completed_states`/`active_tasks`/`completed_tasks` too. Otherwise `view` itself.
   */
  present<T>(kind: AttributeKind, view: T): T {
    if (!this.options.mapNames || this.options.lists.size === 0) return view;
    if (Array.isArray(view)) return view.map((item: unknown) => this.present(kind, item)) as T;
    if (!isObject(view)) return view;
    const out: Fields = { ...view };
    this.mapField(kind, 'type', out, typeField(kind));
    this.mapField(kind, 'disposition', out, 'disposition');
    for (const member of ['started', 'completed']) {
      if (!isObject(out[member])) continue;
      const event: Fields = { ...(out[member] as Fields) };
      for (const field of EVENT_FIELDS) this.mapField(kind, field, event, field);
      out[member] = event;
    }
    for (const [member, nestedKind] of Object.entries(NESTED_KINDS)) {
      if (Array.isArray(out[member])) out[member] = this.present(nestedKind, out[member]);
    }
    return out as T;
  }

  /** The lifetime configured for services of `serviceType` (its value's `expiration`), if any. */
  serviceTypeExpiration(serviceType: unknown): number | undefined {
    return this.options.lists.get(listKey('Service', 'type'))?.find(serviceType)?.expirationSeconds;
  }

  private applyEvent(kind: AttributeKind, event: Fields, fillDefaults: boolean): Fields {
    const out: Fields = { ...event };
    const target = isObject(out.fields) ? (out.fields = { ...out.fields }) : out;
    for (const field of EVENT_FIELDS) this.applyField(kind, field, target as Fields, field, fillDefaults);
    return out;
  }

  private applyField(
    kind: AttributeKind,
    field: AttributeField,
    target: Fields,
    key: string,
    fillDefault: boolean,
  ): void {
    const list = this.options.lists.get(listKey(kind, field));
    if (!list) return;
    const raw = target[key];
    if (raw === undefined) {
      const fallback = list.defaultValue;
      if (fillDefault && fallback) target[key] = this.options.storeNames ? fallback.name : fallback.dbid;
      return;
    }
    if (typeof raw !== 'string' && typeof raw !== 'number') return; // the parser rejects other types
    const value = list.find(raw);
    if (!value) {
      if (!this.options.dataValidation) return;
      const name = field === 'type' ? typeField(kind) : field;
      throw new ApiError(
        400,
        'INVALID_VALUE',
        `Invalid value '${String(raw).slice(0, 100)}' for ${kind}.${name}; valid values: ${list.describe()}`,
      );
    }
    if (this.options.storeNames) target[key] = value.name;
  }

  private mapField(kind: AttributeKind, field: AttributeField, target: Fields, key: string): void {
    const value = this.options.lists.get(listKey(kind, field))?.findByDbid(target[key]);
    if (value) target[key] = value.name;
  }
}

/** `service_type`, `state_type` or `task_type`. */
const typeField = (kind: AttributeKind): string => `${kind.toLowerCase()}_type`;

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
