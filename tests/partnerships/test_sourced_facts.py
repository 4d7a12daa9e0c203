"""Real content for the 24 profiles: sourced facts, "not published yet" where a fact is unknown, and
stage history with the dates the sources give (none where they give none)."""

import datetime
import html as html_lib
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from partnerships.demo import read_partnerships, read_sourced_facts
from partnerships.models import Partnership, PledgedTarget, StageChange
from support_services.services import partnership_move_stage
from tests.partnerships.builders import make_staff

pytestmark = pytest.mark.django_db

SECTIONS = ("Skills challenge", "Ambition", "Commitments")


def profile(client, slug):
    response = client.get(f"/partnerships/{slug}/")
    assert response.status_code == 200
    return response.content.decode()


def section(html, heading):
    """The text between a section's h2 and the next heading."""
    return html.split(f">{heading}</h2>", 1)[1].split("<h2", 1)[0]


def sources(html):
    """The URLs listed under "Sources"."""
    listed = section(html, "Sources")
    return [html_lib.unescape(url) for url in re.findall(r'<li id="source-\d+"><a href="([^"]+)"', listed)]


def timeline(html):
    items = re.search(r'<ol class="timeline[^"]*">(.*?)</ol>', html, re.S).group(1)
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item)).strip()
        for item in items.split("</li>")
        if "<li" in item
    ]


def expected_sources(facts):
    """The source of every fact the profile shows: texts, launch, leads, commitments, targets, and each
    stage event that changes the stage (later events within the same stage are not history rows)."""
    urls = {facts[name]["source"] for name in ("challenge", "ambition", "launched") if name in facts}
    urls |= {fact["source"] for name in ("commitments", "leads", "kpis") for fact in facts.get(name, [])}
    stage = ""
    for event in facts.get("stage_events", []):
        if event["stage"] != stage:
            urls.add(event["source"])
            stage = event["stage"]
    return urls


def test_every_profile_shows_challenge_ambition_and_commitments_or_says_they_are_not_published(
    client, demo_registry
):
    facts = read_sourced_facts()
    for row in read_partnerships():
        html = profile(client, row["slug"])
        for heading in SECTIONS:
            assert f">{heading}</h2>" in html, (row["slug"], heading)
            body = section(html, heading)
            assert re.sub(r"<[^>]+>|\s", "", body), (row["slug"], heading)  # never an empty section
        assert ">Sources</h2>" in html
        listed = sources(html)
        assert expected_sources(facts.get(row["slug"], {})) <= set(listed), row["slug"]


def test_the_16_large_scale_partnerships_and_promis_now_have_real_content(client, demo_registry):
    facts = read_sourced_facts()
    enriched = [slug for slug, row in facts.items() if "challenge" in row]
    assert len(enriched) == 17
    for slug in enriched:
        html = profile(client, slug)
        for heading, name in (("Skills challenge", "challenge"), ("Ambition", "ambition")):
            assert facts[slug][name]["value"] in html_lib.unescape(section(html, heading)), (slug, name)
        commitments = section(html, "Commitments")
        assert commitments.count("<li>") == len(facts[slug]["commitments"])
        assert "Not published yet" not in commitments


def test_each_fact_links_to_its_numbered_source_and_unconfirmed_facts_are_marked(client, demo_registry):
    html = profile(client, "automotive-lsp")
    listed = sources(html)
    challenge_url = "https://automotive-skills-alliance.eu/pact_for_skills"
    number = listed.index(challenge_url) + 1
    assert f'href="#source-{number}"' in section(html, "Skills challenge")
    assert f'href="#source-{number}"' in section(html, "Ambition")
    # One entry per page, saying which facts it supports.
    assert len(listed) == len(set(listed))
    entry = re.search(rf'<li id="source-{number}">.*?</li>', html, re.S).group(0)
    assert "Skills challenge" in entry and "Ambition" in entry and "Commitment 1" in entry
    aerospace = profile(client, "aerospace-defence-lsp")
    led_by = aerospace.split(">Led by</dt>", 1)[1].split("</dd>", 1)[0]
    assert (
        "ASD – Aerospace and Defence Industries Association of Europe" in led_by and "unconfirmed" in led_by
    )
    tourism = profile(client, "tourism-lsp")
    row = re.search(r"<tr><td>(?:<span[^>]*>)?Upskilling and reskilling of 60%.*?</tr>", tourism, re.S).group(
        0
    )
    assert "unconfirmed" in row


def test_a_partnership_with_nothing_published_says_so_plainly(client, demo_registry):
    html = profile(client, "paris-rsp")
    for heading in (*SECTIONS, "Targets"):
        assert "Not published yet." in section(html, heading), heading
    assert "no single page is recorded for them yet" in html
    assert timeline(html) == ["Date not published: Design"]


def test_the_timeline_uses_the_published_dates_and_invents_none(client, demo_registry):
    today = timezone.localdate()
    lombardy = profile(client, "lombardy-rsp")
    assert timeline(lombardy)[0].startswith("16 December 2022: Set-up")
    assert timeline(lombardy)[1] == "Date not published: Set-up → Delivery"
    assert f"{today.day} {today:%B %Y}" not in lombardy
    last_updated = lombardy.split(">Last updated</dt>", 1)[1].split("</dd>", 1)[0]
    assert "16 December 2022" in last_updated
    automotive = timeline(profile(client, "automotive-lsp"))
    assert [item.split(" –")[0] for item in automotive] == [
        "October 2020: Design",
        "10 November 2020: Design → Set-up",
        "November 2021: Set-up → Delivery",
    ]
    offshore = profile(client, "offshore-renewable-energy-lsp")
    assert any(item.startswith("2021: Design → Set-up") for item in timeline(offshore))
    assert "22 March 2024" in offshore.split(">Last updated</dt>", 1)[1].split("</dd>", 1)[0]


def test_corrections_of_the_first_data_file_are_applied(demo_registry):
    promis = Partnership.objects.get(slug="promis-rsp")
    assert (promis.launch_date, promis.launch_date_precision) == (datetime.date(2024, 5, 1), "month")
    shipbuilding = PledgedTarget.objects.filter(partnership__slug="shipbuilding-lsp")
    assert {target.target_year for target in shipbuilding} == {None}  # the source names no year
    automotive = Partnership.objects.get(slug="automotive-lsp")
    assert automotive.launch_date == datetime.date(2020, 11, 10)


def test_seeding_again_keeps_the_history_and_never_overwrites_a_live_stage_move(demo_registry):
    before = list(StageChange.objects.order_by("pk").values_list("pk", "changed_on"))
    call_command("seed_demo", verbosity=0)
    assert list(StageChange.objects.order_by("pk").values_list("pk", "changed_on")) == before
    paris = Partnership.objects.get(slug="paris-rsp")
    partnership_move_stage(
        partnership=paris, to_stage="set_up", by=make_staff(username="mover"), reason="Kick-off"
    )
    call_command("seed_demo", verbosity=0)
    history = list(paris.stage_changes.values_list("to_stage", "changed_on"))
    assert history == [("design", None), ("set_up", timezone.localdate())]
