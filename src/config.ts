import { envSchema } from 'env-schema';
import { Type, type Static } from '@sinclair/typebox';

export const ConfigSchema = Type.Object({
  DATABASE_URL: Type.String({
    default: 'sqlite:./data/medication-periods.sqlite',
    pattern: '^(sqlite:.+|mysql://.+)$',
    description: 'sqlite:PATH, sqlite::memory: or mysql://user:pass@host:port/db',
  }),
  HOST: Type.String({ default: '127.0.0.1', minLength: 1 }),
  PORT: Type.Integer({ default: 4567, minimum: 0, maximum: 65535 }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  LOG_FORMAT: Type.Optional(
    Type.Union([Type.Literal('json'), Type.Literal('pretty')], {
      description: 'unset: pretty when stdout is a terminal, JSON otherwise',
    }),
  ),
  BODY_LIMIT_BYTES: Type.Integer({ default: 1048576, minimum: 1024 }),
  AMQP_URL: Type.Optional(
    Type.String({ pattern: '^amqps?://.+', description: 'unset: no broker (embedded mode)' }),
  ),
  AMQP_EXCHANGE: Type.String({ default: 'device-events', minLength: 1 }),
  AMQP_QUEUE: Type.String({ default: 'medication-periods.device-events', minLength: 1 }),
  AMQP_DELIVERY_LIMIT: Type.Integer({ default: 5, minimum: 1 }),
  AMQP_PREFETCH: Type.Integer({ default: 500, minimum: 1 }),
  AMQP_BATCH_SIZE: Type.Integer({ default: 250, minimum: 1 }),
  AMQP_BATCH_WINDOW_MS: Type.Integer({ default: 50, minimum: 0 }),
  SHUTDOWN_TIMEOUT_MS: Type.Integer({ default: 10000, minimum: 100 }),
});
export type Config = Static<typeof ConfigSchema>;

/** Reads and validates the configuration; throws one clear error naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return envSchema<Config>({ schema: ConfigSchema, data: env, dotenv: false });
}
