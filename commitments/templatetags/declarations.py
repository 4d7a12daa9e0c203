from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("commitments/includes/_partnership_declarations.html")
def partnership_declarations(partnership):
    """The current signed declaration of a partnership, its earlier versions and KPI progress (three queries)."""
    declarations = selectors.partnership_public_declarations(partnership=partnership)
    current = next((d for d in declarations if d.status == "signed"), None)
    return {
        "partnership": partnership,
        "current": current,
        "earlier": [d for d in declarations if d is not current],
        "kpi_rows": selectors.kpi_rows(current.kpis.all()) if current else [],
    }
