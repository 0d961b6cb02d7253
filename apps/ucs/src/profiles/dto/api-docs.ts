import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** OpenAPI shapes of the profile operations (documentation only; validation is in profile-body.ts). */
export class ProfileBodyDoc {
  @ApiPropertyOptional({
    description: 'Core attribute: a string, or an array whose first element is the primary value',
  })
  FirstName?: string | string[];
  @ApiPropertyOptional()
  LastName?: string | string[];
  @ApiPropertyOptional()
  PhoneNumber?: string | string[];
  @ApiPropertyOptional()
  EmailAddress?: string | string[];
  @ApiPropertyOptional()
  Title?: string | string[];
  @ApiPropertyOptional({ format: 'date', example: '1962-05-10' })
  DOB?: string | string[];
}

export class CreatedProfileDoc {
  @ApiProperty({ example: '0000Qx71LmZ0A001', maxLength: 16 })
  customer_id!: string;
}

export class ProfileDoc extends ProfileBodyDoc {
  @ApiProperty({ example: '0000Qx71LmZ0A001' })
  customer_id!: string;
}

export class RecordDoc {
  @ApiPropertyOptional({ description: 'Attribute of the extension schema', example: 'SN-0002' })
  serial?: string;
  @ApiPropertyOptional({ example: 'X250' })
  model?: string;
}

export class ExtensionRecordsBodyDoc {
  @ApiPropertyOptional({
    description: 'A multi-valued extension: an array of records',
    type: [RecordDoc],
  })
  Devices?: RecordDoc[];
  @ApiPropertyOptional({
    description: 'A single-valued extension: one record object',
    example: { tier: 'gold', points: 1200 },
  })
  Loyalty?: Record<string, unknown>;
}

export class MergeBodyDoc {
  @ApiPropertyOptional({ default: false, description: 'On conflicts keep the source data' })
  keep_uniq_from_src?: boolean;
  @ApiPropertyOptional({ default: false, description: 'Validated; services are merged by gms' })
  keep_active_service_only?: boolean;
  @ApiPropertyOptional({ default: false, description: 'Same as keep_uniq_from_src' })
  force_merge?: boolean;
  @ApiPropertyOptional({ example: '0' })
  agent_id?: string;
  @ApiPropertyOptional()
  reason?: string;
  @ApiPropertyOptional()
  description?: string;
}
