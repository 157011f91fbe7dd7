import { durationSeconds } from '@app/config';
import { type Role, ROLES } from '@app/domain';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { CliError, type CliIo } from '../io';
import { configOf } from '../session';

/** `tessera token`: a development bearer token signed with the configured secret. */
export function registerTokenCommand(program: Command, io: CliIo): void {
  program
    .command('token')
    .description('mint a development bearer token signed with the configured TESSERA_JWT_SECRET')
    .addOption(new Option('--role <role...>', 'roles the token holds').choices([...ROLES]).makeOptionMandatory())
    .option('--issuer <issuerId...>', 'issuer ids the token may act for', [])
    .option('--learner <learnerId>', "the learner's own id (for the learner role)")
    .option('--sub <subject>', 'the subject (who the token is for)', 'dev')
    .option(
      '--expires-in <duration>',
      'lifetime, e.g. 30m, 1h, 8h (at most TESSERA_TOKEN_MAX_AGE, 24h by default)',
      parseLifetime,
      '1h',
    )
    .action(async (options: { role: Role[]; issuer: string[]; learner?: string; sub: string; expiresIn: string }) => {
      assertTokenSeesSomething(options.role, options.issuer, options.learner);
      const { TokenVerifier } = await import('../../../api/src/auth/token-verifier');
      const config = configOf(io);
      if (durationSeconds(options.expiresIn) > config.tokenMaxAgeSeconds)
        throw new CliError(
          `--expires-in ${options.expiresIn} is longer than TESSERA_TOKEN_MAX_AGE (${config.tokenMaxAgeSeconds} s): the api would refuse the token`,
        );
      const token = await new TokenVerifier(config.jwtSecret, config.tokenMaxAgeSeconds).sign(
        {
          sub: options.sub,
          roles: options.role,
          issuers: options.issuer,
          ...(options.learner ? { learner: options.learner } : {}),
        },
        options.expiresIn,
      );
      io.out(`${token}\n`);
    });
}

/** Staff act for issuers and see only theirs; a learner sees only their own records: without either, nothing. */
const ISSUER_ROLES: readonly Role[] = ['issuer-admin', 'assessor', 'registrar', 'auditor'];

/** A token that would be valid yet reach nothing is refused, rather than handed out to puzzle its holder. */
function assertTokenSeesSomething(roles: readonly Role[], issuers: readonly string[], learner: string | undefined) {
  if (roles.includes('learner') && !learner)
    throw new CliError('--role learner needs --learner <learnerId>: a learner token reaches only that learner');
  const staff = roles.filter((role) => ISSUER_ROLES.includes(role));
  if (staff.length > 0 && issuers.length === 0)
    throw new CliError(`--role ${staff.join(' ')} needs --issuer <issuerId...>: staff act only for their issuers`);
}

function parseLifetime(value: string): string {
  if (!/^\d+[smhdw]$/.test(value)) throw new InvalidArgumentError('use a number and a unit: s, m, h, d or w (e.g. 1h)');
  return value;
}
