import {
  type Achievement,
  type AchievementDefinitionInput,
  type AchievementEvent,
  achievementDecider,
  achievementStream,
} from '@app/domain';
import { achievementCatalogueProjection, listAchievements } from '@app/read-models';
import type { SqlClient } from '@app/event-store';
import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { plain } from '../commands/plain';
import { Command, type CommandMetadata, deriveId, domainMetadata } from '../commands/command-metadata';
import type { CommandOutcome } from '@app/application';
import { StreamCommands } from '@app/application';
import { ReadYourWrites } from '../queries/read-your-writes';
import { SQL_CLIENT } from '../storage.tokens';
import { AchievementDefinitionDto, DefineAchievementDto, RetireAchievementDto } from './achievement-definition.dto';
import { ExecuteAchievementCommand } from './achievement.handler';
import { CatalogueQueryDto } from './catalogue-query.dto';

@ApiTags('achievements')
@ApiBearerAuth()
@Controller('achievements')
export class AchievementsController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly streams: StreamCommands,
    private readonly readYourWrites: ReadYourWrites,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
  ) {}

  @Post()
  @Roles('issuer-admin')
  @ApiCreatedResponse({ description: '{ id, version, position }' })
  async define(@Body() body: DefineAchievementDto, @Command() metadata: CommandMetadata) {
    const { id, issuerId, ...definition } = body;
    const achievementId = id ?? deriveId(metadata.commandId, 'achievement');
    return this.run(
      {
        type: 'DefineAchievement',
        data: { achievementId, issuerId, definition: plain<AchievementDefinitionInput>(definition) },
        metadata: domainMetadata(metadata),
      },
      metadata,
    );
  }

  @Post(':achievementId/revisions')
  @Roles('issuer-admin')
  @ApiCreatedResponse({ description: '{ id, version, position }: the new version' })
  async revise(
    @Param('achievementId') achievementId: string,
    @Body() body: AchievementDefinitionDto,
    @Command() metadata: CommandMetadata,
  ) {
    return this.run(
      {
        type: 'ReviseAchievement',
        data: { achievementId, definition: plain<AchievementDefinitionInput>(body) },
        metadata: domainMetadata(metadata),
      },
      metadata,
    );
  }

  @Post(':achievementId/retire')
  @Roles('issuer-admin')
  @HttpCode(200)
  @ApiOkResponse({ description: '{ id, status: "retired", position }' })
  async retire(
    @Param('achievementId') achievementId: string,
    @Body() body: RetireAchievementDto,
    @Command() metadata: CommandMetadata,
  ) {
    const outcome: CommandOutcome<AchievementEvent> = await this.commandBus.execute(
      new ExecuteAchievementCommand(
        {
          type: 'RetireAchievement',
          data: { achievementId, ...(body.reason ? { reason: body.reason } : {}) },
          metadata: domainMetadata(metadata),
        },
        metadata,
      ),
    );
    return { id: achievementId, status: 'retired', position: outcome.position.toString() };
  }

  @Get()
  @ApiQuery({
    name: 'minPosition',
    required: false,
    description: 'Wait until the catalogue has caught up with this position',
  })
  @ApiOkResponse({ description: '{ achievements: Achievement[] } — each with every version' })
  async list(@Query() query: CatalogueQueryDto) {
    await this.readYourWrites.waitFor(achievementCatalogueProjection.name, query.minPosition);
    return { achievements: await listAchievements(this.sql.query, { ...query, category: query.kind }) };
  }

  @Get(':achievementId')
  @ApiOkResponse({ description: 'The achievement with every version, read from its stream' })
  async get(@Param('achievementId') achievementId: string): Promise<Achievement> {
    const achievement = await this.streams.load<Achievement, AchievementEvent>(
      achievementStream(achievementId),
      achievementDecider,
    );
    if (achievement.status === 'none')
      throw new NotFoundException({
        type: 'urn:tessera:problem:unknown-achievement',
        title: 'Not found',
        message: `no achievement ${achievementId}`,
      });
    return achievement;
  }

  private async run(command: ExecuteAchievementCommand['command'], metadata: CommandMetadata) {
    const outcome: CommandOutcome<AchievementEvent> = await this.commandBus.execute(
      new ExecuteAchievementCommand(command, metadata),
    );
    const event = outcome.events[0];
    const version = event.type === 'AchievementRetired' ? undefined : event.data.version;
    return { id: event.data.achievementId, version, position: outcome.position.toString() };
  }
}
