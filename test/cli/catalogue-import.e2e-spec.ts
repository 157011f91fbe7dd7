import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pgSqlClient } from '@app/event-store';
import { type CliHarness, REPO, startCli } from './cli-harness';

describe('tessera catalogue import', () => {
  let cli: CliHarness;
  const example = readFileSync(join(REPO, 'examples/catalogue.yaml'), 'utf8');
  beforeAll(async () => {
    cli = await startCli();
  });
  afterAll(() => cli?.close());

  const events = async () => {
    const sql = pgSqlClient(cli.database.url);
    try {
      return await sql.query<{
        stream_name: string;
        type: string;
        metadata: { actor: { sub: string; roles: string[] } };
      }>('SELECT stream_name, type, metadata FROM tessera_events ORDER BY position');
    } finally {
      await sql.close();
    }
  };
  const write = (name: string, text: string) => {
    const file = join(cli.dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('defines every item once; a second import of the same file appends nothing and says unchanged', async () => {
    const first = await cli.run('catalogue', 'import', 'examples/catalogue.yaml');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^defined {3}issuer tu-dublin$/m);
    expect(first.stdout).toMatch(/^defined {3}pathway md-data-engineering \(version 1\)$/m);
    const afterFirst = await events();
    expect(afterFirst).toHaveLength(10);
    expect(afterFirst.every((event) => /^cli:/.test(event.metadata.actor.sub))).toBe(true);

    const second = await cli.run('catalogue', 'import', 'examples/catalogue.yaml');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('10 items: 0 defined, 0 revised, 10 unchanged, 0 rejected');
    expect(await events()).toHaveLength(10);
  });

  it('makes a changed achievement and a changed pathway a new version, leaving the rest alone', async () => {
    const changed = example
      .replace(
        'notionalHours: 125\n    level: { framework: EQF, level: 6 }\n    credits: [{ framework: ECTS, value: 5 }]\n    assessmentType: design portfolio',
        'notionalHours: 150\n    level: { framework: EQF, level: 6 }\n    credits: [{ framework: ECTS, value: 6 }]\n    assessmentType: design portfolio',
      )
      .replace(
        'description: The three core micro-credentials',
        'description: The three core micro-credentials (revised)',
      );
    expect(changed).not.toBe(example);
    const file = write('changed.yaml', changed);
    const run = await cli.run('catalogue', 'import', file);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^revised {3}achievement data-modelling \(version 2\)$/m);
    expect(run.stdout).toMatch(/^revised {3}pathway cert-data-foundations \(version 2\)$/m);
    expect(run.stdout).toContain('0 defined, 2 revised, 8 unchanged, 0 rejected');
    const revisions = (await events()).filter((event) => /Revised$/.test(event.type));
    expect(revisions.map((event) => event.stream_name).sort()).toEqual([
      'achievement-data-modelling',
      'pathway-cert-data-foundations',
    ]);
    // Back to the first text: one more revision each (it differs from the latest), then nothing.
    expect((await cli.run('catalogue', 'import', 'examples/catalogue.yaml')).stdout).toContain('2 revised');
    expect((await cli.run('catalogue', 'import', 'examples/catalogue.yaml')).stdout).toContain('10 unchanged');
  });

  it('reports each bad item with file, line and field, and imports the good ones', async () => {
    const file = write(
      'bad.json',
      JSON.stringify(
        {
          achievements: [
            {
              id: 'bad-statement',
              issuerId: 'tu-dublin',
              title: 'Statement of the wrong kind',
              kind: 'skill',
              statement: 'I understand things',
              learningOutcomes: ['x'],
              criteria: [{ id: 'c', description: 'd', required: true }],
              notionalHours: 25,
              level: { framework: 'EQF', level: 9 },
              assessmentType: 'test',
              participation: 'online',
            },
            {
              id: 'good-one',
              issuerId: 'tu-dublin',
              title: 'A good one',
              kind: 'knowledge',
              statement: 'I understand the good',
              learningOutcomes: ['x'],
              criteria: [{ id: 'c', description: 'd', required: true }],
              notionalHours: 25,
              level: { framework: 'EQF', level: 5 },
              assessmentType: 'test',
              participation: 'online',
            },
          ],
          pathways: [{ id: 'no-issuer', title: 'x' }],
        },
        null,
        2,
      ),
    );
    const run = await cli.run('catalogue', 'import', file);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/^defined {3}achievement good-one \(version 1\)$/m);
    expect(run.stderr).toContain(
      `${file}:3: achievements[0] bad-statement: statement: a skill statement must begin "I can …"`,
    );
    expect(run.stderr).toContain(`${file}:3: achievements[0] bad-statement: level.level: `);
    expect(run.stderr).toMatch(new RegExp(`${file}:\\d+: pathways\\[0\\] no-issuer: issuerId: is required`));
    expect(run.stdout).toContain('3 items: 1 defined, 0 revised, 0 unchanged, 2 rejected');
  });

  it.each([
    ['malformed YAML', 'achievements:\n  - id: x\n   title: [unclosed\n', /bad\.yaml:\d+: /],
    ['an unknown section', 'achievments: []\n', /unknown section "achievments"/],
    ['an item without an id', 'issuers:\n  - name: x\n', /issuers\[0\]: id is required/],
    ['a list that is not one', 'issuers: tu-dublin\n', /issuers must be a list/],
  ])('refuses %s in one line, appending nothing', async (_what, text, message) => {
    const before = (await events()).length;
    const run = await cli.run('catalogue', 'import', write('bad.yaml', text));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect((await events()).length).toBe(before);
  });

  it('refuses an unreadable file and a missing argument in one line', async () => {
    const missing = await cli.run('catalogue', 'import', 'examples/no-such.yaml');
    expect(missing).toEqual({
      code: 1,
      stdout: '',
      stderr: 'tessera catalogue import: cannot read examples/no-such.yaml: no such file\n',
    });
    const noArgument = await cli.run('catalogue', 'import');
    expect(noArgument.code).toBe(1);
    expect(noArgument.stderr).toMatch(/^error: missing required argument 'file'/);
  });
});
