import { envSchema } from 'env-schema';
import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from './stringEnum';
import { DEFAULT_BROKER_OPTIONS as BROKER, MAX_MESSAGE_BYTES_CEILING } from './broker/options';

export const ConfigSchema = Type.Object({
  DATABASE_URL: Type.String({
    default: 'sqlite:./data/medication-periods.sqlite',
    pattern: '^(sqlite:.+|mysql://.+)$',
    description: 'sqlite:PATH, sqlite::memory: or mysql://user:pass@host:port/db',
  }),
  HOST: Type.String({ default: '127.0.0.1', minLength: 1 }),
  PORT: Type.Integer({ default: 4567, minimum: 0, maximum: 65535 }),
  OPERATIONS_PORT: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 65535,
      description:
        'where a consumer-only process (--role consumer) serves /healthz, /readyz and /metrics; ' +
        'unset: it serves no HTTP (the API roles serve them on PORT)',
    }),
  ),
  LOG_LEVEL: StringEnum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    default: 'info',
  }),
  LOG_FORMAT: Type.Optional(
    StringEnum(['json', 'pretty'], {
      description: 'unset: pretty when stdout is a terminal, JSON otherwise',
    }),
  ),
  BODY_LIMIT_BYTES: Type.Integer({ default: 1048576, minimum: 1024 }),
  AMQP_URL: Type.Optional(
    Type.String({ pattern: '^amqps?://.+', description: 'unset: no broker (embedded mode)' }),
  ),
  // Defaults live with the broker options, so the two cannot drift apart.
  AMQP_EXCHANGE: Type.String({ default: BROKER.exchange, minLength: 1 }),
  AMQP_QUEUE: Type.String({ default: BROKER.queue, minLength: 1 }),
  AMQP_DELIVERY_LIMIT: Type.Integer({ default: BROKER.deliveryLimit, minimum: 1 }),
  AMQP_PREFETCH: Type.Integer({ default: BROKER.prefetch, minimum: 1 }),
  AMQP_BATCH_SIZE: Type.Integer({ default: BROKER.batchSize, minimum: 1 }),
  AMQP_BATCH_WINDOW_MS: Type.Integer({ default: BROKER.batchWindowMs, minimum: 0 }),
  AMQP_CONCURRENT_BATCHES: Type.Integer({
    default: BROKER.concurrentBatches,
    minimum: 1,
    maximum: 8,
  }),
  AMQP_MAX_MESSAGE_BYTES: Type.Integer({
    default: BROKER.maxMessageBytes,
    minimum: 1024,
    maximum: MAX_MESSAGE_BYTES_CEILING,
    description:
      'largest message body taken as an event; larger ones are rejected (payload_too_large)',
  }),
  READ_CACHE_TTL_MS: Type.Integer({
    default: 2000,
    minimum: 0,
    description: 'longest a cached period list is served; 0 turns the read cache off',
  }),
  READ_CACHE_MAX_PATIENTS: Type.Integer({ default: 50000, minimum: 1 }),
  SHUTDOWN_TIMEOUT_MS: Type.Integer({ default: 10000, minimum: 100 }),
  AMQP_CONNECTION_NAME: Type.String({
    default: BROKER.connectionName,
    minLength: 1,
    description: 'how this process names its broker connection (management UI, rabbitmqctl)',
  }),
  // TLS towards RabbitMQ (with an amqps:// URL): PEM files read once at start-up.
  AMQP_CA_FILE: Type.Optional(Type.String({ minLength: 1, description: 'CA bundle (PEM)' })),
  AMQP_CERT_FILE: Type.Optional(Type.String({ minLength: 1, description: 'client certificate' })),
  AMQP_KEY_FILE: Type.Optional(Type.String({ minLength: 1, description: 'client private key' })),
  // Security of the HTTP API; see docs/security.md.
  API_TOKENS: Type.Optional(
    Type.String({ description: 'comma-separated bearer tokens for /api/ and /fhir/' }),
  ),
  OPERATIONS_TOKENS: Type.Optional(
    Type.String({ description: 'comma-separated bearer tokens for /healthz, /readyz, /metrics' }),
  ),
  ALLOW_UNAUTHENTICATED: Type.Boolean({
    default: false,
    description: 'listen on a non-loopback HOST without API_TOKENS (only behind other protection)',
  }),
  RATE_LIMIT_PER_MINUTE: Type.Optional(
    Type.Integer({ minimum: 1, description: 'requests per client per minute; unset: no limit' }),
  ),
});
export type Config = Static<typeof ConfigSchema>;

/** Reads and validates the configuration; throws one clear error naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return envSchema<Config>({ schema: ConfigSchema, data: env, dotenv: false });
  } catch (error) {
    throw readableConfigError(error);
  }
}

interface SchemaError {
  instancePath: string;
  keyword: string;
  params: { allowedValues?: unknown[] };
  message?: string;
}

/**
 * One clause per bad variable ("LOG_LEVEL must be one of fatal, …; PORT must
 * be integer") instead of ajv's text, which names each variable with an
 * `env/` prefix and an enum without its values.
 */
function readableConfigError(error: unknown): unknown {
  const errors = (error as { errors?: SchemaError[] } | null)?.errors;
  if (!Array.isArray(errors) || errors.length === 0) return error;
  const clauses = new Map<string, string>();
  for (const e of errors) {
    const name = e.instancePath.replace(/^\//, '') || 'the environment';
    if (clauses.has(name)) continue;
    const allowed = e.params.allowedValues;
    clauses.set(
      name,
      e.keyword === 'enum' && Array.isArray(allowed)
        ? `must be one of ${allowed.join(', ')}`
        : (e.message ?? 'is invalid'),
    );
  }
  return new Error([...clauses].map(([name, text]) => `${name} ${text}`).join('; '));
}

const DatabaseConfigSchema = Type.Pick(ConfigSchema, ['DATABASE_URL']);

/**
 * DATABASE_URL alone, for the tools that only touch the database (migrate,
 * seed, replay): a variable meant for the server, such as a bad PORT, is not
 * theirs to refuse.
 */
export function loadDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return envSchema<Static<typeof DatabaseConfigSchema>>({
    schema: DatabaseConfigSchema,
    data: env,
    dotenv: false,
  }).DATABASE_URL;
}
