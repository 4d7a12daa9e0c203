"""The workflow core in the Django admin: one button per transition, built from the guards.

Usage (the declaration admin is the example)::

    class DeclarationAdmin(WorkflowAdminMixin, admin.ModelAdmin):
        workflow = DECLARATION                       # a pact_portal.workflow.Workflow
        change_form_template = "admin/commitments/declaration/change_form.html"

and in that template, outside the change form (HTML forms cannot nest)::

    {% include "admin/includes/workflow_buttons.html" %}

The rules, the same for every machine:

- one URL per transition, ``<object_id>/transition/<name>/`` (URL name ``<app>_<model>_transition``),
  POST only (405 on any other method), CSRF-protected by the admin;
- 403 when the user may not act at all (no change permission, or the transition's ``may`` refuses);
- when the state or the guard refuses (or a required note is missing): nothing changes, the reason is shown
  as an error message and the user is sent back to the change page; the buttons say the same reason
  beforehand, next to a disabled button;
- a transition with ``confirm`` text asks first, on a confirmation page (POST again with ``confirmed``);
- a transition that takes a note has a labelled field saying who will read it (public or internal);
- ``workflow_checkboxes = {"answer": [("log_activity", _("Log it"))]}`` adds labelled checkboxes to a
  transition's form, passed to ``run()`` as keyword arguments (``ctx.extra``), True when ticked.
"""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from . import workflow as wf


def note_help(workflow, transition):
    """Who reads the note, written next to its field."""
    if transition.internal_note:
        if workflow.audience:
            return _("Internal: only the support services see it, never %(audience)s.") % {
                "audience": workflow.audience
            }
        return _("Internal: only the support services see it.")
    if workflow.audience:
        return _("Public: shown to %(audience)s, and sent to them by e-mail where the step e-mails them.") % {
            "audience": workflow.audience
        }
    return _("Public: shown outside the support services.")


class WorkflowAdminMixin:
    workflow = None
    workflow_confirm_template = "admin/workflow_confirm.html"
    workflow_checkboxes = {}  # {transition name: [(keyword argument of run(), label)]}

    # --- URLs -------------------------------------------------------------------------------------------

    def _workflow_url_name(self):
        opts = self.model._meta
        return f"{opts.app_label}_{opts.model_name}_transition"

    def get_urls(self):
        return [
            path(
                "<path:object_id>/transition/<str:transition>/",
                self.admin_site.admin_view(self.workflow_transition_view),
                name=self._workflow_url_name(),
            ),
            *super().get_urls(),
        ]

    def workflow_change_url(self, obj):
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])

    # --- Buttons ----------------------------------------------------------------------------------------

    def workflow_buttons(self, request, obj):
        """The transitions this user may perform from the current state, each allowed or explained."""
        buttons = []
        for option in self.workflow.available(obj, request.user):
            transition = option.transition
            if not transition.admin or not option.permitted:
                continue
            mode = transition.note_mode(obj)
            buttons.append(
                {
                    "name": transition.name,
                    "label": transition.label,
                    "url": reverse(f"admin:{self._workflow_url_name()}", args=[obj.pk, transition.name]),
                    "allowed": option.allowed,
                    "reason": option.reason,
                    "note": mode,
                    "note_label": transition.note_label or _("Note"),
                    "note_help": note_help(self.workflow, transition) if mode != wf.NONE else "",
                    "confirm": bool(transition.confirm),
                    "checkboxes": self._workflow_checkboxes(transition),
                }
            )
        return buttons

    def _workflow_checkboxes(self, transition):
        return [
            {"name": name, "label": label, "id": f"{transition.name}-{name}"}
            for name, label in self.workflow_checkboxes.get(transition.name, ())
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None:
            extra_context = {**(extra_context or {}), "workflow_buttons": self.workflow_buttons(request, obj)}
        return super().change_view(request, object_id, form_url, extra_context)

    # --- The transition view ------------------------------------------------------------------------------

    def workflow_transition_view(self, request, object_id, transition):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        step = self.workflow.transitions.get(transition)
        if step is None or not step.admin:
            raise Http404
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj) or not self.workflow.permitted(
            step, request.user, obj
        ):
            raise PermissionDenied
        back = redirect(self.workflow_change_url(obj))
        note = request.POST.get("note", "")
        ticked = {box["name"]: bool(request.POST.get(box["name"])) for box in self._workflow_checkboxes(step)}
        if step.confirm and not request.POST.get("confirmed"):
            allowed, reason = self.workflow.check(obj, step.name)
            if not allowed:
                messages.error(request, reason)
                return back
            return self.workflow_confirm_view(request, obj, step, note, ticked)
        try:
            self.workflow.run(obj, step.name, actor=request.user, note=note, **ticked)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                str(step.done)
                if step.done
                else _("%(action)s: done. The status is now “%(status)s”.")
                % {"action": step.label, "status": self.workflow.state_label(step.target)},
            )
        return back

    def workflow_confirm_view(self, request, obj, step, note, ticked=None):
        mode = step.note_mode(obj)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "object": obj,
            "title": _("Confirm: %(action)s") % {"action": step.label},
            "transition": step,
            "confirm_text": step.confirm,
            "note": note,
            "note_mode": mode,
            "note_label": step.note_label or _("Note"),
            "note_help": note_help(self.workflow, step) if mode != wf.NONE else "",
            "ticked": [name for name, value in (ticked or {}).items() if value],
            "action_url": reverse(f"admin:{self._workflow_url_name()}", args=[obj.pk, step.name]),
            "cancel_url": self.workflow_change_url(obj),
        }
        return TemplateResponse(request, self.workflow_confirm_template, context)
