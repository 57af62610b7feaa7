"""Printing the action list in the formats both paths of ``idmeet actions`` share: JSON,
Markdown and a plain-text table laid out here (rich took longer than the whole query)."""

from __future__ import annotations

import os
import sys

from idmeet.store.summary import as_dict, cells, json_text, markdown

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
    """A table that fits the terminal (80 columns when piped): owners cut at 16 columns and
    titles shortened with "…" to fit; at a terminal the header is bold, an overdue due date
    red (unless NO_COLOR is set). Written by hand: rich took 100 ms to import and lay out."""
    if not summaries:
        print("No actions match.")
        return
    tty = sys.stdout.isatty()
    color = tty and "NO_COLOR" not in os.environ

    def styled(text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if color and text.strip() else text

    headers = ["id", "owner", "title", "opened", "due", "last update"]
    rows = [cells(s, full_names, day) for s in summaries]
    widths = [max(width(headers[i]), *(width(row[i]) for row, _ in rows)) for i in range(6)]
    widths[1] = min(widths[1], 16)
    columns = 80
    if tty:
        import shutil  # only here: it imports fnmatch and re, which the piped answer never needs

        columns = shutil.get_terminal_size().columns
    spare = columns - sum(widths) + widths[2] - 2 * (len(headers) - 1)
    widths[2] = max(12, min(widths[2], spare))
    least = (8, 8, 12)  # then cut the widest of id, owner and title until the table fits
    while sum(widths) + 2 * (len(headers) - 1) > columns:
        widest = max(range(3), key=lambda i: widths[i] - least[i])
        if widths[widest] <= least[widest]:
            break  # a very narrow terminal: let it wrap
        widths[widest] -= 1
    lines = ["  ".join(styled(fit(h, w), "1") for h, w in zip(headers, widths)).rstrip()]
    for texts, late in rows:
        shown = [fit(text, w) for text, w in zip(texts, widths)]
        if late:
            shown[4] = styled(shown[4], "31")
        lines.append("  ".join(shown).rstrip())
    lines.append(styled(f"{len(summaries)} action{'s' if len(summaries) != 1 else ''}", "2"))
    sys.stdout.write("\n".join(lines) + "\n")


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
