"""Full-text search over partnerships.

Both databases keep an index written by ``search_index_refresh`` (called by every service that changes what
is searched) and rank the name above the acronym above summary, challenge and ambition above the names of
current member organisations (not those still to be confirmed). Every word of the query must match, as a
prefix ("Region Lombardia" finds "Regione Lombardia"), and accents never matter.

PostgreSQL: a stored ``search_vector`` (GIN-indexed), set up with the ``pact_unaccent`` text search
configuration (``simple`` + ``unaccent``), ranked by ``ts_rank``.
SQLite: an FTS5 table (``SearchEntry``) holding each field folded by ``pact_fold`` (the Python
``fold_text``), split into words by the ``ascii`` tokenizer, so its words are exactly the folded words the
query is made of; ranked by ``bm25`` with PostgreSQL's default weights.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, FloatField, Func, Value

from pact_portal.search import search_terms

SEARCH_CONFIG = "pact_unaccent"

# Current members less those an accepted request to join added and the coordinators have not confirmed yet
# (``Membership.objects.current().settled()``): the member names a partnership is found by.
_MEMBER_NAMES = """
        SELECT {aggregate}(o.name, ' ')
        FROM partnerships_membership AS m
        JOIN partnerships_organisation AS o ON o.id = m.organisation_id
        WHERE m.partnership_id = p.id AND m.left_on IS NULL
          AND NOT EXISTS (SELECT 1 FROM partnerships_joinrequest AS j
                          WHERE j.membership_id = m.id AND j.status = 'accepted')"""

_REFRESH_SQL = f"""
UPDATE partnerships_partnership AS p SET search_vector =
    setweight(to_tsvector('{SEARCH_CONFIG}', coalesce(p.name, '')), 'A')
 || setweight(to_tsvector('{SEARCH_CONFIG}', coalesce(p.acronym, '')), 'B')
 || setweight(to_tsvector('{SEARCH_CONFIG}', concat_ws(' ', p.summary, p.challenge, p.ambition)), 'C')
 || setweight(to_tsvector('{SEARCH_CONFIG}', coalesce(({_MEMBER_NAMES.format(aggregate="string_agg")}), '')), 'D')
"""

FTS_TABLE = "partnerships_search_entry"
# The FTS5 table's columns in bm25's order, weighted as PostgreSQL's ts_rank weighs A, B, C and D by default.
FTS_WEIGHTS = {"name": 1.0, "acronym": 0.4, "text": 0.2, "members": 0.1}

FTS_CREATE_SQL = f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5({', '.join(FTS_WEIGHTS)}, tokenize='ascii')"

_FTS_REFRESH_SQL = f"""
INSERT INTO {FTS_TABLE} (rowid, name, acronym, text, members)
SELECT p.id, pact_fold(p.name), pact_fold(p.acronym),
       pact_fold(coalesce(p.summary, '') || ' ' || coalesce(p.challenge, '') || ' ' || coalesce(p.ambition, '')),
       pact_fold(({_MEMBER_NAMES.format(aggregate="group_concat")}))
FROM partnerships_partnership AS p
"""


def uses_full_text():
    return connection.vendor == "postgresql"


def search_index_refresh(*, partnership_ids=None):
    """Recompute the search index (all partnerships, or some): the stored vectors on PostgreSQL, the FTS5
    rows on SQLite (a deleted partnership's row goes with it)."""
    ids = None if partnership_ids is None else list(partnership_ids)
    if ids == []:
        return
    with connection.cursor() as cursor:
        if uses_full_text():
            if ids is None:
                cursor.execute(_REFRESH_SQL)
            else:
                cursor.execute(_REFRESH_SQL + " WHERE p.id = ANY(%s)", [ids])
        elif connection.vendor == "sqlite":
            if ids is None:
                cursor.execute(f"DELETE FROM {FTS_TABLE}")
                cursor.execute(_FTS_REFRESH_SQL)
            else:
                placeholders = ", ".join(["%s"] * len(ids))
                cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({placeholders})", ids)
                cursor.execute(_FTS_REFRESH_SQL + f" WHERE p.id IN ({placeholders})", ids)


class Bm25(Func):
    """FTS5's relevance of the joined ``SearchEntry`` row, higher is better (bm25 itself is negative)."""

    template = f"-bm25(%(expressions)s, {', '.join(str(weight) for weight in FTS_WEIGHTS.values())})"
    output_field = FloatField()


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
    # Each term quoted (an FTS5 string: no operator, column filter or NEAR can come from the visitor's text)
    # and a prefix; terms side by side must all match.
    match = " ".join(f'"{term}"*' for term in terms)
    return queryset.filter(search_entry__document__match=match).annotate(rank=Bm25("search_entry__document"))
