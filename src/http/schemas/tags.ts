/** The OpenAPI tags routes are grouped under in /docs. */
export const TAGS = {
  periods: 'periods',
  events: 'events',
  patients: 'patients',
  rejected: 'rejected events',
  operations: 'operations',
} as const;

export const TAG_DESCRIPTIONS: Record<(typeof TAGS)[keyof typeof TAGS], string> = {
  periods: 'What each patient was on, and when',
  events: 'Device events in, through the write path',
  patients: "For operators: a patient's accepted events and anomalies",
  'rejected events': 'For operators: what was rejected, and why',
  operations: 'Health, readiness and metrics, for the platform',
};
