"""The map's regions, written by the map_regions tag, are the SVG the template loop wrote."""

import pytest
from django.template import Context, Template
from django.test.html import parse_html
from django.utils import translation

from partnerships.templatetags.charts import map_regions

LOOP = (
    "{% load i18n humanize %}"
    "{% for region in regions %}{% if region.count %}<a href=\"{% url 'partnerships:region' region.code %}\" "
    'aria-label="{% blocktranslate count counter=region.count with name=region.name code=region.code %}'
    "{{ name }} ({{ code }}): {{ counter }} partnership{% plural %}{{ name }} ({{ code }}): {{ counter }} "
    'partnerships{% endblocktranslate %}"><path d="{{ region.d }}" fill="{{ region.fill }}" class="region">'
    "<title>{{ region.name }} ({{ region.code }}): {{ region.count|intcomma }}</title></path></a>{% else %}"
    '<path d="{{ region.d }}" fill="{{ region.fill }}" class="region" aria-hidden="true"><title>'
    "{{ region.name }} ({{ region.code }}): 0</title></path>{% endif %}{% endfor %}"
)
REGIONS = [
    {"code": "ITC4", "name": "Lombardia", "d": "M1 2L3 4Z", "fill": "#08519c", "count": 1},
    {"code": "FR10", "name": 'Ile-de-France <&> "Paris"', "d": "M5 6L7 8Z", "fill": "#3182bd", "count": 2345},
    {"code": "PT20", "name": "Região Autónoma dos Açores", "d": "M9 9Z", "fill": "#eeeeee", "count": 0},
]


@pytest.mark.parametrize("language", ["en", "fr", "de"])
def test_the_tag_writes_what_the_template_loop_wrote(language):
    with translation.override(language):
        looped = Template(LOOP).render(Context({"regions": REGIONS}))
        written = map_regions(REGIONS)
    assert parse_html(written) == parse_html(looped)
    assert "<&>" not in written
