import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { type HealthReport, HealthService } from './health.service';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly reports: HealthService) {}

  @Get()
  @ApiOkResponse({ description: 'Alive, the stores answer, and no projection is failed' })
  @ApiServiceUnavailableResponse({
    description:
      'Alive, but a store does not answer (`status: "unavailable"`), or a projection is marked failed at an event it ' +
      'cannot apply (`status: "degraded"`, listed in `projections.failed`)',
  })
  async health(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    const report = await this.reports.report();
    response.status(report.status === 'ok' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return report;
  }
}
