"""Scrapy settings for famact: safe defaults (ARCHITECTURE section 6).

Per-source values (rate limit, concurrency, robots.txt, timeouts, user agent, browser
rendering) are applied on top of these by `SourceSpider.from_crawler` from the source's
config, with "spider" priority.
"""

from famact.settings import get_settings
from famact_crawler import browser

BOT_NAME = "famact"
SPIDER_MODULES = ["famact_crawler.spiders"]
NEWSPIDER_MODULE = "famact_crawler.spiders"

USER_AGENT = get_settings().user_agent
ROBOTSTXT_OBEY = True

# Never expose a console or the code-executing remote-control endpoint (Scrapy 2.19).
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

# Politeness: AutoThrottle on, small per-domain concurrency; sources tune both.
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 2.0
DOWNLOAD_TIMEOUT = 30
RETRY_ENABLED = True
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 5
# A 20 MB page is not a listing page: refuse bodies over 10 MB, warn over 5 MB.
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
COOKIES_ENABLED = False
HTTPCACHE_ENABLED = False
DEPTH_LIMIT = 25
CLOSESPIDER_ERRORCOUNT = 0

# Only the browser requests of `render: browser` sources go through Playwright: the handler
# is installed per crawl by the spider; these are its defaults.
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_LAUNCH_OPTIONS = browser.launch_options()
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 4
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 30_000
PLAYWRIGHT_ABORT_REQUEST = "famact_crawler.browser.abort_request"

# The URL guard (famact_crawler/middlewares/urlguard.py): every request, redirect hop and
# robots.txt fetch is checked before the other middlewares see it, and host names are checked
# as resolved when the connection is made.
# RetryAfterMiddleware sits just before RetryMiddleware (550) in the response chain: a 429/503
# retry waits as its Retry-After says (famact_crawler/middlewares/retryafter.py).
# Scrapy's robots.txt middleware is replaced by one whose concurrent first requests to a host
# all obey robots.txt (famact_crawler/middlewares/robots.py), at the same place in the chain.
DOWNLOADER_MIDDLEWARES = {
    "famact_crawler.middlewares.urlguard.UrlGuardMiddleware": 50,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "famact_crawler.middlewares.robots.RobotsTxtMiddleware": 100,
    "famact_crawler.middlewares.retryafter.RetryAfterMiddleware": 560,
}
TWISTED_DNS_RESOLVER = "famact_crawler.middlewares.urlguard.GuardedResolver"

ITEM_PIPELINES = {
    "famact_crawler.pipelines.validate.ValidatePipeline": 100,
    "famact_crawler.pipelines.normalize.NormalizePipeline": 200,
    "famact_crawler.pipelines.classify.ClassifyPipeline": 300,
    "famact_crawler.pipelines.dedupe.DedupePipeline": 400,
    "famact_crawler.pipelines.store.StorePipeline": 500,
    "famact_crawler.pipelines.output.OutputPipeline": 600,
}
EXTENSIONS = {
    # Before ExecutionTracker: its spider_closed handler must run first (see vanished.py).
    "famact_crawler.extensions.vanished.VanishedListings": 490,
    "famact_crawler.extensions.execution.ExecutionTracker": 500,
    "famact_crawler.extensions.progress.ProgressReporter": 510,
    "scrapy.extensions.telnet.TelnetConsole": None,
}

# famact's own settings (each read in one component's from_crawler):
FAMACT_STORE_ENABLED = True  # StorePipeline writes to DynamoDB; `--no-store` turns it off
FAMACT_OUTPUT_FILE = None  # OutputPipeline writes JSON Lines here when set
FAMACT_TODAY = None  # YYYY-MM-DD: the crawl date for year inference (tests, replays)
FAMACT_STORE_BATCH_SIZE = 100
FAMACT_STORE_OUTAGE_WAIT_S = 60.0  # how long a batch waits for an unreachable DynamoDB
FAMACT_MARK_VANISHED = True  # after a complete crawl, listings gone from the source -> inactive
FAMACT_TRACK_EXECUTIONS = True
FAMACT_LLM_SECOND_OPINION = True  # only used when OPENAI_API_KEY is set
FAMACT_RETRY_AFTER_MAX_S = 60.0  # the longest a 429/503 Retry-After is obeyed; 0 ignores it

LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
