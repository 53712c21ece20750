/**
 * The `ingest` command: resolves the subcommand (each in its own file, loaded lazily), checks
 * its flags strictly (strict-args.ts), prints usage for --help and the version for --version,
 * and maps errors to exit codes: 0 success, 1 failure, 2 usage error.
 */
import { defineCommand, renderUsage, runCommand, type ArgsDef, type CommandDef } from 'citty';
import { EXIT_FAILURE, EXIT_SUCCESS, EXIT_USAGE } from '../errors.ts';
import { packageVersion, terminalColours } from './runtime.ts';
import { checkArgs, nearest } from './strict-args.ts';
import { forStream } from './terminal.ts';

const SUBCOMMANDS: Record<string, () => Promise<CommandDef<any>>> = {
  extract: () => import('./extract.ts').then((m) => m.default),
  enqueue: () => import('./enqueue.ts').then((m) => m.default),
  crawl: () => import('./crawl.ts').then((m) => m.default),
  fetch: () => import('./fetch.ts').then((m) => m.default),
  worker: () => import('./worker.ts').then((m) => m.default),
  query: () => import('./query.ts').then((m) => m.default),
  export: () => import('./export.ts').then((m) => m.default),
  failed: () => import('./failed.ts').then((m) => m.default),
  retry: () => import('./retry.ts').then((m) => m.default),
  import: () => import('./import.ts').then((m) => m.default),
  status: () => import('./status.ts').then((m) => m.default),
  serve: () => import('./serve.ts').then((m) => m.default),
  source: () => import('./source.ts').then((m) => m.default),
  recrawl: () => import('./recrawl.ts').then((m) => m.default),
  show: () => import('./show.ts').then((m) => m.default),
};

export const ingest = defineCommand({
  meta: {
    name: 'ingest',
    description: 'Fetch news pages politely, extract clean dated articles, store them in SQLite.',
  },
  subCommands: SUBCOMMANDS,
});

export async function main(argv: readonly string[]): Promise<number> {
  // In-process callers (tests) run several commands in one process: each starts clean.
  process.exitCode = undefined;
  const colours = terminalColours();
  const out = (text: string) => process.stdout.write(forStream(text, colours.stdout));
  const err = (text: string) => process.stderr.write(forStream(text, colours.stderr));
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v' || name === 'version') {
    out(`${packageVersion()}\n`);
    return EXIT_SUCCESS;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    out(`${await renderUsage(ingest)}\n`);
    return name === undefined ? EXIT_USAGE : EXIT_SUCCESS;
  }
  const load = SUBCOMMANDS[name];
  if (!load) {
    const suggestion = nearest(name, Object.keys(SUBCOMMANDS));
    const hint = suggestion ? ` (did you mean ${suggestion}?)` : '';
    err(`ingest: unknown command ${JSON.stringify(name)}${hint}\n\n${await renderUsage(ingest)}\n`);
    return EXIT_USAGE;
  }
  const command = await load();
  // A command with subcommands of its own (`source add`): flags and help are the leaf's.
  const { leaf, parent, leafArgs } = await resolveSubcommand(command, rest);
  if (rest.includes('--help') || rest.includes('-h')) {
    out(`${await renderUsage(leaf, parent)}\n`);
    return EXIT_SUCCESS;
  }
  try {
    checkArgs(leafArgs, ((await leaf.args) ?? {}) as ArgsDef);
    await runCommand(command, { rawArgs: [...rest] });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_SUCCESS;
  } catch (error) {
    const exitCode = exitCodeOf(error);
    err(`ingest ${name}: ${(error as Error).message ?? String(error)}\n`);
    if (exitCode === EXIT_USAGE) err(`Run \`ingest ${name} --help\` for its flags.\n`);
    return exitCode;
  } finally {
    // The command's own exit code has been read; the process exit code is the caller's business.
    process.exitCode = undefined;
  }
}

/**
 * Follows the leading positional arguments down a command's own subcommands (`source list`):
 * the leaf command, its parent (for usage) and the arguments left for the leaf. An unknown
 * subcommand stops the descent; citty then reports it.
 */
async function resolveSubcommand(
  command: CommandDef<any>,
  args: readonly string[],
): Promise<{ leaf: CommandDef<any>; parent: CommandDef<any>; leafArgs: readonly string[] }> {
  let leaf = command;
  let parent: CommandDef<any> = ingest;
  let leafArgs = args;
  for (;;) {
    const subCommands = (await leaf.subCommands) as Record<string, CommandDef<any> | (() => Promise<CommandDef<any>>)> | undefined;
    const next = leafArgs[0];
    const sub = subCommands && next !== undefined ? subCommands[next] : undefined;
    if (!sub) return { leaf, parent, leafArgs };
    parent = leaf;
    leaf = typeof sub === 'function' ? await sub() : sub;
    leafArgs = leafArgs.slice(1);
  }
}

function exitCodeOf(error: unknown): number {
  if (error && typeof error === 'object') {
    if ('exitCode' in error && typeof error.exitCode === 'number') return error.exitCode;
    // citty's own argument errors (missing or invalid value) are usage errors.
    if ((error as Error).name === 'CLIError') return EXIT_USAGE;
  }
  return EXIT_FAILURE;
}
