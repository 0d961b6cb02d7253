import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CommonEventFieldsDoc, EndEventBodyDoc } from '../../services/dto/api-docs';

/** OpenAPI shapes of the task operations (documentation only; validation is in the parsers). */
export class StartTaskBodyDoc extends CommonEventFieldsDoc {
  @ApiPropertyOptional({ description: 'A state of the same service (active or completed)', minimum: 1 })
  state_id?: number;
  @ApiPropertyOptional({ oneOf: [{ type: 'integer' }, { type: 'string' }] })
  task_type?: number | string;
  @ApiPropertyOptional({ description: 'Estimated duration in seconds', minimum: 0 })
  est_duration?: number;
}

export class EndTaskBodyDoc extends EndEventBodyDoc {}

export class StartTaskResponseDoc {
  @ApiProperty({ example: 1 })
  task_id!: number;
}

export class TaskDoc {
  @ApiPropertyOptional({ description: 'Top-level only' })
  service_id?: string;
  @ApiPropertyOptional({ description: 'Top-level only, when the service is identified' })
  customer_id?: string;
  @ApiProperty()
  task_id!: number;
  @ApiPropertyOptional()
  state_id?: number;
  @ApiPropertyOptional({ oneOf: [{ type: 'integer' }, { type: 'string' }] })
  task_type?: number | string;
  @ApiPropertyOptional()
  est_duration?: number;
  @ApiProperty({ type: 'object', additionalProperties: true })
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
