import { Controller, Get, UseFilters } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { XapiErrorFilter } from './xapi-errors';
import { XAPI_VERSIONS } from './xapi-validation';

/** The About resource (xAPI 2.0 Part Three §4.1.8): the versions this LRS speaks. Public, as the spec has it. */
@ApiTags('xapi')
@Public()
@UseFilters(XapiErrorFilter)
@Controller('xapi/about')
export class XapiAboutController {
  @Get()
  @ApiOkResponse({ description: '{ version: ["2.0.0", "1.0.3"], extensions: {} }' })
  about() {
    return { version: Object.keys(XAPI_VERSIONS), extensions: {} };
  }
}

/**
 * Every answer under /xapi carries X-Experience-API-Version, refusals (401, 400 for a missing version) included: the
 * version the request asked when it is one served (1.0.x: 1.0.3), else the latest. A route that read the header sets
 * it again.
 */
export function xapiVersionHeader(request: Request, response: Response, next: NextFunction): void {
  const asked = request.header('x-experience-api-version');
  response.setHeader('X-Experience-API-Version', asked?.startsWith('1.0') ? '1.0.3' : '2.0.0');
  next();
}
