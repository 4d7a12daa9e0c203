"""What a declaration held at each submission, and the reviewer's field-by-field comparison of any two."""

import difflib

from django.utils import formats
from django.utils.translation import gettext as _

from ..models import CHARTER_PRINCIPLES, DeclarationSubmission
from .content import declaration_content


def submission_record(declaration, ctx):
    """After the "submit" transition (its ``after`` hook, in its transaction): keep the content submitted."""
    last = declaration.submissions.order_by("-number").values_list("number", flat=True).first() or 0
    actor = ctx.actor if ctx.actor is not None and ctx.actor.is_authenticated else None
    return DeclarationSubmission.objects.create(
        declaration=declaration,
        number=last + 1,
        submitted_at=declaration.submitted_at,
        submitted_by=actor,
        content=declaration_content(declaration),
    )


# --- Comparing two versions ---------------------------------------------------------------------------


def comparable_versions(*, declaration):
    """Every version of the partnership's declarations a reviewer may compare, oldest first, as
    ``(key, label, content)``: each submission, and the content as it stands of a declaration never submitted
    since this record began or (for ``declaration``) changed since its last submission."""
    from ..models import Declaration

    declarations = list(
        Declaration.objects.filter(partnership_id=declaration.partnership_id)
        .select_related("partnership")
        .prefetch_related("submissions", "objectives", "actions__lead_organisation", "kpis")
        .order_by("version")
    )
    versions = []
    for each in declarations:
        submissions = list(each.submissions.all())
        for submission in submissions:
            label = _("v%(version)s, submission %(number)s (%(when)s)") % {
                "version": each.version,
                "number": submission.number,
                "when": formats.date_format(submission.submitted_at, "SHORT_DATETIME_FORMAT"),
            }
            versions.append((f"s{submission.pk}", label, submission.content))
        if not submissions or (each.pk == declaration.pk and each.is_editable):
            label = _("v%(version)s as it stands (%(status)s)") % {
                "version": each.version,
                "status": each.get_status_display(),
            }
            versions.append((f"d{each.pk}", label, declaration_content(each)))
    return versions


def default_comparison(*, declaration, versions):
    """(from, to) keys: this declaration's latest version against the one before it."""
    own_keys = {
        f"d{declaration.pk}",
        *(f"s{pk}" for pk in declaration.submissions.values_list("pk", flat=True)),
    }
    own = [key for key, _label, _content in versions if key in own_keys]
    if not own:
        return None, None
    to = own[-1]
    keys = [key for key, _label, _content in versions]
    index = keys.index(to)
    return (keys[index - 1] if index > 0 else None), to


def _lines(content):
    """The content as fields with readable labels: ``(label, value)``, a value being text or a list."""
    principles = content.get("principles", {})
    fields = [
        (_("Skills challenge"), content.get("challenge", "")),
        (_("Ambition"), content.get("ambition", "")),
    ]
    fields += [
        (str(label), _("Yes") if principles.get(field) else _("No")) for field, label in CHARTER_PRINCIPLES
    ]
    fields.append((_("Objectives"), list(content.get("objectives", []))))
    fields.append(
        (
            _("Actions"),
            [
                " · ".join(
                    part
                    for part in (
                        action.get("what", ""),
                        action.get("lead", ""),
                        " – ".join(d for d in (action.get("start", ""), action.get("end", "")) if d),
                    )
                    if part
                )
                for action in content.get("actions", [])
            ],
        )
    )
    fields.append(
        (
            _("Key performance indicators"),
            [
                _("%(indicator)s: %(baseline)s → %(target)s %(unit)s by %(year)s")
                % {
                    "indicator": kpi.get("indicator", ""),
                    "baseline": kpi.get("baseline", ""),
                    "target": kpi.get("target", ""),
                    "unit": kpi.get("unit", ""),
                    "year": kpi.get("target_year", ""),
                }
                for kpi in content.get("kpis", [])
            ],
        )
    )
    return fields


def submission_diff(before, after):
    """Field by field, with readable labels: ``{"label", "changed", "before", "after"}`` for a text and
    ``{"label", "changed", "items": [(kind, text)]}`` for a list (kind: "same", "added" or "removed")."""
    rows = []
    for (label, old), (_label, new) in zip(_lines(before), _lines(after), strict=True):
        if isinstance(old, list):
            items = []
            for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
                if tag == "equal":
                    items += [("same", text) for text in old[i1:i2]]
                    continue
                items += [("removed", text) for text in old[i1:i2]]
                items += [("added", text) for text in new[j1:j2]]
            rows.append({"label": label, "changed": old != new, "items": items})
        else:
            rows.append({"label": label, "changed": old != new, "before": old, "after": new})
    return rows
