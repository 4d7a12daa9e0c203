"""Form widgets that write long option lists in Python: Django's Select renders each option through a template,
which for the few hundred NUTS regions of a form costs tens of milliseconds per page (more under load)."""

from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .search import fold_text


class LongSelect(forms.Select):
    """A Select with the same HTML as Django's (attributes, selection rule), its options written in Python.
    Flat choices only: grouped choices are rendered by Django's templates."""

    def render(self, name, value, attrs=None, renderer=None):
        choices = list(self.choices)
        if any(isinstance(label, (list, tuple)) for _, label in choices):
            return super().render(name, value, attrs, renderer)
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        selected = set(self.format_value(value))
        parts = [f'<select name="{escape(name)}"{flatatt(attrs)}>']
        found = False
        for option_value, label in choices:
            option_value = "" if option_value is None else str(option_value)
            is_selected = option_value in selected and (self.allow_multiple_selected or not found)
            found = found or is_selected
            parts.append(
                f'<option value="{escape(option_value)}"{" selected" if is_selected else ""}>{escape(label)}</option>'
            )
        parts.append("</select>")
        return mark_safe("".join(parts))  # every value and label above is escaped


class LongSelectMultiple(LongSelect, forms.SelectMultiple):
    allow_multiple_selected = True


class NativeDateInput(forms.DateInput):
    """The browser's date picker. Its value is always ISO 8601 (2024-08-12), whatever the page's language:
    Django's DateInput writes the language's input format (12/08/2024 in French), which a date input shows as
    empty, so the saved date would be lost on the next save."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ByLabel(ModelChoiceIterator):
    """Options in the alphabetical order of their labels in the page's language: translated vocabularies (the
    ecosystems) are stored, and ordered by the database, in English."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        choices = [self.choice(obj) for obj in self.queryset]
        yield from sorted(choices, key=lambda choice: fold_text(str(choice[1])))


class ByLabelMultipleChoiceField(forms.ModelMultipleChoiceField):
    iterator = ByLabel
