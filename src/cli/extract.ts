import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { defineCommand } from 'citty';
import { UsageError } from '../errors.ts';
import type { Article } from '../article/article.ts';
import { extractArticle, type SiteProfile } from '../extract/index.ts';
import { decodeHtml } from '../fetch/charset.ts';
import { looksLikeTextDump, parseTextDump } from '../import/text-dump.ts';
import { inputKind } from './input-kind.ts';
import { loadConfig, loadSiteProfiles, readStdinBytes } from './runtime.ts';

/** The name standard input goes by in records and messages. */
const STDIN_NAME = '-';

export default defineCommand({
  meta: {
    name: 'extract',
    description:
      'Extract articles from saved HTML pages or plain-text dumps ("-" reads standard input), with no queue and no Redis. Prints the article as JSON (one file) or a JSON array; ndjson prints one record per line. A file that cannot be extracted is reported as {file, error} (on stderr, or as a record in ndjson) and makes the exit code 1.',
  },
  args: {
    files: { type: 'positional', required: false, description: 'Saved HTML pages or text dumps; "-" for standard input' },
    url: { type: 'string', description: 'The address the page came from (site, profile, relative links)' },
    format: { type: 'enum', options: ['json', 'ndjson'], default: 'json', description: 'Output format' },
  },
  async run({ args }) {
    const files = args._;
    if (files.length === 0) throw new UsageError('no files given (use - for standard input)');
    if (args.url !== undefined && files.length > 1) throw new UsageError('--url applies to one file; give one file with it');
    if (files.filter((file) => file === STDIN_NAME).length > 1) throw new UsageError('standard input (-) can be read once');
    const config = loadConfig();
    const profiles = await loadSiteProfiles(config);
    const now = new Date();
    const articles: Array<{ file: string } & Article> = [];
    const failures: FileFailure[] = [];
    for (const file of files) {
      const bytes = file === STDIN_NAME ? await readStdinBytes() : readFileBytes(file);
      const outcome = 'error' in bytes ? bytes : extractBytes(displayName(file), bytes.bytes, args.url ?? null, profiles, now);
      const record = { file: displayName(file), ...outcome };
      if ('error' in record) {
        failures.push(record as FileFailure);
        if (args.format === 'ndjson') process.stdout.write(`${JSON.stringify(record)}\n`);
        else process.stderr.write(`${JSON.stringify(record)}\n`);
      } else {
        articles.push(record as { file: string } & Article);
        if (args.format === 'ndjson') process.stdout.write(`${JSON.stringify(record)}\n`);
      }
    }
    if (args.format === 'json' && (articles.length > 0 || failures.length === 0)) {
      process.stdout.write(`${JSON.stringify(files.length === 1 ? articles[0] : articles, null, 2)}\n`);
    }
    if (failures.length > 0) process.exitCode = 1;
  },
});

interface FileFailure {
  file: string;
  error: string;
}

function displayName(file: string): string {
  return file === STDIN_NAME ? STDIN_NAME : basename(file);
}

function readFileBytes(path: string): { bytes: Buffer } | { error: string } {
  try {
    return { bytes: readFileSync(path) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { error: `cannot read ${path}: ${code === 'EISDIR' ? 'it is a folder' : (code ?? (error as Error).message)}` };
  }
}

/** A file is a text dump or an HTML page; HTML is decoded with its declared or sniffed charset. */
function extractBytes(name: string, bytes: Buffer, url: string | null, profiles: readonly SiteProfile[], now: Date): Article | { error: string } {
  const kind = inputKind(bytes);
  if (kind === 'binary') return { error: 'a binary file, not an HTML page or a text dump' };
  if (kind === 'empty') return { error: 'empty' };
  const { text } = decodeHtml(bytes, null);
  const { article, reason } = kind === 'text' && looksLikeTextDump(text) ? parseTextDump(text, { fileName: name, profiles }) : extractArticle(text, { url, profiles, now });
  if (article.text.trim() === '') return { error: reason ?? 'no article text found' };
  return article;
}
