import { EventRecord, readEventFields } from './event-fields';
import { Extensions, readExtensions } from './extensions';
import { BusinessAttributeValue, FieldReader } from './field-reader';

/** The End Event of a service, state or task (spec §3.3, §3.5, §3.7), without its expiration fields. */
export interface EndEventInput {
  completed: EventRecord;
  disposition?: BusinessAttributeValue;
  dispositionDesc?: string;
  extensions: Extensions;
}

export function readEndEvent(
  object: Record<string, unknown>,
  reader: FieldReader,
  receivedAt: number,
  reserved: ReadonlySet<string>,
): EndEventInput {
  return {
    completed: readEventFields(reader, receivedAt),
    disposition: reader.businessAttribute('disposition'),
    dispositionDesc: reader.string('disposition_desc', 64),
    extensions: readExtensions(object, reserved),
  };
}
