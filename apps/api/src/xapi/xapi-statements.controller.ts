import type { TesseraConfig } from '@app/config';
import { Body, Controller, Get, Headers, HttpCode, Inject, Post, Put, Query, Res, UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBasicAuth, ApiHeader, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { AcceptsBodyOf } from '../security/request-input.guard';
import { TESSERA_CONFIG } from '../storage.tokens';
import { XapiError, XapiErrorFilter } from './xapi-errors';
import {
  inFormat,
  XAPI_QUERY_MAX,
  XapiConsistentThroughQuery,
  xapiCursorOf,
  xapiQueryParameters,
  xapiStatementFilter,
  XapiStatementsQuery,
} from './xapi-statement-query';
import { XapiStatements } from './xapi-statements.service';
import { xapiVersionOf } from './xapi-validation';

const MULTIPART = /^\s*multipart\//i;
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
  /** Where the api is served, as `more` links are absolute paths: `/xapi/statements` behind TESSERA_PUBLIC_URL's path. */
  private readonly statementsPath: string;

  constructor(
    private readonly statements: XapiStatements,
    private readonly queryBus: QueryBus,
    @Inject(TESSERA_CONFIG) config: TesseraConfig,
  ) {
    this.statementsPath = `${new URL(config.publicUrl).pathname.replace(/\/+$/, '')}/xapi/statements`;
  }

  /** The Basic challenge goes with a 401 (which the problem filter answers, keeping the header). */
  private async authenticate(authorization: string | undefined, response: Response) {
    response.setHeader('WWW-Authenticate', 'Basic realm="Tessera xAPI", charset="UTF-8"');
    const caller = await this.statements.authenticate(authorization);
    response.removeHeader('WWW-Authenticate');
    return caller;
  }

  @Post()
  @HttpCode(200)
  // multipart/mixed (attachments) reaches the route, which refuses it in xAPI's form, not as a 415.
  @AcceptsBodyOf(MULTIPART)
  @ApiOkResponse({ description: '[statement ids], in the order sent' })
  async post(
    @Body() body: unknown,
    @Headers('authorization') authorization: string | undefined,
    @Headers('x-experience-api-version') versionHeader: string | undefined,
    @Headers('content-type') contentType: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string[]> {
    const caller = await this.authenticate(authorization, response);
    const version = xapiVersionOf(versionHeader);
    response.setHeader('X-Experience-API-Version', version);
    refuseAttachments(contentType);
    const list = Array.isArray(body) ? body : [body];
    if (list.length === 0) throw new XapiError(400, 'no statement was sent');
    return this.statements.store(caller, list, version);
  }

  @Put()
  @HttpCode(204)
  @AcceptsBodyOf(MULTIPART)
  @ApiQuery({ name: 'statementId', required: true })
  @ApiOkResponse({ description: '204: stored (or already stored with the same content); 409 with other content' })
  async put(
    @Body() body: unknown,
    @Query('statementId') statementId: string | undefined,
    @Headers('authorization') authorization: string | undefined,
    @Headers('x-experience-api-version') versionHeader: string | undefined,
    @Headers('content-type') contentType: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    const caller = await this.authenticate(authorization, response);
    const version = xapiVersionOf(versionHeader);
    response.setHeader('X-Experience-API-Version', version);
    refuseAttachments(contentType);
    if (!statementId || !UUID.test(statementId)) throw new XapiError(400, 'statementId must be a UUID');
    if (Array.isArray(body)) throw new XapiError(400, 'PUT takes one statement');
    await this.statements.store(caller, [body], version, statementId.toLowerCase());
  }

  @Get()
  @ApiQuery({ name: 'statementId', required: false, description: 'one statement, by id (404 when voided)' })
  @ApiQuery({ name: 'voidedStatementId', required: false, description: 'one voided statement, by id' })
  @ApiQuery({ name: 'agent', required: false, description: 'Agent or Group JSON (one IFI): the actor or object' })
  @ApiQuery({ name: 'verb', required: false, description: 'verb IRI' })
  @ApiQuery({ name: 'activity', required: false, description: 'activity IRI: the object' })
  @ApiQuery({ name: 'registration', required: false, description: 'context.registration UUID' })
  @ApiQuery({ name: 'related_activities', required: false, enum: ['true', 'false'] })
  @ApiQuery({ name: 'related_agents', required: false, enum: ['true', 'false'] })
  @ApiQuery({ name: 'since', required: false, description: 'stored after this instant' })
  @ApiQuery({ name: 'until', required: false, description: 'stored at or before this instant' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 0, maximum: XAPI_QUERY_MAX } })
  @ApiQuery({ name: 'format', required: false, enum: ['exact', 'ids', 'canonical'] })
  @ApiQuery({ name: 'attachments', required: false, enum: ['false'] })
  @ApiQuery({ name: 'ascending', required: false, enum: ['true', 'false'] })
  @ApiQuery({ name: 'cursor', required: false, description: 'the next page (what `more` links to), opaque' })
  @ApiOkResponse({
    description:
      'with statementId / voidedStatementId: the statement as stored (with stored, authority, version); ' +
      "otherwise a StatementResult { statements, more } of the caller issuer's statements, newest first, voided " +
      'ones left out; more is the next page\'s URL ("" when none). X-Experience-API-Consistent-Through on both.',
  })
  async get(
    @Query() query: Record<string, unknown>,
    @Headers('authorization') authorization: string | undefined,
    @Headers('x-experience-api-version') versionHeader: string | undefined,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const caller = await this.authenticate(authorization, response);
    response.setHeader('X-Experience-API-Version', xapiVersionOf(versionHeader));
    const parameters = xapiQueryParameters(query);
    const { statementId, voidedStatementId, cursor, format, attachments, ...filters } = parameters;
    if (statementId !== undefined || voidedStatementId !== undefined) {
      const id = statementId ?? voidedStatementId;
      if (!id || (statementId && voidedStatementId) || !UUID.test(id))
        throw new XapiError(400, 'give one of statementId or voidedStatementId, a UUID');
      if (Object.keys(filters).length > 0 || cursor !== undefined)
        throw new XapiError(
          400,
          'statementId and voidedStatementId take no other parameter but format and attachments',
        );
      const { format: asked } = xapiStatementFilter({
        ...(format !== undefined ? { format } : {}),
        ...(attachments !== undefined ? { attachments } : {}),
      });
      const consistentThrough = await this.queryBus.execute(new XapiConsistentThroughQuery());
      const statement = await this.statements.find(caller.issuerId, id.toLowerCase(), voidedStatementId !== undefined);
      response.setHeader('X-Experience-API-Consistent-Through', consistentThrough);
      response.setHeader('Last-Modified', new Date(String(statement.stored)).toUTCString());
      return inFormat(statement, asked, languagesOf(acceptLanguage));
    }
    if (cursor !== undefined && Object.keys(parameters).length > 1)
      throw new XapiError(400, 'cursor takes no other parameter: the query is in it');
    const { filter, position } =
      cursor !== undefined ? xapiCursorOf(cursor) : { filter: xapiStatementFilter(parameters), position: undefined };
    const consistentThrough = await this.queryBus.execute(new XapiConsistentThroughQuery());
    const page = await this.queryBus.execute(
      new XapiStatementsQuery(caller.issuerId, filter, position, languagesOf(acceptLanguage)),
    );
    response.setHeader('X-Experience-API-Consistent-Through', consistentThrough);
    if (page.lastStored) response.setHeader('Last-Modified', new Date(page.lastStored).toUTCString());
    return {
      statements: page.statements,
      more: page.more ? `${this.statementsPath}?cursor=${page.more}` : '',
    };
  }
}

/** Statements with attachments' content (multipart/mixed, xAPI Part Three §1.5.2) are not stored: a clear 400. */
function refuseAttachments(contentType: string | undefined): void {
  if (MULTIPART.test(contentType ?? ''))
    throw new XapiError(
      400,
      'attachments are not served: send statements as application/json, with attachments by fileUrl only',
    );
}

/** Accept-Language's tags, most wanted first. */
function languagesOf(header: string | undefined): string[] {
  return (header ?? '')
    .split(',')
    .map((part) => {
      const [tag, ...options] = part.trim().split(';');
      const q = options.map((option) => /^\s*q=([\d.]+)\s*$/.exec(option)?.[1]).find(Boolean);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q) };
    })
    .filter((entry) => entry.tag !== '' && entry.tag !== '*' && entry.q > 0)
    .sort((a, b) => b.q - a.q)
    .map((entry) => entry.tag);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
