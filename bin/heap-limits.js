// V8 heap limits (and, for the commands that extract, a garbage-collection option) for the
// long-running and bulk commands of `ingest`, applied by bin/ingest.js.
//
// V8 grows a heap lazily: left alone, a fetch worker's event loop reached 500 MB (issue 13) and
// an enqueue of 100,000 URLs 270 MB, most of it garbage not yet collected. A limit makes V8
// collect sooner at no measurable cost in speed. V8 takes heap limits only at start-up, so the
// bin re-executes itself with them (process.execve: the same process id, the same standard
// streams, no second process); a limit the user set (old space, semi-space) stays theirs.

/**
 * Old-generation limit of each bounded command, MB. The fetch role's pages live in its
 * extraction threads (bounded by EXTRACT_MEMORY_MB each), the store writes through SQLite's own
 * memory, and enqueue streams its input in batches: none keeps more than some tens of MB alive
 * on the event loop. Enqueue gets 128 MB (measured at 100,000 URLs: 130 MB peak RSS against 276
 * MB unbounded, the same CPU). A worker gets more room, 192 MB: its store role also parses the
 * feeds and sitemaps of sources (a sitemap may hold 50,000 URLs), and running out of heap ends
 * the process. V8 applies these flags to every heap it configures, threads included; the
 * extraction pool clears them before it starts its threads, which keep their own limits
 * (EXTRACT_MEMORY_MB, workers/extraction-pool.ts).
 */
export const OLD_SPACE_MB = { worker: 192, crawl: 192, enqueue: 128 };

/**
 * Semi-space (half the nursery) of the bounded commands, MB: set with the old-space limit,
 * because V8 otherwise derives the nursery from the heap limit, and for a heap this small makes
 * it tiny. Measured on enqueue of 100,000 URLs: with 128 MB of old space and no semi-space
 * setting, 9.7 CPU seconds against 3.4 unbounded; with a 16 MB semi-space 3.6 s (a 4 MB one:
 * 4.5 s, objects of a batch in flight outlive a small nursery). The store role keeps 16 MB too.
 *
 * A worker that extracts (roles fetch and all, and crawl) gets 2 MB: its event loop only moves
 * pages (their bytes are outside the heap) to its extraction threads and results on to Redis,
 * and what survives a scavenge there is mostly long-lived (jobs in flight). Measured on 3,000
 * URLs of bench:pipeline, 2 rounds: the fetch process peaked at 339 MB with 16 MB, 318 with 8,
 * 302 with 4, at 168, 172 and 174 pages/s; one process (--role all) 372 MB with 16, 340 with 4,
 * at 171 and 173 pages/s. From 4 MB to 2 (10,000 URLs, 6 rounds each, with the later code: the
 * local store, --no-parallel-scavenge): one process peaked at 236-247 MB (median 240.5)
 * against 245-253 (248), the fetch process of fetch x1 + store at 234-242 against 239-241
 * (3 rounds), at the same pages/s and CPU per page within the rounds' spread (8.3 CPU ms per
 * page, the mean of either). The extraction threads keep their own nursery
 * (workers/extraction-pool.ts).
 */
export const SEMI_SPACE_MB = { default: 16, extracting: 2 };

/** The worker roles whose event loop hands pages to extraction threads (the default role is all). */
const EXTRACTING_ROLES = new Set(['fetch', 'all']);

/**
 * V8 option of the commands that extract (roles fetch and all, and crawl): each isolate (the
 * event loop and every extraction thread) scavenges its nursery on its own thread instead of
 * splitting each scavenge into tasks for V8's helper threads. Those commands already keep every
 * core busy (EXTRACT_THREADS is one thread per core, beside the event loop), so a parallel
 * scavenge has no idle core to gain from, and each of its tasks copies into allocation buffers
 * of its own (the likely source of the memory it held). Measured on bench:pipeline, 10,000
 * URLs on 2 cores, against the same code without it in the same runs (6 interleaved rounds,
 * with the 4 MB semi-space of then): one process (--role all) peaked at 244-251 MB (median 245)
 * against 248-258 (255), the fetch process of fetch x1 + store at 235-246 against 238-245, at
 * the same pages/s and CPU per page within the rounds' spread (179.5 and 184.0 pages/s against
 * 178.1 and 185.7). Turning off concurrent and parallel marking as well
 * (--single-threaded-gc) saved about 0.5 CPU ms per page in single runs but let each thread's
 * heap grow by 10-15 MB (a 288-310 MB peak): not taken.
 */
export const EXTRACTING_GC_OPTIONS = ['--no-parallel-scavenge'];

/** A parallel-scavenge option the user gave (either way): theirs, the bin adds none. */
const PARALLEL_SCAVENGE_OPTION = /^--(?:no[-_])?parallel[-_]scavenge(?:=|$)/;

/**
 * The semi-space of a bounded command, MB ({@link SEMI_SPACE_MB}).
 *
 * @param {string} command
 * @param {readonly string[]} args
 * @returns {number}
 */
function semiSpaceMb(command, args) {
  return extracts(command, args) ? SEMI_SPACE_MB.extracting : SEMI_SPACE_MB.default;
}

/**
 * Whether the command hands pages to extraction threads: crawl, and a worker of an extracting role.
 *
 * @param {string} command
 * @param {readonly string[]} args
 * @returns {boolean}
 */
function extracts(command, args) {
  return command === 'crawl' || (command === 'worker' && EXTRACTING_ROLES.has(roleOf(args)));
}

/**
 * The `--role` of a worker's arguments (`--role fetch` or `--role=fetch`); `all`, the
 * command's default, when absent.
 *
 * @param {readonly string[]} args
 * @returns {string}
 */
function roleOf(args) {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--role') return args[i + 1] ?? 'all';
    if (args[i]?.startsWith('--role=')) return args[i].slice('--role='.length);
  }
  return 'all';
}

/**
 * Node options that set each limit: one the user set is theirs, and the bin leaves that one
 * (`--max-heap-size` bounds the whole heap, so it is both). Each is decided alone: V8 derives
 * the nursery from the old-space limit when no semi-space is given, and for that it picks a
 * large one (a 64 MB semi-space beside `--max-old-space-size=160`: a 200 MB young generation),
 * so a user who raises the old space for large sitemaps still gets the bin's semi-space.
 */
const OLD_SPACE_OPTION = /--max-old-space-size|--max_old_space_size|--max-heap-size|--max_heap_size/;
const SEMI_SPACE_OPTION = /--max-semi-space-size|--max_semi_space_size|--max-heap-size|--max_heap_size/;

/**
 * The command of the arguments when it is one of the bounded ones ({@link OLD_SPACE_MB}), else
 * null: the first argument that is not an option.
 *
 * @param {readonly string[]} args
 * @returns {keyof typeof OLD_SPACE_MB | null}
 */
function boundedCommand(args) {
  const command = args.find((arg) => !arg.startsWith('-'));
  return command !== undefined && Object.hasOwn(OLD_SPACE_MB, command) ? /** @type {keyof typeof OLD_SPACE_MB} */ (command) : null;
}

/**
 * The Node options to re-execute with, or null to run as is: for a bounded command, each heap
 * limit the user set neither on the command line (execArgv) nor in NODE_OPTIONS.
 *
 * @param {readonly string[]} args the command's arguments (process.argv after the script)
 * @param {readonly string[]} execArgv process.execArgv
 * @param {string | undefined} nodeOptions process.env.NODE_OPTIONS
 * @returns {string[] | null}
 */
export function heapLimitOptions(args, execArgv, nodeOptions) {
  const command = boundedCommand(args);
  if (command === null) return null;
  const userSet = (/** @type {RegExp} */ option) => execArgv.some((given) => option.test(given)) || option.test(nodeOptions ?? '');
  const options = [
    ...(userSet(OLD_SPACE_OPTION) ? [] : [`--max-old-space-size=${OLD_SPACE_MB[command]}`]),
    ...(userSet(SEMI_SPACE_OPTION) ? [] : [`--max-semi-space-size=${semiSpaceMb(command, args)}`]),
  ];
  return options.length === 0 ? null : options;
}

/**
 * glibc's threshold above which an allocation gets pages of its own (mmap), returned to the
 * system when freed, bytes: its 128 KiB default, held fixed. Left alone, glibc raises it after
 * each such block is freed (up to 32 MB), so fetched pages (hundreds of KB each, read on the
 * event loop, freed in an extraction thread) end up carved from the heap, which fragments and
 * holds the memory: a fetch process grew from 419 MB at 2,000 pages to 574 MB at 50,000, and
 * with the threshold fixed peaked 65 MB lower at 4,000 pages (450 → 386 MB).
 */
export const MALLOC_MMAP_THRESHOLD_BYTES = 128 * 1024;

/**
 * How many malloc arenas glibc may keep. Its default is 8 per core, and every thread that
 * allocates (the extraction threads, libuv's pool, V8's helpers, SQLite) soon has one of its
 * own, each holding the memory freed in it. Two arenas are the common setting for multi-threaded
 * servers: measured on bench:pipeline at 3,000 URLs on 2 cores (2 rounds, same hour), a fetch
 * process peaked at 227-230 MB against 235-237 and one process (--role all) at 240-243 against
 * 244-248, at the same pages/s within noise. The default grows with the cores, so does the gain.
 */
export const MALLOC_ARENA_COUNT = 2;

/** glibc's tunables the bin sets unless the user did (read at start-up; other C libraries ignore them). */
const MALLOC_ENVIRONMENT = {
  MALLOC_MMAP_THRESHOLD_: String(MALLOC_MMAP_THRESHOLD_BYTES),
  MALLOC_ARENA_MAX: String(MALLOC_ARENA_COUNT),
};

/**
 * The garbage-collection options to re-execute with ({@link EXTRACTING_GC_OPTIONS}) for a
 * command that extracts, unless the user chose parallel scavenging either way. V8 does not take
 * this option from NODE_OPTIONS, so only the command line (execArgv) can hold the user's.
 *
 * @param {readonly string[]} args the command's arguments (process.argv after the script)
 * @param {readonly string[]} execArgv process.execArgv
 * @returns {string[]}
 */
export function gcOptions(args, execArgv) {
  const command = boundedCommand(args);
  if (command === null || !extracts(command, args)) return [];
  return execArgv.some((given) => PARALLEL_SCAVENGE_OPTION.test(given)) ? [] : EXTRACTING_GC_OPTIONS;
}

/**
 * Whether the user (or an earlier re-execution) set every one of the malloc tunables.
 *
 * @param {NodeJS.ProcessEnv} env
 * @returns {boolean}
 */
function mallocTunablesSet(env) {
  return Object.keys(MALLOC_ENVIRONMENT).every((name) => env[name] !== undefined);
}

/**
 * The environment of the re-executed command: the user's, with glibc's mmap threshold fixed
 * ({@link MALLOC_MMAP_THRESHOLD_BYTES}) and its arenas capped ({@link MALLOC_ARENA_COUNT}),
 * each unless the user set it.
 *
 * @param {NodeJS.ProcessEnv} env process.env
 * @returns {NodeJS.ProcessEnv}
 */
export function boundedEnvironment(env) {
  const added = Object.fromEntries(Object.entries(MALLOC_ENVIRONMENT).filter(([name]) => env[name] === undefined));
  return Object.keys(added).length === 0 ? env : { ...env, ...added };
}

/**
 * How the bin re-executes a command, or null to run it as is: the V8 options to add (each heap
 * limit the user did not set, {@link heapLimitOptions}, and for a command that extracts the
 * garbage-collection option, {@link gcOptions}) and the environment, with glibc's malloc
 * tunables set. A bounded command whose heap limits the user chose still re-executes once for
 * the tunables, unless those are set too: without the mmap threshold, a fetch process given the
 * bin's own limits as node flags peaked at 270 MB instead of 224 (bench:pipeline, 3,000 URLs);
 * with the threshold, limits set in NODE_OPTIONS peak at 218. The re-executed process finds all
 * of them set and runs as is, so the bin never re-executes twice.
 *
 * @param {readonly string[]} args the command's arguments (process.argv after the script)
 * @param {readonly string[]} execArgv process.execArgv
 * @param {NodeJS.ProcessEnv} env process.env
 * @returns {{ options: string[], env: NodeJS.ProcessEnv } | null}
 */
export function reexecution(args, execArgv, env) {
  if (boundedCommand(args) === null) return null;
  const options = [...(heapLimitOptions(args, execArgv, env.NODE_OPTIONS) ?? []), ...gcOptions(args, execArgv)];
  if (options.length === 0 && mallocTunablesSet(env)) return null;
  return { options, env: boundedEnvironment(env) };
}
