"""What every list page does with its FilterSet: report the values it ignored, paginate the rows, show the
filters in force as chips (each with a link that removes it) and keep the query for the pagination links.

A list view is a selector, a FilterSet and ``list_context``; the page extends ``includes/list_page.html``.
"""

import django_filters
from django.contrib import messages
from django.core.paginator import Paginator
from django.utils.translation import gettext as _

from .cache import registry_figures
from .widgets import ByLabel

PAGE_SIZE = 20


def selection_key(params, *ignored):
    """What a list's selection depends on, as one string: its parameters but the page, sort order and ``ignored``
    ones, in a fixed order (``?a=1&b=2`` and ``?b=2&a=1`` are the same selection)."""
    skip = {"page", "sort", *ignored}
    return "&".join(
        f"{name}={value}" for name, values in sorted(params.lists()) if name not in skip for value in values
    )


def paginate(request, queryset, per_page=PAGE_SIZE, *, count_as=None):
    """A page of ``queryset``; a page number that is not a number or out of range gets a message, not a 404.

    ``count_as`` names the selection (e.g. ``"organisations"``, or with the list's fixed scope,
    ``"region-partnerships:DE"``): its total is then counted once per registry version and query (see
    pact_portal.cache.registry_figures) instead of on every page."""
    paginator = Paginator(queryset, per_page)
    if count_as is not None:
        paginator.count = registry_figures("count", queryset.count, count_as, selection_key(request.GET))
    raw = request.GET.get("page", "1")
    page = paginator.get_page(raw)
    page.elided_range = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    if raw != "1" and str(page.number) != raw:
        messages.info(
            request,
            _("There is no page “%(page)s”; showing page %(number)s.")
            % {"page": raw[:20], "number": page.number},
        )
    return page


def slug_filter(queryset, *, label, empty_label, **options):
    """A filter on a related record named in the URL by its slug (``?ecosystem=textiles``), its options in
    the alphabetical order of their labels in the page's language."""
    return ByLabelFilter(
        label=label, queryset=queryset, to_field_name="slug", empty_label=empty_label, **options
    )


class ByLabelFilterField(django_filters.fields.ModelChoiceField):
    iterator = ByLabel


class ByLabelFilter(django_filters.ModelChoiceFilter):
    """A related-record filter whose options follow the alphabetical order of the page's language."""

    field_class = ByLabelFilterField


def filter_errors(request, filterset):
    """Tell the visitor which parameters were not understood (they are ignored)."""
    if filterset.is_bound and not filterset.is_valid():
        for field, errors in filterset.errors.items():
            label = filterset.form.fields[field].label if field in filterset.form.fields else field
            for error in errors:
                messages.warning(
                    request,
                    _("%(label)s: %(error)s This filter was ignored.") % {"label": label, "error": error},
                )


def querystring_without(params, *names):
    """``params`` url-encoded without ``names`` and without the page number (a new selection starts at page 1)."""
    query = params.copy()
    for name in (*names, "page"):
        query.pop(name, None)
    return query.urlencode()


def active_filters(request, filterset, *, exclude=("sort",)):
    """The filters in force, each with its label, the value as the visitor chose it and a link that removes it.
    ``exclude`` names the parameters the page shows otherwise (the sort order, a tab)."""
    active = []
    for name, value in getattr(filterset.form, "cleaned_data", {}).items():
        if value in (None, "") or name in exclude:
            continue
        field = filterset.form.fields[name]
        if not hasattr(value, "pk"):
            choices = dict(getattr(field, "choices", []) or [])
            value = choices.get(value, choices.get(str(value), value))
        active.append(
            {"label": field.label, "value": value, "remove": querystring_without(request.GET, name)}
        )
    return active


def list_context(request, filterset, rows=None, *, per_page=PAGE_SIZE, exclude=("sort",), count_as=None):
    """The context every list page shares: ``filterset``, ``page_obj`` (of ``rows``, by default the filtered
    queryset), ``active_filters`` and ``query`` (for the pagination links). Ignored values get a message.
    ``count_as``: see ``paginate``."""
    filter_errors(request, filterset)
    return {
        "filterset": filterset,
        "page_obj": paginate(
            request, filterset.qs if rows is None else rows, per_page=per_page, count_as=count_as
        ),
        "active_filters": active_filters(request, filterset, exclude=exclude),
        "query": querystring_without(request.GET),
    }
