"""Facets for the articles table: ``year`` (of an ISO date, newest first) and ``removed`` (removed from the
portal, or still online), each value a filter datasette already knows.
"""

from __future__ import annotations

from datasette.facets import Facet
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args


class _ValuesFacet(Facet):
    """A facet with a fixed SQL value expression and one filter per value (subclasses say which)."""

    order = "count desc, value"

    def value_sql(self, column: str) -> str:
        raise NotImplementedError

    def filter_for(self, column: str, value: str) -> tuple[str, str]:
        raise NotImplementedError

    async def suggest(self):
        return []

    async def facet_results(self):
        from datasette.database import QueryInterrupted

        results, timed_out = [], []
        size = self.get_facet_size()
        pairs = self.get_querystring_pairs()
        for source_and_config in self.get_configs():
            config, source = source_and_config["config"], source_and_config["source"]
            column = config.get("column") or config["simple"]
            expression = self.value_sql(escape_sqlite(column))
            sql = (
                f"select {expression} as value, count(*) as count from ({self.sql}) "
                f"where {expression} is not null group by value order by {self.order} limit {size + 1}"
            )
            try:
                rows = await self.ds.execute(
                    self.database,
                    sql,
                    self.params,
                    truncate=False,
                    custom_time_limit=self.ds.setting("facet_time_limit_ms"),
                )
            except QueryInterrupted:
                timed_out.append(column)
                continue
            values = []
            for row in rows.rows[:size]:
                value = str(row["value"])
                key, arg = self.filter_for(column, value)
                selected = (key, arg) in pairs
                path = (
                    path_with_removed_args(self.request, {key: arg})
                    if selected
                    else path_with_added_args(self.request, {key: arg})
                )
                values.append(
                    {
                        "value": value,
                        "label": self.label(value),
                        "count": row["count"],
                        "toggle_url": self.ds.absolute_url(self.request, path),
                        "selected": selected,
                    }
                )
            results.append(
                {
                    "name": column,
                    "type": self.type,
                    "results": values,
                    "hideable": source != "metadata",
                    "toggle_url": self.ds.urls.path(
                        path_with_removed_args(self.request, {f"_facet_{self.type}": column})
                    ),
                    "truncated": len(rows.rows) > size,
                }
            )
        return results, timed_out

    def label(self, value: str) -> str:
        return value


class YearFacet(_ValuesFacet):
    """``{"year": "published_at"}``: the year of an ISO date, newest first; a value filters with startswith."""

    type = "year"
    order = "value desc"

    def value_sql(self, column):
        return f"(case when {column} glob '[0-9][0-9][0-9][0-9]*' then substr({column}, 1, 4) end)"

    def filter_for(self, column, value):
        return f"{column}__startswith", value


class RemovedFacet(_ValuesFacet):
    """``{"removed": "removed_at"}``: whether the column is set: removed, or still online."""

    type = "removed"

    def value_sql(self, column):
        return f"(case when {column} is null or {column} = '' then 'online' else 'removed' end)"

    def filter_for(self, column, value):
        return (f"{column}__notblank", "1") if value == "removed" else (f"{column}__isblank", "1")
