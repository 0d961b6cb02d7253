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
