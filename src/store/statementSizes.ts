/**
 * How much one SQL statement carries. Fewer, larger statements cost less per
 * event (each round trip and each statement has a fixed cost); the bounds
 * keep every statement well under SQLite's 32,766 bound parameters and
 * MySQL's default 64 MB packet.
 */
export const STREAMS_PER_STATEMENT = 400;
export const KEYS_PER_STATEMENT = 300;
export const ROWS_PER_INSERT = 1000;
export const IDS_PER_DELETE = 1000;
/** Rejected items may carry up to a body's worth of raw bytes each. */
export const REJECTIONS_PER_INSERT = 100;
