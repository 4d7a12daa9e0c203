"""Full-text search over partnerships.

PostgreSQL: a stored ``search_vector`` (GIN-indexed) weights the name (A) above the acronym (B) above
summary, challenge and ambition (C) and the names of current member organisations (D). It uses the
``pact_unaccent`` text search configuration (``simple`` + ``unaccent``), so accents never matter, and
every term matches as a prefix ("Region Lombardia" finds "Regione Lombardia").
SQLite: the same interface over substring matches on text folded by ``pact_fold``
(``pact_portal.search``), so accents do not matter there either.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Concat

from pact_portal.search import Fold, search_terms

from .models import Membership

SEARCH_CONFIG = "pact_unaccent"

_REFRESH_SQL = f"""
UPDATE partnerships_partnership AS p SET search_vector =
    setweight(to_tsvector('{SEARCH_CONFIG}', coalesce(p.name, '')), 'A')
 || setweight(to_tsvector('{SEARCH_CONFIG}', coalesce(p.acronym, '')), 'B')
 || setweight(to_tsvector('{SEARCH_CONFIG}', concat_ws(' ', p.summary, p.challenge, p.ambition)), 'C')
 || setweight(to_tsvector('{SEARCH_CONFIG}', coalesce((
        SELECT string_agg(o.name, ' ')
        FROM partnerships_membership AS m
        JOIN partnerships_organisation AS o ON o.id = m.organisation_id
        WHERE m.partnership_id = p.id AND m.left_on IS NULL
          AND NOT EXISTS (SELECT 1 FROM partnerships_joinrequest AS j
                          WHERE j.membership_id = m.id AND j.status = 'accepted')), '')), 'D')
"""


def uses_full_text():
    return connection.vendor == "postgresql"


def search_index_refresh(*, partnership_ids=None):
    """Recompute stored search vectors (all, or some partnerships). Nothing to do on SQLite."""
    if not uses_full_text():
        return
    with connection.cursor() as cursor:
        if partnership_ids is None:
            cursor.execute(_REFRESH_SQL)
        else:
            ids = list(partnership_ids)
            if ids:
                cursor.execute(_REFRESH_SQL + " WHERE p.id = ANY(%s)", [ids])


def apply_search(queryset, q):
    """Filter ``queryset`` to partnerships matching every term of ``q``, annotated with ``rank``."""
    terms = search_terms(q)
    if not terms:
        return queryset.annotate(rank=Value(0.0))
    if uses_full_text():
        # Terms contain only letters and digits, so the raw tsquery cannot be malformed.
        query = SearchQuery(
            " & ".join(f"{term}:*" for term in terms), search_type="raw", config=SEARCH_CONFIG
        )
        return queryset.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))
    queryset = queryset.annotate(
        _name=Fold("name"),
        _acronym=Fold("acronym"),
        _text=Fold(Concat("summary", Value(" "), "challenge", Value(" "), "ambition")),
    )
    condition = Q()
    for term in terms:
        member = (
            Membership.objects.current()
            .settled()
            .annotate(_org=Fold("organisation__name"))
            .filter(partnership=OuterRef("pk"), _org__contains=term)
        )
        condition &= (
            Q(_name__contains=term) | Q(_acronym__contains=term) | Q(_text__contains=term) | Exists(member)
        )
    name_hits = sum(
        (
            Case(When(_name__contains=term, then=Value(2)), default=Value(0), output_field=IntegerField())
            for term in terms
        ),
        Value(0),
    )
    return queryset.filter(condition).annotate(rank=name_hits * 1.0)
