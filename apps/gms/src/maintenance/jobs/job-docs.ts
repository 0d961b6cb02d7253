import { ApiProperty } from '@nestjs/swagger';

/** OpenAPI shape of a maintenance job (documentation only; see job-view.ts). */
export class JobViewDoc {
  @ApiProperty({ example: '0b5e6f0a-3c1d-4a8e-9f2b-7d6c5b4a3e21' })
  job_id!: string;
  @ApiProperty({ enum: ['purge', 'export'] })
  kind!: string;
  @ApiProperty({ enum: ['queued', 'running', 'succeeded', 'failed', 'cancelled'] })
  status!: string;
  @ApiProperty({ example: { operation: 'purge.service.all', limit: '2023-01-01T00:00:00.000Z' } })
  parameters!: Record<string, unknown>;
  @ApiProperty({ description: 'Services processed so far', example: 1500 })
  done!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Services to process; null until started' })
  total!: number | null;
  @ApiProperty({ nullable: true, type: Number, example: 512.5 })
  rate_per_second!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: '0 when finished; null when unknown' })
  eta_seconds!: number | null;
  @ApiProperty({ description: 'Runs so far; above 1 after a restart or a takeover', example: 1 })
  attempts!: number;
  @ApiProperty({ example: '2024-03-05T10:15:00.042Z' })
  created_at!: string;
  @ApiProperty({ nullable: true, type: String })
  started_at!: string | null;
  @ApiProperty()
  updated_at!: string;
  @ApiProperty({ nullable: true, type: String })
  finished_at!: string | null;
  @ApiProperty({
    nullable: true,
    type: Object,
    description: 'A succeeded export: {"created": [paths]} as the synchronous call answers',
  })
  result!: Record<string, unknown> | null;
  @ApiProperty({ nullable: true, type: String })
  error!: string | null;
}
