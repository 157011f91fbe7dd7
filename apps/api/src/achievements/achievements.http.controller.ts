import type { Achievement } from '@app/domain';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { Command, type CommandMetadata } from '../commands/command-metadata';
import { DefinitionLifecycle } from '../definitions/definition-lifecycle';
import { AchievementDefinitionDto, DefineAchievementDto, RetireAchievementDto } from './achievement-definition.dto';
import { CatalogueQueryDto } from './catalogue-query.dto';

@ApiTags('achievements')
@ApiBearerAuth()
@Controller('achievements')
export class AchievementsController {
  private readonly lifecycle: DefinitionLifecycle<Achievement>;

  constructor(commandBus: CommandBus, queryBus: QueryBus) {
    this.lifecycle = new DefinitionLifecycle('achievement', commandBus, queryBus);
  }

  @Post()
  @Roles('issuer-admin')
  @ApiCreatedResponse({ description: '{ id, version, position }' })
  define(@Body() body: DefineAchievementDto, @Command() metadata: CommandMetadata) {
    return this.lifecycle.define(body, metadata);
  }

  @Post(':achievementId/revisions')
  @Roles('issuer-admin')
  @ApiCreatedResponse({ description: '{ id, version, position }: the new version' })
  revise(
    @Param('achievementId') achievementId: string,
    @Body() body: AchievementDefinitionDto,
    @Command() metadata: CommandMetadata,
  ) {
    return this.lifecycle.revise(achievementId, body, metadata);
  }

  @Post(':achievementId/retire')
  @Roles('issuer-admin')
  @HttpCode(200)
  @ApiOkResponse({ description: '{ id, status: "retired", position }' })
  retire(
    @Param('achievementId') achievementId: string,
    @Body() body: RetireAchievementDto,
    @Command() metadata: CommandMetadata,
  ) {
    return this.lifecycle.retire(achievementId, body.reason, metadata);
  }

  @Get()
  @ApiQuery({
    name: 'minPosition',
    required: false,
    description: 'Wait until the catalogue has caught up with this position',
  })
  @ApiOkResponse({ description: '{ achievements: Achievement[] } — each with every version' })
  async list(@Query() query: CatalogueQueryDto) {
    return { achievements: await this.lifecycle.list({ ...query, category: query.kind }) };
  }

  @Get(':achievementId')
  @ApiOkResponse({ description: 'The achievement with every version, read from its stream' })
  get(@Param('achievementId') achievementId: string) {
    return this.lifecycle.get(achievementId);
  }
}
