"""Uncached page times of the public registry: the median of sequential requests with the page cache off.

Runs every public page in this process through Django's test client (the whole middleware stack, one
request at a time, as one worker would serve them) on an already built registry, and prints per page the
p50 and the query count. The first request of each page is not timed (it fills the figures kept per registry
version, as the first visitor after a change does); ``--cold-figures`` bumps the registry version before
every request instead, so each one also pays for them.

    .venv/bin/python bench/cold.py --database postgres://postgres@127.0.0.1:5432/pact_scale_bench
    .venv/bin/python bench/cold.py --database sqlite:///path/to/registry.sqlite3
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = [
    ("home", "/"),
    ("organisations", "/organisations/"),
    ("organisations, page 100", "/organisations/?page=100"),
    ("organisation", "{organisation}"),
    ("export CSV, DE", "/partnerships/export.csv?country=DE"),
    ("export JSON, DE", "/partnerships/export.json?country=DE"),
    ("statistics", "/statistics/"),
    ("region DE", "/regions/DE/"),
    ("region ITC4", "/regions/ITC4/"),
    ("list", "/partnerships/"),
    ("list, page 40", "/partnerships/?page=40"),
    ("list, filtered", "/partnerships/?country=DE&stage=delivery"),
    ("list, searched", "/partnerships/?q=Region+Lombardia"),
    ("map", "/partnerships/map/"),
    ("events", "/events/"),
    ("ecosystem health", "/ecosystems/health/"),
    ("EoI form", "/expression-of-interest/"),
    ("profile", "/partnerships/lombardy-rsp/"),
]


def setup(database, redis):
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "pact_portal.settings",
            "DATABASE_URL": database,
            "SECRET_KEY": "benchmark-only-secret-key-not-for-production-use-0123456789",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "SECURE_COOKIES": "0",
            "SECURE_SSL_REDIRECT": "0",
            "LOG_LEVEL": "ERROR",
            "PUBLIC_PAGE_CACHE_SECONDS": "0",
            "STATIC_ROOT": os.environ.get("STATIC_ROOT", str(ROOT / "staticfiles")),
        }
    )
    if redis:
        os.environ["REDIS_URL"] = redis
    else:
        os.environ.pop("REDIS_URL", None)
    os.environ.pop("DATABASE_REPLICA_URLS", None)
    import django

    django.setup()
    # Pages are rendered with the source static files: no manifest needs collecting for this measurement.
    from django.conf import settings

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def measure(pages, repeats, cold_figures):
    from django.db import connection
    from django.test import Client

    from pact_portal.cache import VERSION_KEY
    from partnerships.models import Organisation

    organisation = Organisation.objects.with_public_page().order_by("pk").first()
    client = Client()
    rows = []
    for name, path in pages:
        path = path.format(organisation=organisation.get_absolute_url() if organisation else "/")
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        queries = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = client.get(path)
            if response.streaming:
                b"".join(response.streaming_content)
        samples = []
        for _ in range(repeats):
            if cold_figures:
                from django.core.cache import cache

                cache.delete(VERSION_KEY)
            started = time.perf_counter()
            response = client.get(path)
            if response.streaming:
                b"".join(response.streaming_content)
            samples.append((time.perf_counter() - started) * 1000)
        rows.append((name, path, statistics.median(samples), len(queries)))
    return rows


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/pact_scale_bench")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/5", help='"" for the database cache table')
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--cold-figures", action="store_true", help="bump the registry version each request")
    parser.add_argument("--only", help="measure only the pages whose name contains this")
    parser.add_argument("--json", action="store_true", help="print JSON rows instead of a table")
    parser.add_argument("--pages", help='the pages to measure, as JSON: [["name", "/path/"], …]')
    options = parser.parse_args()
    setup(options.database, options.redis)
    pages = json.loads(options.pages) if options.pages else PAGES
    pages = [page for page in pages if not options.only or options.only in page[0]]
    rows = measure(pages, options.repeats, options.cold_figures)
    if options.json:
        print(json.dumps({name: {"p50": p50, "queries": queries} for name, _, p50, queries in rows}))
        return
    print(f"| page | p50 ms (median of {options.repeats}) | queries |")
    print("| --- | ---: | ---: |")
    for name, _path, p50, queries in rows:
        print(f"| {name} | {p50:.1f} | {queries} |")


if __name__ == "__main__":
    main()
