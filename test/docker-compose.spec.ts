/**
 * The CI machines have no Docker engine, so the compose stack is never started here. This spec reads
 * docker/docker-compose.yml and docker/Dockerfile and checks what would otherwise only fail at `docker compose up`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import * as ts from 'typescript';
import { parse } from 'yaml';
import { loadConfig } from '../libs/config/src';
import { DEFAULT_PROJECTOR_HEARTBEAT_FILE } from '@app/config';

const ROOT = resolve(__dirname, '..');
const COMPOSE_FILE = join(ROOT, 'docker', 'docker-compose.yml');
const DOCKERFILE = join(ROOT, 'docker', 'Dockerfile');

/** The variables DESIGN.md §7 (Configuration) defines. */
const DESIGN_CONFIGURATION = [
  'DATABASE_URL',
  'TESSERA_DATA_DIR',
  'EVENTSTORE_URL',
  'TESSERA_JWT_SECRET',
  'PORT',
  'TESSERA_PUBLIC_URL',
  'TESSERA_KEY_ENCRYPTION_KEY',
  'TESSERA_PROJECTIONS',
];

type Scalar = string | number | boolean | null;

interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  environment?: Record<string, Scalar> | string[];
  ports?: (string | number | { target?: number | string; published?: number | string })[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
}

interface ComposeFile {
  services: Record<string, ComposeService>;
}

const compose = parse(readFileSync(COMPOSE_FILE, 'utf8')) as ComposeFile;
const services = compose.services;

function service(name: string): ComposeService {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

/** The environment as `docker compose` passes it with nothing set on the host: each `${VAR:-default}` is its default. */
function withComposeDefaults(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).map(([key, value]) => [
      key,
      value.replace(/\$\{[A-Z0-9_]+:-([^}]*)\}/g, (_match, fallback: string) => fallback),
    ]),
  );
}

/** `environment:` as a map, whether written as a map or as a list of KEY=value. */
function environmentOf(name: string): Record<string, string> {
  const env = service(name).environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const eq = entry.indexOf('=');
        return eq < 0 ? [entry, ''] : [entry.slice(0, eq), entry.slice(eq + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, value === null ? '' : String(value)]));
}

function dependenciesOf(name: string): Record<string, string | undefined> {
  const deps = service(name).depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((dep) => [dep, undefined]));
  return Object.fromEntries(Object.entries(deps).map(([dep, spec]) => [dep, spec?.condition]));
}

/** Container ports published by a service (short `host:container[/proto]` or long syntax). */
function publishedContainerPorts(name: string): { host: string; container: string }[] {
  return (service(name).ports ?? []).map((port) => {
    if (typeof port === 'object') return { host: String(port.published ?? ''), container: String(port.target ?? '') };
    const parts = String(port).split('/')[0].split(':');
    return { host: parts.length > 1 ? parts[parts.length - 2] : '', container: parts[parts.length - 1] };
  });
}

function commandLine(command: string | string[] | undefined): string {
  return Array.isArray(command) ? command.join(' ') : (command ?? '').trim();
}

/** The service whose image is `repository` (any tag or registry prefix). */
function serviceNamedByImage(repository: RegExp): string {
  const names = Object.entries(services)
    .filter(([, s]) => s.image !== undefined && repository.test(s.image))
    .map(([n]) => n);
  expect(names).toHaveLength(1);
  return names[0];
}

interface DockerInstruction {
  keyword: string;
  args: string;
}

/** Dockerfile instructions grouped by stage, with comments dropped and `\` continuations joined. */
function dockerfileStages(text: string): DockerInstruction[][] {
  const lines = text.split(/\r?\n/).filter((line) => !/^\s*#/.test(line));
  const joined = lines.join('\n').replace(/\\\n/g, ' ');
  const stages: DockerInstruction[][] = [];
  for (const line of joined.split('\n')) {
    const match = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const instruction = { keyword: match[1].toUpperCase(), args: match[2].trim() };
    if (instruction.keyword === 'FROM') stages.push([]);
    if (stages.length > 0) stages[stages.length - 1].push(instruction);
  }
  return stages;
}

/** CMD in exec form (`["node", "x.js"]`) or shell form, as one command line. */
function dockerCommand(args: string): string {
  return args.startsWith('[') ? (JSON.parse(args) as string[]).join(' ') : args;
}

function npmScript(name: string): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  return pkg.scripts?.[name] ?? '';
}

/** Where `npm run build` (tsc -p tsconfig.build.json) writes each source file it compiles. */
function buildOutputs(): Map<string, string> {
  const configPath = join(ROOT, 'tsconfig.build.json');
  const read = ts.readConfigFile(configPath, ts.sys.readFile);
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  const config = ts.parseJsonConfigFileContent(read.config, ts.sys, ROOT, undefined, configPath);
  const outDir = config.options.outDir ?? ROOT;
  const rootDir = config.options.rootDir ?? ROOT;
  const outputs = new Map<string, string>();
  for (const source of config.fileNames) {
    if (!source.endsWith('.ts') || source.endsWith('.d.ts')) continue;
    const emitted = join(outDir, relative(rootDir, source)).replace(/\.ts$/, '.js');
    outputs.set(relative(ROOT, emitted).split('\\').join('/'), relative(ROOT, source).split('\\').join('/'));
  }
  return outputs;
}

describe('docker/docker-compose.yml', () => {
  it('defines eventstore, postgres, api and projector', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['eventstore', 'postgres', 'api', 'projector']));
    expect(service('eventstore').image).toMatch(/(^|\/)kurrentdb(:|$)/);
    expect(service('postgres').image).toMatch(/^postgres:16\b/);
  });

  it.each(['api', 'projector'])('builds %s from docker/Dockerfile with the repository as context', (name) => {
    const build = service(name).build;
    expect(build).toEqual(expect.objectContaining({ context: expect.any(String) }));
    const { context = '.', dockerfile = 'Dockerfile' } = typeof build === 'string' ? { context: build } : (build ?? {});
    const contextDir = resolve(join(ROOT, 'docker'), context);
    expect(contextDir).toBe(ROOT);
    expect(resolve(contextDir, dockerfile)).toBe(DOCKERFILE);
  });

  it('runs the projector app from the same image, with the command npm uses', () => {
    expect(service('projector').image).toBe(service('api').image);
    expect(commandLine(service('projector').command)).toBe('node dist/apps/projector/src/main.js');
    expect(commandLine(service('projector').command)).toBe(npmScript('start:projector'));
  });

  it('publishes the api on port 3000, the port it listens on', () => {
    expect(publishedContainerPorts('api')).toContainEqual({ host: '3000', container: '3000' });
    const port = environmentOf('api').PORT;
    if (port !== undefined) expect(port).toBe('3000');
  });

  it.each(['api', 'projector'])('points %s at the postgres service, with its own credentials', (name) => {
    const postgres = serviceNamedByImage(/^postgres:/);
    const pgEnv = environmentOf(postgres);
    const url = new URL(environmentOf(name).DATABASE_URL);
    expect(url.protocol).toMatch(/^postgres(ql)?:$/);
    expect(url.hostname).toBe(postgres);
    expect(url.port || '5432').toBe('5432');
    expect(decodeURIComponent(url.username)).toBe(pgEnv.POSTGRES_USER);
    expect(decodeURIComponent(url.password)).toBe(pgEnv.POSTGRES_PASSWORD);
    expect(url.pathname).toBe(`/${pgEnv.POSTGRES_DB ?? pgEnv.POSTGRES_USER}`);
  });

  it.each(['api', 'projector'])('points %s at the eventstore service, without TLS as the server runs', (name) => {
    const eventstore = serviceNamedByImage(/(^|\/)kurrentdb(:|$)/);
    const url = new URL(environmentOf(name).EVENTSTORE_URL);
    expect(url.protocol).toBe('esdb:');
    expect(url.hostname).toBe(eventstore);
    expect(url.port).toBe('2113');
    expect(environmentOf(eventstore).KURRENTDB_INSECURE).toBe('true');
    expect(url.searchParams.get('tls')).toBe('false');
  });

  it('leaves projections to the projector', () => {
    expect(environmentOf('api').TESSERA_PROJECTIONS).toBe('off');
  });

  it('passes the api only variables DESIGN §7 defines, each with a development default', () => {
    const env = environmentOf('api');
    expect(Object.keys(env).filter((key) => !DESIGN_CONFIGURATION.includes(key))).toEqual([]);
    for (const key of ['TESSERA_JWT_SECRET', 'TESSERA_PUBLIC_URL', 'TESSERA_KEY_ENCRYPTION_KEY']) {
      expect(env[key]).toMatch(new RegExp(`^\\$\\{${key}:-.+\\}$`));
    }
  });

  it.each(['api', 'projector'])(
    'starts %s with its environment as compose resolves it, through the real configuration loader',
    (name) => {
      const env = withComposeDefaults(environmentOf(name));
      expect(() => loadConfig(env)).not.toThrow();
      expect(loadConfig(env).storage.database.kind).toBe('postgres');
    },
  );

  it("gives the projector the api's secrets and public URL, so both sign and verify alike", () => {
    const api = environmentOf('api');
    const projector = environmentOf('projector');
    for (const key of ['TESSERA_JWT_SECRET', 'TESSERA_PUBLIC_URL', 'TESSERA_KEY_ENCRYPTION_KEY'])
      expect(projector[key]).toBe(api[key]);
  });

  it('gives both stores a health check', () => {
    for (const name of ['eventstore', 'postgres']) {
      const healthcheck = service(name).healthcheck;
      expect(healthcheck?.disable).not.toBe(true);
      expect(commandLine(healthcheck?.test)).not.toBe('');
    }
    expect(commandLine(service('postgres').healthcheck?.test)).toContain('pg_isready');
    expect(commandLine(service('eventstore').healthcheck?.test)).toContain('/health/live');
  });

  it('gives the projector a health check on the heartbeat file the projector writes', () => {
    const healthcheck = service('projector').healthcheck;
    expect(healthcheck?.disable).not.toBe(true);
    expect(commandLine(healthcheck?.test)).toContain(DEFAULT_PROJECTOR_HEARTBEAT_FILE);
  });

  it.each(['api', 'projector'])('starts %s only once both stores are healthy', (name) => {
    expect(dependenciesOf(name)).toEqual(
      expect.objectContaining({ eventstore: 'service_healthy', postgres: 'service_healthy' }),
    );
  });
});

describe('docker/Dockerfile', () => {
  const stages = dockerfileStages(readFileSync(DOCKERFILE, 'utf8'));
  const runtime = stages[stages.length - 1];
  const last = (keyword: string) => runtime.filter((i) => i.keyword === keyword).pop();

  it('is multi-stage, the runtime stage taking the compiled output from an earlier one', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const stageNames = stages.slice(0, -1).map((stage) => /\bAS\s+(\S+)/i.exec(stage[0].args)?.[1]);
    const copiesDist = runtime.some(
      (i) =>
        i.keyword === 'COPY' &&
        stageNames.some((stage) => stage !== undefined && i.args.includes(`--from=${stage}`)) &&
        /\bdist\b/.test(i.args),
    );
    expect(copiesDist).toBe(true);
  });

  it('copies into the build stage the sources the image runs and every folder a build step is configured from', () => {
    const build = stages[0];
    const copied = build.filter((i) => i.keyword === 'COPY').flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    const configured = [...npmScript('build').matchAll(/(?:-p|--config)\s+(\S+)/g)]
      .map((match) => match[1].split('/'))
      .filter((path) => path.length > 1)
      .map((path) => path[0]);
    expect(configured).toContain('web');
    for (const folder of ['apps', 'libs', ...configured]) expect(copied).toContain(folder);
  });

  it('installs only production dependencies in the runtime stage, without running prepare', () => {
    const installs = runtime.filter((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args));
    expect(installs).toHaveLength(1);
    expect(installs[0].args).toContain('--omit=dev');
    expect(installs[0].args).toContain('--ignore-scripts');
  });

  it('runs as a non-root user', () => {
    const user = last('USER')?.args;
    expect(user).toBeDefined();
    expect(user?.split(':')[0]).not.toMatch(/^(root|0)$/);
  });

  it('checks /health with node, exposing the api port', () => {
    expect(last('HEALTHCHECK')?.args).toMatch(/CMD.*\bnode\b.*\/health\b/);
    expect(last('EXPOSE')?.args.split(/\s+/)).toContain('3000');
  });

  it('starts the api file that the TypeScript build emits, as `npm start` does', () => {
    const cmd = dockerCommand(last('CMD')?.args ?? '');
    expect(cmd).toBe('node dist/apps/api/src/main.js');
    expect(cmd).toBe(npmScript('start'));
    const entry = cmd.split(/\s+/)[1];
    const outputs = buildOutputs();
    expect(outputs.get(entry)).toBe('apps/api/src/main.ts');
    expect(existsSync(join(ROOT, 'apps/api/src/main.ts'))).toBe(true);
  });
});
