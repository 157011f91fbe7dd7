import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const markdown = execFileSync('git', ['ls-files', '*.md', '**/*.md'], { cwd: ROOT, encoding: 'utf8' })
  .split('\n')
  .filter((file) => file !== '' && existsSync(join(ROOT, file)));

/** A newcomer has the repository only: the design and the standards' copies live beside it, with the steering team. */
const OUTSIDE = [/\.\.\/shared\b/, /(?<![\w/])shared\/(DESIGN|STYLE|FRAMEWORKS|schemas)/, /\bDESIGN(\.md)?\b/];

describe('the documentation', () => {
  it('covers some files', () => expect(markdown).toEqual(expect.arrayContaining(['README.md', 'docs/http-api.md'])));

  it.each(markdown)('%s points at no file outside the repository', (file) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    expect(OUTSIDE.flatMap((pattern) => text.match(pattern) ?? [])).toEqual([]);
  });

  it.each(markdown)('%s links only to files that exist in the repository', (file) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const broken = [...text.matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)]
      .map((match) => match[1])
      .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target))
      .filter((target) => {
        const path = resolve(dirname(join(ROOT, file)), target);
        return relative(ROOT, path).startsWith('..') || !existsSync(path);
      });
    expect(broken).toEqual([]);
  });
});
