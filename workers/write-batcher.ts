/**
 * Many store jobs, one SQLite transaction: jobs submit their write and wait; the batcher
 * commits whatever arrived within a short linger (or as soon as a batch is full) in one
 * transaction, and answers each job with its own result. A commit costs the same for one row
 * as for a hundred (the WAL append and the lock), so this is where the store's rate comes from.
 *
 * Still exactly once: a job is answered only after the transaction holding its write has
 * committed, so BullMQ marks it done only then; a crash before the commit leaves the job to be
 * run again, and every write is an idempotent upsert. When a batch fails, each of its writes is
 * tried again alone, so one bad row fails only its own job.
 */

export interface WriteBatcherOptions<T, R> {
  /** Runs every write of a batch in one transaction and returns their results in order. */
  writeBatch(items: readonly T[]): R[];
  /** Most writes in one transaction. */
  maxItems: number;
  /** How long the first write of a batch waits for others before the batch commits, in ms. */
  lingerMs: number;
}

interface Pending<T, R> {
  item: T;
  resolve(result: R): void;
  reject(error: unknown): void;
}

export class WriteBatcher<T, R> {
  private pending: Array<Pending<T, R>> = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: WriteBatcherOptions<T, R>) {}

  /** Resolves with the write's result once its transaction has committed. */
  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.options.maxItems) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.options.lingerMs);
    });
  }

  /** Commits what is waiting now (also called when a batch fills up or its linger ends). */
  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    let results: R[];
    try {
      results = this.options.writeBatch(batch.map((entry) => entry.item));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      // Someone's write failed the whole transaction (rolled back): each on its own now.
      for (const entry of batch) this.writeAlone(entry);
      return;
    }
    batch.forEach((entry, i) => entry.resolve(results[i]!));
  }

  private writeAlone(entry: Pending<T, R>): void {
    try {
      entry.resolve(this.options.writeBatch([entry.item])[0]!);
    } catch (error) {
      entry.reject(error);
    }
  }
}
