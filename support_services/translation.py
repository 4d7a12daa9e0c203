"""Texts staff edit that each language reads in its own columns (django-modeltranslation finds this module).

``title`` and ``description`` of a checklist item get ``title_en``, ``title_fr``, … in the same row; reading
``item.title`` gives the active language's, else the English. The base column stays the English text
(``ChecklistItem.save``), so the unique title per stage keeps its meaning.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import ChecklistItem


@register(ChecklistItem)
class ChecklistItemTranslationOptions(TranslationOptions):
    fields = ("title", "description")
    # An empty translation is stored as NULL, not "": languages nobody has filled do not collide in the unique
    # title per stage that modeltranslation adds for each language.
    empty_values = None
