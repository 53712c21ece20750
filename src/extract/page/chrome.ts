/**
 * The one vocabulary of page chrome: the tags, ARIA roles and class/id words of the parts of a
 * page that are not the article (navigation, share bars, comments, related lists, footers).
 * The cleaner removes what it names; date finding uses it to tell the article's own date from
 * the dates of other items around it.
 */

/**
 * Page chrome by its HTML5 role: navigation, asides (pull quotes and "related" boxes), and
 * page-level headers and footers. Removed when they hold little prose (see
 * CHROME_MAX_PROSE_PARAGRAPHS in boilerplate.ts) because some sites wrap the whole article in them.
 */
export const CHROME_TAGS: ReadonlySet<string> = new Set(['nav', 'aside', 'footer', 'header', 'form']);

/** Tags never removed as chrome, whatever their class says: the document frame and the article element. */
export const NEVER_CHROME: ReadonlySet<string> = new Set(['html', 'body', 'article', 'main']);

/** ARIA roles of the same kind of chrome. */
export const CHROME_ROLES: ReadonlySet<string> = new Set([
  'navigation', 'banner', 'contentinfo', 'complementary', 'search', 'menu', 'menubar', 'dialog',
  'alertdialog', 'toolbar', 'tablist',
]);

// ─── Class / id hints ───────────────────────────────────────────────────────────────────────

/** A class/id pattern matching any of the words on word boundaries ("share-bar", "related_news", "ad"), not inside words ("shareholder"). */
function classWords(words: readonly string[]): RegExp {
  return new RegExp(`(?:^|[\\s_-])(?:${words.join('|')})(?:$|[\\s_-])`, 'i');
}

/**
 * Class or id words of page parts that are never the article, whatever else the attribute says
 * ("related-content", "comment-body", "post-nav"): share bars, comment threads, related and
 * most-read lists, newsletter, cookie and login prompts, calls to action and donation appeals
 * ("cta": "Support us and make a difference"), ads, navigation, sidebars, footers.
 */
const STRONG_CHROME_WORDS: readonly string[] = [
  'share', 'sharing', 'social', 'sociable', 'addthis', 'sharethis',
  'comment', 'comments', 'disqus',
  'related', 'recommend', 'recommended', 'more-?stories', 'most-?(?:read|viewed|popular)',
  'popular', 'trending', 'also-?read', 'read-?more', 'readmore', 'see-?also', 'outbrain', 'taboola',
  'newsletter', 'subscribe', 'subscription', 'signup', 'sign-?up', 'cookie', 'consent', 'gdpr',
  'cta', 'call-?to-?action', 'donate', 'donation',
  'promo', 'sponsor', 'sponsored', 'advert', 'advertisement', 'ads?', 'adv', 'banner', 'dfp', 'gpt',
  'nav', 'navbar', 'navigation', 'menu', 'breadcrumbs?', 'pagination', 'pager',
  'sidebar', 'side-?bar', 'footer', 'masthead', 'modal', 'popup', 'overlay', 'login', 'register',
  'search', 'skip', 'jump', 'tag-?list', 'post-?meta', 'entry-?meta', 'about-?author', 'author-?bio',
  'next-?prev', 'prev-?next', 'post-?nav', 'post-?navigation', 'nav-?links',
  'news_code', 'news-?code', 'story-?code', 'news_source', 'source-?link',
];

/**
 * Class or id words of furniture that may share an attribute with a content word and then
 * lose to it ("article-header" holds the headline, "story-text caption-on" the story): toolbars,
 * headers, tags, bylines and date lines, captions and credits, "send" and "email" boxes.
 */
const WEAK_CHROME_WORDS: readonly string[] = [
  'print', 'toolbar', 'tools', 'respond', 'reply', 'widget', 'header',
  'tags?', 'keywords', 'topics', 'categories', 'byline', 'author', 'authors',
  'dateline', 'date', 'time', 'timestamp', 'published', 'meta', 'bio',
  'caption', 'credit', 'copyright', 'disclaimer', 'send', 'email', 'e-?mail', 'paywall',
  'prev', 'next', 'previous',
];

/**
 * Weak words of furniture that can run to a paragraph (a photo caption, an author's bio, a
 * copyright or disclaimer note, a comment reply, a print-only citation or "This copy is for your
 * personal use" block): with them an element stays chrome even when it holds prose (see
 * WEAK_CHROME_MAX_LINK_DENSITY in boilerplate.ts).
 */
export const LONG_FURNITURE_CLASS_ID = classWords([
  'print-?(?:only|header|footer|block|logo|info|url|links?|notice)', 'visible-print(?:-block)?', 'printonly',
  'caption', 'credit', 'copyright', 'disclaimer', 'bio', 'author', 'authors', 'byline', 'respond', 'reply',
  'send', 'email', 'e-?mail', 'paywall',
]);

/**
 * Class modifiers that say what a block has or lacks, not what it is: BEM modifiers after "--"
 * ("TestReport__Section--Ads", "o-section--has-ads") and "has-"/"no-"/"with-" flags
 * ("content-has-sidebar", "container no-sidebar"). They are cut before the chrome words are
 * matched.
 */
export const CLASS_MODIFIER = /--[\w-]*|(?:^|[\s_-])(?:has|no|with|without)-[\w-]*/gi;

/** Any boilerplate word: a candidate carrying one is scored down. */
export const BOILERPLATE_CLASS_ID = classWords([...STRONG_CHROME_WORDS, ...WEAK_CHROME_WORDS]);
/** Boilerplate words that make an element chrome even beside a content word. */
export const STRONG_BOILERPLATE_CLASS_ID = classWords(STRONG_CHROME_WORDS);

/** Class or id words of the article body itself; they outweigh a weak boilerplate word in the same attribute ("article-header"). */
export const CONTENT_CLASS_ID =
  /(?:^|[\s_-])(?:article|articlebody|article-?body|body|content|entry|entry-?content|main|post|post-?body|post-?content|story|story-?body|text|blog|hentry|news-?body|news-?text|detail|itemprop|rich-?text|prose)(?:$|[\s_-])/i;

// ─── Furniture around the article, for dates (extract/dates/furniture.ts) ────────────────────

/**
 * Class/id words (split at "-", "_" and camel case) of page furniture whose dates belong to
 * other items: comments, related links, sidebars, footers, teasers. Whole words, where the
 * cleaner's lists above match word parts: a date search must not lose a "post-meta" line.
 */
export const DATE_FURNITURE_WORDS = new Set([
  'comment', 'comments', 'kommentar', 'kommentare', 'related', 'sidebar', 'widget', 'widgets', 'teaser', 'teasers',
  'recommend', 'recommended', 'recommendations', 'popular', 'footer', 'nav', 'navbar', 'navigation', 'menu',
  'latest', 'trending', 'newsletter', 'promo', 'breadcrumb', 'breadcrumbs', 'share', 'sharing', 'social',
  'cookie', 'cookies', 'banner', 'carousel', 'slider', 'ticker', 'aside', 'sidebar1', 'sidebar2', 'outbrain',
  'taboola', 'more', 'mostread', 'ads', 'advert', 'advertisement', 'reply', 'replies', 'archive', 'archives',
]);

/** Furniture tags for dates: the page header and forms are left out, since they often hold the article's date line. */
export const DATE_FURNITURE_TAGS = new Set(['footer', 'nav', 'aside']);

/** Class/id words where the article itself starts: the search for furniture stops there (and at {@link NEVER_CHROME}). */
export const ARTICLE_CLASS_WORDS = new Set(['article', 'main', 'content', 'story', 'entry']);
