"""The values shell completion offers (``idmeet action show <TAB>``), read fast and without
idmeet's model, PyYAML, pathlib or typing: TAB runs idmeet once per press.

- Action ids, their statuses and titles, and the tags in use: ``.idmeet-cache/action.complete``,
  a small file written beside ``action.warm`` whenever the action cache is saved (``build``).
  When it is missing, damaged or of another version, or ``actions/`` has gained or lost a
  file since, the ids are the file names in ``actions/`` (with the titles still known).
- People and series: the cached idmeet.yaml (``config.index``) while the file is unchanged;
  otherwise a line scan of idmeet.yaml (``scan_config``) that reads the block style
  ``idmeet init`` writes and the documentation shows.
- Meetings: the file names ``<series>/<YYYY-MM-DD>.md``.

A title can be out of date while a file was edited and no command has run since: completion
is a hint, and the command reads the files. Every function here returns what it can and
never raises for a missing, foreign or damaged file: TAB never prints an error.
"""

from __future__ import annotations

import marshal
import os

from idmeet.store.paths import ACTIONS_DIR, CACHE_DIR, CONFIG_FILE, PROPOSALS_DIR, find_root, md_names
from idmeet.store.warm import read_index, read_sealed, schema, seal, stamp, trusted

TYPE_CHECKING = False  # typing itself costs milliseconds at start; mypy reads this as True
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from typing import Any

COMPLETE_FILE = "action.complete"
# An action summary's fields used here (``cache.ActionSummary``: status, ..., id, title, ..., tags as written)
_STATUS, _ID, _TITLE, _TAGS = 0, 8, 9, 12


def root_of(repo_arg: str | None) -> str | None:
    """The repository ``--repo`` names, or the one found as every command finds it; None when none is."""
    try:
        return find_root(repo_arg, os.getcwd(), os.environ)[0]
    except OSError:
        return None


def build(entries: Mapping[str, tuple[Any, ...]], listing: tuple[int, int] | None) -> bytes:
    """``action.complete``'s bytes, from the action cache's entries (path -> size, mtime, offset,
    length, problems, summary, ...): the ids (file names), statuses and titles of the action
    files as three texts of one line per file ("" where a file gave no action), the tags in
    use (as first written), and the listing of ``actions/`` they stand for (its modification
    time and number of files). Three texts split faster than a line per action split in three."""
    ids: list[str] = []
    statuses: list[str] = []
    titles: list[str] = []
    tags: dict[str, str] = {}
    for rel, entry in entries.items():
        summary = entry[5]
        ids.append(rel.rsplit("/", 1)[-1].removesuffix(".md"))
        if isinstance(summary, tuple) and len(summary) > _TAGS:
            statuses.append(str(summary[_STATUS]))
            titles.append(" ".join(str(summary[_TITLE]).split()))
            for tag in summary[_TAGS]:
                tags.setdefault(tag.casefold(), tag)
        else:
            statuses.append("")
            titles.append("")
    return seal(
        marshal.dumps(
            {
                "schema": schema(),
                "listing": listing,
                "ids": "\n".join(ids),
                "statuses": "\n".join(statuses),
                "titles": "\n".join(titles),
                "tags": sorted(tags.values()),
            }
        )
    )


def _complete_file(root: str) -> dict[str, Any] | None:
    if os.path.islink(os.path.join(root, CACHE_DIR)):  # a cache outside the repository is not ours
        return None
    try:
        data = read_sealed(os.path.join(root, CACHE_DIR, COMPLETE_FILE))
        if isinstance(data, dict) and data.get("schema") == schema():
            return data
    except (OSError, ValueError, EOFError, TypeError):
        pass  # missing, foreign or damaged
    return None


def action_rows(root: str) -> tuple[list[str], list[str], list[str]]:
    """The ids of the action files (by file name), and their statuses and titles ("" where
    not known)."""
    data = _complete_file(root) or {}
    try:
        ids, statuses, titles = (str(data[key]).split("\n") for key in ("ids", "statuses", "titles"))
        if not data["ids"]:
            ids, statuses, titles = [], [], []
    except KeyError:
        ids, statuses, titles = [], [], []
    listing = data.get("listing")
    folder = os.path.join(root, ACTIONS_DIR)
    try:
        unchanged = listing is not None and os.stat(folder).st_mtime_ns == listing[0] and listing[1] == len(ids)
    except (OSError, TypeError, IndexError):
        unchanged = False
    if unchanged and len(ids) == len(statuses) == len(titles):
        return ids, statuses, titles
    known = dict(zip(ids, zip(statuses, titles))) if len(ids) == len(statuses) == len(titles) else {}
    ids = [name[:-3] for name in md_names(folder)]
    rows = [known.get(ident, ("", "")) for ident in ids]
    return ids, [row[0] for row in rows], [row[1] for row in rows]


def actions(root: str, statuses: Iterable[str] = ()) -> list[tuple[str, str]]:
    """(id, title) of the actions, only those with one of ``statuses`` when given (an action
    whose status is not known is kept)."""
    ids, known, titles = action_rows(root)
    wanted = set(statuses)
    if not wanted:
        return list(zip(ids, titles))
    wanted.add("")
    return [(ident, title) for ident, status, title in zip(ids, known, titles) if status in wanted]


def tags(root: str) -> list[str]:
    """The tags the actions carry, as first written (from the cache; none without it)."""
    data = _complete_file(root)
    found = data.get("tags") if data else None
    return [t for t in found if isinstance(t, str)] if isinstance(found, list) else []


def config_view(root: str) -> tuple[list[tuple[str, tuple[str, ...], str]], list[tuple[str, str]]]:
    """(people as (full name, aliases, role), series as (key, title)) of idmeet.yaml: from the
    cache while the file is as it was parsed, else from ``scan_config``."""
    path = os.path.join(root, CONFIG_FILE)
    try:
        index = read_index(root, "config")
        entry = index["entries"].get(CONFIG_FILE) if index else None
        if index is not None and entry is not None and trusted(entry, stamp(os.stat(path)), index["written"]):
            summary = entry[5]
            if isinstance(summary, tuple) and len(summary) >= 5:
                return list(summary[3]), list(zip(summary[2], summary[4]))
        with open(path, encoding="utf-8", errors="replace") as handle:
            return scan_config(handle.read(100_000))
    except (OSError, ValueError, EOFError, TypeError, KeyError, IndexError):
        return [], []


def owners(root: str) -> list[tuple[str, str]]:
    """(name, description) for each person: every alias (described by the full name) and the
    full name (described by the role)."""
    people, _ = config_view(root)
    found: list[tuple[str, str]] = []
    for name, aliases, role in people:
        found += [(alias, name) for alias in aliases]
        found.append((name, role))
    return found


def series(root: str) -> list[tuple[str, str]]:
    """(key, title) of each series in idmeet.yaml; without one, the folders holding meeting files."""
    _, known = config_view(root)
    if known:
        return known
    try:
        with os.scandir(root) as entries:
            folders = sorted(e.name for e in entries if e.is_dir() and not e.name.startswith("."))
    except OSError:
        return []
    return [(f, "") for f in folders if f not in (ACTIONS_DIR, PROPOSALS_DIR) and _dated(os.path.join(root, f))]


def meetings(root: str) -> list[str]:
    """``<series>/<YYYY-MM-DD>`` of every meeting file, by series and date."""
    return [f"{key}/{name}" for key, _ in series(root) for name in _dated(os.path.join(root, key))]


def _dated(folder: str) -> list[str]:
    """The dates of the ``YYYY-MM-DD.md`` files in a folder."""
    return [name[:-3] for name in md_names(folder) if _is_date(name[:-3])]


def _is_date(text: str) -> bool:
    digits = text[:4] + text[5:7] + text[8:]
    return len(text) == 10 and text[4] == text[7] == "-" and digits.isascii() and digits.isdigit()


def scan_config(text: str) -> tuple[list[tuple[str, tuple[str, ...], str]], list[tuple[str, str]]]:
    """What ``config_view`` needs of idmeet.yaml, read line by line without a YAML parser:
    under ``people:``, each item's ``name``, ``aliases`` (``[A, B]`` or a list below) and
    ``role``; under ``series:``, each key and its ``title``. Other spellings of YAML (flow
    style for a whole block) give nothing: completion then offers less, never something wrong."""
    people: list[list[Any]] = []
    found_series: list[list[str]] = []
    block = ""
    key_indent: int | None = None
    list_of: str | None = None  # "aliases" while reading the list below "aliases:"
    list_indent = 0
    for raw in text.splitlines():
        line = _without_comment(raw).rstrip()
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        body = line.strip()
        if indent == 0 and not body.startswith("- "):  # a list's items may stand at the block's own indent
            block, key_indent, list_of = body.split(":", 1)[0].strip(), None, None
            continue
        if list_of and indent >= list_indent and body.startswith("- "):
            if people:
                people[-1][1].append(_unquoted(body[2:]))
            continue
        list_of = None
        if block == "people":
            item = body.startswith("- ")
            field, _, value = (body[2:] if item else body).partition(":")
            field, value = field.strip(), value.strip()
            if item:
                people.append(["", [], ""])
            if not people:
                continue
            if field == "name":
                people[-1][0] = _unquoted(value)
            elif field == "role":
                people[-1][2] = _unquoted(value)
            elif field == "aliases":
                if value.startswith("["):
                    people[-1][1] += [_unquoted(v) for v in value.strip("[]").split(",") if v.strip()]
                elif not value:
                    list_of, list_indent = "aliases", indent
        elif block == "series":
            if key_indent is None:
                key_indent = indent
            field, _, value = body.partition(":")
            if indent == key_indent and not value.strip():
                found_series.append([_unquoted(field), ""])
            elif indent > key_indent and found_series and field.strip() == "title":
                found_series[-1][1] = _unquoted(value)
    return (
        [(p[0], tuple(a for a in p[1] if a), p[2]) for p in people if p[0]],
        [(s[0], s[1]) for s in found_series if s[0]],
    )


def _without_comment(line: str) -> str:
    """A YAML line without its comment (a ``#`` at the start or after a space, outside quotes)."""
    quote = ""
    for at, char in enumerate(line):
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "#" and (at == 0 or line[at - 1] in " \t"):
            return line[:at]
    return line


def _unquoted(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text
