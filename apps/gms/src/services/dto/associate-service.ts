import { optionalObjectBody } from '../../events/body';
import { COMMON_EVENT_FIELDS, readEventFields } from '../../events/event-fields';
import { Extensions, readExtensions } from '../../events/extensions';
import { BusinessAttributeValue, FieldReader } from '../../events/field-reader';
import { SERVICE_RESERVED } from './service-fields';

export interface AssociateServiceInput {
  serviceType?: BusinessAttributeValue;
  /** Common event fields that replace the same members of `started` (never its timestamp). */
  startedFields: Record<string, unknown>;
  extensions: Extensions;
}

/**
 * Validates an Associate Service body (spec §3.2 last paragraph, §4.2): `service_type`, common event
 * fields and extensions; `customer_id`, `contact_key`, `service_id`, `auto_complete_after` are ignored.
 */
export function parseAssociateService(body: unknown, receivedAt: number): AssociateServiceInput {
  const object = optionalObjectBody(body);
  const reader = new FieldReader(object);
  const { fields } = readEventFields(reader, receivedAt);
  const startedFields = Object.fromEntries(
    COMMON_EVENT_FIELDS.filter((name) => name !== 'timestamp' && fields[name] !== undefined).map((name) => [
      name,
      fields[name],
    ]),
  );
  return {
    serviceType: reader.businessAttribute('service_type'),
    startedFields,
    extensions: readExtensions(object, SERVICE_RESERVED),
  };
}
