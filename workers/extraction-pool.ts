/**
 * Extraction off the event loop: a pool of long-lived worker threads inside a fetch process
 * (DESIGN.md), so one heavy page never blocks job-lock renewals, politeness or Redis, and every
 * core extracts.
 *
 * - Threads start once, with the pool, and serve page after page (no per-page start-up). A page
 *   goes to the first idle thread; the others wait in order.
 * - A fetched page goes to its thread as the bytes it came in (`extractBytes`): their buffer is
 *   transferred, not copied, and the thread sniffs the charset and decodes them, so the page's
 *   text never exists on the event loop's heap (no decode, no copy, no garbage there). A page
 *   given as text (`extract`) is posted as a string. The thread posts the extraction result back.
 *   Site profiles travel to a thread only when they change.
 * - Each page has a time budget (`timeoutMs`, counted from when its thread receives it) and each
 *   thread a memory budget (`resourceLimits`). A page over either budget rejects with
 *   {@link PageTooComplexError}; the thread that ran it is terminated (or has died of it) and a
 *   new one takes its place, while the other threads keep serving.
 * - Idle threads do not keep the process alive; `close()` ends them all.
 *
 * The thread's code is `extraction-thread` beside this file: compiled JavaScript under dist/
 * (the bin), the TypeScript source under vitest and tsx (see {@link threadEntry}).
 */
import { setFlagsFromString } from 'node:v8';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { ExtractionResult, ExtractOptions, SiteProfile } from '../src/extract/index.ts';
import type { PageBody } from '../src/fetch/fetch-page.ts';
import type { Logger } from '../src/log.ts';

/** Reason recorded for a page that ran over its time or memory budget. */
export const TOO_COMPLEX = 'too-complex';

/** A page that exceeded the extraction budget: recorded as `too-complex`, never retried. */
export class PageTooComplexError extends Error {
  override readonly name = 'PageTooComplexError';
  readonly reason = TOO_COMPLEX;
}

export interface ExtractionPoolOptions {
  /** Threads in the pool (EXTRACT_THREADS). */
  threads: number;
  /** Longest one page may extract, in ms (EXTRACT_TIMEOUT_MS). */
  timeoutMs: number;
  /** Heap of each thread, in MB (EXTRACT_MEMORY_MB): V8 ends a thread that needs more. */
  memoryMb: number;
  /** Young generation of each thread, in MB. @defaultValue {@link LEAN_YOUNG_GENERATION_MB} */
  youngGenerationMb?: number;
  logger: Logger;
  /** Where the thread's code is. @defaultValue {@link threadEntry}() */
  entry?: ThreadEntry;
}

export interface ThreadEntry {
  url: URL;
  /** Node options of the thread. */
  execArgv: string[];
}

/** A page as a thread receives it: its text, or its bytes and Content-Type (decoded in the thread). */
export type ThreadPage = { html: string } | PageBody;

/** A page for a thread. `profiles` is sent only when it differs from what that thread has. */
export interface ThreadRequest {
  id: number;
  page: ThreadPage;
  url: string | null;
  retrievedAt: string | null;
  /** ExtractOptions.now, as epoch ms. */
  nowMs: number;
  profiles?: readonly SiteProfile[];
}

export type ThreadReply =
  | { type: 'ready' }
  | { type: 'done'; id: number; result: ExtractionResult }
  | { type: 'failed'; id: number; message: string };

/**
 * Young generation of each thread, in MB, by default. Extraction allocates many short-lived strings and
 * nodes; a smaller nursery is scavenged more often but keeps each thread's resident memory down
 * (measured on the 121 benchmark pages with 2 threads: 4 MB 274 MiB, 8 MB 285, 16 MB 295, 32 MB
 * 325 for the whole process).
 */
export const LEAN_YOUNG_GENERATION_MB = 8;

/**
 * The young generation of a process that only fetches and extracts (`--role fetch`), which has
 * the memory to spare: a page's tree (about 1 MB per page of the benchmark) is still alive when an
 * 8 MB nursery is scavenged, so it is copied, promoted and then collected again by the old
 * generation's concurrent marking. With 16 MB, bench:pipeline (3,000 URLs, fetch ×1 + store, two
 * interleaved rounds) measured the fetch process at 16.4 and 15.6 CPU ms per page against 17.9
 * and 16.7 (V8's helper threads 12–13 CPU s against 14–16), 6% more pages per second, and a peak
 * of 231–233 MB against 215–216. `--role all` keeps {@link LEAN_YOUNG_GENERATION_MB}: its process
 * also holds the store.
 */
export const FETCH_ROLE_YOUNG_GENERATION_MB = 16;

/** The young generation of the threads of a process that extracts, and stores too (`--role all`) or not. */
export function threadYoungGenerationMb(alsoStores: boolean): number {
  return alsoStores ? LEAN_YOUNG_GENERATION_MB : FETCH_ROLE_YOUNG_GENERATION_MB;
}

/**
 * Stack of each thread, in MB. The extractor's tree walks recurse up to MAX_TREE_DEPTH (2,000)
 * levels; Node's 4 MB default covers them, and a deeper overflow is a RangeError the extractor
 * catches, not a crash.
 */
const STACK_MB = 4;

/**
 * V8's heap-size flags, which are process-wide: each one set on the command line (the bin sets
 * the first two for `worker` and `crawl`, bin/heap-limits.js) also outranks the matching
 * `resourceLimits` of every thread started later. Under the bin's `--max-old-space-size=192
 * --max-semi-space-size=16`, a thread asked for 128 MB of old space and an 8 MB young
 * generation got 192 MB and 48 MB: EXTRACT_MEMORY_MB did not bound a page, and each thread's
 * nursery was six times the one chosen below.
 */
const PROCESS_HEAP_FLAGS = ['max-old-space-size', 'max-semi-space-size', 'max-heap-size'] as const;

/**
 * Clears {@link PROCESS_HEAP_FLAGS} (0 is V8's "unset") before threads start, so each thread's
 * heap follows its `resourceLimits`. V8 reads these flags only when it configures a new heap:
 * the main thread's heap, configured at start-up, keeps the limits it was given.
 */
function letThreadsTakeTheirOwnHeapLimits(): void {
  for (const flag of PROCESS_HEAP_FLAGS) setFlagsFromString(`--${flag}=0`);
}

interface PendingPage {
  id: number;
  request: Omit<ThreadRequest, 'profiles'>;
  /** The buffer of the page's bytes, moved to the thread with the request; null for text. */
  transfer: ArrayBuffer | null;
  profiles: readonly SiteProfile[];
  resolve(result: ExtractionResult): void;
  reject(error: Error): void;
}

interface ThreadSlot {
  worker: Worker;
  /** Whether the thread has loaded its code and said so. */
  ready: boolean;
  /** The page it is extracting, if any. */
  page: PendingPage | null;
  /** The profiles this thread last received. */
  profiles: readonly SiteProfile[] | null;
  timer: NodeJS.Timeout | null;
  /** Set once the slot is being replaced: its later events are ignored. */
  retired: boolean;
  /** Settles when the thread has loaded its code, or could not. */
  started: Promise<void>;
  markStarted(error: Error | null): void;
}

/**
 * Where the thread's code is: extraction-thread beside this module. From compiled code
 * (dist/workers/extraction-pool.js, what the bin runs) it is the compiled extraction-thread.js.
 * From the TypeScript sources (vitest, `node --import tsx`) it is extraction-thread.ts, run by
 * Node's own type stripping: no loader in the thread, so it starts as fast as the compiled one
 * and costs no extra memory. That needs every module the extractor imports to use erasable
 * TypeScript only (no enums, namespaces or parameter properties): `npm run typecheck` checks
 * that with tsconfig.thread.json (every module extraction-thread.ts reaches, type-only imports
 * included), and the pool's tests start a thread from the sources.
 */
export function threadEntry(moduleUrl: string = import.meta.url): ThreadEntry {
  const compiled = new URL(moduleUrl).pathname.endsWith('.js');
  return { url: new URL(compiled ? './extraction-thread.js' : './extraction-thread.ts', moduleUrl), execArgv: [] };
}

export class ExtractionPool {
  /** Resolves when every thread has loaded; rejects if one cannot start. */
  readonly ready: Promise<void>;
  private readonly slots: ThreadSlot[] = [];
  private readonly waiting: PendingPage[] = [];
  private readonly entry: ThreadEntry;
  private nextId = 1;
  private closed = false;
  /** Set when a replacement thread could not start: the pool then refuses pages. */
  private broken: Error | null = null;

  private readonly options: ExtractionPoolOptions;

  constructor(options: ExtractionPoolOptions) {
    this.options = options;
    this.entry = options.entry ?? threadEntry();
    letThreadsTakeTheirOwnHeapLimits();
    const threads = Math.max(1, Math.floor(options.threads));
    for (let i = 0; i < threads; i++) this.slots.push(this.startThread());
    this.ready = Promise.all(this.slots.map((slot) => slot.started)).then(() => undefined);
    // A start-up failure is reported through `ready` (and every page); keep it from being unhandled.
    this.ready.catch(() => undefined);
  }

  /** Extract one page given as text on a thread. */
  readonly extract = (html: string, options: ExtractOptions): Promise<ExtractionResult> => this.submit({ html }, null, options);

  /**
   * Extract one fetched page on a thread, from its bytes: the Extractor seam of the fetch worker.
   * The bytes are handed over: their buffer is transferred to the thread (detached here) when
   * they own it whole, else copied once into a buffer of their own.
   */
  readonly extractBytes = (body: PageBody, options: ExtractOptions): Promise<ExtractionResult> => {
    const bytes = ownsItsBuffer(body.bytes) ? body.bytes : new Uint8Array(body.bytes);
    return this.submit({ bytes, contentType: body.contentType }, bytes.buffer as ArrayBuffer, options);
  };

  private submit(page: ThreadPage, transfer: ArrayBuffer | null, options: ExtractOptions): Promise<ExtractionResult> {
    if (this.closed) return Promise.reject(new Error('the extraction pool is closed'));
    if (this.broken) return Promise.reject(this.broken);
    return new Promise<ExtractionResult>((resolve, reject) => {
      const id = this.nextId++;
      this.waiting.push({
        id,
        transfer,
        request: {
          id,
          page,
          url: options.url ?? null,
          retrievedAt: options.retrievedAt ?? null,
          nowMs: (options.now ?? new Date()).getTime(),
        },
        profiles: options.profiles ?? [],
        resolve,
        reject,
      });
      this.dispatch();
    });
  }

  /** Thread ids of the pool's current threads: they change only when a thread is replaced. */
  get threadIds(): number[] {
    return this.slots.map((slot) => slot.worker.threadId);
  }

  /** The heap limits each thread runs with (V8's, as Node reports them). */
  get threadResourceLimits(): ResourceLimits[] {
    return this.slots.map((slot) => slot.worker.resourceLimits ?? {});
  }

  /** Ends every thread; pages still waiting or running are rejected. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const closedError = new Error('the extraction pool is closed');
    for (const page of this.waiting.splice(0)) page.reject(closedError);
    await Promise.all(
      this.slots.map(async (slot) => {
        slot.retired = true;
        this.clearTimer(slot);
        slot.page?.reject(closedError);
        slot.page = null;
        slot.markStarted(null); // a pool closed while starting is not a start-up failure
        await slot.worker.terminate();
      }),
    );
  }

  private startThread(): ThreadSlot {
    const worker = new Worker(this.entry.url, { execArgv: this.entry.execArgv, resourceLimits: this.resourceLimits() });
    let markStarted: (error: Error | null) => void = () => undefined;
    const started = new Promise<void>((resolve, reject) => {
      markStarted = (error) => (error === null ? resolve() : reject(error));
    });
    started.catch(() => undefined); // replacements are not awaited; the pool reports their failure
    const slot: ThreadSlot = { worker, ready: false, page: null, profiles: null, timer: null, retired: false, started, markStarted };
    worker.unref();
    worker.on('message', (reply: ThreadReply) => this.onReply(slot, reply));
    worker.on('error', (error) => this.onThreadDeath(slot, error));
    worker.on('exit', (code) => this.onThreadDeath(slot, new Error(`the extraction thread exited with code ${code}`)));
    return slot;
  }

  private resourceLimits(): ResourceLimits {
    return {
      maxOldGenerationSizeMb: this.options.memoryMb,
      maxYoungGenerationSizeMb: this.options.youngGenerationMb ?? LEAN_YOUNG_GENERATION_MB,
      stackSizeMb: STACK_MB,
    };
  }

  private onReply(slot: ThreadSlot, reply: ThreadReply): void {
    if (slot.retired) return;
    if (reply.type === 'ready') {
      slot.ready = true;
      slot.markStarted(null);
      this.dispatch();
      return;
    }
    const page = slot.page;
    if (page === null || page.id !== reply.id) return;
    this.clearTimer(slot);
    slot.page = null;
    slot.worker.unref();
    if (reply.type === 'done') page.resolve(reply.result);
    else page.reject(new Error(`extraction failed: ${reply.message}`));
    this.dispatch();
  }

  /** Hand waiting pages to idle, ready threads. */
  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.waiting.length === 0) return;
      if (!slot.ready || slot.page !== null || slot.retired) continue;
      const page = this.waiting.shift()!;
      slot.page = page;
      const message: ThreadRequest = slot.profiles === page.profiles ? page.request : { ...page.request, profiles: page.profiles };
      slot.profiles = page.profiles;
      slot.worker.ref();
      slot.timer = setTimeout(() => this.onTimeout(slot), this.options.timeoutMs);
      slot.worker.postMessage(message, page.transfer ? [page.transfer] : []);
    }
  }

  private onTimeout(slot: ThreadSlot): void {
    slot.timer = null;
    const page = slot.page;
    if (page === null || slot.retired) return;
    this.options.logger.warn('extraction over its time budget: thread replaced', {
      url: page.request.url,
      timeoutMs: this.options.timeoutMs,
    });
    this.replace(slot, new PageTooComplexError(`extraction took longer than ${this.options.timeoutMs} ms`));
    void slot.worker.terminate();
  }

  /** The thread died (out of memory, or any crash): its page ends too-complex, a new thread starts. */
  private onThreadDeath(slot: ThreadSlot, error: Error): void {
    if (slot.retired || this.closed) return;
    if (!slot.ready) {
      // It never loaded its code: a broken installation, not a page. Starting again would loop.
      slot.retired = true;
      const broken = new Error(`an extraction thread could not start: ${error.message}`, { cause: error });
      slot.markStarted(broken);
      this.breakPool(broken);
      return;
    }
    const outOfMemory = (error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
    this.options.logger.warn('extraction thread died: replaced', {
      url: slot.page?.request.url ?? null,
      outOfMemory,
      error: error.message,
    });
    const message = outOfMemory
      ? `extraction needed more than ${this.options.memoryMb} MB`
      : `the extraction thread died on this page (${error.message})`;
    this.replace(slot, new PageTooComplexError(message, { cause: error }));
  }

  /** Retire a slot, reject its page with `error`, and start a fresh thread in its place. */
  private replace(slot: ThreadSlot, error: Error): void {
    slot.retired = true;
    this.clearTimer(slot);
    const page = slot.page;
    slot.page = null;
    page?.reject(error);
    const index = this.slots.indexOf(slot);
    if (index >= 0 && !this.closed && this.broken === null) this.slots[index] = this.startThread();
    this.dispatch();
  }

  private breakPool(error: Error): void {
    this.broken = error;
    this.options.logger.error('extraction pool broken: pages are refused', { error: error.message });
    for (const page of this.waiting.splice(0)) page.reject(error);
    for (const slot of this.slots) {
      if (slot.page) {
        this.clearTimer(slot);
        slot.page.reject(error);
        slot.page = null;
      }
    }
  }

  private clearTimer(slot: ThreadSlot): void {
    if (slot.timer !== null) clearTimeout(slot.timer);
    slot.timer = null;
  }
}

/**
 * Whether the bytes are the whole of a buffer of their own, which can be transferred without
 * taking anything else with it: a small Buffer is a slice of Node's shared allocation pool, and
 * transferring that would detach every other Buffer in it.
 */
function ownsItsBuffer(bytes: Uint8Array): boolean {
  return bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
}
