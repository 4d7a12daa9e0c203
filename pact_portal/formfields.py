"""Form fields that the public forms of several apps ask the same way (the contact person of a join request
and of an Expression of Interest)."""

from django import forms

from .validators import single_line


def person_name_field(label):
    """A person's full name: one line (it goes into e-mails), offered by the browser's autofill."""
    return forms.CharField(
        label=label,
        max_length=200,
        validators=[single_line],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


def contact_email_field(label, help_text):
    """The address the portal writes to, offered by the browser's autofill."""
    return forms.EmailField(
        label=label, help_text=help_text, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
