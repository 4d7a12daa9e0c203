"""What the support services' public forms share: the honeypot against bots, the long-text limit, optional
checkboxes (such as the support stages)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models.lifecycle import SUPPORT_STAGES

LONG_TEXT = 5000
SUPPORT_STAGE_CHOICES = [(stage.value, stage.label) for stage in SUPPORT_STAGES]


def optional_checkboxes(label, choices):
    """Any number of ``choices``, none required, as a group of checkboxes."""
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class HoneypotMixin(forms.Form):
    """A field people never see (hidden by CSS, out of the tab order); bots that fill it are refused."""

    homepage = forms.CharField(label=_("Leave this field empty"), required=False)

    def is_spam(self):
        return bool(self.data.get("homepage", "").strip())
