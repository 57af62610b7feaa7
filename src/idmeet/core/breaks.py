"""Markdown hard line breaks, kept wherever idmeet reads or rewrites text.

In Markdown a line that ends in two or more spaces, or in a backslash, breaks the line
there instead of joining it to the next one (an address, a list of names, a signature).
idmeet strips the spaces at line ends everywhere (they are invisible and mean nothing),
except such a hard break: two or more spaces at the end of a line that is followed by a
line with text are kept as exactly two. A backslash is text, so it is kept anyway. The
parser (meeting bodies, action descriptions) and ``idmeet fmt`` use the same rule, so
formatting never changes what a text means.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

HARD_BREAK = "  "
_HEADING_RE = re.compile(r"^ {0,3}#{1,6}(?:\s|$)")


def is_hard_break(line: str, following: str | None) -> bool:
    """True when ``line`` ends in a two-space hard break: two or more spaces at its end,
    text before them, it is no heading (a heading is one line whatever follows), and a
    line with text follows."""
    return (
        line.endswith(HARD_BREAK)
        and bool(line.strip())
        and _HEADING_RE.match(line) is None
        and following is not None
        and bool(following.strip())
    )


def strip_line_ends(lines: Sequence[str]) -> list[str]:
    """``lines`` with the white space at their ends removed, a hard break kept as two spaces."""
    out = []
    for n, line in enumerate(lines):
        following = lines[n + 1] if n + 1 < len(lines) else None
        out.append(line.rstrip() + HARD_BREAK if is_hard_break(line, following) else line.rstrip())
    return out


def ends_in_break(line: str, following: str | None) -> bool:
    """True when ``line`` breaks before ``following``: a two-space hard break, or a
    backslash at its end (an odd number of them: ``\\\\`` is a written backslash)."""
    if following is None or not following.strip():
        return False
    text = line.rstrip()
    backslashes = len(text) - len(text.rstrip("\\"))
    return is_hard_break(line, following) or (backslashes % 2 == 1 and _HEADING_RE.match(line) is None)


def one_line(text: str) -> str:
    """``text`` as one line (each run of white space one space), except where a hard break
    stands: there the line still breaks (``"  \\n"``, or the backslash and a line break as
    written), so a summary of several lines keeps the breaks its writer asked for."""
    lines = text.split("\n")
    out = ""
    for n, line in enumerate(lines):
        following = lines[n + 1] if n + 1 < len(lines) else None
        words = " ".join(line.split())
        if not words:
            continue
        if is_hard_break(line, following):
            out += words + HARD_BREAK + "\n"
        elif ends_in_break(line, following):
            out += words + "\n"
        else:
            out += words + " "
    return out.rstrip(" ")


def html_lines(text: str) -> str:
    """``text`` as HTML (escaped), each hard break a ``<br>``; the caller marks it safe."""
    from markupsafe import escape

    lines = text.split("\n")
    out = []
    for n, line in enumerate(lines):
        following = lines[n + 1] if n + 1 < len(lines) else None
        if ends_in_break(line, following):
            shown = line.rstrip()
            shown = shown[:-1] if shown.endswith("\\") and not line.endswith(HARD_BREAK) else shown
            out.append(str(escape(shown.rstrip())) + "<br>\n")
        else:
            out.append(str(escape(line)) + ("\n" if n + 1 < len(lines) else ""))
    return "".join(out)
