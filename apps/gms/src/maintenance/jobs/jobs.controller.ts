import { ApiErrors, Tenant } from '@cs/platform';
import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { JobViewDoc } from './job-docs';
import type { JobView } from './job-view';
import { JobsService } from './jobs.service';

/** Background purges and exports (`?async=true`), docs/decisions/0010. */
@ApiTags('maintenance')
@Controller('maintenance/jobs')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @Get()
  @ApiOperation({ summary: "The tenant's maintenance jobs, newest first (at most 100)" })
  @ApiOkResponse({ type: [JobViewDoc] })
  @ApiErrors(400)
  list(@Tenant() tenant: string): Promise<JobView[]> {
    return this.jobs.list(tenant);
  }

  @Get(':job_id')
  @ApiOperation({ summary: 'A maintenance job: status and progress (done, total, rate, ETA)' })
  @ApiOkResponse({ type: JobViewDoc })
  @ApiErrors(400, 404)
  get(@Tenant() tenant: string, @Param('job_id') jobId: string): Promise<JobView> {
    return this.jobs.get(tenant, jobId);
  }

  @Post(':job_id/cancel')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Cancel a maintenance job',
    description:
      'A queued job never starts; a running one stops at its next batch boundary (what was purged ' +
      'stays purged; an export leaves no file). A finished job is left as it is.',
  })
  @ApiOkResponse({ type: JobViewDoc })
  @ApiErrors(400, 404)
  cancel(@Tenant() tenant: string, @Param('job_id') jobId: string): Promise<JobView> {
    return this.jobs.cancel(tenant, jobId);
  }
}
