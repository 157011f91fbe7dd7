import type { DefinedPathway } from '@app/application';
import { type Pathway, requireIssuer } from '@app/domain';
import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { Command, type CommandMetadata } from '../commands/command-metadata';
import { DefinitionLifecycle } from '../definitions/definition-lifecycle';
import { decodeCursor, encodeCursor } from '../transcripts/cursor';
import { DEFAULT_LIMIT } from '../transcripts/transcript.dto';
import { IMPACT_RETRY_AFTER_SECONDS, ImpactBusy, ImpactComputations } from './impact-computations';
import { DefinePathwayDto, ImpactPageDto, ImpactQueryDto, PathwayDefinitionDto, RetirePathwayDto } from './pathway.dto';
import { PathwayCatalogueQueryDto } from './pathway-catalogue-query.dto';
import { PathwayImpactQuery } from './pathway.queries';

@ApiTags('pathways')
@ApiBearerAuth()
@Controller('pathways')
export class PathwaysController {
  private readonly lifecycle: DefinitionLifecycle<Pathway>;

  constructor(
    commandBus: CommandBus,
    private readonly queryBus: QueryBus,
    private readonly impactComputations: ImpactComputations,
  ) {
    this.lifecycle = new DefinitionLifecycle('pathway', commandBus, queryBus);
  }

  @Post()
  @Roles('issuer-admin')
  @ApiCreatedResponse({ description: '{ id, version, position }' })
  define(@Body() body: DefinePathwayDto, @Command() metadata: CommandMetadata) {
    return this.lifecycle.define(body, metadata);
  }

  @Post(':pathwayId/revisions')
  @Roles('issuer-admin')
  @ApiCreatedResponse({
    description: '{ id, version, position }: the new version; learners keep theirs until migrated',
  })
  revise(
    @Param('pathwayId') pathwayId: string,
    @Body() body: PathwayDefinitionDto,
    @Command() metadata: CommandMetadata,
  ) {
    return this.lifecycle.revise(pathwayId, body, metadata);
  }

  @Post(':pathwayId/retire')
  @Roles('issuer-admin')
  @HttpCode(200)
  @ApiOkResponse({ description: '{ id, status: "retired", position }' })
  retire(@Param('pathwayId') pathwayId: string, @Body() body: RetirePathwayDto, @Command() metadata: CommandMetadata) {
    return this.lifecycle.retire(pathwayId, body.reason, metadata);
  }

  @Get()
  @ApiOkResponse({ description: '{ pathways: Pathway[] } — each with every version' })
  async list(@Query() query: PathwayCatalogueQueryDto) {
    return { pathways: await this.lifecycle.list({ ...query, category: query.type }) };
  }

  @Get(':pathwayId')
  @ApiOkResponse({ description: 'The pathway with every version, read from its stream' })
  get(@Param('pathwayId') pathwayId: string): Promise<DefinedPathway> {
    return this.lifecycle.get(pathwayId);
  }

  @Get(':pathwayId/revisions/:version/impact')
  @Roles('issuer-admin', 'registrar')
  @ApiOkResponse({ type: ImpactPageDto, description: 'A dry run, a page of learners at a time' })
  @ApiForbiddenResponse({ description: "not-your-issuer: the token does not hold the pathway's issuer" })
  @ApiTooManyRequestsResponse({ description: 'impact-busy: as many impact computations as allowed run already' })
  async impact(
    @Param('pathwayId') pathwayId: string,
    @Param('version', ParseIntPipe) version: number,
    @Query() query: ImpactQueryDto,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ImpactPageDto> {
    const pathway = await this.get(pathwayId);
    requireIssuer(actor, pathway.issuerId, 'see the impact of a revision');
    const cursor =
      query.cursor === undefined
        ? undefined
        : decodeCursor(query.cursor, ['after', 'at'] as const, ({ at }) => !Number.isNaN(Date.parse(at)));
    const at = cursor?.at ?? new Date().toISOString();
    const limit = query.limit ?? DEFAULT_LIMIT;
    try {
      const page = await this.impactComputations.run(() =>
        this.queryBus.execute(
          new PathwayImpactQuery(pathway, version, at, { after: cursor?.after, limit }, query.minPosition),
        ),
      );
      const { after, ...found } = page;
      return { pathwayId, version, evaluatedAt: at, ...found, ...(after ? { next: encodeCursor({ after, at }) } : {}) };
    } catch (error) {
      if (error instanceof ImpactBusy) response.setHeader('Retry-After', String(IMPACT_RETRY_AFTER_SECONDS));
      throw error;
    }
  }
}
