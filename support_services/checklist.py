"""The stage checklists as first seeded (migration 0003); staff edit them in the admin afterwards."""

CHECKLIST = {
    "design": [
        ("Scope of the partnership", "Agree the geographic and sectoral scope and the skills challenge."),
        ("Potential members", "Map the organisations that should take part and invite them."),
        ("Goals", "Set the partnership's goals and its ambition."),
        ("Actions", "Plan the first actions: what, who, by when."),
    ],
    "set_up": [
        ("Roles and responsibilities", "Agree who coordinates and what each member contributes."),
        ("Regular meetings", "Set up a calendar of regular meetings."),
        (
            "Management, decision-making and monitoring and reporting mechanisms",
            "Agree how decisions are taken and how progress is monitored and reported.",
        ),
        ("Visibility", "Plan how the partnership presents itself and its results."),
    ],
    "delivery": [
        (
            "Tools, templates and good practice for managing the partnership",
            "Use the support services' tools, templates and good practice.",
        ),
        ("Synergies with EU and national funding", "Identify EU and national funding that fits the actions."),
        ("Attracting new members", "Reach out to organisations that should join."),
        ("Showcasing good practice", "Share results and good practice with the Pact community."),
    ],
}


def checklist_seed(ChecklistItem):
    """Create the seeded items that are missing (idempotent); ``ChecklistItem`` may be a historical model."""
    for stage, items in CHECKLIST.items():
        for order, (title, description) in enumerate(items, start=1):
            ChecklistItem.objects.get_or_create(
                stage=stage, title=title, defaults={"description": description, "order": order * 10}
            )
