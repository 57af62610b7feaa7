"""``idmeet search WORDS``: find words in meetings, minutes, decisions, actions and proposals."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from idmeet.cli import complete
from idmeet.cli.base import command, date_option, open_repo, warn_if_broken
from idmeet.cli.common import check_format, cross_checked
from idmeet.cli.output import _columns, fit, width
from idmeet.core.diagnostics import IdmeetError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from idmeet.ops.search import Hit

FORMATS = ("table", "md", "json")


@command("search")
def search_cmd(
    words: Annotated[list[str], typer.Argument(metavar="WORDS...", help="The words to find (all of them).")],
    series: Annotated[
        str | None,
        typer.Option("--series", "-s", metavar="SERIES", help="Only this series.", autocompletion=complete.series),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="DATE",
            help="Only meetings on or after this date, actions with a log line or opened since, proposals since.",
        ),
    ] = None,
    format: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="table, md or json.")] = "table",
) -> None:
    """Find words in meeting items (titles and text), questions, minutes, decisions, actions
    (titles, descriptions, logs) and proposals. Each hit shows its meeting and item (or action
    id) and the matching line.

    Case and accents do not matter ("inkoop" finds "Inkoop"). A word finds the words that
    start with it ("inkoop" finds "inkoopkader"), those that contain it when it has five
    letters or more ("besluit" finds "afwijkingsbesluit"), and Dutch word forms of it where
    the Snowball stemmer knows them ("inkopen" finds "inkoop"). Every word must be found.

    Ranked: each word counts 3 in a title or a decision, 2 in a text, question, minutes or
    description, 1 in a log line or (for questions, minutes and decisions) the item's title;
    the highest sum first, then the newest, then by meeting and item or id.

    Exit status as grep: 0 when something was found, 1 when nothing was (said on stderr),
    2 on an error (an unknown series, a bad date, no words).

    Example: idmeet search inkoop --series voortgangsoverleg --since 2024-01-01
    """
    from idmeet.ops.search import search

    try:
        check_format(format, FORMATS)
        start = date_option(since, "--since")
        from idmeet.store.load import searchable_actions

        repo, problems, usable = open_repo(with_actions=False)  # only the actions whose text holds a word
        hits = search(repo, words, series, start, actions=searchable_actions(repo))
    except IdmeetError as error:  # grep's convention: 1 is "nothing found", errors are 2
        raise IdmeetError(error.message, exit_code=max(2, error.exit_code)) from None
    problems = cross_checked(repo, problems, usable)
    if format == "json":
        from idmeet.store.summary import json_text

        typer.echo(json_text([h.as_dict() for h in hits]))
    elif hits:
        typer.echo(markdown(hits) if format == "md" else table(hits), nl=False)
    warn_if_broken(repo, problems)
    if not hits:
        typer.echo(f"idmeet: no matches for '{' '.join(words)}'", err=True)
        raise typer.Exit(1)


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
