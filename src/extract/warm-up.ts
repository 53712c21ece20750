/**
 * A warm-up for a process or thread that is about to extract many pages: a few runs of the
 * extractor over a small built-in page, before the first real one.
 *
 * Why: htmlparser2's tokenizer loop (`Tokenizer.parse`) deoptimized again and again at one
 * place, the call after the loop (`this.cleanup()`), for want of type feedback there: its
 * optimized code had been compiled before the loop had ever ended, most likely while the first
 * page was still being parsed (V8 compiles a long-running loop as it runs, on-stack
 * replacement), and in some runs that code was entered again page after page. On the 121
 * benchmark pages run 6 times in one thread: 314 deoptimizations there in one run, 2 in
 * another, and the run with them took 10.1 s against 5.8; in the extraction pool (2 threads,
 * 1,500 pages) 89 before the warm-up and 3 after it (`--trace-deopt`). Small pages parsed first
 * end the loop while it is still interpreted, so its compiled code has the feedback. The page
 * goes through every step of the extractor (metadata, JSON-LD, dates, cleaning, scoring,
 * paragraphs), so the other hot functions start with feedback from a whole page too.
 */
import { type ExtractOptions, extractArticle } from './index.ts';

/**
 * Runs of the warm-up page: one run already ends the tokenizer's loop in the interpreter; a few
 * more give the rest of the extractor feedback from more than one pass. Measured on one thread
 * of a 2-core machine: 65 ms for the first run (most of it compiling code the first real page
 * would compile anyway), 2-7 ms for each one after it.
 */
export const WARM_UP_RUNS = 5;

/** The warm-up page: an article with the parts real pages have, chrome, code and entities included. */
export const WARM_UP_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Harbour council approves new ferry timetable &amp; fares | Example News</title>
<meta property="og:title" content="Harbour council approves new ferry timetable">
<meta name="author" content="A. Writer">
<meta property="article:published_time" content="2024-03-05T09:30:00+01:00">
<link rel="canonical" href="https://warm-up.invalid/news/ferry-timetable-123">
<style>body { margin: 0 }</style>
<script>window.dataLayer = [{ page: "article" }];</script>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Harbour council approves new ferry timetable","datePublished":"2024-03-05T09:30:00+01:00","author":{"@type":"Person","name":"A. Writer"}}</script>
</head><body>
<!-- site header -->
<header class="site-header"><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav></header>
<main><article class="article-body">
<h1>Harbour council approves new ferry timetable</h1>
<div class="byline">By <a rel="author" href="/a-writer">A. Writer</a> · <time datetime="2024-03-05T09:30:00+01:00">5 March 2024</time></div>
<p>The harbour council voted on Tuesday evening to approve a new ferry timetable, which adds two early sailings on weekdays and keeps the late service on Fridays, after a consultation that drew more than four hundred replies.</p>
<p>Fares for residents will stay at &euro;3.50 for a single crossing, while visitors will pay &#8364;5 &mdash; a rise of fifty cents, which the council said would pay for the extra crew &amp; the longer opening hours of the terminal.</p>
<p>&ldquo;People asked for earlier boats, and they will have them from the first of April,&rdquo; the council's chair told the meeting, adding that the timetable would be reviewed again in the autumn.</p>
<p>Local businesses welcomed the decision, though some said the weekend sailings were still too few for the summer months, when the island's population doubles and queues at the pier can last an hour.</p>
<div class="share-bar"><a href="https://share.invalid/?u=1">Share</a> <a href="mailto:?subject=ferry">Email</a></div>
<aside class="related"><h3><a href="/news/pier-repairs">Pier repairs finished early</a></h3><h3><a href="/news/bus-routes">New bus routes for the island</a></h3></aside>
</article></main>
<footer class="site-footer"><form><label>Your Name <input name="name"></label><label>Your Email Address <input name="email" type=email></label><button>Send</button></form><p>&copy; 2024 Example News</p></footer>
</body></html>`;

/** The address and "now" the warm-up page is extracted with (its canonical link names the same address). */
export const WARM_UP_OPTIONS: Readonly<ExtractOptions> = {
  url: 'https://warm-up.invalid/news/ferry-timetable-123',
  now: new Date('2024-03-06T00:00:00Z'),
};

/** Extracts {@link WARM_UP_PAGE} {@link WARM_UP_RUNS} times; returns nothing and never throws (extractArticle does not). */
export function warmUpExtractor(runs: number = WARM_UP_RUNS): void {
  for (let i = 0; i < runs; i++) extractArticle(WARM_UP_PAGE, WARM_UP_OPTIONS);
}
