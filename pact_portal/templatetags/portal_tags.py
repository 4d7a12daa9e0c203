"""Template tags every app's pages share (breadcrumbs); they import no app."""

from django import template
from django.urls import NoReverseMatch, reverse

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
