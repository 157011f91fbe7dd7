import { Command, CommanderError } from 'commander';
import { registerCatalogueCommands } from './commands/catalogue';
import { registerImportCommand } from './commands/import';
import { registerLearnerCommands } from './commands/learner';
import { registerMaintenanceCommands } from './commands/maintenance';
import { registerServerCommands } from './commands/server';
import { registerTokenCommand } from './commands/token';
import { registerVerifyCommand } from './commands/verify';
import { CliError, type CliIo, EXIT } from './io';

/** The `tessera` command line, writing through `io`. */
export function buildCli(io: CliIo): Command {
  const program = new Command()
    .name('tessera')
    .description('Tessera: an event-sourced ledger of micro-credentials')
    .version('0.1.0')
    .showHelpAfterError()
    // Set before the commands are added, so every subcommand inherits them.
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.out(text), writeErr: (text) => io.err(text) });
  registerServerCommands(program);
  registerTokenCommand(program, io);
  registerCatalogueCommands(program, io);
  registerImportCommand(program, io);
  registerLearnerCommands(program, io);
  registerVerifyCommand(program, io);
  registerMaintenanceCommands(program, io);
  return program;
}

/**
 * Runs the command line on `args` (without node and the script) and answers the exit code: a failure is one line on
 * stderr, `tessera <command>: <what went wrong>`.
 */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  const program = buildCli(io);
  try {
    await program.parseAsync([...args], { from: 'user' });
    return io.exitCode ?? EXIT.ok;
  } catch (error) {
    // Commander has already printed its own message (usage errors), or the help or version asked for.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.failed;
    const command = commandPath(program, args);
    if (error instanceof CliError) {
      io.err(`${command}: ${error.message}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.err(`${command}: ${message.split('\n')[0]}\n`);
    return EXIT.failed;
  }
}

/**
 * `tessera <command> [<subcommand>] [<first argument>]` as the arguments name it (`tessera import evidence`,
 * `tessera verify ada.jwt`), leaving out options and their values (`tessera token`, not `tessera token learner`).
 */
function commandPath(program: Command, args: readonly string[]): string {
  const names = ['tessera'];
  let command = program;
  for (const arg of args.filter((candidate) => !candidate.startsWith('-'))) {
    const sub = command.commands.find((candidate) => candidate.name() === arg || candidate.aliases().includes(arg));
    if (sub) {
      names.push(sub.name());
      command = sub;
      continue;
    }
    if (command !== program && command.registeredArguments.length > 0 && names.length < 3) names.push(arg);
    break;
  }
  return names.join(' ');
}
