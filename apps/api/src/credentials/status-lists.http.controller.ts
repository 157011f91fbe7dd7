import type { JsonObject } from '@app/credentials';
import { isSlug } from '@app/domain';
import {
  BadRequestException,
  Controller,
  Get,
  Header,
  Headers,
  NotFoundException,
  Param,
  Query,
  Res,
} from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { isListId, StatusLists } from './status-lists';

/** Issuers' W3C Bitstring Status Lists: where verifiers learn whether a credential was suspended or revoked. */
@ApiTags('credentials')
@Controller('status-lists/:issuerId/:listId')
export class StatusListsController {
  constructor(private readonly lists: StatusLists) {}

  @Get()
  @Public()
  @Header('Cache-Control', 'no-cache')
  @ApiOkResponse({
    description:
      'The BitstringStatusListCredential signed as a VC-JWT (application/vc+jwt, the default), or with ' +
      '?format=json or Accept: application/ld+json the JSON-LD credential with an embedded DataIntegrityProof ' +
      '(eddsa-rdfc-2022, the issuer’s Ed25519 key); 2 bits per credential: 0 valid, 1 suspended, 2 revoked',
  })
  async list(
    @Param('issuerId') issuerId: string,
    @Param('listId') listId: string,
    @Res({ passthrough: true }) response: Response,
    @Query('format') format?: string,
    @Headers('accept') accept?: string,
  ): Promise<JsonObject | string> {
    const invalid = (detail: string) =>
      new BadRequestException({
        type: 'urn:tessera:problem:invalid-status-list',
        title: 'Invalid input',
        message: detail,
      });
    if (format !== undefined && format !== 'json' && format !== 'jwt')
      throw invalid(`format must be "jwt" or "json" (got "${format}")`);
    if (!isSlug(issuerId)) throw invalid('issuerId must be an issuer id (a lower-case slug)');
    if (!isListId(listId)) throw invalid('listId must be a positive integer');
    const list = await this.lists.credential(issuerId, Number(listId));
    if (!list)
      throw new NotFoundException({
        type: 'urn:tessera:problem:unknown-status-list',
        title: 'Not found',
        message: `issuer ${issuerId} has no status list ${listId}`,
      });
    if (format === 'json' || (format === undefined && accept?.includes('application/ld+json'))) {
      response.type(format === 'json' ? 'application/json' : 'application/ld+json');
      return this.lists.withProof(list, issuerId);
    }
    response.type('application/vc+jwt');
    return this.lists.signed(list, issuerId);
  }
}
