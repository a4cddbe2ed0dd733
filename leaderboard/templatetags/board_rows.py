"""A people board's rows as HTML, written out: a board page draws up to a hundred rows, and a
template loop over them was most of the page's rendering time. The markup is the one
``board.js`` redraws on live updates; every name is escaped by ``format_html``."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

EMPTY = '<tr><td colspan="3" class="empty">No points on this board yet.</td></tr>'


def _row(row: dict, viewer_is_ld: bool) -> tuple:
    name = (
        format_html('<a href="{}">{}</a>', row["url"], row["name"]) if row["url"] else row["name"]
    )
    return (
        row["key"],
        mark_safe(' class="lb-row--me"') if row["me"] else "",
        row["rank"],
        name,
        mark_safe(' <span class="tag">you</span>') if row["me"] else "",
        mark_safe(' <span class="tag tag--warning">hidden from colleagues</span>')
        if viewer_is_ld and row.get("hidden")
        else "",
        row["points"],
    )


@register.simple_tag
def people_rows(rows: list[dict], viewer_is_ld: bool) -> str:
    """``<tr>`` per row (``selectors.standing_row``), or the empty board's one row."""
    if not rows:
        return mark_safe(EMPTY)  # noqa: S308 - a constant
    return format_html_join(
        "\n",
        '<tr data-key="{}"{}>\n<td data-rank>{}</td>\n<td>{}{}{}</td>\n'
        '<td class="lb-num">{}</td>\n</tr>',
        (_row(row, viewer_is_ld) for row in rows),
    )
