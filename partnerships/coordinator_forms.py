"""Forms of the coordinator area for a partnership's profile and member list."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pact_portal.search import search_text

from .models import MembershipRole, Organisation, Partnership, Region, StakeholderType


class PartnershipProfileForm(forms.ModelForm):
    class Meta:
        model = Partnership
        fields = ["acronym", "text_language", "summary", "challenge", "ambition", "website", "contact_email"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "challenge": forms.Textarea(attrs={"rows": 4}),
            "ambition": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left out of a post, the language stays what it was (English for the partnerships already registered).
        self.fields["text_language"].required = False

    def clean_text_language(self):
        return self.cleaned_data.get("text_language") or self.instance.text_language


class MemberAddExistingForm(forms.Form):
    """An organisation already in the public registry joins as a member or associate. Organisations known only
    from applications or unpublished partnerships are not offered (their existence is not public), and the
    coordinator role is given by the support services, not taken by a coordinator."""

    q = forms.CharField(
        label=_("Search organisations"),
        required=False,
        max_length=200,
        help_text=_("Part of the name; press “Search” to narrow the list below."),
        widget=forms.TextInput(attrs={"type": "search", "data-filter-select": "existing-organisation"}),
    )
    organisation = forms.ModelChoiceField(
        label=_("Existing organisation"), queryset=Organisation.objects.with_public_page().order_by("name")
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (value, label) for value, label in MembershipRole.choices if value != MembershipRole.COORDINATOR
        ],
        initial=MembershipRole.MEMBER,
    )

    def __init__(self, *args, search="", **kwargs):
        super().__init__(*args, **kwargs)
        self.search = (search or "").strip()[:200]
        if self.search:
            field = self.fields["organisation"]
            field.queryset = search_text(field.queryset, self.search, ["name"])

    def matches(self):
        """How many organisations the list offers (after the search)."""
        return self.fields["organisation"].queryset.count()


class MemberCreateForm(forms.Form):
    name = forms.CharField(label=_("Organisation name"), max_length=255)
    country = forms.ModelChoiceField(
        label=_("Country"), queryset=Region.objects.filter(level=0).order_by("name")
    )
    stakeholder_type = forms.ChoiceField(label=_("Stakeholder type"), choices=StakeholderType.choices)
    is_sme = forms.NullBooleanField(
        label=_("SME (companies only)"),
        required=False,
        widget=forms.Select(choices=[("unknown", "—"), ("true", _("Yes")), ("false", _("No"))]),
    )
    website = forms.URLField(label=_("Website"), required=False)
