import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from './common';

export const HealthResponse = Type.Object(
  { status: Type.Literal('ok') },
  { description: 'The process is up' },
);

const CheckResults = Type.Record(Type.String(), StringEnum(['ok', 'failing']), {
  description: 'each check by name: database, then the extra ones (e.g. broker)',
});

export const ReadyResponse = Type.Object(
  { status: Type.Literal('ready'), checks: CheckResults },
  { description: 'Every check answered' },
);
export type ReadyResponse = Static<typeof ReadyResponse>;

/** A 503 is an error, so it carries error/message like every other one, plus the checks. */
export const NotReadyResponse = Type.Object(
  {
    error: Type.Literal('not_ready'),
    message: Type.String(),
    status: Type.Literal('not_ready'),
    checks: CheckResults,
  },
  { description: 'A check failed; only names are shown, the reasons go to the log' },
);
export type NotReadyResponse = Static<typeof NotReadyResponse>;
