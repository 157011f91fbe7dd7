import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * On EventStoreDB, `'any'` and `'stream_exists'` recognise a retried append only while the server's in-memory id
 * cache holds its ids (docs/event-store.md). This keeps every append of the application on an exact revision
 * (`'no_stream'` or the revision it read): a new caller, or a caller that loosens its expectation, fails here until
 * it is checked against that limit.
 */
const ROOT = join(__dirname, '..', '..', '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    // `testing/` folders hold test harnesses (a projection spec appends its given events), not production code.
    if (entry.isDirectory()) return ['node_modules', 'testing'].includes(entry.name) ? [] : sources(path);
    return entry.name.endsWith('.ts') && !/\.(spec|int-spec|e2e-spec|rel-spec)\.ts$/.test(entry.name) ? [path] : [];
  });
}

const production = [...sources(join(ROOT, 'apps')), ...sources(join(ROOT, 'libs'))]
  .filter((path) => !path.startsWith(join(ROOT, 'libs', 'event-store')))
  .map((path) => ({ path: relative(ROOT, path), source: readFileSync(path, 'utf8') }));

describe('production appends use exact expected revisions', () => {
  it('appends from the two known callers only', () => {
    const callers = production.filter(({ source }) => /\.appendToStreams?\(/.test(source)).map(({ path }) => path);
    expect(callers.sort()).toEqual([
      'libs/application/src/import/record-import.ts',
      'libs/application/src/stream-commands.ts',
    ]);
  });

  it("StreamCommands expects 'no_stream' or the revision it read", () => {
    const { source } = production.find(({ path }) => path.endsWith('stream-commands.ts'))!;
    expect(source).toContain("const expectedRevision = last === undefined ? 'no_stream' : last.revision;");
    expect(source.match(/\.appendToStream\(/g)).toHaveLength(1);
  });

  it('the import goes through appendToStreams, whose parts can only name no_stream or a revision', () => {
    const { source } = production.find(({ path }) => path.endsWith('record-import.ts'))!;
    expect(source).not.toMatch(/\.appendToStream\(/);
    expect(source).toContain("expectedRevision: history.length === 0 ? 'no_stream' : history.at(-1)!.revision");
  });

  it("names 'any' or 'stream_exists' as an expectation nowhere", () => {
    const loose = production.filter(({ source }) =>
      /expectedRevision\s*[:=]\s*['"](any|stream_exists)['"]/.test(source),
    );
    expect(loose.map(({ path }) => path)).toEqual([]);
  });
});
