import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const SRC = __dirname;

/** Every file under apps/api/src whose name ends in `.controller.ts`. */
function controllerFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return controllerFiles(path);
    return entry.name.endsWith('.controller.ts') ? [path] : [];
  });
}

/** What a controller may not reach for: the stores and the read models are the queries' and handlers' to read. */
const STORAGE = /\b(SQL_CLIENT|EVENT_STORE|SqlClient|EventStore|StreamCommands)\b|@app\/(event-store|read-models)/;

describe('controllers', () => {
  const files = controllerFiles(SRC);

  it('are found (every HTTP route lives in one)', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
  });

  it('inject no SQL client, event store, stream reader or read model: they go through the CommandBus and QueryBus', () => {
    const offenders = files.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, index) => (STORAGE.test(line) ? [`${relative(SRC, file)}:${index + 1}: ${line.trim()}`] : [])),
    );
    expect(offenders).toEqual([]);
  });
});
