"""``idmeet search WORDS``: find words in meetings, minutes, decisions, actions and proposals."""

from __future__ import annotations

from typing import Annotated

import typer

from idmeet.cli import complete
from idmeet.cli.base import STATE, command, finish
from idmeet.cli.hits import FORMATS, markdown, marked, table

__all__ = ["FORMATS", "markdown", "marked", "search_cmd", "table"]


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
    from idmeet.cli.documents import print_search

    finish(print_search(STATE.repo, words, series, since, format))
