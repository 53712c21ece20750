import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { defineCommand } from 'citty';
import { closeDatabase, openDatabase } from '../../db/client.ts';
import { UsageError } from '../errors.ts';
import { parseTextDump } from '../import/text-dump.ts';
import { upsertArticle } from '../store/article-store.ts';
import { loadConfig, loadSiteProfiles, readTextFile } from './runtime.ts';

/** Files `ingest import` reads from a folder: the dumps' own extension. */
const DUMP_FILE = /\.txt$/i;

export default defineCommand({
  meta: {
    name: 'import',
    description:
      'Store plain-text article dumps (files, or folders of .txt files) in the database. Re-importing updates the same rows.',
  },
  args: {
    paths: { type: 'positional', required: false, description: 'Dump files or folders' },
  },
  run({ args }) {
    if (args._.length === 0) throw new UsageError('no files or folders given');
    const files = args._.flatMap(listDumpFiles);
    const config = loadConfig();
    const profiles = loadSiteProfiles(config);
    const db = openDatabase(config.DATABASE_PATH);
    const counts = { inserted: 0, updated: 0, unchanged: 0, suspicious: 0, empty: 0 };
    try {
      for (const file of files) {
        const { article, reason } = parseTextDump(readTextFile(file), { fileName: basename(file), profiles });
        if (article.text === '') {
          counts.empty += 1;
          process.stderr.write(`${file}: not imported: ${reason ?? 'no text'}\n`);
          continue;
        }
        counts[upsertArticle(db, article, new Date()).outcome] += 1;
      }
    } finally {
      closeDatabase(db);
    }
    process.stdout.write(
      `imported ${counts.inserted} new, ${counts.updated} updated, ${counts.unchanged} unchanged, ${counts.empty} without text${counts.suspicious > 0 ? `, ${counts.suspicious} suspicious (far less text: the stored article was kept)` : ''}\n`,
    );
    if (counts.empty > 0) process.exitCode = 1;
  },
});

function listDumpFiles(path: string): string[] {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    throw new UsageError(`no such file or folder: ${path}`);
  }
  if (!stats.isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const child = join(path, entry.name);
      if (entry.isDirectory()) return listDumpFiles(child);
      return DUMP_FILE.test(entry.name) ? [child] : [];
    });
}
