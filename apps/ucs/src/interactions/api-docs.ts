import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** OpenAPI shape of an Interaction (spec §3.7); documentation only. */
export class InteractionDoc {
  @ApiProperty({ example: '0000Qx71LmZ0B010' })
  interaction_id!: string;
  @ApiPropertyOptional({ example: '0000Qx71LmZ0A001' })
  customer_id?: string;
  @ApiPropertyOptional({ description: 'The CS service the interaction belongs to' })
  service_id?: string;
  @ApiProperty({ enum: [0, 1, 2, 3], description: '0 NEW, 1 PENDING, 2 IN_PROCESS, 3 STOPPED' })
  status!: number;
  @ApiProperty({
    enum: [0, 1, 2, 3, 5, 6, 7],
    description: '0 EMAIL_IN, 1 EMAIL_OUT, 2 CHAT, 3 PHONE_CALL, 5 CALLBACK, 6 COBROWSE, 7 INTERACTION',
  })
  entity_type!: number;
  @ApiProperty({ example: 'Inbound' })
  type!: string;
  @ApiPropertyOptional()
  sub_type?: string;
  @ApiProperty({ example: 'chat' })
  media_type!: string;
  @ApiPropertyOptional()
  parent_id?: string;
  @ApiPropertyOptional()
  thread_id?: string;
  @ApiPropertyOptional()
  external_id?: string;
  @ApiPropertyOptional()
  owner_id?: number;
  @ApiProperty({ example: 117 })
  creator_app_id!: number;
  @ApiProperty({ example: '2024-03-02T09:15:00.000Z' })
  start_date!: string;
  @ApiPropertyOptional({ example: '2024-03-02T09:31:12.000Z' })
  end_date?: string;
  @ApiPropertyOptional()
  timeshift?: number;
  @ApiPropertyOptional()
  subject?: string;
  @ApiPropertyOptional({ description: 'Link to the plain text (I4)' })
  text?: string;
  @ApiPropertyOptional({ description: 'Link to the structured text (I4)' })
  structured_text?: string;
  @ApiPropertyOptional({ description: 'Link to the binary content (I4)' })
  binary_content?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  udata?: Record<string, string>;
}
