import { type Role, ROLES } from '@app/domain';
import { Command, InvalidArgumentError, Option } from 'commander';

/** The `tessera` command line. Later commands (import, transcript, audit, token) join here. */
export function buildCli(): Command {
  const program = new Command()
    .name('tessera')
    .description('Tessera: an event-sourced ledger of micro-credentials')
    .version('0.1.0')
    .showHelpAfterError();

  program
    .command('serve')
    .description('start the HTTP API (embedded PGlite unless DATABASE_URL is set; see the README for configuration)')
    .action(async () => {
      await import('reflect-metadata');
      const { startApi } = await import('../../api/src/start-api');
      await startApi();
    });

  program
    .command('projector')
    .description('run the projections as their own process (needs DATABASE_URL)')
    .action(async () => {
      const { startProjector } = await import('../../projector/src/projector');
      await startProjector();
    });

  program
    .command('token')
    .description('mint a development bearer token signed with the configured TESSERA_JWT_SECRET')
    .addOption(new Option('--role <role...>', 'roles the token holds').choices([...ROLES]).makeOptionMandatory())
    .option('--issuer <issuerId...>', 'issuer ids the token may act for', [])
    .option('--learner <learnerId>', "the learner's own id (for the learner role)")
    .option('--sub <subject>', 'the subject (who the token is for)', 'dev')
    .option('--expires-in <duration>', 'lifetime, e.g. 1h, 30m, 7d', parseLifetime, '1h')
    .action(async (options: { role: Role[]; issuer: string[]; learner?: string; sub: string; expiresIn: string }) => {
      const { loadConfigOrExit } = await import('@app/config');
      const { TokenVerifier } = await import('../../api/src/auth/token-verifier');
      const config = loadConfigOrExit('tessera token');
      const token = await new TokenVerifier(config.jwtSecret).sign(
        {
          sub: options.sub,
          roles: options.role,
          issuers: options.issuer,
          ...(options.learner ? { learner: options.learner } : {}),
        },
        options.expiresIn,
      );
      process.stdout.write(`${token}\n`);
    });

  return program;
}

function parseLifetime(value: string): string {
  if (!/^\d+[smhdw]$/.test(value)) throw new InvalidArgumentError('use a number and a unit: s, m, h, d or w (e.g. 1h)');
  return value;
}
