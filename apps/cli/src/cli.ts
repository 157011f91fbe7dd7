import { type Role, ROLES } from '@app/domain';
import { Command, InvalidArgumentError, Option } from 'commander';

/** The `tessera` command line. */
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

  program
    .command('audit')
    .description('check the audit trail')
    .command('verify')
    .description("replay every stream and check its hash chain; exit 1 naming each broken stream's first broken link")
    .option('--json', 'print the report as JSON ({ ok, streams, events, broken })')
    .action(async (options: { json?: boolean }) => {
      const { loadConfigOrExit, openOrExit } = await import('@app/config');
      const { openEventStore } = await import('@app/event-store');
      const { verifyAudit } = await import('@app/application');
      const { Presets, SingleBar } = await import('cli-progress');
      const name = 'tessera audit verify';
      const config = loadConfigOrExit(name);
      const storage = await openOrExit(name, config, () => openEventStore(config.storage));
      // The total is not known without a second pass over the store: the bar counts events as they are checked.
      const bar = new SingleBar(
        { format: 'verifying |{spinner}| {value} events, {streams} streams, {broken} broken', hideCursor: true },
        Presets.shades_classic,
      );
      const spinner = ['-', '\\', '|', '/'];
      let pages = 0;
      bar.start(0, 0, { spinner: spinner[0], streams: 0, broken: 0 });
      try {
        const report = await verifyAudit(storage.store, {
          onProgress: (progress) => {
            bar.setTotal(progress.events);
            bar.update(progress.events, { ...progress, spinner: spinner[++pages % spinner.length] });
          },
        });
        bar.stop();
        if (options.json) process.stdout.write(`${JSON.stringify(report)}\n`);
        else {
          for (const link of report.broken)
            process.stdout.write(`broken: ${link.stream} at revision ${link.revision}: ${link.reason}\n`);
          const verdict = report.ok ? 'ok' : `${report.broken.length} broken`;
          process.stdout.write(`${report.streams} streams, ${report.events} events: ${verdict}\n`);
        }
        process.exitCode = report.ok ? 0 : 1;
      } finally {
        bar.stop();
        await storage.close();
      }
    });

  program
    .command('projections')
    .description('the read models')
    .command('rebuild')
    .description('rebuild every read model from the start of the store into fresh tables, then swap them in')
    .action(async () => {
      const { loadConfigOrExit, openOrExit } = await import('@app/config');
      const { openEventStore } = await import('@app/event-store');
      const { PROJECTIONS, rebuildProjections } = await import('@app/read-models');
      const { Presets, SingleBar } = await import('cli-progress');
      const name = 'tessera projections rebuild';
      const config = loadConfigOrExit(name);
      const storage = await openOrExit(name, config, () => openEventStore(config.storage));
      // With the events in PostgreSQL the total is one count away; with EventStoreDB the bar grows as it reads.
      const total = config.storage.eventStoreUrl
        ? 0
        : Number((await storage.sql.query<{ n: string }>('SELECT count(*)::text AS n FROM tessera_events'))[0].n);
      const bar = new SingleBar(
        { format: 'rebuilding |{bar}| {value}/{total} events', hideCursor: true },
        Presets.shades_classic,
      );
      bar.start(total, 0);
      try {
        const result = await rebuildProjections(storage.store, storage.sql, PROJECTIONS, ({ events }) => {
          if (events > bar.getTotal()) bar.setTotal(events);
          bar.update(events);
        });
        bar.stop();
        process.stdout.write(
          `rebuilt ${PROJECTIONS.length} read models from ${result.events} events (up to position ${result.position})\n`,
        );
      } finally {
        bar.stop();
        await storage.close();
      }
    });

  return program;
}

function parseLifetime(value: string): string {
  if (!/^\d+[smhdw]$/.test(value)) throw new InvalidArgumentError('use a number and a unit: s, m, h, d or w (e.g. 1h)');
  return value;
}
