"""Django's own strings that visitors read on the public pages, marked for the portal's catalogues.

Django ships no Maltese catalogue, so Maltese dates and form errors would be in English. Listing the strings
here puts them in the portal's catalogues: the Maltese entries are translated like every other string, and
for the languages Django does translate, the entries are filled from Django's own catalogue when a language's
catalogue is built (``locale/README.md``), so nothing changes for them.
"""

from django.utils.translation import gettext_noop

# The month names of the date formats (``F``: "12 Awwissu 2024").
MONTHS = (
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
)

# Form field errors the public forms can show (Expression of Interest, join request, newsletter, verification).
FORM_ERRORS = (
    gettext_noop("This field is required."),
    gettext_noop("Enter a valid email address."),
    gettext_noop("Enter a valid URL."),
    gettext_noop("Enter a valid date."),
    gettext_noop("Enter a whole number."),
    gettext_noop("Enter a number."),
    gettext_noop("The submitted file is empty."),
    gettext_noop("Select a valid choice. That choice is not one of the available choices."),
    gettext_noop("Select a valid choice. %(value)s is not one of the available choices."),
)
