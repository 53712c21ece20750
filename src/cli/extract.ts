import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { defineCommand } from 'citty';
import { CommandFailedError, UsageError } from '../errors.ts';
import { extractArticle, type ExtractionResult, type SiteProfile } from '../extract/index.ts';
import { decodeHtml } from '../fetch/charset.ts';
import { looksLikeTextDump, parseTextDump } from '../import/text-dump.ts';
import { loadConfig, loadSiteProfiles } from './runtime.ts';

export default defineCommand({
  meta: {
    name: 'extract',
    description:
      'Extract articles from saved HTML pages or plain-text dumps, with no queue and no Redis. Prints the article as JSON (one file) or a JSON array; ndjson prints one article per line.',
  },
  args: {
    files: { type: 'positional', required: false, description: 'Saved HTML pages or text dumps' },
    url: { type: 'string', description: 'The address the page came from (site, profile, relative links)' },
    format: { type: 'enum', options: ['json', 'ndjson'], default: 'json', description: 'Output format' },
  },
  run({ args }) {
    const files = args._;
    if (files.length === 0) throw new UsageError('no files given');
    if (args.url !== undefined && files.length > 1) throw new UsageError('--url applies to one file; give one file with it');
    const config = loadConfig();
    const profiles = loadSiteProfiles(config);
    const now = new Date();
    const results = files.map((file) => ({ file, ...extractFile(file, args.url ?? null, profiles, now) }));
    const records = results.map(({ file, article, reason }) => ({ file: basename(file), ...article, ...(reason ? { reason } : {}) }));
    if (args.format === 'ndjson') {
      process.stdout.write(records.map((record) => `${JSON.stringify(record)}\n`).join(''));
    } else {
      process.stdout.write(`${JSON.stringify(records.length === 1 ? records[0] : records, null, 2)}\n`);
    }
    for (const { file, reason } of results) if (reason) process.stderr.write(`${file}: ${reason}\n`);
    if (results.every((result) => result.article.text === '')) process.exitCode = 1;
  },
});

/** A file is a text dump or an HTML page; HTML is decoded with its declared or sniffed charset. */
function extractFile(path: string, url: string | null, profiles: readonly SiteProfile[], now: Date): ExtractionResult {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new CommandFailedError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const { text } = decodeHtml(bytes, null);
  if (looksLikeTextDump(text)) return parseTextDump(text, { fileName: basename(path), profiles });
  return extractArticle(text, { url, profiles, now });
}
