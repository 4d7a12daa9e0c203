"""The translation catalogues: every language the portal offers has one, complete, with its placeholders,
HTML and plural forms intact. A new string left untranslated in any language fails here."""

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.conf import settings

from partnerships.reference_data import read_ecosystems
from partnerships.vocabulary import ECOSYSTEM_NAMES

LOCALE = Path(settings.BASE_DIR) / "locale"
# English is the source language: its strings are the msgids themselves.
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
PLACEHOLDER = re.compile(r"%\([a-zA-Z0-9_]+\)[sdifr]|%[sdif]|\{[a-zA-Z0-9_]*\}")
TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*\b")
# The official EU languages whose plural rules have more than two forms (gettext's rules).
NPLURALS = {"cs": 3, "sk": 3, "pl": 3, "hr": 3, "lt": 3, "lv": 3, "ro": 3, "sl": 4, "mt": 4, "ga": 5}


def catalogue(code):
    return polib.pofile(str(LOCALE / code / "LC_MESSAGES" / "django.po"))


def forms(entry):
    if entry.msgid_plural:
        return [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def test_every_official_eu_language_is_offered():
    official = "bg cs da de el en es et fi fr ga hr hu it lt lv mt nl pl pt ro sk sl sv"
    assert sorted(code for code, _name in settings.LANGUAGES) == official.split()


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_catalogue_is_complete_and_nothing_is_fuzzy(code):
    po = catalogue(code)
    assert po.metadata["Language"] == code
    nplurals = int(re.search(r"nplurals=(\d)", po.metadata["Plural-Forms"]).group(1))
    assert nplurals == NPLURALS.get(code, 2)
    live = [entry for entry in po if not entry.obsolete]
    assert len(live) > 1000
    assert not po.untranslated_entries(), [entry.msgid for entry in po.untranslated_entries()][:10]
    assert not po.fuzzy_entries(), [entry.msgid for entry in po.fuzzy_entries()][:10]
    for entry in live:
        assert all(form.strip() for form in forms(entry)), entry.msgid
        if entry.msgid_plural:
            assert len(entry.msgstr_plural) == nplurals, entry.msgid


@pytest.mark.parametrize("code", TRANSLATED)
def test_placeholders_and_html_survive_translation(code):
    problems = []
    for entry in catalogue(code):
        if entry.obsolete:
            continue
        sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
        allowed = Counter()
        for source in sources:
            allowed |= Counter(PLACEHOLDER.findall(source))
        for index, form in enumerate(forms(entry)):
            used = Counter(PLACEHOLDER.findall(form))
            # A singular form may spell the number out ("one signature") where the English does.
            expected = Counter(PLACEHOLDER.findall(sources[min(index, len(sources) - 1)]))
            if used != expected and not (entry.msgid_plural and set(used) <= set(allowed)):
                problems.append(f"{entry.msgid!r} [{index}]: {dict(used)} != {dict(expected)}")
            if sorted(TAG.findall(form)) != sorted(TAG.findall(entry.msgid)):
                problems.append(f"{entry.msgid!r} [{index}]: HTML tags differ")
    assert not problems, "\n".join(problems[:20])


@pytest.mark.parametrize("code", TRANSLATED)
def test_msgfmt_checks_the_catalogue(code):
    """msgfmt --check: the header, the plural formula, and every python-format string's placeholders."""
    assert shutil.which("msgfmt"), "GNU gettext's msgfmt is needed: make messages installs it"
    path = LOCALE / code / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_no_catalogue_for_a_language_the_portal_does_not_offer():
    offered = {code for code, _name in settings.LANGUAGES}
    assert {path.name for path in LOCALE.iterdir() if path.is_dir()} == offered - {settings.LANGUAGE_CODE}


def test_every_ecosystem_of_the_data_is_in_the_vocabulary():
    assert {row["name"] for row in read_ecosystems()} == set(ECOSYSTEM_NAMES)


def test_the_glossary_has_every_term_in_every_language():
    rows = list(csv_rows(LOCALE / "GLOSSARY.csv"))
    assert len(rows) > 30
    for row in rows:
        for code, _name in settings.LANGUAGES:
            assert row[code].strip(), (row["term"], code)
    # The glossary's ecosystem names are the ones the catalogues use.
    for row in rows:
        if row["en"] in ECOSYSTEM_NAMES:
            for code in TRANSLATED:
                entry = catalogue(code).find(row["en"])
                assert entry is not None and entry.msgstr == row[code], (row["en"], code)


def csv_rows(path):
    import csv

    with open(path, encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


def test_translators_notes_name_the_glossary():
    readme = (LOCALE / "README.md").read_text(encoding="utf-8")
    assert "GLOSSARY.csv" in readme and "makemessages" in readme and "compilemessages" in readme
