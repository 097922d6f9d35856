import type { Action, AnomalyCode, PeriodStatus, Rejection } from '../domain';

/**
 * Which transport an item came by; recorded with every accepted and rejected
 * event. The contract knows these two; tools that load events (the seed, the
 * benchmark's log) stand in for a client posting them, so they record `http`.
 */
/** Where an event came from: the contract lists these two. */
export const SOURCES = ['http', 'amqp'] as const;
export type Source = (typeof SOURCES)[number];

/**
 * One item handed to the write path. Either a decoded JSON value (still to be
 * validated), or something that could not even be decoded (not UTF-8, not
 * JSON), which is recorded as rejected with its raw bytes.
 */
export type IncomingItem =
  { payload: unknown; raw?: string | Buffer } | { rejection: Rejection; raw: string | Buffer };

export interface RejectedItem {
  index: number;
  reason: Rejection['reason'];
  field: string | null;
  message: string;
}

export interface WriteResult {
  accepted: number;
  duplicates: number;
  rejected: RejectedItem[];
}

/** Rows as the read side returns them (times in epoch ms, UTC). */
export interface PeriodRow {
  upId: string;
  medicationName: string;
  startTime: number;
  endTime: number | null;
  status: PeriodStatus;
}

export interface EventRow {
  seq: number;
  upId: string;
  medicationName: string;
  action: Action;
  eventTime: number;
  receivedAt: number;
  source: Source;
  eventId: string | null;
  dedupeKey: string;
}

export interface AnomalyRow {
  upId: string;
  medicationName: string;
  code: AnomalyCode;
  eventKey: string;
  eventTime: number;
  action: Action;
}

export interface RejectedEventRow {
  id: number;
  receivedAt: number;
  source: Source;
  reason: string;
  field: string | null;
  message: string;
  /** The bytes as received. */
  rawPayload: Buffer;
}
