"""LongSelect writes the same select as Django's widget, only faster."""

import pytest
from django import forms
from django.test.html import parse_html

from pact_portal.widgets import LongSelect, LongSelectMultiple

CHOICES = [
    ("", "---------"),
    ("ITC4", "Lombardia (ITC4)"),
    ("FR10", 'Île-de-France <&> "Paris"'),
    (3, "Three"),
]


def rendered(widget_class, value, **attrs):
    class Form(forms.Form):
        region = forms.ChoiceField(choices=CHOICES, required=True, widget=widget_class(attrs=attrs))

    return str(Form(initial={"region": value})["region"])


@pytest.mark.parametrize("value", [None, "", "ITC4", "FR10", 3, "unknown"])
def test_a_long_select_is_djangos_select(value):
    assert parse_html(rendered(LongSelect, value, **{"class": "form-select"})) == parse_html(
        rendered(forms.Select, value, **{"class": "form-select"})
    )


@pytest.mark.parametrize("value", [None, [], ["ITC4"], ["ITC4", "FR10"], [3]])
def test_a_long_multiple_select_is_djangos_select_multiple(value):
    class Form(forms.Form):
        regions = forms.MultipleChoiceField(choices=CHOICES, widget=LongSelectMultiple(attrs={"size": 10}))

    class Reference(forms.Form):
        regions = forms.MultipleChoiceField(choices=CHOICES, widget=forms.SelectMultiple(attrs={"size": 10}))

    ours, django = (
        Form(initial={"regions": value})["regions"],
        Reference(initial={"regions": value})["regions"],
    )
    assert parse_html(str(ours)) == parse_html(str(django))


def test_labels_and_values_are_escaped():
    html = rendered(LongSelect, "FR10")
    assert "Île-de-France &lt;&amp;&gt; &quot;Paris&quot;" in html
    assert "<&>" not in html
