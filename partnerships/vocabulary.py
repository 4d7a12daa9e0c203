"""The fixed vocabularies stored as English text, marked here for the translation catalogues.

The 15 industrial ecosystems are named by the EU industrial strategy and loaded from
``data/pact/ecosystems.json``; they are shown through ``Ecosystem.label``, which looks each name up in the
catalogue of the active language. A test checks that every name in the data file is listed here.
"""

from django.utils.translation import gettext_noop

ECOSYSTEM_NAMES = (
    gettext_noop("Aerospace and defence"),
    gettext_noop("Agri-food"),
    gettext_noop("Construction"),
    gettext_noop("Cultural and creative industries"),
    gettext_noop("Digital"),
    gettext_noop("Electronics"),
    gettext_noop("Energy-intensive industries"),
    gettext_noop("Health"),
    gettext_noop("Mobility, transport and automotive"),
    gettext_noop("Proximity and social economy"),
    gettext_noop("Renewable energy"),
    gettext_noop("Retail"),
    gettext_noop("Textiles"),
    gettext_noop("Tourism"),
    gettext_noop("Cross-sectoral"),
)
