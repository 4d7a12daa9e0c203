"""The applicant's forms, one per step; the cross-field rules live in services/applications.py and are shared."""

import re
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pact_portal.formfields import contact_email_field, person_name_field
from pact_portal.validators import single_line
from pact_portal.widgets import ByLabelMultipleChoiceField, LongSelect, LongSelectMultiple
from partnerships.forms import YES_NO, OrganisationFields, yes_no
from partnerships.models import Ecosystem, StakeholderType

from ..models.applications import RSP_SCOPES, STEP_FIELDS
from ..selectors import applications as selectors
from ..services import applications as services
from .common import LONG_TEXT, SUPPORT_STAGE_CHOICES, HoneypotMixin, optional_checkboxes


def _to_yes_no(value):
    return {True: "yes", False: "no"}.get(value, "")


class RegionChoiceField(forms.ModelChoiceField):
    widget = LongSelect  # some 300 NUTS 2 regions

    def label_from_instance(self, region):
        return f"{region.name} ({region.code})"


class RegionMultipleChoiceField(forms.ModelMultipleChoiceField):
    widget = LongSelectMultiple

    def label_from_instance(self, region):
        return f"{region.code} – {region.name}"


class OrganisationStepForm(HoneypotMixin, OrganisationFields):
    """The registry's organisation fields and rule (shared with a request to join), the region and Pact membership."""

    title = _("The applying organisation")
    field_order = ["idempotency_key", *STEP_FIELDS[1]]
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    organisation_region = RegionChoiceField(
        label=_("NUTS 2 region"),
        queryset=selectors.region_choices(),
        required=False,
        help_text=_("Optional: the region where the organisation is based."),
        widget=LongSelect(attrs={"data-narrow-by": "organisation_country"}),
    )
    is_pact_member = forms.TypedChoiceField(
        label=_("Is the organisation already a member of the Pact for Skills?"),
        choices=YES_NO,
        coerce=yes_no,
        empty_value=None,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Once the country is chosen, the region list holds that country's regions only.
        chosen = self.data.get(self.add_prefix("organisation_country")) if self.is_bound else None
        if chosen is None:
            chosen = self.initial.get("organisation_country")
        # Matched in Python: the posted value may be anything (a NUL byte would stop PostgreSQL).
        code = str(getattr(chosen, "pk", chosen) or "")
        country = next((c for c in selectors.country_choices() if c.pk == code), None) if code else None
        if country is not None:
            field = self.fields["organisation_region"]
            field.queryset = selectors.region_choices(country=country)
            field.error_messages["invalid_choice"] = _("Choose a region in %(country)s.") % {
                "country": country.name
            }

    @classmethod
    def refreshed(cls, data):
        """The form as posted, unbound (no errors shown): "Show the regions" asks only for the region list."""
        initial = {name: data.get(name, "") for name in cls.base_fields if name != "homepage"}
        return cls(initial=initial)

    @classmethod
    def initial_for(cls, eoi):
        if eoi is None:
            return {"idempotency_key": uuid.uuid4().hex}
        return {
            "organisation_name": eoi.organisation_name,
            "organisation_type": eoi.organisation_type,
            "organisation_is_sme": _to_yes_no(eoi.organisation_is_sme),
            "organisation_country": eoi.organisation_country_id,
            "organisation_region": eoi.organisation_region_id,
            "organisation_website": eoi.organisation_website,
            "is_pact_member": _to_yes_no(eoi.is_pact_member),
        }


PHONE = re.compile(r"^\+?[0-9 ()./-]{6,30}$")


class ContactStepForm(HoneypotMixin):
    title = _("The contact person")
    contact_name = person_name_field(_("Full name"))
    contact_role = forms.CharField(
        label=_("Role in the organisation"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    contact_email = contact_email_field(
        _("E-mail"), _("We send the secret link to your application to this address.")
    )
    contact_phone = forms.CharField(
        label=_("Phone (optional)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )

    def clean_contact_phone(self):
        phone = self.cleaned_data["contact_phone"].strip()
        if phone and not PHONE.match(phone):
            raise ValidationError(_("Enter a phone number with digits only, for example +32 2 123 45 67."))
        return phone

    @classmethod
    def initial_for(cls, eoi):
        return {name: getattr(eoi, name) for name in STEP_FIELDS[2]}


class ProposalStepForm(HoneypotMixin):
    title = _("The proposed partnership")
    partnership_name = forms.CharField(
        label=_("Working name of the partnership"), max_length=255, validators=[single_line]
    )
    scope = forms.ChoiceField(
        label=_("Geographic scope"),
        choices=[(scope.value, scope.label) for scope in RSP_SCOPES],
        widget=forms.RadioSelect,
        help_text=_(
            "Single region: one region of one Member State. Macro-region: regions across several Member States. "
            "Network of regions: several regions of one Member State."
        ),
    )
    regions = RegionMultipleChoiceField(
        label=_("Regions (NUTS 2)"),
        queryset=selectors.region_choices(),
        widget=LongSelectMultiple(attrs={"size": 10}),
        help_text=_("Hold Ctrl (Cmd on a Mac) to choose more than one."),
    )
    ecosystems = ByLabelMultipleChoiceField(
        label=_("Industrial ecosystems"),
        queryset=Ecosystem.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
    )
    challenge = forms.CharField(
        label=_("The skills challenge"), max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 4})
    )
    objectives = forms.CharField(
        label=_("Objectives"), max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 4})
    )
    potential_partners = forms.CharField(
        label=_("Potential partners (optional)"),
        max_length=LONG_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    partner_types = optional_checkboxes(_("Types of potential partners"), StakeholderType.choices)
    support_stages = optional_checkboxes(
        _("Support wanted from the support services, by lifecycle stage"), SUPPORT_STAGE_CHOICES
    )
    support_wanted = forms.CharField(
        label=_("What support would help you? (optional)"),
        max_length=LONG_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scope") and "regions" in cleaned:
            for field, message in services.proposal_problems(
                scope=cleaned["scope"], regions=cleaned["regions"]
            ).items():
                self.add_error(field, message)
        return cleaned

    @classmethod
    def initial_for(cls, eoi):
        initial = {name: getattr(eoi, name) for name in STEP_FIELDS[3]}
        initial["regions"] = [region.pk for region in eoi.regions.all()]
        initial["ecosystems"] = [ecosystem.pk for ecosystem in eoi.ecosystems.all()]
        return initial


class ReviewStepForm(HoneypotMixin):
    title = _("Review and submit")
    consent = forms.BooleanField(
        label=_("I have read the privacy notice and agree that my data is processed as it describes."),
        error_messages={"required": _("Accept the privacy notice to submit the application.")},
    )


STEP_FORMS = {1: OrganisationStepForm, 2: ContactStepForm, 3: ProposalStepForm, 4: ReviewStepForm}


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer"), max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 5})
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ResumeLinkForm(HoneypotMixin):
    email = forms.EmailField(label=_("The e-mail address you gave as contact"))
