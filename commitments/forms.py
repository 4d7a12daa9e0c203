from django import forms
from django.utils.translation import gettext_lazy as _

from pact_portal.validators import single_line
from pact_portal.widgets import NativeDateInput
from partnerships.models import Organisation

from .models import CHARTER_PRINCIPLES, KPI, Action, KPIProgress


class SignForm(forms.Form):
    name = forms.CharField(label=_("Your full name"), max_length=200, validators=[single_line])
    title = forms.CharField(label=_("Your title or position"), max_length=200)
    statement = forms.BooleanField(
        label=_(
            "I am authorised to sign on behalf of my organisation, I have read this exact version of the "
            "declaration, and my organisation commits to it."
        ),
        required=True,
    )


class VerifyCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_("Printed at the foot of every page of the PDF, for example ABCD-EFGH-JKLM."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )


class VerifyUploadForm(forms.Form):
    file = forms.FileField(label=_("PDF file to check"))

    def clean_file(self):
        """A PDF by its first bytes, whatever its name or declared type says."""
        upload = self.cleaned_data["file"]
        upload.seek(0)
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise forms.ValidationError(
                _("This file is not a PDF. Choose the signed declaration's PDF file."),
                code="not_pdf",
            )
        return upload


class DeclarationForm(forms.Form):
    challenge = forms.CharField(label=_("Skills challenge"), widget=forms.Textarea(attrs={"rows": 4}))
    ambition = forms.CharField(label=_("Ambition"), widget=forms.Textarea(attrs={"rows": 4}))
    principles = forms.MultipleChoiceField(
        label=_("Adherence to the principles of the Pact for Skills Charter"),
        choices=CHARTER_PRINCIPLES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class ObjectiveForm(forms.Form):
    text = forms.CharField(label=_("Objective"), widget=forms.Textarea(attrs={"rows": 2}))


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = ["what", "lead_organisation", "start", "end"]
        widgets = {
            "what": forms.Textarea(attrs={"rows": 2}),
            "start": NativeDateInput(),
            "end": NativeDateInput(),
        }

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_organisation"].queryset = (
            organisations if organisations is not None else Organisation.objects.none()
        )


class KPIForm(forms.ModelForm):
    class Meta:
        model = KPI
        fields = ["indicator", "unit", "baseline", "target", "target_year"]


class KPIProgressForm(forms.ModelForm):
    class Meta:
        model = KPIProgress
        fields = ["value", "reported_on", "note"]
        widgets = {
            "reported_on": NativeDateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }


ObjectiveFormSet = forms.formset_factory(ObjectiveForm, extra=1, can_delete=True)
ActionFormSet = forms.formset_factory(ActionForm, extra=1, can_delete=True)
KPIFormSet = forms.formset_factory(KPIForm, extra=1, can_delete=True)

# "Add rows" (a submit button, so it works without JavaScript): how many rows one click may add.
MAX_ROWS_ADDED = 20


def rows_to_add(data, prefix):
    """The number of rows asked for next to the formset's "Add rows" button, within 1..MAX_ROWS_ADDED."""
    try:
        wanted = int(data.get(f"add_rows_{prefix}", 1))
    except (TypeError, ValueError):
        wanted = 1
    return max(1, min(wanted, MAX_ROWS_ADDED))


def formset_with_more_rows(formset_class, data, *, prefix, more=0, **kwargs):
    """The formset as it was posted, with ``more`` empty rows: what was typed stays, and nothing is checked
    yet (an unfinished row shows no error). Rows left empty stay empty rows, never required ones."""
    posted = formset_class(data, prefix=prefix, **kwargs)
    filled, empty = [], 0
    for form in posted.forms:
        values = {name: form[name].value() for name in form.fields}
        if any(value not in (None, "", False) for name, value in values.items() if name != "DELETE"):
            filled.append(values)
        else:
            empty += 1
    formset = formset_class(prefix=prefix, initial=filled, **kwargs)
    formset.extra = empty + more
    return formset


class SignatoriesForm(forms.Form):
    """One e-mail field per current member organisation; left empty means that organisation does not sign."""

    def __init__(self, *args, memberships, initial_emails, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {}
        for membership in memberships:
            organisation = membership.organisation
            key = f"org_{organisation.pk}"
            self.organisations[key] = organisation
            self.fields[key] = forms.EmailField(
                label=_("Signatory for %(organisation)s") % {"organisation": organisation.name},
                required=False,
                initial=initial_emails.get(organisation.pk, ""),
            )

    def clean(self):
        data = super().clean()
        if not any(data.get(key) for key in self.organisations):
            raise forms.ValidationError(_("Give at least one signatory."))
        return data

    def choices(self):
        return {
            org: self.cleaned_data[key]
            for key, org in self.organisations.items()
            if self.cleaned_data.get(key)
        }
