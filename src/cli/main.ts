/**
 * The `ingest` command: resolves the subcommand (each in its own file, loaded lazily), prints
 * usage for --help, and maps errors to exit codes: 0 success, 1 failure, 2 usage error.
 */
import { defineCommand, renderUsage, runCommand, type CommandDef } from 'citty';
import { EXIT_FAILURE, EXIT_SUCCESS, EXIT_USAGE } from '../errors.ts';

const SUBCOMMANDS: Record<string, () => Promise<CommandDef<any>>> = {
  extract: () => import('./extract.ts').then((m) => m.default),
  enqueue: () => import('./enqueue.ts').then((m) => m.default),
  worker: () => import('./worker.ts').then((m) => m.default),
  query: () => import('./query.ts').then((m) => m.default),
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
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${await renderUsage(ingest)}\n`);
    return name === undefined ? EXIT_USAGE : EXIT_SUCCESS;
  }
  const load = SUBCOMMANDS[name];
  if (!load) {
    process.stderr.write(`ingest: unknown command ${JSON.stringify(name)}\n\n${await renderUsage(ingest)}\n`);
    return EXIT_USAGE;
  }
  const command = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${await renderUsage(command, ingest)}\n`);
    return EXIT_SUCCESS;
  }
  try {
    await runCommand(command, { rawArgs: [...rest] });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_SUCCESS;
  } catch (error) {
    const exitCode = exitCodeOf(error);
    process.stderr.write(`ingest ${name}: ${(error as Error).message ?? String(error)}\n`);
    if (exitCode === EXIT_USAGE) process.stderr.write(`\n${await renderUsage(command, ingest)}\n`);
    return exitCode;
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
