// @ts-check
/** Times as the clinician reads them: the browser's locale and time zone. */

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const dayMonth = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const hourMinute = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const withSeconds = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

export const timeZone = dateTime.resolvedOptions().timeZone;

/** @param {number} ms */
export const formatDateTime = (ms) => dateTime.format(ms);

/**
 * A tick label: the date for day steps, the time below that, with the date
 * when it changes from the previous tick.
 * @param {number} ms
 * @param {number} step tick step in ms
 * @param {number | null} previous the previous tick, or null for the first
 */
export function formatTick(ms, step, previous) {
  if (step >= 86_400_000) return dayMonth.format(ms);
  const time = step < 60_000 ? withSeconds.format(ms) : hourMinute.format(ms);
  const newDay =
    previous === null || new Date(previous).toDateString() !== new Date(ms).toDateString();
  return newDay ? `${dayMonth.format(ms)} ${time}` : time;
}

/** @param {number} ms a non-negative duration */
export function formatDuration(ms) {
  if (ms === 0) return 'zero-length (start and stop at the same instant)';
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return `${Math.round(ms / 1000)} s`;
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  return [days && `${days} d`, hours && `${hours} h`, rest && `${rest} min`]
    .filter(Boolean)
    .join(' ');
}

/**
 * The value of a datetime-local input (local wall time) for an instant.
 * @param {number} ms
 */
export function toLocalInput(ms) {
  const d = new Date(ms);
  const pad = (/** @type {number} */ n) => String(n).padStart(2, '0');
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` +
    `T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  );
}
