import type { WriteObserver } from '../store/writePath';
import type { Metrics } from './metrics';

const seconds = (ms: number) => ms / 1000;

/** The write path's observer that feeds the event and write-path series. */
export function metricsWriteObserver(metrics: Metrics): WriteObserver {
  return {
    onCommitted(write) {
      const { source } = write;
      metrics.eventsAccepted.inc({ source }, write.accepted);
      metrics.eventsDuplicate.inc({ source }, write.duplicates);
      metrics.eventIdConflicts.inc({ source }, write.eventIdConflicts);
      for (const reason of write.rejected) metrics.eventsRejected.inc({ source, reason });
      metrics.writePathDuration.observe({ source }, seconds(write.durationMs));
      // Only a call that appended events projected anything or made periods visible;
      // the others would pile zeros into both histograms and hide the real ones.
      if (write.accepted > 0) {
        metrics.projectionDuration.observe(seconds(write.projectionMs));
        metrics.projectionLag.observe(seconds(Math.max(0, write.committedAt - write.receivedAt)));
      }
    },
  };
}
