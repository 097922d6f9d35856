import { ACTIONS, isAction, type ValidEvent } from './event';
import { dedupeKeyOf } from './dedupeKey';
import { parseEventTime } from './eventTime';
import { rejection, type Rejection } from './rejection';
import { requiredText, typeName, validateEventId } from './textFields';

export { parseEventTime } from './eventTime';
export { MAX_EVENT_ID_LENGTH, characterCount } from './textFields';

export const MAX_UP_ID_LENGTH = 64;
export const MAX_MEDICATION_NAME_LENGTH = 128;

export type ValidationResult =
  { ok: true; event: ValidEvent } | { ok: false; rejection: Rejection };

/** Validates one raw item exactly per the event table of the semantics. */
export function validateEvent(payload: unknown): ValidationResult {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    return {
      ok: false,
      rejection: rejection(
        'not_an_object',
        null,
        `an event must be a JSON object, got ${typeName(payload)}`,
      ),
    };
  }
  const item = payload as Record<string, unknown>;
  const upId = requiredText(item, 'up_id', MAX_UP_ID_LENGTH);
  if (!upId.ok) return upId;
  const medicationName = requiredText(item, 'medication_name', MAX_MEDICATION_NAME_LENGTH);
  if (!medicationName.ok) return medicationName;

  const action = item.action;
  if (action === undefined || action === null || action === '') {
    return { ok: false, rejection: rejection('missing_action', 'action', 'action is required') };
  }
  if (!isAction(action)) {
    return {
      ok: false,
      rejection: rejection(
        'invalid_action',
        'action',
        `action must be one of ${ACTIONS.join(', ')}`,
      ),
    };
  }
  const eventTime = parseEventTime(item.event_time);
  if (!eventTime.ok) return eventTime;

  const eventId = validateEventId(item.event_id);
  if (!eventId.ok) return eventId;

  const event: ValidEvent = {
    upId: upId.value,
    medicationName: medicationName.value,
    action,
    eventTime: eventTime.value,
    eventId: eventId.value,
    dedupeKey: '',
  };
  // Filled in place: an object spread per event cost more than the key's hash.
  event.dedupeKey = dedupeKeyOf(event);
  return { ok: true, event };
}
