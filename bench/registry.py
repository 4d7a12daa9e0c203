"""Benchmark of the public registry at scale, measured in one run and printed as ratios.

Builds a large registry on PostgreSQL (10,000 partnerships, 50,000 organisations, 200,000
memberships, plus the demo registry), serves it with gunicorn, and loads each page with wrk
(Debian's package) against a bare Django view under the same server: the ratio is
page requests per second / bare-view requests per second. It does this twice: with the public page
cache on (the production setting, Redis) and off (every request runs its queries). Then it times
full-text search against a plain icontains scan over the same fields.

    .venv/bin/python bench/registry.py               # build, then measure (about 5 minutes)
    .venv/bin/python bench/registry.py --reuse       # measure an already built database

Only loopback addresses are used. Targets: list and profile >= 0.3x the bare view; search >= 10x
faster than icontains.
"""

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PORT = 8765
PAGES = [
    ("list", "/partnerships/"),
    ("list, filtered", "/partnerships/?ecosystem=health&country=IT&stage=delivery"),
    ("list, searched", "/partnerships/?q=Region+Lombardia"),
    ("profile", "/partnerships/lombardy-rsp/"),
    ("map", "/partnerships/map/"),
    ("statistics", "/statistics/"),
]
TARGETS = {"list": 0.3, "list, filtered": 0.3, "list, searched": 0.3, "profile": 0.3}


def run(*args, env):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def build(env, database, sizes):
    import psycopg2

    name = database.rsplit("/", 1)[1]
    admin = psycopg2.connect(database.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    started = time.perf_counter()
    run("migrate", "--no-input", "-v0", env=env)
    run("seed_demo", "-v0", env=env)
    run(
        "generate_registry",
        "--partnerships",
        str(sizes.partnerships),
        "--organisations",
        str(sizes.organisations),
        "--memberships",
        str(sizes.memberships),
        env=env,
    )
    print(f"built in {time.perf_counter() - started:.0f} s")


def serve(env, workers):
    process = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "pact_portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/bench/bare", timeout=2)
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not start")


def stop(process):
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=20)


def requests_per_second(path, seconds, connections):
    """wrk's Requests/sec for ``path``; fails on any non-2xx answer."""
    url = f"http://127.0.0.1:{PORT}{path}"
    urllib.request.urlopen(url, timeout=60).read()  # warm up (and fail early on an error)
    output = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Non-2xx" in output:
        raise SystemExit(f"{path}: non-2xx answers under load\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def measure(env, label, seconds, connections, workers):
    process = serve(env, workers)
    try:
        rows = []
        for name, path in PAGES:
            # The bare view is measured right before and after each page, so drift cancels out.
            before = requests_per_second("/bench/bare", seconds, connections)
            page = requests_per_second(path, seconds, connections)
            after = requests_per_second("/bench/bare", seconds, connections)
            bare = (before + after) / 2
            rows.append((name, page, bare, page / bare))
    finally:
        stop(process)
    print(f"\n{label}")
    print(f"{'page':<18}{'req/s':>10}{'bare req/s':>12}{'ratio':>8}  target")
    for name, page, bare, ratio in rows:
        target = TARGETS.get(name)
        verdict = "" if target is None else (f">= {target}  {'met' if ratio >= target else 'MISSED'}")
        print(f"{name:<18}{page:>10.0f}{bare:>12.0f}{ratio:>8.2f}  {verdict}")
    return rows


def search_versus_scan(env, repeats=15):
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db.models import Exists, OuterRef, Q

    from partnerships.models import Membership, Partnership
    from partnerships.search import apply_search

    published = Partnership.objects.filter(is_published=True)

    def full_text(q):
        return apply_search(published, q).order_by("-rank")[:20]

    def scan(q):
        condition = Q()
        for term in q.split():
            members = Membership.objects.filter(
                partnership=OuterRef("pk"), left_on__isnull=True, organisation__name__icontains=term
            )
            condition &= (
                Q(name__icontains=term)
                | Q(acronym__icontains=term)
                | Q(summary__icontains=term)
                | Q(challenge__icontains=term)
                | Q(ambition__icontains=term)
                | Exists(members)
            )
        return published.filter(condition).order_by("name")[:20]

    print(f"\nsearch on PostgreSQL (median of {repeats} runs, first 20 results)")
    print(f"{'query':<22}{'full-text ms':>14}{'icontains ms':>14}{'speed-up':>10}")
    ratios = []
    for q in ["Beara", "Region Lombardia", "digital skills", "Synthetic organisation 004"]:
        timings = {}
        for name, build_query in (("fts", full_text), ("scan", scan)):
            samples = []
            for _ in range(repeats):
                started = time.perf_counter()
                list(build_query(q))
                samples.append((time.perf_counter() - started) * 1000)
            timings[name] = statistics.median(samples)
        ratio = timings["scan"] / timings["fts"]
        ratios.append(ratio)
        print(f"{q:<22}{timings['fts']:>14.1f}{timings['scan']:>14.1f}{ratio:>9.1f}x")
    print(f"search speed-up, geometric mean: {statistics.geometric_mean(ratios):.1f}x (target >= 10x)")


def argument_parser(description, *, database):
    """The options every benchmark of the portal takes: where it builds, and how hard wrk pushes."""
    parser = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", default=f"postgres://postgres@127.0.0.1:5432/{database}")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/12")
    parser.add_argument("--reuse", action="store_true", help="measure the database already built")
    parser.add_argument("--seconds", type=int, default=5, help="wrk duration per measurement")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    return parser


def main():
    parser = argument_parser(__doc__, database="pact_bench")
    parser.add_argument("--partnerships", type=int, default=10_000)
    parser.add_argument("--organisations", type=int, default=50_000)
    parser.add_argument("--memberships", type=int, default=200_000)
    sizes = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pact_portal.settings",
        "DATABASE_URL": sizes.database,
        "REDIS_URL": sizes.redis,
        "SECRET_KEY": "benchmark-only-secret-key-not-for-production-use-0123456789",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "BENCHMARK_VIEWS": "1",
        "SECURE_COOKIES": "0",
        "SECURE_SSL_REDIRECT": "0",  # served over plain HTTP on loopback
        "LOG_LEVEL": "WARNING",
    }
    if not sizes.reuse:
        build(env, sizes.database, sizes)
    run("collectstatic", "--no-input", "-v0", env=env)
    print(
        f"\n{sizes.workers} gunicorn workers, wrk 1 thread {sizes.connections} connections, {sizes.seconds} s each"
    )
    measure(
        {**env, "PUBLIC_PAGE_CACHE_SECONDS": "60"},
        "page cache on (production setting)",
        sizes.seconds,
        sizes.connections,
        sizes.workers,
    )
    measure(
        {**env, "PUBLIC_PAGE_CACHE_SECONDS": "0"},
        "page cache off (every request queries the database)",
        sizes.seconds,
        sizes.connections,
        sizes.workers,
    )
    search_versus_scan(env)


if __name__ == "__main__":
    main()
