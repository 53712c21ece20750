/**
 * Progress of long work (enqueue --file, import, export, crawl): on a TTY one status line
 * redrawn in place; otherwise a plain line now and then, so logs of a long job show it moving
 * without a flood. The final summary is always printed by the command itself.
 */

/** How often the TTY line is redrawn: smooth to the eye, negligible cost. */
const TTY_REDRAW_MS = 100;

/** How often a plain progress line is written when the output is not a terminal. */
export const PLAIN_PROGRESS_INTERVAL_MS = 10_000;

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface Progress {
  /** The current state; cheap to call on every item (throttled inside). */
  update(describe: () => string): void;
  /** Remove the TTY line (before the summary is printed). */
  clear(): void;
}

export function createProgress(stream: ProgressStream, now: () => number = Date.now): Progress {
  const tty = stream.isTTY === true;
  let last = now();
  let drawn = false;
  return {
    update(describe) {
      const at = now();
      if (at - last < (tty ? TTY_REDRAW_MS : PLAIN_PROGRESS_INTERVAL_MS)) return;
      last = at;
      if (tty) {
        stream.write(`\r\u001B[2K${describe()}`);
        drawn = true;
      } else {
        stream.write(`${describe()}\n`);
      }
    },
    clear() {
      if (drawn) stream.write('\r\u001B[2K');
      drawn = false;
    },
  };
}
