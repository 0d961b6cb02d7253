import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** OpenAPI shapes of the service operations (documentation only; validation is in start-service.ts). */
export class StartServiceBodyDoc {
  @ApiPropertyOptional({
    description: 'Customer owning the service; absent → anonymous service',
    maxLength: 256,
  })
  customer_id?: string;
  @ApiPropertyOptional({ description: 'Lookup key for a not-yet-identified customer', maxLength: 256 })
  contact_key?: string;
  @ApiPropertyOptional({
    description: 'Business attribute: integer id or name',
    oneOf: [{ type: 'integer' }, { type: 'string' }],
  })
  service_type?: number | string;
  @ApiPropertyOptional({ description: 'Estimated duration in seconds', minimum: 0 })
  est_duration?: number;
  @ApiPropertyOptional({ maxLength: 32 })
  session_id?: string;
  @ApiPropertyOptional({ maxLength: 50 })
  interaction_id?: string;
  @ApiPropertyOptional({ oneOf: [{ type: 'integer' }, { type: 'string' }] })
  application_type?: number | string;
  @ApiPropertyOptional({ minimum: 0 })
  application_id?: number;
  @ApiPropertyOptional({ oneOf: [{ type: 'integer' }, { type: 'string' }] })
  resource_type?: number | string;
  @ApiPropertyOptional({ minimum: 0 })
  resource_id?: number;
  @ApiPropertyOptional({ oneOf: [{ type: 'integer' }, { type: 'string' }] })
  media_type?: number | string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Defaults to the time the request is received' })
  timestamp?: string;
  @ApiPropertyOptional({ description: 'Lifetime in seconds from now; wins over expiration_time', minimum: 1 })
  ttl?: number;
  @ApiPropertyOptional({ format: 'date-time' })
  expiration_time?: string;
  @ApiPropertyOptional({ description: 'Inactivity delay in seconds before auto-completion', minimum: 1 })
  auto_complete_after?: number;
}

export class StartServiceResponseDoc {
  @ApiProperty({ example: '42-6f1c2d3e-8a9b-4c5d-9e0f-112233445566' })
  service_id!: string;
}

export class ServiceDoc {
  @ApiProperty()
  service_id!: string;
  @ApiPropertyOptional({ oneOf: [{ type: 'integer' }, { type: 'string' }] })
  service_type?: number | string;
  @ApiPropertyOptional()
  customer_id?: string;
  @ApiPropertyOptional()
  contact_key?: string;
  @ApiPropertyOptional()
  est_duration?: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Start event (common event fields)',
  })
  started!: Record<string, unknown>;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'End event, when completed',
  })
  completed?: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'Milliseconds, when completed' })
  duration?: number;
  @ApiPropertyOptional({ oneOf: [{ type: 'integer' }, { type: 'string' }] })
  disposition?: number | string;
  @ApiPropertyOptional()
  disposition_desc?: string;
}

/** The common event fields of spec §3.1, shared by every event body. */
export class CommonEventFieldsDoc {
  @ApiPropertyOptional({ maxLength: 32 })
  session_id?: string;
  @ApiPropertyOptional({ maxLength: 50 })
  interaction_id?: string;
  @ApiPropertyOptional({ oneOf: [{ type: 'integer' }, { type: 'string' }] })
  application_type?: number | string;
  @ApiPropertyOptional({ minimum: 0 })
  application_id?: number;
  @ApiPropertyOptional({ oneOf: [{ type: 'integer' }, { type: 'string' }] })
  resource_type?: number | string;
  @ApiPropertyOptional({ minimum: 0 })
  resource_id?: number;
  @ApiPropertyOptional({ oneOf: [{ type: 'integer' }, { type: 'string' }] })
  media_type?: number | string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Defaults to the time the request is received' })
  timestamp?: string;
}

/** An End Event (spec §3.3, §3.5, §3.7); other keys are extensions. */
export class EndEventBodyDoc extends CommonEventFieldsDoc {
  @ApiPropertyOptional({ oneOf: [{ type: 'integer' }, { type: 'string' }] })
  disposition?: number | string;
  @ApiPropertyOptional({ maxLength: 64 })
  disposition_desc?: string;
}

export class EndServiceBodyDoc extends EndEventBodyDoc {
  @ApiPropertyOptional({
    description: 'New lifetime in seconds from now; wins over expiration_time',
    minimum: 1,
  })
  ttl?: number;
  @ApiPropertyOptional({ format: 'date-time' })
  expiration_time?: string;
}

/** Associate Service body (spec §4.2): other keys are extensions; `timestamp` is not changed. */
export class AssociateServiceBodyDoc extends CommonEventFieldsDoc {
  @ApiPropertyOptional({ oneOf: [{ type: 'integer' }, { type: 'string' }] })
  service_type?: number | string;
}

export class UpdateExpirationBodyDoc {
  @ApiPropertyOptional({ description: 'Seconds from now; wins over expiration_time', minimum: 1 })
  ttl?: number;
  @ApiPropertyOptional({ format: 'date-time', description: 'Must be later than now' })
  expiration_time?: string;
}

/** Any JSON value except null: an object (single-valued) or an array of objects (multi-valued). */
export class ExtensionValueDoc {}
