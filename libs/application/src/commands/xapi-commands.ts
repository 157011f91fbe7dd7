import {
  type Achievement,
  type AchievementEvent,
  achievementDecider,
  achievementStream,
  decideXapi,
  type Issuer,
  issuerDecider,
  type IssuerEvent,
  issuerStream,
  type XapiCommand,
  xapiDecider,
  type XapiEvent,
  type XapiIssuer,
  xapiStream,
} from '@app/domain';
import type { CommandContext } from '../command-context';
import type { CommandOutcome, StreamCommands } from '../stream-commands';

/**
 * Runs a command on an issuer's xAPI stream: a client registered needs the issuer, a mapping the achievement, each
 * read in the same round trip as the stream.
 */
export function executeXapiCommand(
  streams: StreamCommands,
  command: XapiCommand,
  context: CommandContext,
): Promise<CommandOutcome<XapiEvent>> {
  const alongside =
    command.type === 'RegisterXapiClient'
      ? [issuerStream(command.data.issuerId)]
      : command.type === 'SetXapiMapping'
        ? [achievementStream(command.data.achievementId)]
        : [];
  return streams.execute<XapiIssuer, XapiEvent>(
    xapiStream(command.data.issuerId),
    xapiDecider,
    context,
    async (state, loader) => {
      if (command.type === 'RegisterXapiClient')
        return decideXapi(command, state, {
          issuer: await loader.load<Issuer, IssuerEvent>(alongside[0], issuerDecider),
        });
      if (command.type === 'SetXapiMapping')
        return decideXapi(command, state, {
          achievement: await loader.load<Achievement, AchievementEvent>(alongside[0], achievementDecider),
        });
      return decideXapi(command, state);
    },
    alongside,
  );
}

/** An issuer's xAPI clients and mappings as they stand now: one read of its xAPI stream. */
export const loadXapiIssuer = (streams: StreamCommands, issuerId: string): Promise<XapiIssuer> =>
  streams.load<XapiIssuer, XapiEvent>(xapiStream(issuerId), xapiDecider);
