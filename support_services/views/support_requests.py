"""The coordinator area's support requests: the list and the form to ask for help."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from partnerships.models import Partnership

from ..forms.support_requests import SupportRequestForm
from ..selectors import support_requests as selectors
from ..services import support_requests as services
from .common import managed_partnership


def _coordinated(user):
    return Partnership.objects.filter(coordinator_access__user=user).order_by("name")


@never_cache
@login_required
def coordinator_requests(request):
    return render(
        request,
        "support_services/coordinator/request_list.html",
        {
            "support_requests": selectors.coordinator_support_requests(user=request.user),
            "partnerships": _coordinated(request.user),
        },
    )


@never_cache
@login_required
def coordinator_request_new(request):
    partnerships = _coordinated(request.user)
    if request.method == "POST":
        posted = request.POST.get("partnership", "")
        if (
            posted.isascii()
            and posted.isdecimal()
            and Partnership.objects.filter(pk=posted).exists()
            and not partnerships.filter(pk=posted).exists()
        ):
            raise PermissionDenied
        form = SupportRequestForm(request.POST, partnerships=partnerships)
        if form.is_valid():
            try:
                services.support_request_create(
                    partnership=form.cleaned_data["partnership"],
                    user=request.user,
                    topic=form.cleaned_data["topic"],
                    stage=form.cleaned_data["stage"],
                    message=form.cleaned_data["message"],
                    language=get_language(),
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    _("Your request has been sent. The support services will answer here and by e-mail."),
                )
                return redirect("support_services:coordinator_requests")
    else:
        initial = {}
        if request.GET.get("partnership"):
            initial["partnership"] = managed_partnership(request, request.GET["partnership"])
        form = SupportRequestForm(initial=initial, partnerships=partnerships)
    return render(
        request,
        "support_services/coordinator/request_form.html",
        {"form": form, "has_partnerships": partnerships.exists()},
    )
