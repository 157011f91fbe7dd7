import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pgSqlClient } from '@app/event-store';
import { parse } from 'csv-parse/sync';
import { type CliHarness, runIn, REPO, startCli } from './cli-harness';

describe('tessera import evidence|assessments|awards', () => {
  let cli: CliHarness;
  beforeAll(async () => {
    cli = await startCli();
    expect((await cli.run('catalogue', 'import', 'examples/catalogue.yaml')).code).toBe(0);
  });
  afterAll(() => cli?.close());

  const count = async (where = "stream_name LIKE 'record-%'") => {
    const sql = pgSqlClient(cli.database.url);
    try {
      return Number(
        (await sql.query<{ n: string }>(`SELECT count(*)::text AS n FROM tessera_events WHERE ${where}`))[0].n,
      );
    } finally {
      await sql.close();
    }
  };
  const write = (name: string, text: string) => {
    const file = join(cli.dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('appends each row once: the same file again appends nothing and says already present', async () => {
    const rejects = join(cli.dir, 'evidence.rejects.csv');
    const first = await cli.run('import', 'evidence', 'examples/evidence.csv', '--rejects', rejects);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^examples\/evidence\.csv: 10 rows: 10 appended, 0 already present, 0 rejected in /);
    expect(await count()).toBe(10);
    const again = await cli.run('import', 'evidence', 'examples/evidence.csv', '--rejects', rejects);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('10 rows: 0 appended, 10 already present, 0 rejected');
    expect(await count()).toBe(10);
    expect(existsSync(rejects)).toBe(false);
    // Batched differently (each batch one batch append), the rows are found present all the same.
    const rebatched = await cli.run(
      'import',
      'evidence',
      'examples/evidence.csv',
      '--batch',
      '3',
      '--rejects',
      rejects,
    );
    expect(rebatched.stdout).toContain('10 rows: 0 appended, 10 already present, 0 rejected');
    expect(await count()).toBe(10);

    for (const kind of ['assessments', 'awards']) {
      const rows =
        readFileSync(join(REPO, `examples/${kind}.csv`), 'utf8')
          .trim()
          .split('\n').length - 1;
      const loaded = await cli.run('import', kind, `examples/${kind}.csv`, '--batch', '3');
      expect(loaded.stdout).toContain(`${rows} rows: ${rows} appended, 0 already present, 0 rejected`);
      expect((await cli.run('import', kind, `examples/${kind}.csv`)).stdout).toContain(`${rows} already present`);
    }
    expect(await count()).toBe(10 + 9 + 8);
    expect((await cli.run('audit', 'verify')).stdout).toMatch(/: ok\n$/);

    // The award index is filled as the awards land; lost (as by a kill between the append and the index), a re-run
    // that finds every award already present fills it again.
    const awardIndex = async (statement: string) => {
      const sql = pgSqlClient(cli.database.url);
      try {
        return await sql.query<{ n: string }>(statement);
      } finally {
        await sql.close();
      }
    };
    const indexed = 'SELECT count(*)::text AS n FROM tessera_award_index';
    expect((await awardIndex(indexed))[0].n).toBe('8');
    await awardIndex('DELETE FROM tessera_award_index');
    expect((await cli.run('import', 'awards', 'examples/awards.csv')).stdout).toContain('8 already present');
    expect((await awardIndex(indexed))[0].n).toBe('8');
  });

  it('writes every bad row to the reject file with its line and reason, and lands the good rows around them', async () => {
    const file = write(
      'mixed.csv',
      [
        'evidenceRef,learnerId,achievementId,kind,criterionIds,description,observedAt',
        'mx-1,mary-somerville,sql-querying,accomplishment,joins,Good row,2026-04-01T10:00:00Z',
        'mx-2,mary-somerville,no-such-achievement,accomplishment,joins,Unknown achievement,2026-04-01T10:00:00Z',
        'mx-3,mary-somerville,sql-querying,homework,joins,Bad kind,2026-04-01T10:00:00Z',
        'mx-4,mary-somerville,sql-querying,accomplishment,joins;no-such-criterion,Unknown criterion,2026-04-01T10:00:00Z',
        'mx-5,mary-somerville,sql-querying,accomplishment,joins,"Too, many",2026-04-01T10:00:00Z,extra',
        'mx-6,Mary Somerville,sql-querying,accomplishment,joins,Bad learner id,2026-04-01T10:00:00Z',
        ',mary-somerville,sql-querying,accomplishment,joins,No ref,2026-04-01T10:00:00Z',
        'mx-8,mary-somerville,sql-querying,accomplishment,aggregates,"Another good row, quoted",2026-04-02T10:00:00Z',
        'mx-9,mary-somerville,data-modelling,accomplishment,erd,Not an instant,yesterday',
      ].join('\n'),
    );
    const before = await count();
    const run = await cli.run('import', 'evidence', file);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain(`9 rows: 2 appended, 0 already present, 7 rejected (see ${file}.rejects.csv)`);
    expect(await count()).toBe(before + 2);
    // The reject file keeps each row as it was: the one with a field too many keeps it.
    const rejects = parse(readFileSync(`${file}.rejects.csv`, 'utf8'), {
      columns: true,
      relax_column_count: true,
    }) as Array<Record<string, string>>;
    expect(rejects.map((row) => [row.line, row.evidenceRef])).toEqual([
      ['3', 'mx-2'],
      ['4', 'mx-3'],
      ['5', 'mx-4'],
      ['6', 'mx-5'],
      ['7', 'mx-6'],
      ['8', ''],
      ['10', 'mx-9'],
    ]);
    const reason = (ref: string) => rejects.find((row) => row.evidenceRef === ref)!.reason;
    expect(reason('mx-2')).toMatch(/^unknown-achievement: /);
    expect(reason('mx-3')).toBe('kind must be "accomplishment" or "challenge" (got "homework")');
    expect(reason('mx-4')).toMatch(/^unknown-criterion: .*no-such-criterion/);
    expect(reason('mx-5')).toBe('the row has 8 fields, the header 7');
    expect(reason('mx-6')).toMatch(/^invalid-id: /);
    expect(reason('')).toBe('evidenceRef is required');
    expect(reason('mx-9')).toMatch(/^invalid-instant: observedAt/);
    expect(rejects.find((row) => row.evidenceRef === 'mx-5')!.description).toBe('Too, many');

    // The reject file, one row fixed, imports as it is (its line and reason columns are ignored): the fixed row lands.
    const fixedRejects = write(
      'fixed-rejects.csv',
      readFileSync(`${file}.rejects.csv`, 'utf8').replace(',homework,', ',challenge,'),
    );
    const again = await cli.run('import', 'evidence', fixedRejects);
    expect(again.stderr).toBe('');
    expect(again.stdout).toContain('7 rows: 1 appended, 0 already present, 6 rejected');
    const rejectedAgain = parse(readFileSync(`${fixedRejects}.rejects.csv`, 'utf8'), {
      columns: true,
      relax_column_count: true,
    }) as Array<Record<string, string>>;
    expect(Object.keys(rejectedAgain[0])).toEqual(Object.keys(rejects[0]));
    expect(rejectedAgain.map((row) => row.evidenceRef)).toEqual(['mx-2', 'mx-4', 'mx-5', 'mx-6', '', 'mx-9']);
    expect(rejectedAgain.find((row) => row.evidenceRef === 'mx-6')!.reason).toMatch(/^invalid-id: /);

    // The original, fixed and run again: the rows already in are left alone, none twice.
    const fixed = write('mixed.csv', readFileSync(file, 'utf8').replace('homework', 'challenge'));
    const rerun = await cli.run('import', 'evidence', fixed);
    expect(rerun.stdout).toContain('9 rows: 0 appended, 3 already present, 6 rejected');
  });

  it('imports records moved from another system with the dates they happened, in their order, and reads them by date', async () => {
    const learner = 'emmy-noether';
    const imported = async (kind: string, lines: string[]) =>
      cli.run('import', kind, write(`historic-${kind}.csv`, lines.join('\n')));
    expect(
      (
        await imported('evidence', [
          'evidenceRef,learnerId,achievementId,kind,criterionIds,description,observedAt',
          `ev-hist,${learner},sql-querying,accomplishment,joins;aggregates;windows;plans,Reports of 2022,2022-01-10T10:00:00Z`,
        ])
      ).code,
    ).toBe(0);
    expect(
      (
        await imported('assessments', [
          'assessmentRef,learnerId,achievementId,evidenceRefs,met,assessedAt',
          `as-hist,${learner},sql-querying,ev-hist,joins;aggregates;windows;plans,2022-01-20T10:00:00Z`,
        ])
      ).code,
    ).toBe(0);
    const early = await imported('awards', [
      'awardRef,learnerId,achievementId,assessmentRef,awardedAt',
      `aw-hist-early,${learner},sql-querying,as-hist,2022-01-15T10:00:00Z`,
    ]);
    expect(early.code).toBe(2);
    const [reject] = parse(readFileSync(join(cli.dir, 'historic-awards.csv.rejects.csv'), 'utf8'), {
      columns: true,
    }) as Array<Record<string, string>>;
    expect(reject.reason).toMatch(/^awarded-before-assessment/);
    expect(
      (
        await imported('awards', [
          'awardRef,learnerId,achievementId,assessmentRef,awardedAt',
          `aw-hist,${learner},sql-querying,as-hist,2022-02-01T10:00:00Z`,
        ])
      ).code,
    ).toBe(0);
    const transcript = async (...flags: string[]) =>
      JSON.parse((await cli.run('transcript', learner, '--format', 'json', ...flags)).stdout) as {
        awards: Array<{ status: string; issuedAt: string }>;
      };
    expect((await transcript('--effective-at', '2022-06-01')).awards).toEqual([
      expect.objectContaining({ status: 'valid', issuedAt: '2022-02-01T10:00:00.000Z' }),
    ]);
    expect((await transcript('--effective-at', '2022-01-31')).awards).toEqual([]);

    // Progress on the pathways by the same date, as the table prints it under the transcript.
    const table = async (date: string) => (await cli.run('transcript', learner, '--effective-at', date)).stdout;
    const during = await table('2022-06-01');
    expect(during).toContain(`Transcript of ${learner} effective 2022-06-01T00:00:00.000Z`);
    expect(during).toMatch(
      /^ {2}cert-data-foundations v1 \(Certificate\): 5 of 15 ECTS, missing data-modelling; data-governance$/m,
    );
    const before = await table('2022-01-31');
    expect(before).toContain('No awards.');
    expect(before).not.toContain('Pathways');

    // The CLR of what had been achieved by then: the award of 2022 in it, none before it was made.
    const clr = await cli.run('transcript', learner, '--format', 'clr', '--effective-at', '2022-06-01');
    expect(clr.stderr).toBe('');
    expect(clr.code).toBe(0);
    const credential = JSON.parse(clr.stdout) as {
      id: string;
      credentialSubject: { verifiableCredential: unknown[] };
    };
    expect(credential.id).toContain(`effectiveAt=${encodeURIComponent('2022-06-01T00:00:00.000Z')}`);
    expect(credential.credentialSubject.verifiableCredential).toHaveLength(1);
    const none = await cli.run('transcript', learner, '--format', 'clr', '--effective-at', '2022-01-31');
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('held no valid award or qualification');
    const ob3 = await cli.run('transcript', learner, '--format', 'ob3', '--effective-at', '2022-06-01');
    expect(ob3.code).not.toBe(0);
    expect(ob3.stderr).toContain('--effective-at reads a transcript, its pathways or the CLR');
  });

  it('refuses a row whose ref gives an id that another record holds, in the same batch or a later run', async () => {
    const header = 'evidenceRef,learnerId,achievementId,kind,criterionIds,description,observedAt';
    const row = (learner: string) =>
      `shared-ref,${learner},sql-querying,accomplishment,joins,Shared ref,2026-04-03T10:00:00Z`;
    const before = await count();
    const first = await cli.run(
      'import',
      'evidence',
      write('shared.csv', [header, row('mary-somerville'), row('grace-hopper')].join('\n')),
    );
    expect(first.code).toBe(2);
    expect(first.stdout).toContain('2 rows: 1 appended, 0 already present, 1 rejected');
    const later = await cli.run(
      'import',
      'evidence',
      write('shared-later.csv', [header, row('ada-lovelace')].join('\n')),
    );
    expect(later.stdout).toContain('1 rows: 0 appended, 0 already present, 1 rejected');
    expect(await count()).toBe(before + 1);
    for (const file of ['shared.csv', 'shared-later.csv']) {
      const [reject] = parse(readFileSync(join(cli.dir, `${file}.rejects.csv`), 'utf8'), { columns: true }) as Array<
        Record<string, string>
      >;
      expect(reject.learnerId).toBe(file === 'shared.csv' ? 'grace-hopper' : 'ada-lovelace');
      expect(reject.reason).toMatch(/^id-already-held: the evidence id [0-9a-f-]{36} that this row's ref gives/);
    }
    // The record that holds the id is the first learner's alone.
    expect(
      await count("stream_name LIKE 'record-grace-hopper~sql-querying' AND data->>'description' = 'Shared ref'"),
    ).toBe(0);
    expect(
      await count("stream_name LIKE 'record-mary-somerville~sql-querying' AND data->>'description' = 'Shared ref'"),
    ).toBe(1);
  });

  it('refuses an award that does not rest on the assessment named', async () => {
    const run = await cli.run(
      'import',
      'awards',
      write(
        'award.csv',
        'awardRef,learnerId,achievementId,assessmentRef\naw-x,grace-hopper,data-modelling,as-grace-sql\n',
      ),
    );
    expect(run.code).toBe(2);
    const [reject] = parse(readFileSync(join(cli.dir, 'award.csv.rejects.csv'), 'utf8'), { columns: true }) as Array<
      Record<string, string>
    >;
    expect(reject.reason).toMatch(/^no-passing-assessment: /);
  });

  it.each([
    [
      ['import', 'grades', 'x.csv'],
      /value 'grades' is invalid for argument 'kind'. Allowed choices are evidence, assessments, awards/,
    ],
    [['import', 'evidence'], /missing required argument 'file'/],
    [
      ['import', 'evidence', 'examples/nope.csv'],
      /^tessera import evidence: cannot read examples\/nope\.csv: no such file$/,
    ],
    [['import', 'evidence', 'examples'], /^tessera import evidence: cannot read examples: not a file$/],
    [['import', 'evidence', 'examples/awards.csv'], /the header lacks the column\(s\) evidenceRef, kind, criterionIds/],
    [['import', 'evidence', 'examples/evidence.csv', '--batch', '0'], /--batch <rows>' argument '0' is invalid/],
  ])('refuses %j in one line with exit code 1', async (args, message) => {
    const run = await cli.run(...args);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')[0]).toMatch(message);
  });

  it('refuses a malformed CSV file in one line', async () => {
    const file = write(
      'broken.csv',
      'evidenceRef,learnerId,achievementId,kind,criterionIds,description,observedAt\n"unclosed,x,y\n',
    );
    const run = await cli.run('import', 'evidence', file);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^tessera import evidence: .*broken\.csv is not valid CSV: /);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('says in one line when the database server cannot be reached', async () => {
    const run = await runIn({ ...cli.env, DATABASE_URL: 'postgres://tessera:secret@127.0.0.1:1/nothing' }, REPO, [
      'import',
      'evidence',
      'examples/evidence.csv',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^tessera import evidence: cannot open the store \(events: postgres:\/\/tessera:\*\*\*@127\.0\.0\.1:1\/nothing.*ECONNREFUSED/,
    );
    expect(run.stderr).not.toContain('secret');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses to open the embedded database while another process holds it', async () => {
    const dataDir = join(cli.dir, 'embedded');
    const env = { TESSERA_DATA_DIR: dataDir, TESSERA_JWT_SECRET: cli.env.TESSERA_JWT_SECRET };
    const { spawn } = await import('node:child_process');
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      const { mkdirSync } = await import('node:fs');
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(join(dataDir, 'pglite.lock'), JSON.stringify({ pid: holder.pid, holder: 'tessera serve' }));
      const run = await runIn(env, REPO, ['transcript', 'ada-lovelace']);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        `tessera transcript ada-lovelace: the embedded database in ${dataDir} is in use by tessera serve (pid ${holder.pid}): stop it first, or set DATABASE_URL to share a PostgreSQL server\n`,
      );
    } finally {
      holder.kill('SIGKILL');
    }
  });
});
