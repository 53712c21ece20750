/**
 * The browse page, server-rendered: `/` searches (a GET form, so `/?q=term` is a plain link),
 * `/articles/:id` shows one article with its versions, `/status` shows throughput, failures and
 * the chart of articles per day. A little script only adds conveniences (the "/" key focuses
 * the search box; changing a filter submits the form).
 */
import { Hono, type Context } from 'hono';
import { etag } from 'hono/etag';
import { readDatabaseStatus, readQueueCounts, JOB_STATES } from '../../queue/status-report.ts';
import {
  countArticlesPerDay,
  getArticle,
  listArticles,
  listSiteSummaries,
  searchArticles,
  type ArticleRecord,
  type ListPosition,
  type SearchPosition,
} from '../../store/article-listing.ts';
import { readArticleVersions } from '../../store/public-view-reads.ts';
import { ApiError } from '../api-error.ts';
import { decodeCursor, encodeCursor, filterFingerprint } from '../cursor.ts';
import { escapeHtml, markedToHtml } from '../html/escape.ts';
import { renderDailyChart } from '../html/daily-chart.ts';
import { renderLayout, textDirection } from '../html/layout.ts';
import { timeElement } from '../html/publisher-date.ts';
import { renderVersionDiff } from '../html/version-diff.ts';
import { parseArticleFilters, rawParamsOf, singleValues } from '../request-params.ts';
import type { ServeDeps } from '../serve-deps.ts';
import { asSearchError, isListPosition, isSearchPosition, nextLink, parseArticleId } from './api-routes.ts';

const PAGE_PARAMS = ['q', 'site', 'language', 'since', 'until', 'cursor'];
/** Results on one browse page. */
const RESULTS_PER_PAGE = 20;
/** Days the status chart covers, ending on the newest day in the database. */
const CHART_DAYS = 30;
/** Characters of text shown for a result when there is no search snippet. */
const LEAD_CHARS = 240;

const PAGE_SCRIPT = `
document.addEventListener('keydown', (e) => {
  if (e.key === '/' && !/^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement.tagName)) { e.preventDefault(); document.getElementById('q')?.focus(); }
});
document.querySelectorAll('form.search select').forEach((s) => s.addEventListener('change', () => s.form.requestSubmit()));
`;

function html(c: Context, body: string, status: 200 | 400 | 404 = 200) {
  return c.html(body, status);
}

function option(value: string, label: string, selected: string | undefined): string {
  return `<option value="${escapeHtml(value)}"${value === (selected ?? '') ? ' selected' : ''}>${escapeHtml(label)}</option>`;
}

function searchForm(values: Record<string, string | undefined>, sites: string[], languages: string[]): string {
  return `<form class="search" method="get" action="/" role="search">
<div class="q"><label for="q">Search articles</label>
<input id="q" name="q" type="search" value="${escapeHtml(values['q'] ?? '')}" placeholder='words, "a phrase", OR, NOT, prefix*' aria-describedby="q-hint">
<span id="q-hint" class="hint">Full text of titles and bodies, best matches first. Press / to come back here.</span></div>
<div><label for="site">Site</label><select id="site" name="site">${option('', 'All sites', values['site'])}${sites.map((s) => option(s, s, values['site'])).join('')}</select></div>
<div><label for="language">Language</label><select id="language" name="language">${option('', 'Any language', values['language'])}${languages.map((l) => option(l, l, values['language'])).join('')}</select></div>
<div><label for="since">Published from</label><input id="since" name="since" type="date" value="${escapeHtml(values['since'] ?? '')}"></div>
<div><label for="until">Published until</label><input id="until" name="until" type="date" value="${escapeHtml(values['until'] ?? '')}"></div>
<div><button type="submit">Search</button></div>
</form>`;
}

function lead(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > LEAD_CHARS ? `${flat.slice(0, LEAD_CHARS).trimEnd()}…` : flat;
}

function resultItem(article: ArticleRecord, titleHtml: string, snippetHtml: string): string {
  return `<li><article ${textDirection(article.language)}>
<h2><a href="/articles/${article.id}">${titleHtml || escapeHtml(article.url ?? `Article ${article.id}`)}</a></h2>
<p class="snippet">${snippetHtml}</p>
<p class="meta" dir="ltr">${escapeHtml(article.site ?? '')} · ${timeElement(article.publishedAt)}${article.storyCode ? ` · story ${escapeHtml(article.storyCode)}` : ''}</p>
</article></li>`;
}

function siteAndLanguageChoices(deps: ServeDeps): { sites: string[]; languages: string[] } {
  const summaries = listSiteSummaries(deps.db).filter((s) => s.articles > 0);
  return { sites: summaries.map((s) => s.site), languages: [...new Set(summaries.flatMap((s) => s.languages))].sort() };
}

function searchPage(c: Context, deps: ServeDeps): Response {
  let values: Record<string, string | undefined> = {};
  const choices = siteAndLanguageChoices(deps);
  try {
    values = singleValues(rawParamsOf(new URL(c.req.url)), PAGE_PARAMS);
    const filters = parseArticleFilters(values);
    const query = filters.search;
    let items: string[];
    let next: string | null = null;
    let heading: string;
    if (query) {
      const { search: _q, ...rest } = filters;
      const fingerprint = filterFingerprint({ ...rest, query, page: true });
      const after: SearchPosition | null = values['cursor']
        ? (([score, id]) => ({ score, id }))(decodeCursor(values['cursor'], fingerprint, isSearchPosition))
        : null;
      let page;
      try {
        page = searchArticles(deps.db, query, rest, after, RESULTS_PER_PAGE);
      } catch (error) {
        asSearchError(error);
      }
      items = page.hits.map((hit) => resultItem(hit.article, markedToHtml(hit.titleMarked), markedToHtml(hit.snippetMarked)));
      if (page.next) next = nextLink(c, encodeCursor([page.next.score, page.next.id], fingerprint));
      heading = `Best matches for “${escapeHtml(query)}”`;
    } else {
      const fingerprint = filterFingerprint({ ...filters, page: true });
      const after: ListPosition | null = values['cursor']
        ? (([publishedAtUtc, id]) => ({ publishedAtUtc, id }))(decodeCursor(values['cursor'], fingerprint, isListPosition))
        : null;
      const page = listArticles(deps.db, filters, after, RESULTS_PER_PAGE);
      items = page.items.map((article) => resultItem(article, escapeHtml(article.title ?? ''), escapeHtml(lead(article.text))));
      if (page.next) next = nextLink(c, encodeCursor([page.next.publishedAtUtc, page.next.id], fingerprint));
      heading = 'Newest articles';
    }
    const body = `<h1>Articles</h1>
${searchForm(values, choices.sites, choices.languages)}
<section aria-labelledby="results-heading" id="results">
<h2 id="results-heading">${heading}</h2>
${items.length ? `<ol class="results">${items.join('\n')}</ol>` : '<p>No articles match.</p>'}
${next ? `<p class="pager"><a href="${escapeHtml(next)}" rel="next">Next page</a></p>` : ''}
</section>`;
    return html(c, renderLayout({ title: query ? `Search: ${query}` : 'Articles', section: 'search', body, script: PAGE_SCRIPT }));
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 400) throw error;
    const body = `<h1>Articles</h1>
<p class="error" role="alert">${escapeHtml(error.message)}</p>
${searchForm(values, choices.sites, choices.languages)}`;
    return html(c, renderLayout({ title: 'Search', section: 'search', body, script: PAGE_SCRIPT }), 400);
  }
}

function paragraphs(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${escapeHtml(p)}</p>`)
    .join('\n');
}

function fact(name: string, value: string | null | undefined, raw = false): string {
  if (value === null || value === undefined || value === '') return '';
  return `<dt>${name}</dt><dd>${raw ? value : escapeHtml(value)}</dd>`;
}

function articlePage(c: Context, deps: ServeDeps): Response {
  let id: number;
  try {
    id = parseArticleId(c.req.param('id') ?? '');
  } catch (error) {
    const message = (error as Error).message;
    return html(c, renderLayout({ title: 'Bad article id', section: 'article', body: `<h1>Bad article id</h1><p class="error" role="alert">${escapeHtml(message)}</p>` }), 400);
  }
  const article = getArticle(deps.db, id);
  if (!article) {
    return html(c, renderLayout({ title: 'Not found', section: 'article', body: `<h1>Not found</h1><p>No article with id ${id}. <a href="/">Search</a></p>` }), 404);
  }
  const versions = readArticleVersions(deps.db, id);
  const link = (url: string | null) => (url ? `<a href="${escapeHtml(url)}" rel="noreferrer">${escapeHtml(url)}</a>` : null);
  const versionSection =
    versions === null
      ? ''
      : `<section aria-labelledby="versions-heading"><h2 id="versions-heading">Versions</h2>
${versions.length === 0 ? '<p>No versions recorded.</p>' : `<ol class="versions">${versions
          .map((version, i) => {
            const previous = versions[i - 1];
            const changes = previous
              ? `<details><summary>Changes from version ${previous.version}</summary><div ${textDirection(article.language)}>${renderVersionDiff(
                  `${previous.title ?? ''}\n\n${previous.text}`,
                  `${version.title ?? ''}\n\n${version.text}`,
                )}</div></details>`
              : '';
            return `<li>Version ${version.version}, fetched ${timeElement(version.fetchedAt)}, ${version.wordCount} words${version.suspicious ? ` — <strong>not applied</strong>: ${escapeHtml(version.note ?? 'suspicious')}` : ''}${changes}</li>`;
          })
          .join('\n')}</ol>`}
</section>`;
  const body = `<article ${textDirection(article.language)} id="article">
<h1>${escapeHtml(article.title ?? article.url ?? `Article ${article.id}`)}</h1>
${article.description ? `<p class="lead"><em>${escapeHtml(article.description)}</em></p>` : ''}
<div class="text">${paragraphs(article.text)}</div>
</article>
<section aria-labelledby="facts-heading"><h2 id="facts-heading">About this article</h2>
<dl class="facts" dir="ltr">
${fact('Site', article.site)}
${fact('Published', timeElement(article.publishedAt), true)}
${fact('Published (UTC)', article.publishedAtUtc)}
${fact('As printed', article.publishedAtRaw)}
${fact('Modified', article.modifiedAt ? timeElement(article.modifiedAt) : null, true)}
${fact('Story code', article.storyCode)}
${fact('Authors', article.authors.join(', '))}
${fact('Credit', article.credit)}
${fact('Language', article.language)}
${fact('Words', String(article.wordCount))}
${fact('Address', link(article.url), true)}
${article.canonicalUrl !== article.url ? fact('Canonical address', link(article.canonicalUrl), true) : ''}
${fact('Retrieved', article.retrievedAt)}
${fact('Stored', article.storedAt)}
${fact('Extractor', article.extractor)}
${fact('JSON', `<a href="/api/articles/${article.id}">/api/articles/${article.id}</a>`, true)}
</dl></section>
${versionSection}`;
  return html(c, renderLayout({ title: article.title ?? `Article ${article.id}`, section: 'article', body }));
}

async function statusPage(c: Context, deps: ServeDeps): Promise<Response> {
  singleValues(rawParamsOf(new URL(c.req.url)), []);
  const now = deps.now?.() ?? new Date();
  const database = readDatabaseStatus(deps.db, deps.databasePath, now)!;
  let queues: Record<string, Record<string, number>> | null = null;
  try {
    queues = await readQueueCounts(deps.queues);
  } catch (error) {
    deps.logger.warn('status page: queues unreadable', { message: (error as Error).message });
  }
  const rows = (cells: string[][]) => cells.map((r) => `<tr>${r.map((cell, i) => (i === 0 ? `<th scope="row">${cell}</th>` : `<td class="n">${cell}</td>`)).join('')}</tr>`).join('');
  const queueTable = queues
    ? `<table><thead><tr><th scope="col">Queue</th>${JOB_STATES.map((s) => `<th scope="col">${s}</th>`).join('')}</tr></thead><tbody>${rows(
        Object.entries(queues).map(([name, counts]) => [escapeHtml(name), ...JOB_STATES.map((s) => String(counts[s] ?? 0))]),
      )}</tbody></table>`
    : '<p class="error" role="alert">Redis is unreachable: queue counts are unknown.</p>';
  const body = `<h1>Status</h1>
<section aria-labelledby="throughput-heading"><h2 id="throughput-heading">Throughput</h2>
<p>${database.articles} articles from ${database.sites} sites. URLs: ${Object.entries(database.urlsByStatus).map(([s, n]) => `${escapeHtml(s)} ${n}`).join(', ') || 'none yet'}.</p>
<table><thead><tr><th scope="col">Window</th><th scope="col">URLs finished per minute</th><th scope="col">Articles stored per minute</th></tr></thead>
<tbody>${rows(database.throughput.map((w) => [`last ${w.windowMinutes} min`, String(w.urlsPerMinute), String(w.storedPerMinute)]))}</tbody></table>
</section>
<section aria-labelledby="queues-heading"><h2 id="queues-heading">Queues</h2>${queueTable}<p><a href="/queues">Queue dashboard</a></p></section>
<section aria-labelledby="failures-heading"><h2 id="failures-heading">Failures by reason</h2>
${database.failuresByReason.length ? `<table><thead><tr><th scope="col">Reason</th><th scope="col">URLs</th></tr></thead><tbody>${rows(database.failuresByReason.map((f) => [escapeHtml(f.reason), String(f.count)]))}</tbody></table>` : '<p>No failures.</p>'}
</section>
<section aria-labelledby="chart-heading"><h2 id="chart-heading">Articles per day</h2>
${renderDailyChart(countArticlesPerDay(deps.db, CHART_DAYS))}
</section>`;
  return html(c, renderLayout({ title: 'Status', section: 'status', body }));
}

export function pageRoutes(deps: ServeDeps): Hono {
  const pages = new Hono();
  pages.use('/', etag({ weak: true }));
  pages.get('/', (c) => searchPage(c, deps));
  pages.get('/articles/:id', (c) => articlePage(c, deps));
  pages.get('/status', (c) => statusPage(c, deps));
  return pages;
}
