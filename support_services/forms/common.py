"""What the support services' public forms share: the honeypot against bots, the long-text limit, optional
checkboxes (such as the support stages)."""

from django import forms

from pact_portal.antispam import HoneypotMixin  # noqa: F401 - the forms of this package import it from here

from ..models.lifecycle import SUPPORT_STAGES

LONG_TEXT = 5000
SUPPORT_STAGE_CHOICES = [(stage.value, stage.label) for stage in SUPPORT_STAGES]


def optional_checkboxes(label, choices):
    """Any number of ``choices``, none required, as a group of checkboxes."""
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple
    )
