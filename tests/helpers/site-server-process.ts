/**
 * Child-process entry: article site servers on the hosts given as arguments, in a process of
 * their own, so the arrival time of each request is taken by an idle event loop and not shifted
 * by the test process's own work (polling SQLite, running workers). The parent asks for the
 * recorded requests over IPC. Runs with Node's own type stripping (no tsx).
 */
import { startArticleSiteServer, type ArticleSiteServer } from './article-site-server.ts';

const hosts = process.argv.slice(2);
const servers: ArticleSiteServer[] = await Promise.all(hosts.map((host) => startArticleSiteServer(host)));

process.on('message', async (message: { type: string }) => {
  if (message.type === 'requests') {
    process.send!({ type: 'requests', requests: servers.map((server) => server.requests) });
  } else if (message.type === 'close') {
    await Promise.all(servers.map((server) => server.close()));
    process.disconnect();
  }
});
process.send!({ type: 'ready', origins: servers.map((server) => server.origin) });
