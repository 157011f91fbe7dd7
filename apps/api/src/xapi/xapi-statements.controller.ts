import { Body, Controller, Get, Headers, HttpCode, Post, Put, Query, Res, UseFilters } from '@nestjs/common';
import { ApiBasicAuth, ApiHeader, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { XapiError, XapiErrorFilter } from './xapi-errors';
import { XapiStatements } from './xapi-statements.service';
import { xapiVersionOf } from './xapi-validation';

const VERSION_HEADER = { name: 'X-Experience-API-Version', required: true, enum: ['2.0.0', '1.0.3'] };

/**
 * The xAPI statements resource, as LMS plugins expect of a Learning Record Store: HTTP Basic credentials of an
 * issuer's xAPI client (not bearer tokens), the X-Experience-API-Version header, errors in xAPI's form.
 */
@ApiTags('xapi')
@ApiBasicAuth()
@ApiHeader(VERSION_HEADER)
@Public()
@UseFilters(XapiErrorFilter)
@Controller('xapi/statements')
export class XapiStatementsController {
  constructor(private readonly statements: XapiStatements) {}

  /** The Basic challenge goes with a 401 (which the problem filter answers, keeping the header). */
  private async authenticate(authorization: string | undefined, response: Response) {
    response.setHeader('WWW-Authenticate', 'Basic realm="Tessera xAPI", charset="UTF-8"');
    const caller = await this.statements.authenticate(authorization);
    response.removeHeader('WWW-Authenticate');
    return caller;
  }

  @Post()
  @HttpCode(200)
  @ApiOkResponse({ description: '[statement ids], in the order sent' })
  async post(
    @Body() body: unknown,
    @Headers('authorization') authorization: string | undefined,
    @Headers('x-experience-api-version') versionHeader: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string[]> {
    const caller = await this.authenticate(authorization, response);
    const version = xapiVersionOf(versionHeader);
    response.setHeader('X-Experience-API-Version', version);
    const list = Array.isArray(body) ? body : [body];
    if (list.length === 0) throw new XapiError(400, 'no statement was sent');
    return this.statements.store(caller, list, version);
  }

  @Put()
  @HttpCode(204)
  @ApiQuery({ name: 'statementId', required: true })
  @ApiOkResponse({ description: '204: stored (or already stored with the same content); 409 with other content' })
  async put(
    @Body() body: unknown,
    @Query('statementId') statementId: string | undefined,
    @Headers('authorization') authorization: string | undefined,
    @Headers('x-experience-api-version') versionHeader: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    const caller = await this.authenticate(authorization, response);
    const version = xapiVersionOf(versionHeader);
    response.setHeader('X-Experience-API-Version', version);
    if (!statementId || !UUID.test(statementId)) throw new XapiError(400, 'statementId must be a UUID');
    if (Array.isArray(body)) throw new XapiError(400, 'PUT takes one statement');
    await this.statements.store(caller, [body], version, statementId.toLowerCase());
  }

  @Get()
  @ApiQuery({ name: 'statementId', required: false })
  @ApiQuery({ name: 'voidedStatementId', required: false })
  @ApiOkResponse({ description: 'the statement as stored (with stored, authority, version)' })
  async get(
    @Query('statementId') statementId: string | undefined,
    @Query('voidedStatementId') voidedStatementId: string | undefined,
    @Headers('authorization') authorization: string | undefined,
    @Headers('x-experience-api-version') versionHeader: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const caller = await this.authenticate(authorization, response);
    response.setHeader('X-Experience-API-Version', xapiVersionOf(versionHeader));
    const id = statementId ?? voidedStatementId;
    if (!id || (statementId && voidedStatementId) || !UUID.test(id))
      throw new XapiError(400, 'give one of statementId or voidedStatementId, a UUID (queries are not served)');
    return this.statements.find(caller.issuerId, id.toLowerCase(), voidedStatementId !== undefined);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
