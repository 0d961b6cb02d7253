import { optionalObjectBody } from '../../events/body';
import { EndEventInput, readEndEvent } from '../../events/end-event';
import { FieldReader } from '../../events/field-reader';
import { TASK_RESERVED } from './task-fields';

/** Validates a Complete Task body (spec §3.7, §4.21). */
export function parseEndTask(body: unknown, receivedAt: number): EndEventInput {
  const object = optionalObjectBody(body);
  return readEndEvent(object, new FieldReader(object), receivedAt, TASK_RESERVED);
}
