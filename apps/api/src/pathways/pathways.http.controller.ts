import { type DefinedPathway, pathwayImpact, StreamCommands } from '@app/application';
import {
  type Pathway,
  type PathwayDefinitionInput,
  type PathwayEvent,
  pathwayDecider,
  pathwayStream,
  requireIssuer,
} from '@app/domain';
import type { SqlClient } from '@app/event-store';
import { listPathways, pathwayCatalogueProjection, transcriptProjection } from '@app/read-models';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  ParseIntPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
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
import { plain } from '../commands/plain';
import { Command, type CommandMetadata, deriveId, domainMetadata } from '../commands/command-metadata';
import type { CommandOutcome } from '@app/application';
import { ReadYourWrites } from '../queries/read-your-writes';
import { SQL_CLIENT } from '../storage.tokens';
import { decodeCursor, encodeCursor } from '../transcripts/cursor';
import { DEFAULT_LIMIT } from '../transcripts/transcript.dto';
import { IMPACT_RETRY_AFTER_SECONDS, ImpactBusy, ImpactComputations } from './impact-computations';
import { ExecutePathwayCommand } from './pathway.handler';
import { DefinePathwayDto, ImpactPageDto, ImpactQueryDto, PathwayDefinitionDto, RetirePathwayDto } from './pathway.dto';
import { PathwayCatalogueQueryDto } from './pathway-catalogue-query.dto';

@ApiTags('pathways')
@ApiBearerAuth()
@Controller('pathways')
export class PathwaysController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly streams: StreamCommands,
    private readonly readYourWrites: ReadYourWrites,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    private readonly impactComputations: ImpactComputations,
  ) {}

  @Post()
  @Roles('issuer-admin')
  @ApiCreatedResponse({ description: '{ id, version, position }' })
  define(@Body() body: DefinePathwayDto, @Command() metadata: CommandMetadata) {
    const { id, issuerId, ...definition } = body;
    const pathwayId = id ?? deriveId(metadata.commandId, 'pathway');
    return this.run(
      {
        type: 'DefinePathway',
        data: { pathwayId, issuerId, definition: plain<PathwayDefinitionInput>(definition) },
        metadata: domainMetadata(metadata),
      },
      metadata,
    );
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
    return this.run(
      {
        type: 'RevisePathway',
        data: { pathwayId, definition: plain<PathwayDefinitionInput>(body) },
        metadata: domainMetadata(metadata),
      },
      metadata,
    );
  }

  @Post(':pathwayId/retire')
  @Roles('issuer-admin')
  @HttpCode(200)
  @ApiOkResponse({ description: '{ id, status: "retired", position }' })
  async retire(
    @Param('pathwayId') pathwayId: string,
    @Body() body: RetirePathwayDto,
    @Command() metadata: CommandMetadata,
  ) {
    const { position } = await this.run(
      {
        type: 'RetirePathway',
        data: { pathwayId, ...(body.reason ? { reason: body.reason } : {}) },
        metadata: domainMetadata(metadata),
      },
      metadata,
    );
    return { id: pathwayId, status: 'retired', position };
  }

  @Get()
  @ApiOkResponse({ description: '{ pathways: Pathway[] } — each with every version' })
  async list(@Query() query: PathwayCatalogueQueryDto) {
    await this.readYourWrites.waitFor(pathwayCatalogueProjection.name, query.minPosition);
    return { pathways: await listPathways(this.sql.query, { ...query, category: query.type }) };
  }

  @Get(':pathwayId')
  @ApiOkResponse({ description: 'The pathway with every version, read from its stream' })
  async get(@Param('pathwayId') pathwayId: string): Promise<DefinedPathway> {
    const pathway = await this.streams.load<Pathway, PathwayEvent>(pathwayStream(pathwayId), pathwayDecider);
    if (pathway.status === 'none')
      throw new NotFoundException({
        type: 'urn:tessera:problem:unknown-pathway',
        title: 'Not found',
        message: `no pathway ${pathwayId}`,
      });
    return pathway;
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
    await this.readYourWrites.waitFor(transcriptProjection.name, query.minPosition);
    const cursor =
      query.cursor === undefined
        ? undefined
        : decodeCursor(query.cursor, ['after', 'at'] as const, ({ at }) => !Number.isNaN(Date.parse(at)));
    const at = cursor?.at ?? new Date().toISOString();
    const limit = query.limit ?? DEFAULT_LIMIT;
    try {
      const page = await this.impactComputations.run(() =>
        pathwayImpact(this.streams, this.sql.query, pathway, version, at, { after: cursor?.after, limit }),
      );
      const { after, ...found } = page;
      return { pathwayId, version, evaluatedAt: at, ...found, ...(after ? { next: encodeCursor({ after, at }) } : {}) };
    } catch (error) {
      if (error instanceof ImpactBusy) response.setHeader('Retry-After', String(IMPACT_RETRY_AFTER_SECONDS));
      throw error;
    }
  }

  private async run(command: ExecutePathwayCommand['command'], metadata: CommandMetadata) {
    const outcome: CommandOutcome<PathwayEvent> = await this.commandBus.execute(
      new ExecutePathwayCommand(command, metadata),
    );
    const event = outcome.events[0];
    const version = event.type === 'PathwayRetired' ? undefined : event.data.version;
    return { id: event.data.pathwayId, version, position: outcome.position.toString() };
  }
}
