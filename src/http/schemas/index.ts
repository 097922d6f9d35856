export * from './common';
export * from './periods';
export * from './ingest';
export * from './events';
export * from './anomalies';
export * from './rejectedEvents';
export * from './health';
export * from './tags';
