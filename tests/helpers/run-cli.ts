import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The CLI entry run from source (tsx), so tests exercise the same code the bin runs after build. */
const ENTRY = fileURLToPath(new URL('../../src/cli/entry.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The installed command, which runs the compiled dist/ (built by `npm ci`'s prepare step). */
const BIN = fileURLToPath(new URL('../../bin/ingest.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function spawnCli(args: readonly string[], env: Record<string, string>, cwd = ROOT): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
    cwd,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/**
 * The compiled command, as users run it: for measurements of the process itself (its memory),
 * which the tsx loader of spawnCli would inflate. Needs a current `npm run build`.
 */
export function spawnBin(args: readonly string[], env: Record<string, string>, cwd = ROOT): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Run a command to completion, optionally feeding standard input. */
export function runCli(args: readonly string[], env: Record<string, string>, stdin?: string): Promise<CliResult> {
  const child = spawnCli(args, env);
  return collect(child, stdin);
}

export function collect(child: ChildProcess, stdin?: string): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => (stdout += chunk));
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  child.stdin?.end(stdin ?? '');
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
