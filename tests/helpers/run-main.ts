/**
 * Run the CLI in this process, through the same `main(argv)` the bin calls: no process start,
 * no tsx compile (the cost that made CLI tests slow). The environment is set for the run and
 * restored after; stdout and stderr are captured. Commands in one test file run one at a time.
 */
import { Readable } from 'node:stream';
import { main } from '../../src/cli/main.ts';
import type { CliResult } from './run-cli.ts';

export interface RunMainOptions {
  /** Standard input for "-" arguments. */
  stdin?: string | Buffer;
}

export async function runMain(args: readonly string[], env: Record<string, string>, options: RunMainOptions = {}): Promise<CliResult> {
  const saved = new Map<string, string | undefined>();
  for (const [name, value] of Object.entries(env)) {
    saved.set(name, process.env[name]);
    process.env[name] = value;
  }
  let stdout = '';
  let stderr = '';
  const writeOut = process.stdout.write;
  const writeErr = process.stderr.write;
  const capture = (append: (text: string) => void) =>
    function (this: NodeJS.WriteStream, chunk: unknown, encodingOrCallback?: unknown, callback?: unknown): boolean {
      append(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      const done = typeof encodingOrCallback === 'function' ? encodingOrCallback : callback;
      if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
      return true;
    };
  process.stdout.write = capture((text) => (stdout += text)) as typeof process.stdout.write;
  process.stderr.write = capture((text) => (stderr += text)) as typeof process.stderr.write;
  const stdinDescriptor = Object.getOwnPropertyDescriptor(process, 'stdin');
  if (options.stdin !== undefined) {
    Object.defineProperty(process, 'stdin', { value: Readable.from([Buffer.from(options.stdin)]), configurable: true });
  }
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = writeOut;
    process.stderr.write = writeErr;
    if (stdinDescriptor) Object.defineProperty(process, 'stdin', stdinDescriptor);
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}
