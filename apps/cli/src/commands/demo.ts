import { existsSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import type { Actor } from '../../../api/src/auth/actor';
import { CliError, type CliIo, EXIT } from '../io';
import { configOf } from '../session';

/** What the demo imports, in order: the example's catalogue, then its learners' records (examples/README.md). */
const STEPS = [
  ['catalogue', 'import', 'catalogue.yaml'],
  ['import', 'evidence', 'evidence.csv'],
  ['import', 'assessments', 'assessments.csv'],
  ['import', 'awards', 'awards.csv'],
] as const;

const DEMO_LEARNER = 'ada-lovelace';
const DEMO_ISSUER = 'tu-dublin';
/** Marks a data folder as the demo's, so that a second demo may empty it and nothing else is ever emptied. */
const DEMO_MARK = 'tessera-demo';

/**
 * `tessera demo`: a fresh embedded data folder with the example imported, then the api on it, and a link for each of
 * a learner, a registrar and an auditor — the README's walkthrough in one command.
 */
export function registerDemoCommand(program: Command, io: CliIo): void {
  program
    .command('demo')
    .description(
      'start the api on a fresh embedded data folder holding the example (TU Dublin micro-degree, four learners) ' +
        'and print links that open the page as a learner, a registrar and an auditor',
    )
    .option(
      '--data-dir <dir>',
      'the demo data folder, emptied first (your own ./.tessera is left alone)',
      '.tessera-demo',
    )
    .action(async (options: { dataDir: string }) => {
      if (io.env.DATABASE_URL)
        throw new CliError(
          'the demo runs on a fresh embedded data folder: unset DATABASE_URL (your database is left alone)',
        );
      const examples = examplesFolder();
      const dataDir = resolve(io.cwd, options.dataDir);
      if (existsSync(join(dataDir, 'pglite')) && !existsSync(join(dataDir, DEMO_MARK)))
        throw new CliError(`${options.dataDir} holds data that is not a demo's: name another --data-dir`);
      await rm(dataDir, { recursive: true, force: true });
      const env = { ...io.env, TESSERA_DATA_DIR: dataDir };
      const { runCli } = await import('../cli');
      for (const [command, ...args] of STEPS) {
        const file = args.at(-1)!;
        const step = [
          command,
          ...args.slice(0, -1),
          join(examples, file),
          ...(command === 'import' ? ['--quiet'] : []),
        ];
        const code = await runCli(step, { ...io, env, out: () => undefined });
        if (code !== EXIT.ok)
          throw new CliError(`importing ${relative(io.cwd, join(examples, file))} failed (see above)`);
      }
      writeFileSync(join(dataDir, DEMO_MARK), 'made by tessera demo: removed and made again by the next one\n');

      process.env.TESSERA_DATA_DIR = dataDir;
      const { startApi } = await import('../../../api/src/start-api');
      const port = await startApi();
      const base = `http://localhost:${port}/`;
      const { TokenVerifier } = await import('../../../api/src/auth/token-verifier');
      const tokens = new TokenVerifier(configOf({ ...io, env }).jwtSecret);
      const link = async (actor: Actor, hash = '') => `${base}#token=${await tokens.sign(actor, '8h')}${hash}`;
      io.out(
        [
          '',
          `The example is in ${relative(io.cwd, dataDir) || dataDir}; open the page as`,
          `  Ada Lovelace, a learner:  ${await link({ sub: DEMO_LEARNER, roles: ['learner'], issuers: [], learner: DEMO_LEARNER })}`,
          `  TU Dublin's registrar:    ${await link({ sub: 'demo-registrar', roles: ['registrar'], issuers: [DEMO_ISSUER] })}`,
          `  TU Dublin's auditor:      ${await link({ sub: 'demo-auditor', roles: ['auditor'], issuers: [DEMO_ISSUER] }, `&view=auditor&learner=${DEMO_LEARNER}`)}`,
          'The links hold tokens valid for 8 hours. Ctrl-C stops the demo; `npm start` serves your own ./.tessera.',
          '',
        ].join('\n'),
      );
    });
}

/** The repository's examples/, found from this file whether it runs compiled (dist/…) or from source. */
function examplesFolder(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir))
    if (existsSync(join(dir, 'examples', 'catalogue.yaml'))) return join(dir, 'examples');
  throw new CliError('the examples folder is missing: the demo runs from a clone of the repository');
}
