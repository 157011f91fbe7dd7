import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CliHarness, startCli } from './cli-harness';

/** transcript, history and verify on the examples. */
describe('tessera transcript, history and verify', () => {
  let cli: CliHarness;
  let beforeAwards: string;
  beforeAll(async () => {
    cli = await startCli();
    expect((await cli.run('catalogue', 'import', 'examples/catalogue.yaml')).code).toBe(0);
    for (const kind of ['evidence', 'assessments'])
      expect((await cli.run('import', kind, `examples/${kind}.csv`, '--rejects', join(cli.dir, 'r.csv'))).code).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    beforeAwards = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await cli.run('import', 'awards', 'examples/awards.csv', '--rejects', join(cli.dir, 'r.csv'))).code).toBe(
      0,
    );
  });
  afterAll(() => cli?.close());

  it('prints the transcript as a table now, and as it stood before the awards with --as-of', async () => {
    const now = await cli.run('transcript', 'ada-lovelace');
    expect(now.code).toBe(0);
    expect(now.stdout).toMatch(/sql-querying v1\s+Querying relational data with SQL\s+skill\s+valid/);
    expect(now.stdout).toMatch(/professional-ethics v1 .*disposition\s+valid/);
    expect(now.stdout).toContain('Credit over valid awards: 25 ECTS');
    expect(now.stdout).toContain('cert-data-foundations v1 (Certificate): 15 of 15 ECTS, complete, to be conferred');
    expect(now.stdout).toContain(
      'md-data-engineering v1 (ext:MicroDegree): 25 of 30 ECTS, missing 1 of (data-visualisation, distributed-data-systems); 5 more ECTS',
    );

    const past = await cli.run('transcript', 'ada-lovelace', '--as-of', beforeAwards, '--format', 'json');
    expect(past.code).toBe(0);
    expect(JSON.parse(past.stdout)).toMatchObject({ learnerId: 'ada-lovelace', asOf: beforeAwards, awards: [] });
  });

  it('refuses a malformed --as-of and learner id in one line', async () => {
    const badInstant = await cli.run('transcript', 'ada-lovelace', '--as-of', 'last week');
    expect(badInstant.code).toBe(1);
    expect(badInstant.stderr).toMatch(/option '--as-of <instant>' argument 'last week' is invalid/);
    const badLearner = await cli.run('transcript', 'Ada Lovelace!');
    expect(badLearner.code).toBe(1);
    expect(badLearner.stderr.trim().split('\n')).toEqual([
      'tessera transcript Ada Lovelace!: "Ada Lovelace!" is not a valid learner id',
    ]);
  });

  it('refuses a learner the ledger knows nothing of in one line, exit code 1, on every learner command', async () => {
    for (const args of [
      ['transcript', 'nobody'],
      ['transcript', 'nobody', '--as-of', beforeAwards, '--format', 'json'],
      ['history', 'nobody'],
      ['history', 'nobody', '--json'],
    ]) {
      const run = await cli.run(...args);
      expect({ code: run.code, stdout: run.stdout, stderr: run.stderr.trim().split('\n') }).toEqual({
        code: 1,
        stdout: '',
        stderr: [`tessera ${args[0]} nobody: no such learner: nobody`],
      });
    }
    // Known, with nothing yet as of an instant before their first event: an empty transcript, not an unknown learner.
    const early = await cli.run('transcript', 'ada-lovelace', '--as-of', '2000-01-01T00:00:00Z', '--format', 'json');
    expect(early.code).toBe(0);
    expect(JSON.parse(early.stdout).awards).toEqual([]);
  });

  it("lists the learner's history with who recorded each event", async () => {
    const history = await cli.run('history', 'grace-hopper', '--json');
    expect(history.code).toBe(0);
    const events = history.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; metadata: { actor: { sub: string } } });
    expect(events.map((event) => event.type)).toEqual([
      'EvidenceSubmitted',
      'EvidenceSubmitted',
      'AssessmentRecorded',
      'AssessmentRecorded',
      'AchievementAwarded',
    ]);
    expect(events.every((event) => event.metadata.actor.sub.startsWith('cli:'))).toBe(true);

    // As a table: each column starts at the same place on every line.
    const table = await cli.run('history', 'grace-hopper');
    const rows = table.stdout.trim().split('\n').slice(0, -1);
    expect(rows).toHaveLength(5);
    for (const column of ['record-', 'by cli:']) expect(new Set(rows.map((row) => row.indexOf(column))).size).toBe(1);
    expect(new Set(rows.map((row) => row.search(/(Evidence|Assessment|Achievement)/))).size).toBe(1);
    expect(table.stdout.trim().split('\n').at(-1)).toBe('5 events');
  });

  it('verifies an award credential signed by the store, and refuses it tampered', async () => {
    const ob3 = await cli.run('transcript', 'alan-turing', '--format', 'ob3');
    expect(ob3.stderr).toBe('');
    expect(ob3.code).toBe(0);
    const credentials = JSON.parse(ob3.stdout) as Array<{
      awardId: string;
      jwt: string;
      credential: { type: string[] };
    }>;
    expect(credentials).toHaveLength(2);
    expect(credentials[0].credential.type).toContain('AchievementCredential');

    const ok = await cli.run('verify', credentials[0].jwt);
    expect(ok.stdout).toMatch(/^ok {4}signature$/m);
    expect(ok.stdout).toMatch(/^verified$/m);
    expect(ok.code).toBe(0);

    const [header, payload, signature] = credentials[0].jwt.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { vc: { name?: string } };
    claims.vc.name = 'Doctorate in everything';
    const file = join(cli.dir, 'tampered.jwt');
    writeFileSync(file, `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}\n`);
    const tampered = await cli.run('verify', file);
    expect(tampered.stdout).toMatch(/^FAIL {2}signature +the signature does not match/m);
    expect(tampered.stdout).toMatch(/^NOT verified$/m);
    expect(tampered.code).toBe(1);
  });

  it("prints the learner's CLR 2.0 credential", async () => {
    const clr = await cli.run('transcript', 'ada-lovelace', '--format', 'clr');
    expect(clr.stderr).toBe('');
    expect(clr.code).toBe(0);
    const credential = JSON.parse(clr.stdout) as { type: string[] };
    expect(credential.type).toContain('ClrCredential');
  });

  it('says in one line when the credential file cannot be read or holds no credential', async () => {
    const missing = await cli.run('verify', join(cli.dir, 'nothing-here.jwt'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^tessera verify .*: cannot read .*nothing-here\.jwt: no such file\n$/);
    const file = join(cli.dir, 'junk.txt');
    writeFileSync(file, 'not a credential');
    const junk = await cli.run('verify', file);
    expect(junk.code).toBe(1);
    expect(junk.stderr).toMatch(/junk\.txt holds neither a compact VC-JWT nor JSON\n$/);
  });
});
