/** How big each scenario is: the numbers (full) or a smoke-test size (--quick). */
export interface Sizes {
  ingest: { events: number; streams: number; lateShare: number; duplicateShare: number };
  publish: { events: number };
  longStreams: {
    /** Stream sizes at which cost per event is measured; the last is the final size. */
    checkpoints: number[];
    /** Events per in-order ingest call (the consumer's batch size). */
    batchSize: number;
    /** In-order batches timed at each checkpoint. */
    timedBatches: number;
    /** Single late events at every checkpoint but the last... */
    lateAtCheckpoint: number;
    /** ...and at the last one. */
    lateAtEnd: number;
  };
  readLog: {
    events: number;
    patients: number;
    /** Patients with many events (for recompute-on-read), part of `patients`. */
    heavyPatients: number;
    heavyEventsPerPatient: number;
  };
  reads: { connections: number; durationS: number; warmupS: number };
  /**
   * warmUpS: published at the same rate before the measured durationS, its
   * probes reported apart; brokerBaselineS: the measured part of the broker-alone baseline.
   */
  lag: {
    ratePerS: number;
    durationS: number;
    probesPerS: number;
    warmUpS: number;
    brokerBaselineS: number;
  };
}

export const FULL: Sizes = {
  ingest: { events: 200_000, streams: 20_000, lateShare: 0.05, duplicateShare: 0.02 },
  publish: { events: 200_000 },
  longStreams: {
    checkpoints: [1_000, 10_000, 100_000],
    batchSize: 250,
    timedBatches: 8,
    lateAtCheckpoint: 50,
    lateAtEnd: 1_000,
  },
  readLog: {
    events: 1_000_000,
    patients: 100_000,
    heavyPatients: 1_000,
    heavyEventsPerPatient: 120,
  },
  reads: { connections: 50, durationS: 10, warmupS: 2 },
  lag: { ratePerS: 2_000, durationS: 60, probesPerS: 20, warmUpS: 5, brokerBaselineS: 20 },
};

export const QUICK: Sizes = {
  ingest: { events: 2_000, streams: 200, lateShare: 0.05, duplicateShare: 0.02 },
  publish: { events: 2_000 },
  longStreams: {
    checkpoints: [250, 1_000],
    batchSize: 250,
    timedBatches: 2,
    lateAtCheckpoint: 10,
    lateAtEnd: 30,
  },
  readLog: { events: 10_000, patients: 1_000, heavyPatients: 20, heavyEventsPerPatient: 120 },
  reads: { connections: 50, durationS: 3, warmupS: 1 },
  lag: { ratePerS: 500, durationS: 5, probesPerS: 10, warmUpS: 1, brokerBaselineS: 3 },
};
