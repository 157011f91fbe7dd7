import { pathwayProgress, StreamCommands } from '@app/application';
import {
  type Pathway,
  type PathwayDefinitionInput,
  type PathwayEvent,
  pathwayDecider,
  pathwayStream,
} from '@app/domain';
import type { EventStore, SqlClient } from '@app/event-store';
import { listPathways, pathwayCatalogueProjection } from '@app/read-models';
import { learnersWithAwards } from '@app/read-models';
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
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { plain } from '../commands/plain';
import { Command, type CommandMetadata, deriveId, domainMetadata } from '../commands/command-metadata';
import type { CommandOutcome } from '@app/application';
import { ReadYourWrites } from '../queries/read-your-writes';
import { EVENT_STORE, SQL_CLIENT } from '../storage.tokens';
import { ExecutePathwayCommand } from './pathway.handler';
import { DefinePathwayDto, PathwayDefinitionDto, RetirePathwayDto } from './pathway.dto';
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
    @Inject(EVENT_STORE) private readonly store: EventStore,
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
  async get(@Param('pathwayId') pathwayId: string): Promise<Pathway> {
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
  @ApiOkResponse({
    description: '{ pathwayId, version, evaluatedAt, learners, gain: [learnerId], lose: [learnerId] } — a dry run',
  })
  async impact(@Param('pathwayId') pathwayId: string, @Param('version', ParseIntPipe) version: number) {
    await this.get(pathwayId);
    const at = new Date().toISOString();
    const gain: string[] = [];
    const lose: string[] = [];
    const learners = await learnersWithAwards(this.sql.query);
    for (const learnerId of learners) {
      const [now, then] = await Promise.all([
        pathwayProgress(this.streams, this.store, learnerId, pathwayId, at),
        pathwayProgress(this.streams, this.store, learnerId, pathwayId, at, { version }),
      ]);
      if (!now.result.satisfied && then.result.satisfied) gain.push(learnerId);
      if (now.result.satisfied && !then.result.satisfied) lose.push(learnerId);
    }
    return { pathwayId, version, evaluatedAt: at, learners: learners.length, gain, lose };
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
