"""Template tags every app's pages share (breadcrumbs, the scroll box of data tables); they import no app."""

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from pact_portal.i18n import alternates, page_address
from pact_portal.mail import absolute_url

register = template.Library()


def _href(url):
    """A path or query string as given; a URL name without arguments ("app:name") reversed."""
    if not url or str(url).startswith(("/", "?", "#", "http")):
        return url or ""
    try:
        return reverse(url)
    except NoReverseMatch:
        return url


@register.inclusion_tag("includes/breadcrumbs.html")
def breadcrumbs(*items, here):
    """The trail to the current page: ``label url label url … here=label``.

    A label may be empty (that crumb is left out, e.g. an optional middle step); an item that is a
    list is spliced in as (label, url) pairs, e.g. ``region.ancestors|crumbs``.
    """
    pairs, pending = [], list(items)
    while pending:
        item = pending.pop(0)
        if isinstance(item, list | tuple):
            pairs.extend((label, _href(url)) for label, url in item)
            continue
        url = pending.pop(0) if pending else ""
        if item:
            pairs.append((item, _href(url)))
    return {"crumbs": pairs, "here": here}


@register.filter
def crumbs(objects):
    """Objects with a name and a page (regions, partnerships) as breadcrumb (label, url) pairs."""
    return [(obj.name, obj.get_absolute_url()) for obj in objects]


class TableRegionNode(template.Node):
    def __init__(self, nodelist, label, labelledby):
        self.nodelist, self.label, self.labelledby = nodelist, label, labelledby

    def render(self, context):
        inner = self.nodelist.render(context)
        if self.labelledby is not None:
            name = format_html('aria-labelledby="{}"', self.labelledby.resolve(context))
        else:
            name = format_html('aria-label="{}"', self.label.resolve(context))
        return format_html(
            '<div class="table-region" role="region" {} tabindex="0">{}</div>', name, mark_safe(inner)
        )


@register.tag
def table_region(parser, token):
    """``{% table_region label="…" %}<table>…</table>{% endtable_region %}`` (or ``labelledby="id"``).

    A wide table scrolls inside this box instead of pushing the whole page sideways on a phone (WCAG 1.4.10
    reflow); the box is a labelled region that takes keyboard focus, so it can be scrolled without a mouse.
    Every data table on the portal's pages sits in one (tests/test_components.py checks).
    """
    bits = token.split_contents()[1:]
    kwargs = template.base.token_kwargs(bits, parser)
    if bits or set(kwargs) - {"label", "labelledby"} or len(kwargs) != 1:
        raise template.TemplateSyntaxError('table_region takes label="…" or labelledby="id"')
    nodelist = parser.parse(("endtable_region",))
    parser.delete_first_token()
    return TableRegionNode(nodelist, kwargs.get("label"), kwargs.get("labelledby"))


@register.simple_tag
def lang_attr(code):
    """`` lang="xx"`` for text in language ``code`` on a page in another language (WCAG 3.1.2), else nothing:
    ``<p{% lang_attr partnership.text_language %}>``; ecosystem names, English data, take ``"en"``."""
    current = (translation.get_language() or "").split("-")[0]
    if not code or code == current:
        return ""
    return format_html(' lang="{}"', code)


@register.simple_tag(takes_context=True)
def hreflang_links(context):
    """``<link rel="alternate" hreflang>`` for this page in each of the portal's languages (``?lang=``) and
    x-default, on the portal's public address."""
    request = context.get("request")
    if request is None or request.method not in ("GET", "HEAD"):
        return ""
    return format_html_join(
        "\n  ",
        '<link rel="alternate" hreflang="{}" href="{}">',
        (
            (alternate["lang_code"], alternate["location"])
            for alternate in alternates(absolute_url(page_address(request)))
        ),
    )
