"""The model helpers answer as the hand-written properties and declarations they replaced."""

from commitments.models import Declaration, DeclarationStatus
from pact_portal.modelbits import choice_check, choice_is
from support_services.models import EoiStatus, ExpressionOfInterest, SupportRequest, SupportRequestStatus

S = DeclarationStatus


def test_choice_is_answers_from_the_field_for_one_value_or_several():
    assert [
        (Declaration(status=status).is_editable, Declaration(status=status).is_signed) for status in S.values
    ] == [(status in (S.DRAFT, S.CHANGES_REQUESTED), status == S.SIGNED) for status in S.values]
    assert ExpressionOfInterest(status=EoiStatus.UNDER_ASSESSMENT).is_open is True
    assert ExpressionOfInterest(status=EoiStatus.DECLINED).is_open is False
    closed = SupportRequest(status=SupportRequestStatus.CLOSED)
    assert (closed.is_open, closed.is_answered, closed.is_closed) == (False, False, True)


def test_choice_is_follows_a_status_changed_on_the_instance():
    declaration = Declaration(status=S.APPROVED)
    assert declaration.is_approved
    declaration.status = S.SIGNED
    assert not declaration.is_approved and declaration.is_signed and declaration.is_public


def test_choice_check_is_the_constraint_it_replaced():
    from django.db import models
    from django.db.models import Q

    by_hand = models.CheckConstraint(condition=Q(status__in=S.values), name="declaration_status_valid")
    assert choice_check("status", S.values, name="declaration_status_valid") == by_hand
    assert by_hand in Declaration._meta.constraints


def test_choice_is_on_the_class_is_the_descriptor_itself():
    assert isinstance(Declaration.is_signed, choice_is)
