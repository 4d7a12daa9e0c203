"""Validators the public forms share."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def single_line(value):
    """A name is one line: no line break, tab or other control character. Names go into e-mails, where a line
    break would let the sender write lines (a subject, a link) of their own."""
    if any(unicodedata.category(character) == "Cc" for character in value):
        raise ValidationError(_("Write this on one line, without line breaks or tabs."), code="single_line")
