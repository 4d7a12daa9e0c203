"""Coordinator area: a coordinator edits the profile and member list of the partnerships they manage.

Routed from ``partnerships/urls.py`` under ``/coordinator/`` (the area's dashboard, which lists the declarations,
is commitments'); ``coordinator_can_manage`` is the object-level check.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from . import services
from .coordinator_forms import MemberAddExistingForm, MemberCreateForm, PartnershipProfileForm
from .models import MembershipRole, Partnership


def _managed(request, slug):
    partnership = get_object_or_404(Partnership, slug=slug)
    if not services.coordinator_can_manage(user=request.user, partnership=partnership):
        raise Http404
    return partnership


@login_required
def partnership_edit(request, slug):
    partnership = _managed(request, slug)
    form = PartnershipProfileForm(request.POST or None, instance=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            services.partnership_update(
                partnership=Partnership.objects.get(pk=partnership.pk),
                **{field: form.cleaned_data[field] for field in PartnershipProfileForm.Meta.fields},
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Profile saved."))
            return redirect("commitments:coordinator_dashboard")
    return render(
        request, "partnerships/coordinator/partnership_form.html", {"partnership": partnership, "form": form}
    )


@login_required
def members_edit(request, slug):
    partnership = _managed(request, slug)
    add_form = MemberAddExistingForm(prefix="existing")
    create_form = MemberCreateForm(prefix="new")
    if request.method == "POST":
        try:
            if "end" in request.POST:
                membership = get_object_or_404(partnership.memberships.current(), pk=request.POST["end"])
                services.membership_end(membership=membership)
                messages.success(
                    request, _("%(name)s left the partnership.") % {"name": membership.organisation}
                )
                return redirect("partnerships:coordinator_members", slug=slug)
            if "search_existing" in request.POST:
                # Narrow the list of organisations; what else was chosen stays, nothing is saved.
                search = request.POST.get("existing-q", "")
                role = request.POST.get("existing-role", MembershipRole.MEMBER)
                add_form = MemberAddExistingForm(
                    prefix="existing", search=search, initial={"q": search, "role": role}
                )
            elif "add_existing" in request.POST:
                add_form = MemberAddExistingForm(request.POST, prefix="existing")
                if add_form.is_valid():
                    organisation = add_form.cleaned_data["organisation"]
                    role = add_form.cleaned_data["role"]
                    services.membership_add(partnership=partnership, organisation=organisation, role=role)
                    messages.success(request, _("%(name)s added.") % {"name": organisation})
                    return redirect("partnerships:coordinator_members", slug=slug)
            if "add_new" in request.POST:
                create_form = MemberCreateForm(request.POST, prefix="new")
                if create_form.is_valid():
                    data = create_form.cleaned_data
                    organisation, _created = services.organisation_get_or_create(
                        name=data["name"],
                        country_code=data["country"].code,
                        stakeholder_type=data["stakeholder_type"],
                        is_sme=data["is_sme"],
                        website=data["website"],
                    )
                    services.membership_add(
                        partnership=partnership, organisation=organisation, role=MembershipRole.MEMBER
                    )
                    messages.success(request, _("%(name)s added.") % {"name": organisation})
                    return redirect("partnerships:coordinator_members", slug=slug)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    members = (
        partnership.memberships.current()
        .select_related("organisation__country")
        .order_by("-is_lead", "organisation__name")
    )
    return render(
        request,
        "partnerships/coordinator/members_form.html",
        {"partnership": partnership, "members": members, "add_form": add_form, "create_form": create_form},
    )
