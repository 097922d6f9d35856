import type { EventIngestion } from './eventIngestion';
import type { AnomaliesRepository } from './anomaliesRepository';
import type { EventsRepository } from './eventsRepository';
import type { RejectedEventsRepository } from './rejectedEventsRepository';
import type { PeriodsRepository } from './periodsRepository';

export type { EventIngestion } from './eventIngestion';
export { eventIngestionPlugin } from './eventIngestion';
export type { AnomaliesRepository } from './anomaliesRepository';
export { anomaliesRepositoryPlugin } from './anomaliesRepository';
export type { EventsRepository } from './eventsRepository';
export { eventsRepositoryPlugin } from './eventsRepository';
export type { RejectedEventsRepository } from './rejectedEventsRepository';
export { rejectedEventsRepositoryPlugin } from './rejectedEventsRepository';
export type { PeriodsRepository } from './periodsRepository';
export { periodsRepositoryPlugin } from './periodsRepository';

/** The store bound to the app's database, one decorator per table group. */
export interface Repositories {
  periodsRepository: PeriodsRepository;
  eventsRepository: EventsRepository;
  anomaliesRepository: AnomaliesRepository;
  rejectedEventsRepository: RejectedEventsRepository;
  eventIngestion: EventIngestion;
}

declare module 'fastify' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- merges the decorators into Fastify's type
  interface FastifyInstance extends Repositories {}
}
