"""What the support services' public forms share: the honeypot against bots, the long-text limit."""

from django import forms
from django.utils.translation import gettext_lazy as _

LONG_TEXT = 5000


class HoneypotMixin(forms.Form):
    """A field people never see (hidden by CSS, out of the tab order); bots that fill it are refused."""

    homepage = forms.CharField(label=_("Leave this field empty"), required=False)

    def is_spam(self):
        return bool(self.data.get("homepage", "").strip())
