import type { Sizes } from './sizes';

/** What every scenario is given. */
export interface BenchContext {
  /** mysql://user:pass@host:port, a user that may create databases. */
  adminUrl: string;
  amqpUrl: string;
  runs: number;
  quick: boolean;
  sizes: Sizes;
  log(message: string): void;
  /** Waits until MariaDB has paid off earlier writes (see quietDatabase.ts) and logs how long. */
  quiet(before: string): Promise<void>;
}
