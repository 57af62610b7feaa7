"""The hits of ``idmeet search`` as a table, Markdown or JSON (no typer: the fast path prints them too)."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from idmeet.cli.output import _columns, fit, width

if TYPE_CHECKING:
    from collections.abc import Sequence

    from idmeet.ops.search import Hit

FORMATS = ("table", "md", "json")


def markdown(hits: Sequence[Hit]) -> str:
    """A Markdown table: kind, where, and the matching line with the matches in bold."""
    lines = ["| kind | where | text |", "|---|---|---|"]
    for hit in hits:
        text = marked(hit.text, hit.spans, "**", "**")
        lines.append(f"| {hit.kind} | {_cell(hit.where)} | {_cell(text)} |")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def marked(text: str, spans: Sequence[tuple[int, int]], before: str, after: str) -> str:
    """``text`` with each span put between ``before`` and ``after``."""
    out, at = [], 0
    for start, end in spans:
        if start < at:
            continue
        out += [text[at:start], before, text[start:end], after]
        at = end
    out.append(text[at:])
    return "".join(out)


def table(hits: Sequence[Hit]) -> str:
    """Where (meeting or id), item or title, kind and the matching line. At a terminal, or
    when ``COLUMNS`` is set, it fits that width: the title is cut first (down to 8), then,
    while the line would get fewer than 20 columns, the title and then the kind are left
    out; the line is cut with its first match kept in view. Piped without ``COLUMNS``, every
    value is printed whole. At a terminal the matches are bold red (unless NO_COLOR is set)."""
    from idmeet.ops.search import window

    least = 8  # the title column keeps at least "1. Med…"
    tty = sys.stdout.isatty()
    color = tty and "NO_COLOR" not in os.environ
    headers = ("where", "title", "kind")
    rows = [(h.ref, f"{h.item}. {h.title}" if h.item and not h.action else h.title, h.kind) for h in hits]
    widths = [max(width(headers[i]), *(width(r[i]) for r in rows)) for i in range(3)]
    shown = [0, 1, 2]
    columns = _columns(tty)
    room: int | None = None

    def left() -> int:
        return (columns or 0) - sum(widths[i] + 2 for i in shown)

    if columns is not None:
        if left() < 40 and widths[1] > least:
            widths[1] = max(least, widths[1] - (40 - left()))
        for dropped in (1, 2):
            if left() < 20:
                shown.remove(dropped)
        room = max(left(), 10)
    bold = "\x1b[1m{}\x1b[0m" if color else "{}"
    lines = ["  ".join([*(bold.format(fit(headers[i], widths[i])) for i in shown), bold.format("text")])]
    for hit, row in zip(hits, rows):
        text, spans = hit.text, hit.spans
        if room is not None:
            text, spans = window(text, spans, room)
        if color:
            text = marked(text, spans, "\x1b[1;31m", "\x1b[0m")
        lines.append("  ".join([*(fit(row[i], widths[i]) for i in shown), text]))
    count = f"{len(hits)} hit{'s' if len(hits) != 1 else ''}"
    lines.append(f"\x1b[2m{count}\x1b[0m" if color else count)
    return "\n".join(lines) + "\n"
