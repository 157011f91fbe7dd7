import type { CommandOutcome, DefinitionKind } from '@app/application';
import type { Achievement, Pathway } from '@app/domain';
import type { CatalogueFilter } from '@app/read-models';
import { NotFoundException } from '@nestjs/common';
import type { CommandBus, QueryBus } from '@nestjs/cqrs';
import { type CommandMetadata, deriveId, domainMetadata } from '../commands/command-metadata';
import { plain } from '../commands/plain';
import { type DefinitionCommand, type DefinitionEvent, ExecuteDefinitionCommand } from './definition.handler';
import { CatalogueQuery, DefinitionQuery } from './definition.queries';

/** How each kind of definition names its id and its commands. */
const NAMES = {
  achievement: {
    id: 'achievementId',
    define: 'DefineAchievement',
    revise: 'ReviseAchievement',
    retire: 'RetireAchievement',
  },
  pathway: { id: 'pathwayId', define: 'DefinePathway', revise: 'RevisePathway', retire: 'RetirePathway' },
} as const;

/**
 * The define / revise / retire lifecycle and the catalogue reads that achievements and pathways share: the routes of
 * each controller hand their validated bodies here.
 */
export class DefinitionLifecycle<State extends Achievement | Pathway> {
  constructor(
    private readonly kind: DefinitionKind,
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  /** `{ id, version, position }`; without an id, one derived from the command. */
  define(
    body: { id?: string; issuerId: string } & object,
    metadata: CommandMetadata,
  ): Promise<{ id: string; version?: number; position: string }> {
    const { id, issuerId, ...definition } = body;
    const definitionId = id ?? deriveId(metadata.commandId, this.kind);
    return this.run(
      NAMES[this.kind].define,
      { [NAMES[this.kind].id]: definitionId, issuerId, definition: plain(definition) },
      metadata,
    );
  }

  /** `{ id, version, position }`: the new version. */
  revise(id: string, definition: object, metadata: CommandMetadata) {
    return this.run(NAMES[this.kind].revise, { [NAMES[this.kind].id]: id, definition: plain(definition) }, metadata);
  }

  /** `{ id, status: "retired", position }`. */
  async retire(id: string, reason: string | undefined, metadata: CommandMetadata) {
    const { position } = await this.run(
      NAMES[this.kind].retire,
      { [NAMES[this.kind].id]: id, ...(reason ? { reason } : {}) },
      metadata,
    );
    return { id, status: 'retired', position };
  }

  /** The catalogue from its read model (`minPosition` waits for a write). */
  list(filter: CatalogueFilter & { readonly minPosition?: string }): Promise<State[]> {
    return this.queryBus.execute(new CatalogueQuery(this.kind, filter)) as Promise<State[]>;
  }

  /** One definition with every version, read from its stream; 404 `unknown-<kind>` when it was never defined. */
  async get(id: string): Promise<Exclude<State, { status: 'none' }>> {
    const found = (await this.queryBus.execute(new DefinitionQuery(this.kind, id))) as State;
    if (found.status === 'none')
      throw new NotFoundException({
        type: `urn:tessera:problem:unknown-${this.kind}`,
        title: 'Not found',
        message: `no ${this.kind} ${id}`,
      });
    return found as Exclude<State, { status: 'none' }>;
  }

  private async run(type: string, data: object, metadata: CommandMetadata) {
    const command = { type, data, metadata: domainMetadata(metadata) } as DefinitionCommand;
    const outcome: CommandOutcome<DefinitionEvent> = await this.commandBus.execute(
      new ExecuteDefinitionCommand(this.kind, command, metadata),
    );
    const event = outcome.events[0];
    const { version } = event.data as { version?: number };
    const id = (event.data as unknown as Record<string, string>)[NAMES[this.kind].id];
    const retired = event.type === 'AchievementRetired' || event.type === 'PathwayRetired';
    return { id, version: retired ? undefined : version, position: outcome.position.toString() };
  }
}
