import type { Command } from 'commander';
import { CliError, type CliIo, EXIT } from '../io';
import { readInput } from '../session';
import { withApi } from './api-context';

const COMPACT_JWS = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/** `tessera verify <credential file or JWT>`: the api's verification, check by check. */
export function registerVerifyCommand(program: Command, io: CliIo): void {
  program
    .command('verify')
    .description(
      'verify a credential — a compact VC-JWT, or a file holding one or a JSON credential; exit 1 unless verified',
    )
    .argument('<credential>', 'a compact VC-JWT, or the path of a file holding one or a JSON credential')
    .option('--json', 'print the verification as JSON ({ verified, checks })')
    .action(async (input: string, options: { json?: boolean }) => {
      const body = COMPACT_JWS.test(input.trim()) ? { jwt: input.trim() } : bodyOf(input, await readInput(io, input));
      await withApi(io, 'tessera verify', async (app) => {
        const { CredentialVerifier } = await import('../../../api/src/credentials/credential-verifier');
        const { MalformedCredential } = await import('@app/credentials');
        let verification: { verified: boolean; checks: Array<{ name: string; ok: boolean; reason?: string }> };
        try {
          verification = await app.get(CredentialVerifier).verify(body);
        } catch (error) {
          // What the api answers with a 400 problem: the same sentence, on one line.
          if (error instanceof MalformedCredential) throw new CliError(`${input}: ${error.message}`);
          throw error;
        }
        if (options.json) io.out(`${JSON.stringify(verification)}\n`);
        else {
          for (const check of verification.checks)
            io.out(
              `${check.ok ? 'ok  ' : 'FAIL'}  ${check.reason ? `${check.name.padEnd(9)} ${check.reason}` : check.name}\n`,
            );
          io.out(verification.verified ? 'verified\n' : 'NOT verified\n');
        }
        io.exitCode = verification.verified ? EXIT.ok : EXIT.failed;
      });
    });
}

/** A file's credential: a compact JWT, or JSON (a credential, or the api's { jwt } / { credential } body). */
function bodyOf(file: string, text: string): { jwt: string } | { credential: unknown } {
  const trimmed = text.trim();
  if (COMPACT_JWS.test(trimmed)) return { jwt: trimmed };
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    throw new CliError(`${file} holds neither a compact VC-JWT nor JSON`);
  }
  if (typeof parsed === 'string' && COMPACT_JWS.test(parsed)) return { jwt: parsed };
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
    const { jwt, credential } = parsed as { jwt?: unknown; credential?: unknown };
    if (typeof jwt === 'string') return { jwt };
    if (credential !== undefined) return { credential };
    return { credential: parsed };
  }
  throw new CliError(`${file} holds JSON that is not a credential (expected an object)`);
}
