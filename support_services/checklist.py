"""The stage checklists as first seeded (migration 0003); staff edit them in the admin afterwards.

The texts are marked for the catalogues: the seed fills each language's columns from them (migration 0009 for
the rows there were, ``manage.py seed_demo`` again after the catalogues change), never over what staff wrote.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_noop

CHECKLIST = {
    "design": [
        (
            gettext_noop("Scope of the partnership"),
            gettext_noop("Agree the geographic and sectoral scope and the skills challenge."),
        ),
        (
            gettext_noop("Potential members"),
            gettext_noop("Map the organisations that should take part and invite them."),
        ),
        (gettext_noop("Goals"), gettext_noop("Set the partnership's goals and its ambition.")),
        (gettext_noop("Actions"), gettext_noop("Plan the first actions: what, who, by when.")),
    ],
    "set_up": [
        (
            gettext_noop("Roles and responsibilities"),
            gettext_noop("Agree who coordinates and what each member contributes."),
        ),
        (gettext_noop("Regular meetings"), gettext_noop("Set up a calendar of regular meetings.")),
        (
            gettext_noop("Management, decision-making and monitoring and reporting mechanisms"),
            gettext_noop("Agree how decisions are taken and how progress is monitored and reported."),
        ),
        (
            gettext_noop("Visibility"),
            gettext_noop("Plan how the partnership presents itself and its results."),
        ),
    ],
    "delivery": [
        (
            gettext_noop("Tools, templates and good practice for managing the partnership"),
            gettext_noop("Use the support services' tools, templates and good practice."),
        ),
        (
            gettext_noop("Synergies with EU and national funding"),
            gettext_noop("Identify EU and national funding that fits the actions."),
        ),
        (
            gettext_noop("Attracting new members"),
            gettext_noop("Reach out to organisations that should join."),
        ),
        (
            gettext_noop("Showcasing good practice"),
            gettext_noop("Share results and good practice with the Pact community."),
        ),
    ],
}


TRANSLATED_FIELDS = ("title", "description")


def checklist_seed(ChecklistItem):
    """Create the seeded items that are missing and fill their empty language columns (idempotent);
    ``ChecklistItem`` may be a historical model, with or without the language columns."""
    # In English: modeltranslation reads a lookup on ``title`` as one on the active language's column.
    with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
        for stage, items in CHECKLIST.items():
            for order, (title, description) in enumerate(items, start=1):
                ChecklistItem.objects.get_or_create(
                    stage=stage, title=title, defaults={"description": description, "order": order * 10}
                )
    checklist_translations_fill(ChecklistItem)


def checklist_translations_fill(ChecklistItem):
    """Fill the empty language columns of every item: English from the base column, every other language from
    its catalogue where it translates the English text. Columns staff filled are kept; returns how many rows
    changed. A model without the language columns (migration 0003's) is left as it is."""
    languages = [
        code
        for code, _name in settings.LANGUAGES
        if _has_field(ChecklistItem, f"{TRANSLATED_FIELDS[0]}_{code}")
    ]
    if not languages:
        return 0
    english = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    items = list(ChecklistItem.objects.order_by("pk"))
    # modeltranslation adds a unique title per stage for each language: a catalogue that gives two titles of
    # one stage the same translation leaves the second one to staff rather than failing the migration.
    taken = {(item.stage, code, getattr(item, f"title_{code}")) for item in items for code in languages}
    changed = 0
    for item in items:
        updates = []
        for field in TRANSLATED_FIELDS:
            source = getattr(item, f"{field}_{english}") or item.__dict__[field]  # the base column
            if not source:
                continue
            for code in languages:
                column = f"{field}_{code}"
                if getattr(item, column):
                    continue
                if code == english:
                    text = source
                else:
                    with translation.override(code):
                        text = translation.gettext(source)
                    if text == source:
                        continue  # no translation yet: the page falls back to English
                if field == "title":
                    if (item.stage, code, text) in taken:
                        continue
                    taken.add((item.stage, code, text))
                setattr(item, column, text)
                updates.append(column)
        if updates:
            item.save(update_fields=updates)
            changed += 1
    return changed


def _has_field(model, name):
    return any(field.name == name for field in model._meta.get_fields())
