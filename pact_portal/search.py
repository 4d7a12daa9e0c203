"""Accent- and case-folded text search, the same on PostgreSQL and SQLite.

"Ile-de-France" finds "Île-de-France": the query is folded in Python (``fold_text``), the column in the
database (PostgreSQL: ``lower(unaccent(…))``; SQLite: ``pact_fold``, the same Python folding registered on
every connection by ``register_sqlite_functions``). Every word of the query must occur in one of the fields.
"""

import re
import unicodedata

from django.db import connection
from django.db.models import CharField, F, Func, Q
from django.db.models.functions import Lower

MAX_TERMS = 8


def fold_text(text):
    """Fold case, accents, punctuation and spacing so 'Région  Île-de-France' == 'region ile de france'."""
    if text.isascii():  # nothing to decompose: the search index folds every member's name
        without_accents = text
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        without_accents = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = re.sub(r"[\W_]+", " ", without_accents.casefold())
    return " ".join(words.split())


def search_terms(q):
    """The words of a query, folded (at most MAX_TERMS)."""
    return fold_text(q or "").split()[:MAX_TERMS]


class Fold(Func):
    """Accent- and case-folded text on SQLite (see ``register_sqlite_functions``)."""

    function = "pact_fold"
    output_field = CharField()


class Unaccent(Func):
    """PostgreSQL's ``unaccent`` (the extension is created by the registry's migrations)."""

    function = "unaccent"
    output_field = CharField()


def register_sqlite_functions(sender, connection, **kwargs):
    """connection_created receiver: teach SQLite the folding the search uses."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "pact_fold", 1, lambda text: fold_text(text) if text else "", deterministic=True
        )


def folded(field):
    """The column ``field`` folded in the database: case and accents do not matter."""
    if connection.vendor == "postgresql":
        return Lower(Unaccent(F(field)))
    return Fold(field)


def search_text(queryset, q, fields):
    """Rows where every word of ``q`` occurs in one of ``fields`` (folded substrings)."""
    terms = search_terms(q)
    if not terms:
        return queryset
    queryset = queryset.annotate(**{f"_fold_{i}": folded(field) for i, field in enumerate(fields)})
    for term in terms:
        condition = Q()
        for i in range(len(fields)):
            condition |= Q(**{f"_fold_{i}__contains": term})
        queryset = queryset.filter(condition)
    return queryset
