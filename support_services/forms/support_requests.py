"""A coordinator's request for help."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from partnerships.models import Stage

from ..models.support_requests import SupportTopic
from .common import LONG_TEXT


class SupportRequestForm(forms.Form):
    """A coordinator's request for help; the partnership is one of theirs (checked again by the view)."""

    partnership = forms.ModelChoiceField(label=_("Partnership"), queryset=None, empty_label=None)
    topic = forms.ChoiceField(label=_("Topic"), choices=[("", "---------"), *SupportTopic.choices])
    stage = forms.ChoiceField(
        label=_("Stage"),
        required=False,
        choices=[("", _("The partnership's current stage")), *Stage.choices],
        help_text=_("The lifecycle stage your question is about."),
    )
    message = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=LONG_TEXT,
        help_text=_("What do you need help with? The support services answer here and by e-mail."),
    )

    def __init__(self, *args, partnerships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if not message:
            raise ValidationError(_("Write your message."))
        return message
