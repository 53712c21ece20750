/**
 * Article site servers in a separate process (site-server-process.ts): the measurement side of
 * timing tests, whose request arrival times must not depend on the test process's event loop.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { constants, setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('./site-server-process.ts', import.meta.url));

export interface RemoteSiteServers {
  origins: string[];
  /** Each host's requests in arrival order, with the server process's clock (ms since epoch). */
  requests(): Promise<Array<Array<{ path: string; at: number }>>>;
  close(): Promise<void>;
}

export async function startRemoteSiteServers(hosts: readonly string[]): Promise<RemoteSiteServers> {
  // Node runs the TypeScript entry itself (type stripping); no loader flags from the test runner.
  const child: ChildProcess = fork(ENTRY, hosts, { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  // On a loaded machine a process can wait a scheduling slice before it runs: where allowed
  // (root, or CAP_SYS_NICE), the server process goes first, so it stamps requests as they arrive.
  try {
    setPriority(child.pid!, constants.priority.PRIORITY_HIGHEST);
  } catch {
    // Not allowed for this user: the separate, idle process is the main defence.
  }
  const [ready] = (await once(child, 'message')) as [{ type: string; origins: string[] }];
  const ask = async <T>(type: string): Promise<T> => {
    const reply = new Promise<T>((resolve) => {
      const onMessage = (message: { type: string } & T) => {
        if (message.type !== type) return;
        child.off('message', onMessage);
        resolve(message);
      };
      child.on('message', onMessage);
    });
    child.send({ type });
    return reply;
  };
  return {
    origins: ready.origins,
    async requests() {
      return (await ask<{ requests: Array<Array<{ path: string; at: number }>> }>('requests')).requests;
    },
    async close() {
      if (child.exitCode !== null || !child.connected) return;
      const exited = once(child, 'exit');
      child.send({ type: 'close' });
      await exited;
    },
  };
}
