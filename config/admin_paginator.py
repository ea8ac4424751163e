"""The admin paginator of the big tables: no COUNT(*) over a whole table of millions of rows."""

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property


def estimated_rows(*, using: str, table: str) -> int | None:
    """PostgreSQL's estimate of a table's rows (`pg_class.reltuples`, kept by autovacuum/ANALYZE),
    or None on another database or before the table was ever analysed."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)", [table])
        row = cursor.fetchone()
    return int(row[0]) if row and row[0] is not None and row[0] >= 0 else None


class EstimatedCountPaginator(Paginator):
    """Counts exactly, except an unfiltered list of a big table on PostgreSQL: there the count is
    the planner's estimate, as COUNT(*) reads every row (the order changelist at a million orders
    spent most of its time counting). Filtered lists (search, list filters) use their indexes
    and stay exact. Pair it with `show_full_result_count = False`, which skips the second count."""

    exact_below = 50_000  # below this estimate an exact count is cheap enough

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        query = getattr(queryset, "query", None)
        if query is not None and not query.where and not query.distinct and not query.combinator:
            estimate = estimated_rows(using=queryset.db, table=queryset.model._meta.db_table)
            if estimate is not None and estimate >= self.exact_below:
                return estimate
        return super().count
