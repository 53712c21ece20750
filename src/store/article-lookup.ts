/** Finding one stored article by id, by its URL or canonical URL, or by a URL that was fetched for it. */
import { eq, or } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { articles, crawlState, type ArticleRow } from '../../db/schema.ts';

export function findArticle(db: Db, idOrUrl: string, canonicalUrl: string | null): ArticleRow | undefined {
  if (/^\d+$/.test(idOrUrl)) return db.select().from(articles).where(eq(articles.id, Number(idOrUrl))).get();
  const addresses = [idOrUrl, ...(canonicalUrl && canonicalUrl !== idOrUrl ? [canonicalUrl] : [])];
  for (const address of addresses) {
    const direct = db.select().from(articles).where(or(eq(articles.url, address), eq(articles.canonicalUrl, address))).get();
    if (direct) return direct;
    const viaCrawl = db
      .select({ article: articles })
      .from(crawlState)
      .innerJoin(articles, eq(articles.id, crawlState.articleId))
      .where(eq(crawlState.url, address))
      .get();
    if (viaCrawl) return viaCrawl.article;
  }
  return undefined;
}
