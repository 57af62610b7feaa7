"""Printing the action list in the formats both paths of ``idmeet actions`` share: JSON,
Markdown and a plain-text table laid out here (rich took longer than the whole query)."""

from __future__ import annotations

import os
import sys

from idmeet.core.rules import status_on_day
from idmeet.store.summary import CLOSED, DESCRIPTION, OPENED, STATUS, as_dict, cells, json_text, markdown

TYPE_CHECKING = False  # typing itself costs milliseconds at start; mypy reads this as True
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any


def print_found(fmt: str, summaries: Sequence[Sequence[Any]], full_names: Mapping[str, str], day: int) -> None:
    """Print actions (their summaries, ``store/summary.py``) as json, md or table; ``day`` (an ordinal)
    is the day "overdue" is judged on."""
    if fmt == "json":
        sys.stdout.write(json_text([as_dict(s, full_names) for s in summaries]) + "\n")
    elif fmt == "md":
        sys.stdout.write(markdown(summaries, full_names, day))
    else:
        print_table(summaries, full_names, day)


def print_table(summaries: Sequence[Sequence[Any]], full_names: Mapping[str, str], day: int) -> None:
    """A table of the actions: id, owner, title, status, opened, due, last update and the
    description. At a terminal, or when ``COLUMNS`` is set, it fits that width: the description
    takes what room is left (or is left out), then last update, opened, owner and due are left
    out and id, owner and title cut with "…" until every line fits. Piped without ``COLUMNS``,
    every value is printed whole. At a terminal the header is bold, an overdue due date red
    (unless NO_COLOR is set). Written by hand: rich took 100 ms to import and lay out."""
    if not summaries:
        print("No actions match.")
        return
    tty = sys.stdout.isatty()
    color = tty and "NO_COLOR" not in os.environ

    def styled(text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if color and text.strip() else text

    headers = ["id", "owner", "title", "status", "opened", "due", "last update", "description"]
    rows = []
    for s in summaries:
        texts, late = cells(s, full_names, day)
        status = status_on_day(s[STATUS], s[OPENED], s[CLOSED], day) if day else None
        texts = [*texts[:3], status or s[STATUS], *texts[3:], " ".join(s[DESCRIPTION].split())]
        rows.append((texts, late))
    widths = [max(width(headers[i]), *(width(row[i]) for row, _ in rows)) for i in range(len(headers))]
    if not any(texts[7] for texts, _ in rows):
        widths[7] = 0  # no action has a description: no column for it
    columns = _columns(tty)
    shown = [i for i, w in enumerate(widths) if w]
    if columns is not None:
        shown = _layout(widths, columns)
    lines = ["  ".join(styled(fit(headers[i], widths[i]), "1") for i in shown).rstrip()]
    for texts, late in rows:
        cut = [styled(fit(texts[i], widths[i]), "31") if late and i == 5 else fit(texts[i], widths[i]) for i in shown]
        lines.append("  ".join(cut).rstrip())
    lines.append(styled(f"{len(summaries)} action{'s' if len(summaries) != 1 else ''}", "2"))
    sys.stdout.write("\n".join(lines) + "\n")


def _columns(tty: bool) -> int | None:
    """The width to fit: ``COLUMNS`` when it is a number, else the terminal's; None when piped."""
    given = os.environ.get("COLUMNS", "")
    if given.isdigit() and int(given) > 0:
        return int(given)
    if not tty:
        return None
    import shutil  # only here: it imports fnmatch and re, which the piped answer never needs

    return shutil.get_terminal_size().columns


def _layout(widths: list[int], columns: int) -> list[int]:
    """Which columns to show in ``columns`` (their ``widths`` cut in place to fit). First last
    update and opened are left out while id, owner and title cannot keep 8, 16 and 20 columns;
    then owner and due while they cannot keep 8, 8 and 12; id, owner and title are cut, the
    widest first; the description only gets the room that is left."""
    shown = [0, 1, 2, 3, 4, 5, 6]
    least = {0: 8, 1: 8, 2: 12}

    def needed(smallest: dict[int, int] | None) -> int:
        cells = [min(widths[i], smallest[i]) if smallest and i in smallest else widths[i] for i in shown]
        return sum(cells) + 2 * (len(shown) - 1)

    for smallest, droppable in (({0: 8, 1: 16, 2: 20}, (6, 4)), (least, (1, 5))):
        for dropped in droppable:
            if needed(smallest) <= columns:
                break
            shown.remove(dropped)
    while needed(None) > columns:  # cut the widest of id, owner and title
        cuttable = [i for i in least if i in shown and widths[i] > least[i]]
        if not cuttable:
            break
        widest = max(cuttable, key=lambda i: widths[i] - least[i])
        widths[widest] -= 1
    spare = columns - needed(None) - 2
    if widths[7] and spare >= 12:
        widths[7] = min(widths[7], spare)
        shown.append(7)
    elif needed(None) > columns:  # narrower than id, status and a title of 12: cut the title
        widths[2] = max(1, widths[2] - (needed(None) - columns))
    return shown


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide (East Asian) characters two, combining none."""
    if text.isascii():
        return len(text)
    return sum(map(_char_width, text))


def _char_width(char: str) -> int:
    import unicodedata

    return 0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in "WF" else 1


def fit(text: str, columns: int) -> str:
    """``text`` padded to ``columns``, or cut to fit with "…" at the end: the longest start of
    it that fits in one column less. Linear in the text's length (a title may be megabytes)."""
    if text.isascii():
        if len(text) <= columns:
            return text + " " * (columns - len(text))
        kept = text[: max(columns - 1, 0)]
        return kept + "…" + " " * (columns - 1 - len(kept))
    total = width(text)
    if total <= columns:
        return text + " " * (columns - total)
    used = end = 0
    for char in text:
        step = _char_width(char)
        if used + step > columns - 1:
            break
        used += step
        end += 1
    return text[:end] + "…" + " " * (columns - 1 - used)
