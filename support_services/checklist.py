"""The stage checklists as first seeded (migration 0003); staff edit them in the admin afterwards.

The texts are marked for the catalogues: the seed fills each language's columns from them.
"""

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


def checklist_seed(ChecklistItem):
    """Create the seeded items that are missing (idempotent); ``ChecklistItem`` may be a historical model."""
    for stage, items in CHECKLIST.items():
        for order, (title, description) in enumerate(items, start=1):
            ChecklistItem.objects.get_or_create(
                stage=stage, title=title, defaults={"description": description, "order": order * 10}
            )
