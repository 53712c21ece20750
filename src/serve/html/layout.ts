/**
 * The frame of every browse page: skip link, navigation, one stylesheet. Colours meet WCAG AA
 * contrast (4.5:1 for text); focus is always visible; no script is needed to use anything.
 */
import { escapeHtml } from './escape.ts';

/** Languages written right to left among those the pipeline meets (BCP 47 primary subtags). */
const RIGHT_TO_LEFT_LANGUAGES = new Set(['ar', 'fa', 'he', 'ur', 'ps', 'ckb', 'yi', 'dv']);

/** `dir` and `lang` attributes for text in `language`: rtl for Persian or Arabic, else auto. */
export function textDirection(language: string | null | undefined): string {
  const primary = language?.toLowerCase().split('-')[0];
  if (!primary) return 'dir="auto"';
  return `lang="${escapeHtml(language!)}" dir="${RIGHT_TO_LEFT_LANGUAGES.has(primary) ? 'rtl' : 'auto'}"`;
}

const STYLES = `
:root { color-scheme: light; --ink: #1a1a1a; --muted: #4a4a4a; --line: #c8c8c8; --accent: #0b57a4; --mark: #ffe58a; --bad: #a40e26; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, "Noto Sans", "Noto Sans Arabic", sans-serif; color: var(--ink); background: #fff; }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, summary:focus-visible { outline: 3px solid #e8a200; outline-offset: 2px; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; z-index: 1; }
header { border-bottom: 1px solid var(--line); padding: .75rem 1rem; display: flex; gap: 1.5rem; align-items: baseline; flex-wrap: wrap; }
header .brand { font-weight: 700; color: var(--ink); text-decoration: none; }
header nav a { margin-inline-end: 1rem; }
header nav a[aria-current="page"] { font-weight: 700; text-decoration: none; color: var(--ink); }
main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
form.search { display: grid; grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr)); gap: .75rem; align-items: end; margin-bottom: 1rem; }
form.search .q { grid-column: 1 / -1; }
label { display: block; font-weight: 600; font-size: .9rem; }
input, select, button { font: inherit; padding: .4rem .5rem; border: 1px solid #767676; border-radius: 4px; width: 100%; background: #fff; color: var(--ink); }
button { background: var(--accent); color: #fff; border-color: var(--accent); cursor: pointer; }
.hint { color: var(--muted); font-size: .85rem; }
.error { color: var(--bad); border: 2px solid var(--bad); padding: .5rem .75rem; border-radius: 4px; }
ol.results { list-style: none; padding: 0; }
ol.results li { border-bottom: 1px solid var(--line); padding: .75rem 0; }
ol.results h2 { font-size: 1.1rem; margin: 0 0 .25rem; }
.meta { color: var(--muted); font-size: .9rem; }
mark { background: var(--mark); color: inherit; }
article .text p { margin: 0 0 1em; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; margin: .5rem 0 1rem; } th, td { border: 1px solid var(--line); padding: .25rem .6rem; text-align: start; }
td.n { text-align: end; font-variant-numeric: tabular-nums; }
ins { background: #d7f5dd; text-decoration: none; } del { background: #fbd9d9; }
.diff { white-space: pre-wrap; border: 1px solid var(--line); padding: .5rem; }
figure.chart svg { max-width: 100%; height: auto; }
.pager { margin: 1rem 0; }
`;

export type Section = 'search' | 'status' | 'article';

export function renderLayout(options: { title: string; section: Section; body: string; script?: string }): string {
  const current = (section: Section) => (options.section === section ? ' aria-current="page"' : '');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)} · ingest</title>
<link rel="alternate" type="application/atom+xml" title="Newest articles" href="/feed.atom">
<style>${STYLES}</style>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header>
<a class="brand" href="/">ingest</a>
<nav aria-label="Main">
<a href="/"${current('search')}>Search</a>
<a href="/status"${current('status')}>Status</a>
<a href="/queues">Queues</a>
<a href="/feed.atom">Atom feed</a>
</nav>
</header>
<main id="main">
${options.body}
</main>
${options.script ? `<script>${options.script}</script>` : ''}
</body>
</html>
`;
}
