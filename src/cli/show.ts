import { existsSync } from 'node:fs';
import { defineCommand } from 'citty';
import { closeDatabase, openDatabase } from '../../db/client.ts';
import type { ArticleVersionRow } from '../../db/schema.ts';
import { CommandFailedError } from '../errors.ts';
import { findArticle } from '../store/article-lookup.ts';
import { articleFromRow } from '../store/article-store.ts';
import { listVersions } from '../store/article-versions.ts';
import { wordDiff } from '../store/word-diff.ts';
import { canonicalizeUrl } from '../url/canonicalize.ts';
import { loadConfig } from './runtime.ts';

export default defineCommand({
  meta: {
    name: 'show',
    description: 'Print one stored article; --versions adds its versions (oldest first) and, as text, a word diff between consecutive ones.',
  },
  args: {
    article: { type: 'positional', required: true, description: 'The article id, or a URL it was fetched from' },
    versions: { type: 'boolean', default: false, description: 'Include every version' },
    format: { type: 'enum', options: ['text', 'json'], default: 'text', description: 'Output format' },
  },
  run({ args }) {
    const config = loadConfig();
    if (!existsSync(config.DATABASE_PATH)) throw new CommandFailedError(`no database at ${config.DATABASE_PATH} (DATABASE_PATH)`);
    const db = openDatabase(config.DATABASE_PATH, { readonly: true });
    try {
      const row = findArticle(db, args.article, canonicalOrNull(args.article));
      if (!row) throw new CommandFailedError(`no stored article ${JSON.stringify(args.article)}`);
      const article = articleFromRow(row);
      const versions = listVersions(db, row.id);
      const current = [...versions].reverse().find((v) => !v.suspicious)?.version ?? null;
      if (args.format === 'json') {
        const out = { ...article, version: current, ...(args.versions ? { versions: versions.map(versionRecord) } : {}) };
        process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
        return;
      }
      process.stdout.write(renderText(article, current, args.versions ? versions : null));
    } finally {
      closeDatabase(db);
    }
  },
});

function canonicalOrNull(input: string): string | null {
  try {
    return canonicalizeUrl(input);
  } catch {
    return null;
  }
}

function versionRecord(v: ArticleVersionRow) {
  return {
    version: v.version,
    fetchedAt: v.fetchedAt,
    contentHash: v.contentHash,
    title: v.title,
    text: v.text,
    wordCount: v.wordCount,
    url: v.url,
    suspicious: v.suspicious,
    note: v.note,
  };
}

function renderText(article: ReturnType<typeof articleFromRow>, current: number | null, versions: ArticleVersionRow[] | null): string {
  const lines = [
    `id:          ${article.id}`,
    `title:       ${article.title ?? ''}`,
    `url:         ${article.url ?? ''}`,
    `site:        ${article.site ?? ''}`,
    `published:   ${article.publishedAt ?? ''}`,
    `story code:  ${article.storyCode ?? ''}`,
    `words:       ${article.wordCount}`,
    `version:     ${current ?? ''}`,
    `updated:     ${article.updatedAt}`,
    '',
    article.text,
    '',
  ];
  if (versions) {
    lines.push(`versions (${versions.length}):`);
    versions.forEach((v, index) => {
      lines.push(`  v${v.version}  ${v.fetchedAt}  ${v.wordCount} words  ${v.contentHash.slice(0, 12)}${v.suspicious ? `  suspicious: ${v.note ?? ''}` : ''}`);
      const previous = versions[index - 1];
      if (!previous) return;
      if ((previous.title ?? '') !== (v.title ?? '')) lines.push(`    title: [-${previous.title ?? ''}-]{+${v.title ?? ''}+}`);
      const diff = wordDiff(previous.text, v.text);
      if (diff.text !== '') lines.push(`    text (+${diff.added} -${diff.removed} words): ${diff.text}`);
    });
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
