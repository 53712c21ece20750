"""The peer of `npm run bench:pipeline`: Scrapy fetching the same URLs and yielding each page's
body text (no extraction, no dates, no database), 32 requests in flight, no delay, robots.txt
obeyed as ours does. Prints one JSON line of figures: pages, seconds, CPU, peak RSS, latencies.

    python3 bench/peers/scrapy_body_text.py URL_FILE ITEMS_FILE
"""
import json, resource, sys, time
import scrapy
from scrapy.crawler import CrawlerProcess

STARTED = time.monotonic()
LATENCIES = []


class BodyText(scrapy.Spider):
    name = "body_text"

    def start_requests(self):
        with open(sys.argv[1]) as urls:
            for line in urls:
                if line.strip():
                    yield scrapy.Request(line.strip(), callback=self.parse)

    def parse(self, response):
        LATENCIES.append(response.meta["download_latency"] * 1000)
        yield {"url": response.url, "text": " ".join(response.xpath("//body//text()").getall())}


process = CrawlerProcess({
    "CONCURRENT_REQUESTS": 32, "CONCURRENT_REQUESTS_PER_DOMAIN": 32, "DOWNLOAD_DELAY": 0,
    "ROBOTSTXT_OBEY": True, "LOG_LEVEL": "WARNING", "TELNETCONSOLE_ENABLED": False,
    "FEEDS": {sys.argv[2]: {"format": "jsonlines"}},
})
crawler = process.create_crawler(BodyText)
process.crawl(crawler)
process.start()
usage = resource.getrusage(resource.RUSAGE_SELF)
LATENCIES.sort()
pick = lambda q: LATENCIES[min(len(LATENCIES) - 1, int(q * len(LATENCIES)))] if LATENCIES else None
print(json.dumps({
    "pages": crawler.stats.get_value("item_scraped_count", 0), "seconds": time.monotonic() - STARTED,
    "cpuSeconds": usage.ru_utime + usage.ru_stime, "peakRssBytes": usage.ru_maxrss * 1024,
    "p50Ms": pick(0.5), "p95Ms": pick(0.95),
}))
