"""ronda's crawler: scrapy spiders, middlewares and pipelines. Fetches, never judges."""
