export * from './event';
export * from './dedupeKey';
export * from './rejection';
export * from './validateEvent';
export * from './streamOrder';
export * from './projectStream';
export * from './periodOverlaps';
export * from './filterPeriods';
