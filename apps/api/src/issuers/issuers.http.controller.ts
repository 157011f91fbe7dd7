import { type Issuer, type IssuerEvent, issuerDecider, issuerStream } from '@app/domain';
import { Body, Controller, Get, NotFoundException, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Public, Roles } from '../auth/auth.decorators';
import { Command, type CommandMetadata, domainMetadata } from '../commands/command-metadata';
import { type CommandOutcome, StreamCommands } from '@app/application';
import { ExecuteIssuerCommand } from './issuer.handler';
import { RegisterIssuerDto } from './register-issuer.dto';

@ApiTags('issuers')
@ApiBearerAuth()
@Controller('issuers')
export class IssuersController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly streams: StreamCommands,
  ) {}

  @Post()
  @Roles('admin')
  @ApiCreatedResponse({ description: '{ id, position }' })
  async register(@Body() body: RegisterIssuerDto, @Command() metadata: CommandMetadata) {
    const { id, ...rest } = body;
    const outcome: CommandOutcome<IssuerEvent> = await this.commandBus.execute(
      new ExecuteIssuerCommand(
        { type: 'RegisterIssuer', data: { issuerId: id, ...rest }, metadata: domainMetadata(metadata) },
        metadata,
      ),
    );
    return { id: outcome.events[0].data.issuerId, position: outcome.position.toString() };
  }

  @Get(':issuerId')
  @Public()
  async profile(@Param('issuerId') issuerId: string): Promise<Issuer> {
    const issuer = await this.streams.load<Issuer, IssuerEvent>(issuerStream(issuerId), issuerDecider);
    if (issuer.status === 'unregistered')
      throw new NotFoundException({
        type: 'urn:tessera:problem:unknown-issuer',
        title: 'Not found',
        message: `no issuer ${issuerId}`,
      });
    return issuer;
  }
}
