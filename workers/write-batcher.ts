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
 *
 * When the database refuses every write (a full disk, an I/O error, a lock: `wait.isUnavailable`)
 * nothing is rejected: the writes are kept, in arrival order and ahead of any that arrive later,
 * and the batch is tried again after a growing delay until it goes through. Writes are applied
 * in the order they were submitted, however long the wait. After stop(), writes that are waiting
 * for the database are rejected with WritesStoppedError (their jobs go back to the queue).
 */

/** How the batcher waits for a database that refuses every write (store-wait.ts is one). */
export interface BatchWait<T> {
  /** The error is the database's state, not caused by any one write. */
  isUnavailable(error: unknown): boolean;
  /** A batch was refused: `items` are waiting now (the first is the oldest). */
  failed(error: unknown, items: readonly T[]): void;
  /** A batch committed after one or more refusals. */
  succeeded(): void;
  /** Delay before the next try after `failures` refusals in a row, in ms. */
  delayAfter(failures: number): number;
}

export interface WriteBatcherOptions<T, R> {
  /** Runs every write of a batch in one transaction and returns their results in order. */
  writeBatch(items: readonly T[]): R[];
  /** Most writes in one transaction. */
  maxItems: number;
  /** How long the first write of a batch waits for others before the batch commits, in ms. */
  lingerMs: number;
  /** Without it, every error is the write's own (tried alone, then rejected). */
  wait?: BatchWait<T>;
}

/** A write that was waiting for the database when the batcher stopped; it was not applied. */
export class WritesStoppedError extends Error {
  override readonly name = 'WritesStoppedError';
  constructor(cause: unknown) {
    super('stopped while waiting for the database', { cause });
  }
}

interface Pending<T, R> {
  item: T;
  resolve(result: R): void;
  reject(error: unknown): void;
}

/** What a commit left: nothing, or the writes the database refused (in order) and why. */
type Refused<T, R> = { entries: Array<Pending<T, R>>; error: unknown } | null;

export class WriteBatcher<T, R> {
  private pending: Array<Pending<T, R>> = [];
  private timer: NodeJS.Timeout | null = null;
  /** Refusals in a row; above 0 the batcher is waiting for the database. */
  private failures = 0;
  private stopped = false;

  constructor(private readonly options: WriteBatcherOptions<T, R>) {}

  /** Whether a write submitted now goes straight to a commit: not stopped, not waiting for the database. */
  get isWriting(): boolean {
    return !this.stopped && this.failures === 0;
  }

  /** Resolves with the write's result once its transaction has committed. */
  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      // While waiting for the database, the scheduled retry takes this write too.
      if (this.failures > 0 && !this.stopped) return;
      if (this.stopped || this.pending.length >= this.options.maxItems) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.options.lingerMs);
    });
  }

  /**
   * Commits what is waiting now, batch by batch (also called when a batch fills up or its
   * linger ends). Between two batches the event loop gets a turn.
   */
  flush(): void {
    this.clearTimer();
    const batch = this.pending.splice(0, this.options.maxItems);
    if (batch.length === 0) return;
    const refused = this.commit(batch);
    if (refused) {
      this.pending.unshift(...refused.entries);
      this.waitForDatabase(refused.error);
      return;
    }
    if (this.failures > 0) {
      this.failures = 0;
      this.options.wait?.succeeded();
    }
    if (this.pending.length >= this.options.maxItems || (this.pending.length > 0 && this.stopped)) this.timer = setTimeout(() => this.flush(), 0);
    else if (this.pending.length > 0) this.timer = setTimeout(() => this.flush(), this.options.lingerMs);
  }

  /**
   * No more waiting: writes waiting for the database are rejected with WritesStoppedError, the
   * others are committed now, and later submits are written at once.
   */
  stop(): void {
    this.stopped = true;
    if (this.failures > 0) this.rejectWaiting(new WritesStoppedError(null));
    else this.flush();
  }

  private commit(batch: Array<Pending<T, R>>): Refused<T, R> {
    let results: R[];
    try {
      results = this.options.writeBatch(batch.map((entry) => entry.item));
    } catch (error) {
      if (this.isUnavailable(error)) return { entries: batch, error };
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return null;
      }
      // Someone's write failed the whole transaction (rolled back): each on its own now.
      return this.writeAlone(batch);
    }
    batch.forEach((entry, i) => entry.resolve(results[i]!));
    return null;
  }

  private writeAlone(batch: Array<Pending<T, R>>): Refused<T, R> {
    for (const [i, entry] of batch.entries()) {
      try {
        entry.resolve(this.options.writeBatch([entry.item])[0]!);
      } catch (error) {
        if (this.isUnavailable(error)) return { entries: batch.slice(i), error };
        entry.reject(error);
      }
    }
    return null;
  }

  private waitForDatabase(error: unknown): void {
    this.failures += 1;
    this.options.wait!.failed(error, this.pending.map((entry) => entry.item));
    if (this.stopped) {
      this.rejectWaiting(new WritesStoppedError(error));
      return;
    }
    this.timer = setTimeout(() => this.flush(), this.options.wait!.delayAfter(this.failures - 1));
  }

  private rejectWaiting(error: WritesStoppedError): void {
    this.clearTimer();
    const waiting = this.pending;
    this.pending = [];
    for (const entry of waiting) entry.reject(error);
  }

  private isUnavailable(error: unknown): boolean {
    return this.options.wait?.isUnavailable(error) ?? false;
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
