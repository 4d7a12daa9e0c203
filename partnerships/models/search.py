from django.db import models

from .partnerships import Partnership


class FullTextDocument(models.TextField):
    """An FTS5 table's hidden column, which ``__match`` searches with FTS5's query syntax."""


@FullTextDocument.register_lookup
class Match(models.Lookup):
    lookup_name = "match"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


class SearchEntry(models.Model):
    """A partnership's row in the SQLite full-text index: an FTS5 virtual table that the migrations create on
    SQLite only and ``partnerships.search.search_index_refresh`` writes (PostgreSQL keeps
    ``Partnership.search_vector`` instead). Read-only here: the search joins it, nothing saves it."""

    # FTS5 tables have no columns of their own to key on: the rowid is the partnership's id.
    partnership = models.OneToOneField(
        Partnership,
        primary_key=True,
        db_column="rowid",
        db_constraint=False,
        on_delete=models.DO_NOTHING,
        related_name="search_entry",
    )
    # FTS5's hidden column named after the table: the left side of MATCH and the first argument of bm25().
    document = FullTextDocument(db_column="partnerships_search_entry")

    class Meta:
        managed = False
        db_table = "partnerships_search_entry"

    def __str__(self):
        return str(self.partnership_id)
