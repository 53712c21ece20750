/**
 * Step 3 of date finding: the page's URL, whose path often carries the day (/2019/03/04/…).
 */
import { attributeOf, textOf } from '../page/dom.ts';
import type { PageIndex } from '../page/page-index.ts';

/** Less visible text than this: an interstitial (a redirect, a bot check), not an article. */
const STUB_TEXT_CHARS = 500;

/** Where a script sends the reader: location.href = "…", location.replace("…"). */
const SCRIPT_REDIRECT = /location(?:\.href)?\s*=\s*(["'])(https?:\/\/[^"']+)\1|location\.(?:replace|assign)\(\s*(["'])(https?:\/\/[^"']+)\3/;

/** The target of <meta http-equiv="refresh" content="0; url=…">. */
const REFRESH_TARGET = /url\s*=\s*['"]?([^'"\s]+)/i;

/**
 * Where an interstitial page (little visible text) sends the reader: the article's own URL,
 * whose date the stub stands for. Null on a real page, whose scripts redirect to anything.
 */
function redirectTarget(index: PageIndex): string | null {
  const textChars = index.lines.reduce((n, l) => n + l.text.length, 0);
  if (textChars >= STUB_TEXT_CHARS) return null;
  const refresh = attributeOf(index.refresh, 'content');
  const fromMeta = refresh ? REFRESH_TARGET.exec(refresh)?.[1] : undefined;
  if (fromMeta) return fromMeta;
  for (const el of index.inlineScripts) {
    const m = SCRIPT_REDIRECT.exec(textOf(el));
    if (m) return m[2] ?? m[4] ?? null;
  }
  return null;
}

/** The page's URL: the one given, else its canonical URL, else where a redirect stub points. */
export function pageUrl(index: PageIndex, given: string | null | undefined): string | null {
  if (given) return given;
  return attributeOf(index.canonical, 'href') ?? attributeOf(index.ogUrl, 'content') ?? redirectTarget(index);
}
