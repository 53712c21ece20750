import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { defineCommand } from 'citty';
import { closeDatabase, openDatabase } from '../../db/client.ts';
import { UsageError } from '../errors.ts';
import { looksLikeTextDump, parseTextDump } from '../import/text-dump.ts';
import type { Article } from '../article/article.ts';
import { inWriteTransaction, writeArticle } from '../store/article-store.ts';
import { inputKind } from './input-kind.ts';
import { createProgress } from './progress.ts';
import { loadConfig, loadSiteProfiles } from './runtime.ts';

/** Files `ingest import` reads from a folder: the dumps' own extension. */
const DUMP_FILE = /\.txt$/i;

/**
 * Articles written per transaction, as the store worker batches its jobs: a commit costs the
 * same for one row as for a hundred. A store worker writing meanwhile waits at most one batch.
 */
const IMPORT_BATCH = 100;

export default defineCommand({
  meta: {
    name: 'import',
    description:
      'Store plain-text article dumps (files, or folders of .txt files) in the database. Re-importing updates the same rows. HTML pages and binary files are refused (HTML goes through `ingest extract`).',
  },
  args: {
    paths: { type: 'positional', required: false, description: 'Dump files or folders' },
  },
  async run({ args }) {
    if (args._.length === 0) throw new UsageError('no files or folders given');
    const files = args._.flatMap(listDumpFiles);
    const config = loadConfig();
    const profiles = await loadSiteProfiles(config);
    const db = openDatabase(config.DATABASE_PATH);
    const counts = { inserted: 0, updated: 0, unchanged: 0, suspicious: 0, refused: 0 };
    const progress = createProgress(process.stderr);
    let batch: Article[] = [];
    const writeBatch = () => {
      if (batch.length === 0) return;
      const now = new Date();
      for (const { outcome } of inWriteTransaction(db, (statements) => batch.map((article) => writeArticle(statements, article, now)))) counts[outcome] += 1;
      batch = [];
    };
    try {
      files.forEach((file, index) => {
        progress.update(() => `importing: ${index} of ${files.length} files, ${counts.inserted} new, ${counts.refused} refused`);
        const dump = readDump(file);
        if ('refused' in dump) {
          counts.refused += 1;
          progress.clear();
          process.stderr.write(`${file}: not imported: ${dump.refused}\n`);
          return;
        }
        const { article, reason } = parseTextDump(dump.text, { fileName: basename(file), profiles });
        if (article.text === '') {
          counts.refused += 1;
          progress.clear();
          process.stderr.write(`${file}: not imported: ${reason ?? 'no text'}\n`);
          return;
        }
        batch.push(article);
        if (batch.length >= IMPORT_BATCH) writeBatch();
      });
      writeBatch();
    } finally {
      progress.clear();
      closeDatabase(db);
    }
    process.stdout.write(
      `imported ${counts.inserted} new, ${counts.updated} updated, ${counts.unchanged} unchanged, ${counts.refused} refused${counts.suspicious > 0 ? `, ${counts.suspicious} suspicious (far less text: the stored article was kept)` : ''}\n`,
    );
    if (counts.refused > 0) process.exitCode = 1;
  },
});

/** The dump's text, or why the file is not one. */
function readDump(file: string): { text: string } | { refused: string } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    return { refused: `cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
  }
  switch (inputKind(bytes)) {
    case 'binary':
      return { refused: 'a binary file, not a plain-text dump' };
    case 'empty':
      return { refused: 'empty' };
    case 'html':
      return { refused: 'an HTML page, not a plain-text dump: use `ingest extract FILE --url URL` for saved pages' };
    case 'text': {
      const text = bytes.toString('utf8');
      return looksLikeTextDump(text) ? { text } : { refused: 'not a plain-text dump (no text found)' };
    }
  }
}

function listDumpFiles(path: string): string[] {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    throw new UsageError(`no such file or folder: ${path}`);
  }
  if (!stats.isDirectory()) return [path];
  const found = walkFolder(path);
  if (found.length === 0) throw new UsageError(`no .txt files in the folder ${path}: import reads plain-text dumps named *.txt`);
  return found;
}

function walkFolder(path: string): string[] {
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const child = join(path, entry.name);
      if (entry.isDirectory()) return walkFolder(child);
      return DUMP_FILE.test(entry.name) ? [child] : [];
    });
}
