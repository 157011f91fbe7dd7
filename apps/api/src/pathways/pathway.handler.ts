import { type CommandOutcome, loadRuleCatalogue, StreamCommands } from '@app/application';
import {
  decidePathway,
  findPathwayCycle,
  type Issuer,
  type IssuerEvent,
  issuerDecider,
  issuerStream,
  isSlug,
  type Pathway,
  type PathwayCommand,
  type PathwayContext,
  type PathwayEvent,
  pathwayDecider,
  pathwayStream,
  validateRule,
} from '@app/domain';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata } from '../commands/command-metadata';

export class ExecutePathwayCommand {
  constructor(
    readonly command: PathwayCommand,
    readonly metadata: CommandMetadata,
  ) {}
}

@CommandHandler(ExecutePathwayCommand)
export class PathwayCommandHandler implements ICommandHandler<ExecutePathwayCommand, CommandOutcome<PathwayEvent>> {
  constructor(private readonly streams: StreamCommands) {}

  execute({ command, metadata }: ExecutePathwayCommand): Promise<CommandOutcome<PathwayEvent>> {
    return this.streams.execute<Pathway, PathwayEvent>(
      pathwayStream(command.data.pathwayId),
      pathwayDecider,
      metadata,
      async (pathway) => decidePathway(command, pathway, await this.context(command)),
    );
  }

  /** The issuer (to define), and what the rule names, to validate it and to find cycles through nested pathways. */
  private async context(command: PathwayCommand): Promise<PathwayContext | undefined> {
    if (command.type === 'RetirePathway') return undefined;
    const catalogue = await loadRuleCatalogue(this.streams, [command.data.definition?.rule]);
    const checks = {
      checkRule: (rule: unknown) => validateRule(rule, catalogue.stacking),
      findCycle: (pathwayId: string, rule: Parameters<typeof findPathwayCycle>[1]) =>
        findPathwayCycle(pathwayId, rule, catalogue.ruleOf),
    };
    if (command.type === 'RevisePathway') return checks;
    const issuerId = command.data.issuerId;
    const issuer = isSlug(issuerId)
      ? await this.streams.load<Issuer, IssuerEvent>(issuerStream(issuerId), issuerDecider)
      : undefined;
    return { ...checks, issuer };
  }
}
