"""What the public forms share: the one-line rule for names, and a service's refusal shown on the form."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def single_line(value):
    """A name is one line: no line break, tab or other control character. Names go into e-mails, where a line
    break would let the sender write lines (a subject, a link) of their own."""
    if any(unicodedata.category(character) == "Cc" for character in value):
        raise ValidationError(_("Write this on one line, without line breaks or tabs."), code="single_line")


def show_on_form(form, error):
    """A service's ValidationError on the form that sent the data: each message beside its field, the rest (and
    messages about fields the form does not have) at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
