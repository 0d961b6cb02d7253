import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ATTRIBUTE_TYPES } from './attribute-types';

/** OpenAPI shapes of the schema operations (documentation only; validation is hand-written). */
export class AttributeSchemaDoc {
  @ApiProperty({ example: 'serial' })
  name!: string;
  @ApiProperty({ enum: ATTRIBUTE_TYPES, example: 'string' })
  type!: string;
  @ApiPropertyOptional({ example: 32 })
  length?: number;
  @ApiPropertyOptional({ description: 'A value of the attribute type' })
  default?: unknown;
  @ApiPropertyOptional({ default: false })
  mandatory?: boolean;
}

export class ExtensionSchemaDoc {
  @ApiProperty({ example: 'Devices', description: '^[A-Za-z][A-Za-z0-9_]*$, at most 26 characters' })
  name!: string;
  @ApiProperty({ enum: ['single-valued', 'multi-valued'] })
  type!: string;
  @ApiPropertyOptional({ default: false })
  required?: boolean;
  @ApiPropertyOptional({ type: [String], example: ['serial'], description: 'Multi-valued only' })
  unique?: string[];
  @ApiPropertyOptional({ type: [AttributeSchemaDoc] })
  attributes?: AttributeSchemaDoc[];
}

export class CreatedNameDoc {
  @ApiProperty({ example: 'Devices' })
  name!: string;
}
