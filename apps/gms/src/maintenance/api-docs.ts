import { ApiProperty } from '@nestjs/swagger';
import { PURGE_OPERATIONS } from './purge-request';

/** OpenAPI shapes of the maintenance operations (documentation only; parsing is by hand). */
export class PurgeBodyDoc {
  @ApiProperty({
    description: 'Services started strictly before this instant',
    example: '2023-01-01T00:00:00.000Z',
  })
  limit!: string;
  @ApiProperty({ enum: Object.keys(PURGE_OPERATIONS) })
  operation!: string;
}

export class ExportFilesResponseDoc {
  @ApiProperty({
    type: [String],
    example: [
      'data/exports/export20240305_101500_042_services.csv',
      'data/exports/export20240305_101500_042_states.csv',
      'data/exports/export20240305_101500_042_tasks.csv',
    ],
  })
  created!: string[];
}
