"""Declaration PDF speed, measured in one run (not a test): `python bench/pdf.py`.

1. Rendering a large declaration (200 signatories, 50 actions, 30 KPIs) through the portal
   (selectors + template + WeasyPrint, as countersignature does) against WeasyPrint rendering the same
   HTML alone. Target: portal overhead under 30 %.
2. Download rate of the stored signed PDF (the public view, over HTTP) against a static file of the same
   bytes served by WhiteNoise from the same server. Target: at least 0.8x.

It builds its own throwaway SQLite database, media folder and signing certificate in a temporary folder.
"""

import io
import os
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="pact-bench-pdf-"))
os.environ.update(
    {
        "DEBUG": "0",
        "SECRET_KEY": "bench-only",
        "DATABASE_URL": f"sqlite:///{WORK / 'bench.sqlite3'}",
        "MEDIA_ROOT": str(WORK / "media"),
        "STATIC_ROOT": str(WORK / "static"),
        "DECLARATION_SIGNING_CERT": str(WORK / "cert.pem"),
        "DECLARATION_SIGNING_KEY": str(WORK / "key.pem"),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "pact_portal.settings",
    }
)

import django  # noqa: E402
from pypdf import PdfReader  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402

from commitments import services  # noqa: E402
from commitments.demo import declaration_sign_as_demo  # noqa: E402
from commitments.signing import create_self_signed_certificate  # noqa: E402
from pact_portal.pdf import html_to_pdf  # noqa: E402
from partnerships import services as partnership_services  # noqa: E402
from partnerships.models import MembershipRole  # noqa: E402


def build_large_declaration():
    partnership = partnership_services.partnership_create(
        name="Benchmark Skills Partnership", kind="lsp", scope="eu_wide", is_published=True
    )
    organisations = []
    for i in range(200):
        organisation = partnership_services.organisation_create(
            name=f"Benchmark member organisation number {i}",
            country_code="BE",
            stakeholder_type="vet_provider",
        )
        partnership_services.membership_add(
            partnership=partnership,
            organisation=organisation,
            role=MembershipRole.COORDINATOR if i == 0 else MembershipRole.MEMBER,
        )
        organisations.append(organisation)
    declaration = services.declaration_create(partnership=partnership)
    services.declaration_save_content(
        declaration=declaration,
        challenge="A skills challenge described in two sentences. " * 6,
        ambition="An ambition described at some length for the benchmark. " * 6,
        principles={"principle_lifelong_learning", "principle_equality"},
        objectives=[f"Objective {i}: upskill and reskill workers in area {i}." for i in range(10)],
        actions=[
            {
                "what": f"Action {i}: run a training programme with partners.",
                "lead_organisation": organisations[i],
            }
            for i in range(50)
        ],
        kpis=[
            {
                "indicator": f"KPI {i}: people trained",
                "unit": "people",
                "baseline": 0,
                "target": 100 * i + 50,
                "target_year": 2030,
            }
            for i in range(30)
        ],
    )
    return declaration_sign_as_demo(
        declaration=declaration, organisations=organisations, name="Bench Signatory", title="Director"
    )


def best_of(fn, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def download_rate(url, seconds):
    count, size, deadline = 0, 0, time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        with urllib.request.urlopen(url) as response:
            size = len(response.read())
        count += 1
    return count / seconds, size


def main():
    print("Setting up a throwaway database …", flush=True)
    call_command("migrate", verbosity=0)
    create_self_signed_certificate(
        cert_path=os.environ["DECLARATION_SIGNING_CERT"], key_path=os.environ["DECLARATION_SIGNING_KEY"]
    )
    declaration = build_large_declaration()
    html = render_to_string("pdf/declaration.html", services.declaration_pdf_context(declaration))
    html_to_pdf(html)  # warm the font caches for both sides

    # Alternate the two sides so that a busy machine slows both alike.
    runs, portal_times, alone_times = 5, [], []
    for _ in range(runs):
        portal_times.append(best_of(lambda: services.declaration_render_pdf(declaration), 1)[0])
        alone_times.append(best_of(lambda: html_to_pdf(html), 1)[0])
    portal_median, alone_median = statistics.median(portal_times), statistics.median(alone_times)
    sign_best, _ = best_of(lambda: services.signing.pades_sign(html_to_pdf(html), reason="bench"), 1)
    overhead = portal_median / alone_median - 1
    stored_bytes = Path(declaration.pdf.path).read_bytes()
    pages = len(PdfReader(io.BytesIO(stored_bytes)).pages)
    print(f"Large declaration: 200 signatories, 50 actions, 30 KPIs ({pages} pages)")
    print(
        f"  portal render (selectors + template + WeasyPrint), median of {runs}: {portal_median * 1000:.0f} ms"
    )
    print(
        f"  WeasyPrint alone on the same HTML, median of {runs}:               {alone_median * 1000:.0f} ms"
    )
    print(
        f"  portal overhead: {overhead * 100:+.1f} %  (target: under 30 %)  {'OK' if overhead < 0.30 else 'MISSED'}"
    )
    print(f"  (render + PAdES signature once: {sign_best * 1000:.0f} ms)")

    static_dir = Path(os.environ["STATIC_ROOT"])
    static_dir.mkdir(parents=True, exist_ok=True)
    (static_dir / "bench-copy.pdf").write_bytes(stored_bytes)
    from pact_portal.wsgi import application

    server = make_server("127.0.0.1", 0, application, server_class=WSGIServer, handler_class=QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    stored_url = base + declaration.get_pdf_url()
    static_url = base + "/static/bench-copy.pdf"
    download_rate(stored_url, 0.3)
    download_rate(static_url, 0.3)
    stored = static = 0.0
    for _ in range(3):  # alternate, 1 s each side per round
        rate, stored_size = download_rate(stored_url, 1)
        stored += rate / 3
        rate, static_size = download_rate(static_url, 1)
        static += rate / 3
    assert stored_size == static_size, (stored_size, static_size)
    ratio = stored / static
    print(
        f"Download of the stored signed PDF ({stored_size / 1024:.0f} KiB), one client, 3 × 1 s each, alternating:"
    )
    print(f"  stored PDF view: {stored:.0f} downloads/s; static file (WhiteNoise): {static:.0f} downloads/s")
    print(f"  ratio: {ratio:.2f}x  (target: at least 0.8x)  {'OK' if ratio >= 0.8 else 'MISSED'}")
    server.shutdown()


if __name__ == "__main__":
    main()
