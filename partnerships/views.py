from django.http import Http404
from django.shortcuts import render

from . import selectors
from .models import Organisation, Partnership, PartnershipKind


def home(request):
    partnerships = selectors.partnership_list_public().order_by("kind", "name")
    return render(
        request,
        "partnerships/home.html",
        {
            "figures": selectors.home_figures(),
            "rsps": [p for p in partnerships if p.kind == PartnershipKind.RSP],
            "lsps": [p for p in partnerships if p.kind == PartnershipKind.LSP],
        },
    )


def partnership_detail(request, slug):
    try:
        partnership = selectors.partnership_detail_public(slug=slug)
    except Partnership.DoesNotExist:
        raise Http404 from None
    return render(request, "partnerships/partnership_detail.html", {"partnership": partnership})


def organisation_detail(request, slug):
    try:
        organisation = selectors.organisation_detail_public(slug=slug)
    except Organisation.DoesNotExist:
        raise Http404 from None
    return render(request, "partnerships/organisation_detail.html", {"organisation": organisation})
