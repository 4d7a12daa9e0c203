"""The public form of a request to join a partnership, and the coordinators' decision form."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pact_portal.antispam import HoneypotMixin
from pact_portal.formfields import contact_email_field, person_name_field
from pact_portal.validators import single_line

from . import services
from .models import Region, StakeholderType

LONG_TEXT = 5000
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def yes_no(value):
    """The answer of a yes/no radio: True, False, or None when not given."""
    return {"yes": True, "no": False}.get(value)


class OrganisationFields(forms.Form):
    """The organisation as a public form names it, to be matched against the registry (by name and country) when
    it is taken in: the Expression of Interest's first step and a request to join. Checked by the registry's rule,
    ``services.organisation_problems`` (with the region, when the form has one)."""

    organisation_name = forms.CharField(
        label=_("Name of the organisation"), max_length=255, validators=[single_line]
    )
    organisation_type = forms.ChoiceField(
        label=_("Type of stakeholder"), choices=[("", "---------"), *StakeholderType.choices]
    )
    organisation_is_sme = forms.TypedChoiceField(
        label=_("For a company: is it a small or medium-sized enterprise (fewer than 250 staff)?"),
        choices=YES_NO,
        coerce=yes_no,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    organisation_country = forms.ModelChoiceField(
        label=_("Country"), queryset=Region.objects.filter(level=0).order_by("name")
    )
    organisation_website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    def clean(self):
        cleaned = super().clean()
        problems = services.organisation_problems(
            stakeholder_type=cleaned.get("organisation_type"),
            is_sme=cleaned.get("organisation_is_sme"),
            country=cleaned.get("organisation_country"),
            region=cleaned.get("organisation_region"),
        )
        for field, message in problems.items():
            self.add_error(field, message)
        return cleaned


class JoinRequestForm(HoneypotMixin, OrganisationFields):
    """Who the organisation is, what it would bring, who to contact."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    contribution = forms.CharField(
        label=_("What would the organisation bring to the partnership?"),
        help_text=_("For example: training places, trainers, funding, data, a network of companies."),
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    contact_name = person_name_field(_("Contact person: full name"))
    contact_email = contact_email_field(
        _("Contact person: e-mail"), _("We send the link to follow your request to this address.")
    )
    consent = forms.BooleanField(
        label=_(
            "I have read the privacy notice and agree that my data is processed as it describes, and shared "
            "with the partnership's coordinators."
        ),
        error_messages={"required": _("Accept the privacy notice to send the request.")},
    )

    def clean_contribution(self):
        text = self.cleaned_data["contribution"].strip()
        if len(text) < 20:
            raise ValidationError(_("Say in a sentence or two what the organisation would bring."))
        return text

    @staticmethod
    def initial_for_new():
        return {"idempotency_key": uuid.uuid4().hex}


class JoinDecisionForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the organisation"),
        help_text=_("E-mailed to the organisation and shown on its request's page. Required to decline."),
        max_length=LONG_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
