import type { SearchsetBundle } from './types';

/**
 * A searchset Bundle holding every match (no paging: one patient's periods
 * are few). Entries carry no fullUrl because the service does not offer the
 * read interaction, and a fullUrl should resolve.
 */
export function searchsetBundle<R>(
  resources: readonly R[],
  selfUrl: string,
  now: Date = new Date(),
): SearchsetBundle<R> {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    timestamp: now.toISOString(),
    total: resources.length,
    link: [{ relation: 'self', url: selfUrl }],
    entry: resources.map((resource) => ({ resource, search: { mode: 'match' } })),
  };
}
