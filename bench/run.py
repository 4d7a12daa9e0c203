"""The portal's benchmark, in one run and one table: `.venv/bin/python bench/run.py`.

1. Builds a PostgreSQL database (migrate, seed_demo, a development signing certificate, then the
   synthetic registry of `manage.py generate_registry`) and counts the SQL queries of each page through
   Django's test client (CaptureQueriesContext, page cache off) with about 100 and with 10,000 published
   partnerships.
2. Serves the 10,000-partnership registry with gunicorn on loopback (DEBUG off, BENCHMARK_VIEWS=1 for the
   bare view /bench/bare, Redis page cache on as in production) and loads each page with `wrk`
   (bench/latency.lua prints requests/s, p50 and p99), the bare Django view first and last: the ratio is
   page requests/s over the bare view's (mean of the two).
3. Serves the same registry with one worker and the page cache off, and times each page sequentially: the
   "cache off: p50" column is what a visitor waits for when the page is not in the cache (the figures kept per
   registry version are computed by one untimed request first, as the first visitor after a change does).

Rows: bare view (the floor), home, list (plain, page 40, filtered, searched), profile, map, statistics, the
organisation directory (page 1 and 100), regions, an ecosystem, events, the CSV/JSON export of one country, the
Expression of Interest form (GET) and its first step posted (POST: a valid step 1 with the CSRF cookie
and token, a new idempotency key each time, so each request creates a draft and redirects to step 2),
and the download of a stored signed declaration PDF.

The mixed-traffic row loads 1,000 distinct URLs (list selections and their pages, directory pages, organisation
and region pages), one picked at random per request (bench/latency.lua with WRK_PATHS), page cache on.
``--sqlite`` also builds the same registry on SQLite and adds its cache-off p50 column (bench/cold.py).

    .venv/bin/python bench/run.py --database postgres://postgres@127.0.0.1:5432/pact_scale_bench
    .venv/bin/python bench/run.py --reuse       # measure an already built database (skips the counts)
    .venv/bin/python bench/run.py --sqlite      # and the SQLite column (about 5 minutes more)

Needs PostgreSQL, Redis and wrk (Debian's package; installed with apt-get when missing).
"""

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import registry  # noqa: E402  (build, serve and stop are shared with bench/registry.py)

PROFILE = "/partnerships/lombardy-rsp/"
PAGES = [
    ("home", "/"),
    ("list", "/partnerships/"),
    ("list, page 40", "/partnerships/?page=40"),
    ("list, filtered", "/partnerships/?ecosystem=health&country=IT&stage=delivery"),
    ("list, DE in delivery", "/partnerships/?country=DE&stage=delivery"),
    ("list, searched", "/partnerships/?q=Region+Lombardia"),
    ("profile", PROFILE),
    ("map", "/partnerships/map/"),
    ("statistics", "/statistics/"),
    ("organisations", "/organisations/"),
    ("organisations, page 100", "/organisations/?page=100"),
    ("region DE", "/regions/DE/"),
    ("region ITC4", "/regions/ITC4/"),
    ("ecosystem", "/ecosystems/health/"),
    ("events", "/events/"),
    ("export CSV, DE", "/partnerships/export.csv?country=DE"),
    ("export JSON, DE", "/partnerships/export.json?country=DE"),
    ("EoI form (GET)", "/expression-of-interest/"),
]
COLD_REPEATS = 7
STEP1 = {
    "organisation_name": "Benchmark Regional Energy Agency",
    "organisation_type": "regional_authority",
    "organisation_country": "PT",
    "organisation_region": "PT11",
    "is_pact_member": "no",
}

# Run in a subprocess on the benchmark database: query counts of every page, the PDF URL, the registry size.
COUNT_QUERIES = r"""
import json, sys, uuid
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
from commitments.models import PUBLIC_STATUSES, Declaration
from partnerships.models import Partnership

setup_test_environment()
pages = json.loads(sys.argv[1])
client = Client()
counts = {}
for name, path in pages:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, (path, response.status_code)
    counts[name] = len(queries)
client.get("/expression-of-interest/")
with CaptureQueriesContext(connection) as queries:
    response = client.post("/expression-of-interest/", {**json.loads(sys.argv[2]), "idempotency_key": uuid.uuid4().hex})
assert response.status_code == 302, response.status_code
counts["EoI step 1 (POST)"] = len(queries)
declaration = (
    Declaration.objects.filter(status__in=PUBLIC_STATUSES, partnership__is_published=True)
    .exclude(pdf="").select_related("partnership").order_by("pk").first()
)
with CaptureQueriesContext(connection) as queries:
    response = client.get(declaration.get_pdf_url())
assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
counts["signed PDF download"] = len(queries)
from partnerships.models import Organisation, Region
organisations = list(
    Organisation.objects.current_members().order_by("?").values_list("slug", flat=True)[:400]
)
regions = list(
    Region.objects.filter(level__in=[1, 2, 3]).order_by("?").values_list("code", flat=True)[:300]
)
print(json.dumps({
    "organisations": organisations,
    "regions": regions,
    "counts": counts,
    "pdf": declaration.get_pdf_url(),
    "partnerships": Partnership.objects.filter(is_published=True).count(),
}))
"""


def count_queries(env):
    result = subprocess.run(
        [sys.executable, "-c", COUNT_QUERIES, json.dumps(PAGES), json.dumps(STEP1)],
        cwd=ROOT,
        env={**env, "PUBLIC_PAGE_CACHE_SECONDS": "0", "LOG_LEVEL": "ERROR"},
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise SystemExit(f"counting queries failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def ensure_wrk():
    if shutil.which("wrk"):
        return
    print("wrk is missing: installing Debian's package", flush=True)
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "wrk"],
        check=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )


def mixed_paths(large, count=1000):
    """``count`` distinct public URLs: list selections and their pages, organisation and region pages."""
    lists = [
        f"/partnerships/?{query}"
        for query in (
            "&".join(part for part in (kind, stage, country, f"page={page}") if part)
            for kind in ("", "kind=rsp", "kind=lsp")
            for stage in ("", "stage=design", "stage=set_up", "stage=delivery")
            for country in ("", "country=DE", "country=FR", "country=IT", "country=ES")
            for page in (1, 2, 3)
        )
    ]
    lists += [f"/organisations/?page={page}" for page in range(1, 121)]
    organisations = [f"/organisations/{slug}/" for slug in large["organisations"]]
    regions = [f"/regions/{code}/" for code in large["regions"]]
    paths = list(dict.fromkeys(lists + organisations + regions))
    return paths[:count]


def load(path, options, body=None, cookie=None, paths_file=None):
    """(requests/s, p50 ms, p99 ms) of ``path`` under wrk; fails on any error answer."""
    url = f"http://127.0.0.1:{registry.PORT}{path}"
    if body is None:
        urllib.request.urlopen(url, timeout=60).read()  # warm up, and fail early on an error
    env = {**os.environ, "WRK_BODY": body or "", "WRK_COOKIE": cookie or "", "WRK_PATHS": paths_file or ""}
    output = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{options.connections}",
            f"-d{options.seconds}s",
            "--timeout",
            "30s",
            "-s",
            str(ROOT / "bench" / "latency.lua"),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout
    found = re.search(r"WRK_RESULT ([\d.]+) ([\d.]+) ([\d.]+) (\d+) (\d+)", output)
    rate, p50, p99, errors, total = found.groups()
    if int(errors) or "Socket errors" in output:
        raise SystemExit(f"{path}: {errors} error answers of {total} under load\n{output}")
    return float(rate), float(p50), float(p99)


def cold_p50(path, repeats=COLD_REPEATS):
    """Median milliseconds of ``repeats`` sequential requests of ``path`` (after one untimed request, which
    computes the figures kept per registry version as the first visitor after a change does)."""
    url = f"http://127.0.0.1:{registry.PORT}{path}"
    urllib.request.urlopen(url, timeout=60).read()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        urllib.request.urlopen(url, timeout=60).read()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def sqlite_p50(env, work):
    """The cache-off p50 of every page on SQLite (the embedded default) with the same registry, measured in one
    process through the whole middleware stack (bench/cold.py), the database cache table as without Redis."""
    database = f"sqlite:///{work / 'registry.sqlite3'}"
    sqlite_env = {**env, "DATABASE_URL": database, "REDIS_URL": ""}
    sqlite_env.pop("REDIS_URL")
    started = time.perf_counter()
    for command in (
        ["migrate", "--no-input", "-v0"],
        ["seed_demo", "-v0"],
        ["generate_registry", "-v0"],
    ):
        registry.run(*command, env=sqlite_env)
    print(f"SQLite registry built in {time.perf_counter() - started:.0f} s", flush=True)
    output = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "cold.py"),
            "--database",
            database,
            "--redis",
            "",
            "--json",
            "--pages",
            json.dumps(PAGES),
        ],
        cwd=ROOT,
        env=sqlite_env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {name: row["p50"] for name, row in json.loads(output.strip().splitlines()[-1]).items()}


def eoi_post_body():
    """A valid step 1 form body (with {n} for a unique idempotency key) and the matching CSRF cookie."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = (
        opener.open(f"http://127.0.0.1:{registry.PORT}/expression-of-interest/", timeout=60).read().decode()
    )
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    body = urllib.parse.urlencode({**STEP1, "csrfmiddlewaretoken": token}) + "&idempotency_key=bench-{n}"
    return body, cookie


def main():
    parser = registry.argument_parser(__doc__, database="pact_scale_bench")
    parser.add_argument("--port", type=int, default=18150)
    parser.add_argument(
        "--sqlite",
        action="store_true",
        help="also build the same registry on SQLite and add its cache-off p50 column (about 2 minutes more)",
    )
    options = parser.parse_args()
    ensure_wrk()
    registry.PORT = options.port
    work = Path(tempfile.mkdtemp(prefix="pact-bench-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pact_portal.settings",
        "DATABASE_URL": options.database,
        "REDIS_URL": options.redis,
        "SECRET_KEY": "benchmark-only-secret-key-not-for-production-use-0123456789",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "BENCHMARK_VIEWS": "1",
        "SECURE_COOKIES": "0",
        "SECURE_SSL_REDIRECT": "0",  # served over plain HTTP on loopback
        "LOG_LEVEL": "WARNING",
        "PUBLIC_PAGE_CACHE_SECONDS": "60",
        "RATE_LIMIT_EOI_SUBMISSIONS": "100000000/3600",
        "RATE_LIMIT_EOI_STEPS": "100000000/3600",
        "RATE_LIMIT_EOI_MAILS": "100000000/3600",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "STATIC_ROOT": str(work / "static"),
        "MEDIA_ROOT": os.environ.get("MEDIA_ROOT", str(work / "media")),
        "DECLARATION_SIGNING_CERT": str(work / "cert.pem"),
        "DECLARATION_SIGNING_KEY": str(work / "key.pem"),
    }
    env.pop("DATABASE_REPLICA_URLS", None)
    counts = {}
    registry.run("collectstatic", "--no-input", "-v0", env=env)  # DEBUG off: pages need the manifest
    if not options.reuse:
        registry.run("create_signing_certificate", env=env)
        registry.build(
            env, options.database, SimpleNamespace(partnerships=100, organisations=500, memberships=2000)
        )
        counts["small"] = count_queries(env)
        started = time.perf_counter()
        registry.run("generate_registry", "-v0", env=env)  # 10,000 / 50,000 / 200,000 (replaces the 100)
        print(f"10,000 partnerships generated in {time.perf_counter() - started:.0f} s")
    counts["large"] = count_queries(env)

    # Cache off, one worker, one request at a time: what a visitor waits for when the page is not cached.
    process = registry.serve({**env, "PUBLIC_PAGE_CACHE_SECONDS": "0"}, 1)
    try:
        cold = {name: cold_p50(path) for name, path in PAGES}
    finally:
        registry.stop(process)

    sqlite = sqlite_p50(env, work) if options.sqlite else {}

    process = registry.serve(env, options.workers)
    try:
        rows = [("bare Django view", "/bench/bare", *load("/bench/bare", options))]
        for name, path in PAGES:
            rows.append((name, path, *load(path, options)))
        body, cookie = eoi_post_body()
        rows.append(
            (
                "EoI step 1 (POST)",
                "/expression-of-interest/",
                *load("/expression-of-interest/", options, body, cookie),
            )
        )
        paths = mixed_paths(counts["large"])
        paths_file = work / "mixed-paths.txt"
        paths_file.write_text("\n".join(paths) + "\n")
        rows.append(
            (
                f"mixed traffic ({len(paths):,} URLs)",
                "(random)",
                *load("/", options, paths_file=str(paths_file)),
            )
        )
        pdf = counts["large"]["pdf"]
        rows.append(("signed PDF download", pdf, *load(pdf, options)))
        bare_after = load("/bench/bare", options)[0]
    finally:
        registry.stop(process)

    bare = (rows[0][2] + bare_after) / 2
    small, large = counts.get("small"), counts["large"]
    print(
        f"\n{options.workers} gunicorn workers on 127.0.0.1, wrk 1 thread × {options.connections} connections × "
        f"{options.seconds} s per row, Redis page cache on; bare view {rows[0][2]:.0f} then {bare_after:.0f} req/s. "
        f"Cache off: median of {COLD_REPEATS} sequential requests, one worker (figures kept per registry version "
        f"computed by an untimed first request). Queries with the page cache off, "
        f"{small['partnerships'] if small else '–'} and {large['partnerships']:,} published partnerships. "
        f"Load average {' '.join(f'{n:.2f}' for n in os.getloadavg())}."
    )
    header = [
        "page",
        "req/s",
        "p50 ms",
        "p99 ms",
        "ratio",
        "cache off: p50 ms",
        *(["SQLite, cache off: p50 ms"] if sqlite else []),
        f"queries @{small['partnerships'] if small else '–'}",
        f"queries @{large['partnerships']:,}",
    ]
    print("| " + " | ".join(header) + " |")
    print("| --- |" + " ---: |" * (len(header) - 1))
    for name, _path, rate, p50, p99 in rows:
        small_count = small["counts"].get(name, "–") if small else "–"
        large_count = large["counts"].get(name, "–") if name != "bare Django view" else 0
        if name == "bare Django view":
            small_count = 0
        print(
            f"| {name} | {rate:.0f} | {p50:.1f} | {p99:.1f} | {rate / bare:.2f} | "
            f"{f'{cold[name]:.1f}' if name in cold else '–'} | "
            + (f"{f'{sqlite[name]:.1f}' if name in sqlite else '–'} | " if sqlite else "")
            + f"{small_count} | {large_count} |"
        )


if __name__ == "__main__":
    main()
