"""The newsletter's subscribe and unsubscribe forms."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from pact_portal.widgets import ByLabelMultipleChoiceField
from partnerships.models import Ecosystem

from .common import SUPPORT_STAGE_CHOICES, HoneypotMixin, optional_checkboxes


class NewsletterForm(HoneypotMixin):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    language = forms.ChoiceField(label=_("Language of the newsletter"), choices=settings.LANGUAGES)
    ecosystems = ByLabelMultipleChoiceField(
        label=_("Industrial ecosystems you follow (optional)"),
        queryset=Ecosystem.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    stages = optional_checkboxes(
        _("Partnership stages you are interested in (optional)"), SUPPORT_STAGE_CHOICES
    )
    consent = forms.BooleanField(
        label=_(
            "I want to receive the Pact for Skills newsletter at this address and have read the privacy notice."
        ),
        error_messages={"required": _("Tick this box to subscribe.")},
    )


class UnsubscribeForm(forms.Form):
    """No fields: the token in the address is the authority; the button keeps link scanners from acting."""
