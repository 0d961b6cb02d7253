import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CommonEventFieldsDoc, EndEventBodyDoc } from '../../services/dto/api-docs';

/** OpenAPI shapes of the state operations (documentation only; validation is in the parsers). */
export class StartStateBodyDoc extends CommonEventFieldsDoc {
  @ApiPropertyOptional({ oneOf: [{ type: 'integer' }, { type: 'string' }] })
  state_type?: number | string;
  @ApiPropertyOptional({ description: 'An existing state of the same service', minimum: 1 })
  previous_state_id?: number;
  @ApiPropertyOptional({ description: 'Estimated duration in seconds', minimum: 0 })
  est_duration?: number;
}

export class EndStateBodyDoc extends EndEventBodyDoc {}

export class TransitionFromDoc {
  @ApiProperty({ description: 'An active state of the service', minimum: 1 })
  state_id!: number;
  @ApiPropertyOptional({ oneOf: [{ type: 'integer' }, { type: 'string' }] })
  disposition?: number | string;
  @ApiPropertyOptional({ maxLength: 64 })
  disposition_desc?: string;
}

export class TransitionToDoc {
  @ApiPropertyOptional({ oneOf: [{ type: 'integer' }, { type: 'string' }] })
  state_type?: number | string;
  @ApiPropertyOptional({ minimum: 0 })
  est_duration?: number;
}

/** Common event fields are shared by both states; other top-level keys are extensions of the new one. */
export class TransitionBodyDoc extends CommonEventFieldsDoc {
  @ApiProperty({ type: TransitionFromDoc })
  from!: TransitionFromDoc;
  @ApiProperty({ type: TransitionToDoc })
  to!: TransitionToDoc;
}

export class StartStateResponseDoc {
  @ApiProperty({ example: 1 })
  state_id!: number;
}

export class StateDoc {
  @ApiPropertyOptional({ description: 'Top-level only' })
  service_id?: string;
  @ApiPropertyOptional({ description: 'Top-level only, when the service is identified' })
  customer_id?: string;
  @ApiProperty()
  state_id!: number;
  @ApiPropertyOptional({ oneOf: [{ type: 'integer' }, { type: 'string' }] })
  state_type?: number | string;
  @ApiPropertyOptional()
  est_duration?: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Start event, with previous_state_id',
  })
  started!: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  completed?: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'Milliseconds, when completed' })
  duration?: number;
  @ApiPropertyOptional({ oneOf: [{ type: 'integer' }, { type: 'string' }] })
  disposition?: number | string;
  @ApiPropertyOptional()
  disposition_desc?: string;
}
