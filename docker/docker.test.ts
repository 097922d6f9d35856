/**
 * Checks of docker/ that need no Docker engine (none runs here or in CI):
 *
 * - the compose file against the Compose Specification JSON schema (vendored
 *   in docker/compose-spec.schema.json, see docs/docker.md), before and after
 *   variable interpolation, and the properties the deployment relies on:
 *   healthchecks, depends_on conditions instead of wait scripts, two consumer
 *   replicas, the publisher in the `demo` profile only, no literal secrets;
 * - the healthcheck commands themselves, run here against local sockets;
 * - the Dockerfile, with dockerfile-utils' validator (the linter of the
 *   Dockerfile language server; hadolint is not packaged for Debian) and
 *   assertions on its parsed instructions;
 * - that the runtime image holds what the app loads: every file reachable
 *   from the entry points is copied and not excluded by .dockerignore, and
 *   every package it imports is a production dependency (`npm ci --omit=dev`).
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { builtinModules } from 'node:module';
import type { AddressInfo, Server } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import Ajv from 'ajv';
import draft07 from 'ajv/dist/refs/json-schema-draft-07.json';
import { DockerfileParser, ModifiableInstruction, type Instruction } from 'dockerfile-ast';
import { validate as validateDockerfile } from 'dockerfile-utils';
import ts from 'typescript';
import { parseTokenList } from '../src/http/plugins/authTokens';
import { TIMELINE_ROOT } from '../src/http/plugins/staticPages';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

const ROOT = path.resolve(__dirname, '..');
const read = (relative: string) => readFileSync(path.join(ROOT, relative), 'utf8');
const run = promisify(execFile);

// ─── the compose file ──────────────────────────────────────────────────────

interface DependsOn {
  condition?: string;
}
interface Healthcheck {
  test?: string[] | string;
  disable?: boolean;
}
interface Service {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  entrypoint?: unknown;
  environment?: Record<string, string | number | boolean | null>;
  depends_on?: Record<string, DependsOn> | string[];
  healthcheck?: Healthcheck;
  restart?: string;
  profiles?: string[];
  deploy?: { replicas?: number };
  volumes?: string[];
  ports?: string[];
  init?: boolean;
  container_name?: string;
}
interface ComposeFile {
  name?: string;
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const COMPOSE_TEXT = read('docker/docker-compose.yml');
// Compose resolves YAML merge keys (`<<: *app`); so does this parse.
const compose = parseYaml(COMPOSE_TEXT, { merge: true }) as ComposeFile;
const services = compose.services;
const service = (name: string): Service => {
  const found = services[name];
  if (!found) throw new Error(`no service ${name} in docker-compose.yml`);
  return found;
};

/** One `${...}` (or `$NAME`) reference in the compose file. */
interface VariableUse {
  name: string;
  /** `-` / `:-` default, or undefined when there is none. */
  fallback: string | undefined;
}

const VARIABLE = /\$(?:(\$)|\{([^}]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/** Compose-style interpolation of one string; records every variable it meets. */
function interpolate(
  text: string,
  env: Record<string, string | undefined>,
  uses: VariableUse[] = [],
): string {
  return text.replace(VARIABLE, (_match, dollar?: string, braced?: string, bare?: string) => {
    if (dollar) return '$';
    const spec = braced ?? bare ?? '';
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?+])(.*))?$/s.exec(spec);
    if (!m) throw new Error(`unsupported interpolation \${${spec}}`);
    const [, name = '', colon, op, arg = ''] = m;
    if (arg.includes('$')) throw new Error(`nested interpolation in \${${spec}}`);
    const value = env[name];
    const unset = value === undefined || (colon === ':' && value === '');
    uses.push({ name, fallback: op === '-' ? arg : undefined });
    if (op === '-') return unset ? arg : value;
    if (op === '?') {
      if (unset) throw new Error(`required variable ${name}: ${arg}`);
      return value;
    }
    if (op === '+') return unset ? '' : arg;
    return value ?? '';
  });
}

/** Applies `fn` to every string value (not keys) of a parsed YAML tree. */
function mapStrings(value: unknown, fn: (s: string) => string): unknown {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn)]));
  }
  return value;
}

function allStrings(value: unknown, out: string[] = []): string[] {
  mapStrings(value, (s) => {
    out.push(s);
    return s;
  });
  return out;
}

function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m?.[1] !== undefined) env[m[1]] = m[2] ?? '';
  }
  return env;
}

const ENV_EXAMPLE = parseEnvFile(read('docker/.env.example'));

function commandOf(s: Service): string[] {
  if (s.command === undefined) return [];
  return typeof s.command === 'string' ? s.command.split(/\s+/) : s.command;
}

function dependsOn(s: Service): Record<string, DependsOn> {
  if (s.depends_on === undefined) return {};
  if (Array.isArray(s.depends_on)) {
    throw new Error('depends_on must be the long form, with a condition for each dependency');
  }
  return s.depends_on;
}

const isOneShot = (s: Service) => s.restart === 'no';
const SECRET_KEY = /PASS(WORD)?|SECRET|TOKEN|(^|_)KEY$/i;
const SUBSTITUTION = /^\$\{[A-Za-z_][A-Za-z0-9_]*(:?-[^}]*)?\}$/;

function composeValidator() {
  const schema = JSON.parse(read('docker/compose-spec.schema.json')) as {
    $schema: string;
    title: string;
  };
  // The schema names draft-07 by an https URI Ajv does not know by that
  // spelling: register Ajv's own draft-07 meta-schema under it.
  const ajv = new Ajv({ allErrors: true, strictTypes: false, allowUnionTypes: true });
  ajv.addMetaSchema({ ...draft07, $id: schema.$schema });
  return { schema, validate: ajv.compile(schema) };
}

describe('docker/docker-compose.yml', () => {
  const { schema, validate } = composeValidator();
  const errorsOf = (doc: unknown) =>
    validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);

  it('is valid against the Compose Specification schema, as written and once interpolated', () => {
    expect(schema.title).toBe('Compose Specification');
    expect(errorsOf(compose)).toEqual([]);
    // With no variable set (every default applies) and with the example .env.
    for (const env of [{}, ENV_EXAMPLE]) {
      expect(errorsOf(mapStrings(compose, (s) => interpolate(s, env)))).toEqual([]);
    }
  });

  it('the schema check has teeth', () => {
    const broken = structuredClone(compose);
    broken.services.consumer!.deploy = { replicas: 'two' as unknown as number };
    (broken.services.api!.depends_on as Record<string, DependsOn>).migrate = {
      condition: 'service_done',
    };
    expect(errorsOf(broken).length).toBeGreaterThan(0);
    expect(errorsOf({ services: { api: { image: 'x', bogus: true } } }).length).toBeGreaterThan(0);
  });

  it('runs MySQL, RabbitMQ, the migrations, the API, the consumers and the demo publisher', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['api', 'consumer', 'migrate', 'mysql', 'publisher', 'rabbitmq'].sort(),
    );
  });

  it('gives every long-running service a healthcheck, and disables it only on one-shots', () => {
    for (const [name, s] of Object.entries(services)) {
      if (isOneShot(s)) {
        // A one-shot exits; the comment above `disable: true` says so.
        expect(s.healthcheck, name).toEqual({ disable: true });
        continue;
      }
      expect(s.restart, name).toBe('unless-stopped');
      expect(s.healthcheck?.disable, name).toBeUndefined();
      const test = s.healthcheck?.test;
      expect(Array.isArray(test) && ['CMD', 'CMD-SHELL'].includes(test[0] ?? ''), name).toBe(true);
    }
    // Every `disable: true` carries its reason in a comment just above it.
    const lines = COMPOSE_TEXT.split('\n');
    lines.forEach((line, i) => {
      if (/^\s*disable:\s*true/.test(line)) expect(lines[i - 1]?.trim()).toMatch(/^#\s*\S/);
    });
  });

  it('orders start-up with depends_on conditions, never with wait scripts', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const [dep, { condition }] of Object.entries(dependsOn(s))) {
        const target = service(dep);
        expect(condition, `${name} -> ${dep}`).toMatch(
          /^(service_healthy|service_completed_successfully|service_started)$/,
        );
        if (condition === 'service_healthy') expect(target.healthcheck?.test).toBeDefined();
        if (condition === 'service_completed_successfully') expect(isOneShot(target)).toBe(true);
      }
      expect(s.entrypoint, name).toBeUndefined();
      expect(commandOf(s).join(' '), name).not.toMatch(
        /wait-for|wait-on|dockerize|\bnc\b|\bsleep\b|\buntil\b|\bcurl\b|sh -c/,
      );
    }
    expect(COMPOSE_TEXT).not.toMatch(/wait-for-it|wait-for\.sh|dockerize/);
    const needs = (name: string) =>
      Object.fromEntries(
        Object.entries(dependsOn(service(name))).map(([k, v]) => [k, v.condition]),
      );
    expect(needs('migrate')).toEqual({ mysql: 'service_healthy' });
    expect(needs('api')).toEqual({
      mysql: 'service_healthy',
      migrate: 'service_completed_successfully',
    });
    expect(needs('consumer')).toEqual({
      mysql: 'service_healthy',
      rabbitmq: 'service_healthy',
      migrate: 'service_completed_successfully',
    });
    expect(needs('publisher')).toMatchObject({ rabbitmq: 'service_healthy' });
    expect(needs('publisher').consumer).toMatch(/^service_(started|healthy)$/);
  });

  it('runs MySQL 8 with a ping healthcheck, a named volume and trigger-friendly binary logging', () => {
    const mysql = service('mysql');
    expect(mysql.image).toMatch(/^mysql:8(\.\d+)*$/);
    expect(commandOf(mysql)).toContain('--log-bin-trust-function-creators=1');
    expect(mysql.healthcheck?.test).toEqual(expect.arrayContaining(['mysqladmin', 'ping']));
    // No password on the command line (it would show in `docker inspect`).
    expect([mysql.healthcheck?.test ?? []].flat().join(' ')).not.toMatch(/(^|\s)-p|--password/);
    expect(mysql.environment?.MYSQL_DATABASE).toMatch(SUBSTITUTION);
    const volume = mysql.volumes?.[0]?.split(':')[0] ?? '';
    expect(Object.keys(compose.volumes ?? {})).toContain(volume);
  });

  it('runs RabbitMQ with the management plugin and a diagnostics ping', () => {
    const rabbitmq = service('rabbitmq');
    expect(rabbitmq.image).toMatch(/^rabbitmq:[34](\.\d+)*-management$/);
    expect(rabbitmq.healthcheck?.test).toEqual(['CMD', 'rabbitmq-diagnostics', '-q', 'ping']);
    // The management UI is published on the host's loopback only.
    expect(rabbitmq.ports).toEqual([expect.stringMatching(/^127\.0\.0\.1:/)]);
  });

  it('migrates once, then exits', () => {
    const migrate = service('migrate');
    expect(commandOf(migrate)).toEqual(['npm', 'run', 'migrate']);
    expect(migrate.restart).toBe('no');
  });

  it('runs two consumer replicas that can be scaled', () => {
    const consumer = service('consumer');
    expect(consumer.deploy?.replicas).toBe(2);
    expect(commandOf(consumer)).toEqual(
      expect.arrayContaining(['src/main.ts', '--role', 'consumer']),
    );
    for (const [name, s] of Object.entries(services)) {
      // A fixed name or host port would stop `--scale`.
      expect(s.container_name, name).toBeUndefined();
    }
    expect(consumer.ports).toBeUndefined();
  });

  it('keeps the publisher in the demo profile, playing the device sample', () => {
    const withProfiles = Object.entries(services).filter(([, s]) => s.profiles !== undefined);
    expect(withProfiles.map(([name]) => name)).toEqual(['publisher']);
    const publisher = service('publisher');
    expect(publisher.profiles).toEqual(['demo']);
    expect(publisher.restart).toBe('no');
    const command = commandOf(publisher);
    expect(command.slice(0, 5)).toEqual([
      'npm',
      'run',
      'publish',
      '--',
      'seeds/device-sample.json',
    ]);
    expect(existsSync(path.join(ROOT, 'seeds/device-sample.json'))).toBe(true);
  });

  it('builds one image for every app service, run under an init process', () => {
    const built = Object.entries(services).filter(([, s]) => s.build !== undefined);
    expect(built.map(([name]) => name).sort()).toEqual(
      ['api', 'consumer', 'migrate', 'publisher'].sort(),
    );
    for (const [name, s] of built) {
      expect(s.build, name).toEqual({ context: '..', dockerfile: 'docker/Dockerfile' });
      expect(s.image, name).toBe(service('api').image);
      expect(s.init, name).toBe(true);
    }
  });

  it('takes secrets from the environment, never as literals', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const [key, value] of Object.entries(s.environment ?? {})) {
        if (SECRET_KEY.test(key)) expect(String(value), `${name}.${key}`).toMatch(SUBSTITUTION);
      }
    }
    // Credentials inside URLs (DATABASE_URL, AMQP_URL) too.
    const urls = allStrings(compose).filter((s) => /^[a-z][a-z0-9+.-]*:\/\/[^/]*@/.test(s));
    expect(urls.length).toBeGreaterThanOrEqual(2);
    for (const url of urls) {
      // user and password are each a `${...}` or plain text without : @ / $.
      const userinfo =
        /^[a-z][a-z0-9+.-]*:\/\/((?:\$\{[^}]*\}|[^:@/$])+):((?:\$\{[^}]*\}|[^:@/$])*)@/;
      const password = userinfo.exec(url)?.[2];
      expect(password, url).toMatch(SUBSTITUTION);
    }
    // The defaults are placeholders, for a laptop only.
    const uses: VariableUse[] = [];
    mapStrings(compose, (s) => interpolate(s, {}, uses));
    for (const { name, fallback } of uses) {
      if (SECRET_KEY.test(name)) expect(fallback, name).toMatch(/^change-me/);
    }
  });

  it('binds the API to every interface in the container, with API_TOKENS and no opt-out', () => {
    const env = service('api').environment ?? {};
    expect(env.HOST).toBe('0.0.0.0');
    expect(env.API_TOKENS).toMatch(/^\$\{API_TOKENS:-[^}]+\}$/);
    // The API refuses to start on 0.0.0.0 with a token it would not accept.
    const fallback = /^\$\{API_TOKENS:-([^}]+)\}$/.exec(String(env.API_TOKENS))![1];
    expect(parseTokenList('API_TOKENS', fallback)).toHaveLength(1);
    const example = /^API_TOKENS=(.*)$/m.exec(read('docker/.env.example'))![1];
    expect(parseTokenList('API_TOKENS', example)).toHaveLength(1);
    for (const [name, s] of Object.entries(services)) {
      expect(Object.keys(s.environment ?? {}), name).not.toContain('ALLOW_UNAUTHENTICATED');
    }
    // Published on the host's loopback unless API_BIND says otherwise.
    expect(service('api').ports).toEqual(['${API_BIND:-127.0.0.1}:${API_PORT:-4567}:4567']);
  });

  it('documents every variable it reads in docker/.env.example, each with a default', () => {
    const uses: VariableUse[] = [];
    mapStrings(compose, (s) => interpolate(s, {}, uses));
    const names = [...new Set(uses.map((u) => u.name))].sort();
    for (const { name, fallback } of uses) expect(fallback, name).toBeDefined();
    expect(Object.keys(ENV_EXAMPLE).sort()).toEqual(names);
  });

  it('runs only commands that package.json defines, through production dependencies', () => {
    const pkg = JSON.parse(read('package.json')) as {
      scripts: Record<string, string>;
      dependencies: Record<string, string>;
    };
    for (const [name, s] of Object.entries(services)) {
      const command = commandOf(s);
      if (command[0] === 'npm') {
        expect(command[1], name).toBe('run');
        expect(pkg.scripts[command[2] ?? ''], name).toBeDefined();
      } else if (command[0] === 'node') {
        // `node --import tsx FILE ARGS` is a script's `exec node --import tsx FILE ARGS` minus npm.
        expect(command.slice(1, 3), name).toEqual(['--import', 'tsx']);
        const asScript = ['exec', ...command].join(' ');
        expect(Object.values(pkg.scripts), name).toContain(asScript);
      }
    }
    // What the image runs must survive `npm ci --omit=dev`.
    for (const dep of ['tsx', 'knex', 'sucrase', 'mysql2', 'sqlite3']) {
      expect(pkg.dependencies[dep], dep).toBeDefined();
    }
  });
});

// ─── the healthcheck commands, run for real ────────────────────────────────

/** Runs a healthcheck test (`CMD node -e ...`) with extra environment; its exit code. */
async function runHealthcheck(test: string[], env: Record<string, string>): Promise<number> {
  expect(test[0]).toBe('CMD');
  expect(test[1]).toBe('node');
  try {
    await run(process.execPath, test.slice(2), {
      env: { ...process.env, ...env },
      timeout: 10_000,
    });
    return 0;
  } catch (error) {
    return (error as { code?: number }).code ?? -1;
  }
}

const listening = (server: Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
const closed = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describe('healthcheck commands', () => {
  it('never hold a $ that Compose would interpolate', () => {
    let checked = 0;
    for (const [name, s] of Object.entries(services)) {
      const test = s.healthcheck?.test;
      if (!Array.isArray(test)) continue;
      checked += 1;
      expect(test.join(' '), name).not.toContain('$');
    }
    expect(checked, 'services with an exec-form healthcheck').toBeGreaterThan(0);
  });

  it.each([
    { name: 'api', path: '/healthz', portVariable: 'PORT' },
    { name: 'consumer', path: '/readyz', portVariable: 'OPERATIONS_PORT' },
  ])(
    'the $name check passes on a 200 from $path on $portVariable and fails otherwise',
    async ({ name, path, portVariable }) => {
      let status = 200;
      const seen: string[] = [];
      const tokens: (string | undefined)[] = [];
      const server = createHttpServer((req, res) => {
        seen.push(req.url ?? '');
        tokens.push(req.headers.authorization);
        res.writeHead(status).end();
      });
      const port = await listening(server);
      const checked = service(name);
      const test = checked.healthcheck?.test as string[];
      // Its default port is the one the service is told to serve on.
      expect(test.join(' ')).toContain(
        `process.env.${portVariable}||${checked.environment?.[portVariable]})`,
      );
      const env = { [portVariable]: String(port), OPERATIONS_TOKENS: '' };
      try {
        expect(await runHealthcheck(test, env)).toBe(0);
        status = 503;
        expect(await runHealthcheck(test, env)).toBe(1);
        expect(seen).toEqual([path, path]);
        // Probes stay healthy where OPERATIONS_TOKENS closes these routes.
        status = 200;
        const withTokens = { ...env, OPERATIONS_TOKENS: ' first-ops-token-0123456789 ,second' };
        expect(await runHealthcheck(test, withTokens)).toBe(0);
        expect(tokens).toEqual([undefined, undefined, 'Bearer first-ops-token-0123456789']);
      } finally {
        await closed(server);
      }
      // Nothing listening.
      expect(await runHealthcheck(test, env)).toBe(1);
    },
  );
});

// ─── the Dockerfile ────────────────────────────────────────────────────────

const DOCKERFILE_TEXT = read('docker/Dockerfile');
const dockerfile = DockerfileParser.parse(DOCKERFILE_TEXT);

interface Stage {
  name: string | null;
  image: string;
  instructions: Instruction[];
}

function stagesOf(): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      const from = dockerfile.getFROMs()[stages.length];
      stages.push({
        name: from?.getBuildStage() ?? null,
        image: from?.getImage() ?? '',
        instructions: [],
      });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

const stages = stagesOf();
const finalStage = stages.at(-1)!;
const of = (stage: Stage, keyword: string) =>
  stage.instructions.filter((i) => i.getKeyword() === keyword);
const flagsOf = (i: Instruction): Record<string, string | null> =>
  i instanceof ModifiableInstruction
    ? Object.fromEntries(i.getFlags().map((f) => [f.getName(), f.getValue()]))
    : {};
const argsOf = (i: Instruction) => i.getArguments().map((a) => a.getValue());

/** The `.dockerignore` rules, in Docker's semantics: last match wins, `!` re-includes. */
function dockerignore(): (relative: string) => boolean {
  const rules = read('.dockerignore')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const negated = l.startsWith('!');
      const pattern = path.posix.normalize((negated ? l.slice(1) : l).replace(/^\/+/, ''));
      let source = '';
      for (let i = 0; i < pattern.length; i++) {
        const ch = pattern[i]!;
        if (ch === '*' && pattern[i + 1] === '*') {
          i++;
          if (pattern[i + 1] === '/') {
            i++;
            source += '(?:.*/)?';
          } else source += '.*';
        } else if (ch === '*') source += '[^/]*';
        else if (ch === '?') source += '[^/]';
        else source += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
      }
      // A pattern that matches a folder excludes everything in it.
      return { negated, regexp: new RegExp(`^${source}(?:/.*)?$`) };
    });
  return (relative) => {
    let excluded = false;
    for (const { negated, regexp } of rules) if (regexp.test(relative)) excluded = !negated;
    return excluded;
  };
}

describe('docker/Dockerfile', () => {
  it("passes the Dockerfile language server's validator", () => {
    const problems = validateDockerfile(DOCKERFILE_TEXT).map(
      (d) => `line ${d.range.start.line + 1}: ${d.message}`,
    );
    expect(problems).toEqual([]);
    // The validator does catch mistakes.
    expect(validateDockerfile('FROM node\nHEALTHCHECK --interval=soon CMD true\n')).not.toEqual([]);
  });

  it('is multi-stage, on a pinned node:20 bookworm-slim base', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const names = new Set<string>();
    for (const stage of stages) {
      if (!names.has(stage.image)) {
        // An external image: a pinned version tag (x.y.z), never `latest`.
        expect(stage.image).toMatch(/^[\w./-]+:\d+\.\d+\.\d+[\w.-]*(@sha256:[0-9a-f]{64})?$/);
      }
      if (stage.name) names.add(stage.name);
    }
    expect(stages[0]?.image).toMatch(/^node:20\.\d+\.\d+-bookworm-slim/);
  });

  it('installs production dependencies with the toolchain in a build stage, not in the runtime', () => {
    const runs = (stage: Stage) => of(stage, 'RUN').map((i) => i.getArgumentsContent() ?? '');
    const build = stages.find((s) => runs(s).some((r) => /\bnpm ci --omit=dev\b/.test(r)));
    expect(build, 'a stage running npm ci --omit=dev').toBeDefined();
    expect(build).not.toBe(finalStage);
    expect(runs(build!).join('\n')).toMatch(/apt-get install[^\n]*python3[^\n]*make[^\n]*g\+\+/);
    expect(runs(finalStage).join('\n')).not.toMatch(/apt-get|npm (ci|install)/);
    // The compiled node_modules come from that stage.
    const fromBuild = of(finalStage, 'COPY').filter((c) => flagsOf(c).from === build!.name);
    expect(fromBuild.map(argsOf)).toContainEqual(['/app/node_modules', './node_modules']);
  });

  it('runs as a non-root user, in production mode, with a healthcheck', () => {
    const users = of(finalStage, 'USER').map((u) => argsOf(u)[0]);
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
    const env = of(finalStage, 'ENV')
      .map((e) => e.getArgumentsContent() ?? '')
      .join(' ');
    expect(env).toMatch(/\bNODE_ENV=production\b/);
    expect(env).toMatch(/\bHOST=0\.0\.0\.0\b/);
    const healthchecks = of(finalStage, 'HEALTHCHECK');
    expect(healthchecks).toHaveLength(1);
    const content = healthchecks[0]!.getArgumentsContent() ?? '';
    const test = JSON.parse(content.replace(/^CMD\s+/, '')) as string[];
    // The same check as the compose file's API service.
    expect(['CMD', ...test]).toEqual(service('api').healthcheck?.test);
    // CMD in exec form, so that the app (not a shell) gets SIGTERM.
    const cmd = of(finalStage, 'CMD');
    expect(cmd).toHaveLength(1);
    expect(JSON.parse(cmd[0]!.getArgumentsContent() ?? '')).toEqual([
      'node',
      '--import',
      'tsx',
      'src/main.ts',
    ]);
  });

  it('copies with --chown and adds nothing from remote URLs', () => {
    for (const copy of of(finalStage, 'COPY')) {
      expect(flagsOf(copy).chown, copy.getArgumentsContent() ?? '').toMatch(/^node(:node)?$/);
    }
    for (const add of dockerfile.getInstructions().filter((i) => i.getKeyword() === 'ADD')) {
      expect(add.getArgumentsContent()).not.toMatch(/https?:\/\/|git@/);
    }
  });

  it('copies only sources that exist and that .dockerignore lets through', () => {
    const ignored = dockerignore();
    for (const stage of stages) {
      for (const copy of of(stage, 'COPY').filter((c) => flagsOf(c).from === undefined)) {
        for (const source of argsOf(copy).slice(0, -1)) {
          expect(existsSync(path.join(ROOT, source)), source).toBe(true);
          expect(ignored(source), source).toBe(false);
        }
      }
    }
    // The .dockerignore matcher itself.
    expect(ignored('node_modules/x/index.js')).toBe(true);
    expect(ignored('src/domain/validateEvent.test.ts')).toBe(true);
    expect(ignored('src/domain/validateEvent.ts')).toBe(false);
    expect(ignored('README.md')).toBe(true);
  });

  it('ships every file and package the entry points load', () => {
    const pkg = JSON.parse(read('package.json')) as {
      scripts: Record<string, string>;
      dependencies: Record<string, string>;
    };
    const copied = of(finalStage, 'COPY')
      .filter((c) => flagsOf(c).from === undefined)
      .flatMap((c) => argsOf(c).slice(0, -1));
    const ignored = dockerignore();
    const shipped = (relative: string) =>
      copied.some((c) => relative === c || relative.startsWith(`${c}/`)) && !ignored(relative);

    // Entry points: knexfile.ts (migrate, seed) and every `tsx FILE` of the scripts,
    // except the development tools that run from a checkout (they need the dev dependencies).
    const developmentOnly = new Set(['bench', 'chaos']);
    const entries = new Set(['knexfile.ts']);
    for (const [name, script] of Object.entries(pkg.scripts)) {
      if (developmentOnly.has(name)) continue;
      for (const m of script.matchAll(/\btsx\s+(\S+\.ts)\b/g)) entries.add(m[1]!);
    }
    expect([...entries]).toContain('src/main.ts');

    const visited = new Set<string>();
    const packages = new Set<string>();
    const queue = [...entries];
    while (queue.length > 0) {
      const file = queue.pop()!;
      if (visited.has(file)) continue;
      visited.add(file);
      expect(shipped(file), `${file} is loaded at run time but not in the image`).toBe(true);
      if (!file.endsWith('.ts')) continue;
      for (const specifier of runtimeImports(read(file), file)) {
        if (specifier.startsWith('.')) {
          queue.push(resolveRelative(path.posix.dirname(file), specifier));
        } else if (!specifier.startsWith('node:') && !builtinModules.includes(specifier)) {
          const parts = specifier.split('/');
          packages.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
        }
      }
    }
    expect(visited.size).toBeGreaterThan(10);
    // Files the service reads from disk rather than imports: the timeline page.
    const pages = readdirSync(TIMELINE_ROOT).map((f) => `public/timeline/${f}`);
    expect(pages).toContain('public/timeline/index.html');
    for (const page of pages)
      expect(shipped(page), `${page} is served but not in the image`).toBe(true);
    for (const name of packages) {
      expect(pkg.dependencies[name], `${name} is imported at run time: a dependency`).toBeDefined();
    }
  });
});

/** Module specifiers a TypeScript file loads at run time (type-only imports are erased). */
function runtimeImports(source: string, fileName: string): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            named !== undefined &&
            ts.isNamedImports(named) &&
            named.elements.length > 0 &&
            named.elements.every((e) => e.isTypeOnly)));
      if (!typeOnly) found.push(node.moduleSpecifier.text);
    } else if (
      ts.isExportDeclaration(node) &&
      !node.isTypeOnly &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === 'require')) &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function resolveRelative(dir: string, specifier: string): string {
  const base = path.posix.join(dir, specifier);
  const candidates = [
    base,
    base.replace(/\.js$/, '.ts'),
    `${base}.ts`,
    `${base}.json`,
    `${base}/index.ts`,
  ];
  for (const candidate of candidates) {
    const full = path.join(ROOT, candidate);
    if (existsSync(full) && statSync(full).isFile()) return candidate;
  }
  throw new Error(`cannot resolve ${specifier} from ${dir}`);
}
