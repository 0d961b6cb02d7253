import { optionalObjectBody } from '../../events/body';
import { EventRecord, readEventFields } from '../../events/event-fields';
import { Extensions, readExtensions } from '../../events/extensions';
import { BusinessAttributeValue, FieldReader } from '../../events/field-reader';
import { TASK_RESERVED } from './task-fields';

export interface StartTaskInput {
  stateId?: number;
  taskType?: BusinessAttributeValue;
  estDuration?: number;
  started: EventRecord;
  extensions: Extensions;
}

/** Validates a Start Task body (spec §3.6, §4.20); no body means `{}`. */
export function parseStartTask(body: unknown, receivedAt: number): StartTaskInput {
  const object = optionalObjectBody(body);
  const reader = new FieldReader(object);
  return {
    stateId: reader.int32('state_id', 1),
    taskType: reader.businessAttribute('task_type'),
    estDuration: reader.integer('est_duration', 0, Number.MAX_SAFE_INTEGER),
    started: readEventFields(reader, receivedAt),
    extensions: readExtensions(object, TASK_RESERVED),
  };
}
