/**
 * The words of where pages write their dates: meta names, JSON-LD types, the class/id marks of
 * date elements and the labels in front of a date. Pure data, shared by the candidate finders.
 */

/** meta name/property/itemprop values (lowercase) of the original publication date. */
export const PUBLISHED_META = new Set([
  'article:published_time', 'article:published', 'og:published_time', 'og:article:published_time',
  'article.published', 'published_time', 'published-date', 'publish-date', 'publish_date', 'publishdate',
  'pubdate', 'datepublished', 'date.published', 'dc.date.issued', 'dcterms.issued', 'dc.date.created',
  'dcterms.created', 'citation_publication_date', 'citation_date', 'sailthru.date', 'parsely-pub-date',
  'rnews:datepublished', 'article_date_original', 'original-publish-date', 'cxenseparse:recs:publishtime',
  'release_date', 'article.created', 'datecreated', 'dc.created', 'bt:pubdate', 'pub_date',
  'publication_date', 'story_publish_date', 'og:pubdate', 'article:post_date', 'displaydate',
  'shareaholic:article_published_time', 'vr:published_time', 'analyticsattributes.articledate',
  'parsely-pub-date', 'ga_pubdate', 'article.published_time', 'published', 'firstpublishedtime', 'uploaddate',
]);

/** Generic meta names that usually, not always, mean the publication date. */
export const GENERIC_META = new Set(['creation_date', 'date', 'dc.date', 'dcterms.date', 'dc:date', 'created', 'issued', 'citation_online_date', 'last-publish-date', 'timestamp']);

/** meta values of the modification date. */
export const MODIFIED_META = new Set([
  'article:modified_time', 'article:modified', 'og:updated_time', 'og:modified_time', 'article.updated',
  'modified_time', 'datemodified', 'dc.date.modified', 'dcterms.modified', 'last-modified', 'lastmod',
  'dc.modified', 'updated_time', 'article:updated_time', 'shareaholic:article_modified_time', 'lastmodified',
  'revised', 'eomportal-lastupdate',
]);

/** JSON-LD types whose dates are the article's own (a WebPage or WebSite date is weaker). */
export const ARTICLE_TYPES = /article|posting|report|news|blog|review|video|recipe|podcast|event|product/i;

/**
 * Microdata media items: the page's own item at the top, a part of it (its video) when nested
 * in an article item. (Other nested microdata items are kept: Blog > BlogPosting is common.)
 */
export const MEDIA_TYPES = /(?:video|audio|image|media)object|clip/i;

/** JSON-LD keys under which other items' dates live (comments, authors, related items, live-blog entries). */
export const JSON_LD_SKIPPED = new Set([
  'publisher', 'author', 'creator', 'comment', 'review', 'hasPart', 'isPartOf', 'itemListElement', 'mentions', 'citation', 'subjectOf',
  // A live blog's entries: each is dated when it was added, long after the blog was opened.
  'liveBlogUpdate',
]);

/** class/id words marking an element that holds the article's date or byline. */
export const DATE_MARK = /date|datum|time|fecha|data|publi|posted|byline|meta|dateline|autor|author|info|stand|zeit|tarikh|تاریخ|article-header|entry-header|post-header/i;

/** class/id words of dates that are not the article's: today's date, clocks, archives. */
export const NOT_ARTICLE_DATE_MARK = /today|current|clock|weather|copyright|calendar|archive|datepicker|header-top|topbar|top-bar/i;

export const MODIFIED_MARK = /updated|modified|aktualisiert|geändert|mis à jour|actualizado|atualizado|بروزرسانی|به‌روزرسانی|تحديث|last edit/i;

/** Labels in front of a publication date. */
export const PUBLISHED_LABEL = /publi|posted|veröffentlicht|erschienen|datum|date|fecha|data|created|erstellt|written|on\s*$|am\s*$|von|by|تاریخ|انتشار|نشر|منتشر/i;
