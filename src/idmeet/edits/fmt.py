"""Canonical formatting of repository files (``idmeet fmt``), without changing their meaning.

Frontmatter: keys in the documented order (unknown keys after, as they were), values quoted
the way idmeet writes them (dates and times plain), short lists in flow style
(``[a, b]``), longer ones as blocks; comments are kept with the key they stand above or
beside, and a key whose value holds comments is left as written. Body: no trailing spaces
except a Markdown hard break (``core.breaks``), one blank line between blocks and around
headings, a final newline. Every result is parsed again and compared with the original: if
the meaning differs, the file is left alone.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from idmeet.core.breaks import HARD_BREAK, is_hard_break
from idmeet.core.dates import parse_iso_date
from idmeet.core.diagnostics import IdmeetError
from idmeet.core.model import meaning
from idmeet.edits.lines import frontmatter_lines
from idmeet.parser import yamlio
from idmeet.parser.fields import TIME_RE
from idmeet.parser.records import (
    ACTION_KEYS,
    MEETING_KEYS,
    PROPOSAL_KEYS,
    parse_action,
    parse_config,
    parse_meeting,
    parse_proposal,
)
from idmeet.parser.yamlio import split_value, yaml_scalar

FLOW_WIDTH = 100
BLOCK_LISTS = frozenset({"invitees", "attendees", "attachments", "questions"})  # a line each in diffs
ITEM_RE = re.compile(r"^\d+[a-z]?$")
_KEY_RE = re.compile(r"^([A-Za-z_][\w-]*)\s*:(.*)$")
_FENCE_RE = re.compile(r"^\s*(```|~~~)")
_HEADING_RE = re.compile(r"^#{1,6}\s")

KINDS: dict[str, tuple[tuple[str, ...], Callable[[bytes, str], tuple[Any, list[Any]]]]] = {
    "meeting": (MEETING_KEYS, parse_meeting),
    "action": (ACTION_KEYS, parse_action),
    "proposal": (PROPOSAL_KEYS, parse_proposal),
}


def _blocks(lines: list[str]) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """Frontmatter lines -> (comment lines before any key, [(key, its lines with leading comments)])."""
    blocks: list[tuple[str, list[str]]] = []
    pending: list[str] = []
    for line in lines:
        match = _KEY_RE.match(line)
        if match and not line[:1].isspace():
            blocks.append((match.group(1), [*pending, line]))
            pending = []
        elif line.strip().startswith("#") and not line[:1].isspace():
            pending.append(line)
        elif not line.strip():
            continue
        elif blocks:
            blocks[-1][1].append(line)
        else:
            pending.append(line)
    if pending and blocks:
        blocks[-1][1].extend(pending)
        pending = []
    return pending, blocks


def _value_text(key: str, value: Any) -> str | None:
    """The canonical YAML for a plain value, or None to keep the lines as written."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        text = str(value).strip()
        if (key in ("start", "end") and TIME_RE.match(text)) or (key == "item" and ITEM_RE.match(text)):
            return text  # idmeet's own reader keeps these as text; plain reads best
        if parse_iso_date(text) is not None:
            return text
        return yaml_scalar(text)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        flow = "[" + ", ".join(yaml_scalar(str(v).strip()) for v in value) + "]"
        if key not in BLOCK_LISTS and len(key) + 2 + len(flow) <= FLOW_WIDTH:
            return flow
        return "\n" + "\n".join(f"  - {yaml_scalar(str(v).strip())}" for v in value)
    return None


def _format_block(key: str, lines: list[str], value: Any) -> list[str]:
    comments = [
        line for line in lines if line.strip().startswith("#") and not line[:1].isspace() and not _KEY_RE.match(line)
    ]
    key_index = next(i for i, line in enumerate(lines) if _KEY_RE.match(line) and not line[:1].isspace())
    key_line = lines[key_index]
    rest = lines[key_index + 1 :]
    has_inner_comment = any(re.search(r"(^|\s)#", line) for line in rest)
    new = _value_text(key, value) if not has_inner_comment else None
    if new is None:
        return [line.rstrip() for line in lines]
    after_colon = key_line.split(":", 1)[1]
    tail = ""
    if not (value is None or isinstance(value, (list, dict))) or after_colon.strip().startswith("["):
        _, tail = split_value(after_colon.lstrip())
        tail = tail.rstrip()
        if tail and not tail.lstrip().startswith("#"):
            tail = ""
        elif tail:
            tail = "  " + tail.lstrip()
    if new.startswith("\n"):
        return [*comments, f"{key}:{tail}", *new[1:].split("\n")]
    return [*comments, f"{key}: {new}{tail}"]


def _format_frontmatter(lines: list[str], order: tuple[str, ...]) -> list[str] | None:
    value, problems = yamlio.load("\n".join(lines))
    if problems or not isinstance(value, dict):
        return None
    head, blocks = _blocks(lines)
    if len({k for k, _ in blocks}) != len(blocks) or {k for k, _ in blocks} != set(value):
        return None
    known = [b for k in order for b in blocks if b[0] == k]
    unknown = [b for b in blocks if b[0] not in order]
    out = [line.rstrip() for line in head]
    for key, block in known:
        out += _format_block(key, block, value[key])
    for _, block in unknown:  # idmeet does not know their types: kept byte for byte (1 stays 1)
        out += block
    return out


def _format_body(lines: list[str]) -> list[str]:
    out: list[tuple[str, str]] = []  # (the line, the line as written: its hard break)
    fenced = False
    for raw in lines:
        line = raw.rstrip()
        if _FENCE_RE.match(line):
            fenced = not fenced
        elif not fenced:
            if not line and (not out or not out[-1][0]):
                continue
            if (_HEADING_RE.match(line) and out and out[-1][0]) or (out and _HEADING_RE.match(out[-1][0]) and line):
                out.append(("", ""))
        out.append((line, raw))
    while out and not out[-1][0]:
        out.pop()
    while out and not out[0][0]:
        out.pop(0)
    return [
        line + HARD_BREAK if is_hard_break(raw, out[n + 1][0] if n + 1 < len(out) else None) else line
        for n, (line, raw) in enumerate(out)
    ]


def format_text(text: str, kind: str) -> str | None:
    """The canonical form of a file's text, or None when it cannot be formatted safely."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    if kind == "config":  # only white space: idmeet.yaml is the users' own prose and comments
        lines: list[str] = []
        for line in text.split("\n"):
            if line.strip() or (lines and lines[-1]):
                lines.append(line.rstrip())
        while lines and not lines[-1]:
            lines.pop()
        return "\n".join(lines) + "\n"
    split = frontmatter_lines(text)
    if split is None:
        return None
    lines, close = split
    front = _format_frontmatter(lines[1:close], KINDS[kind][0])
    if front is None:
        return None
    body = _format_body(lines[close + 1 :])
    return "\n".join(["---", *front, "---", *(["", *body] if body else [])]) + "\n"


def format_file(data: bytes, path: str, kind: str) -> tuple[str | None, str | None]:
    """(new text, None) for a file, or (None, why not) when it is left alone."""
    parse = parse_config if kind == "config" else KINDS[kind][1]
    before, problems = parse(data, path)
    if before is None or any(p.severity == "error" for p in problems):
        return None, "has problems (run 'idmeet check'); not formatted"
    new = format_text(data.decode("utf-8"), kind)
    if new is None:
        return None, "cannot be formatted safely; left as it is"
    after, _ = parse(new.encode("utf-8"), path)
    if meaning(after) != meaning(before):
        return None, "formatting would change its meaning; left as it is (please report this)"
    return new, None


@dataclass(frozen=True)
class FormatReport:
    """What ``format_repository`` did: how many files it looked at, the ones it changed (or
    would change), and the ones it left alone with why (repository-relative paths)."""

    checked: int
    changed: tuple[str, ...]
    refused: tuple[tuple[str, str], ...]


def format_repository(root: Path, paths: Sequence[Path] | None = None, *, write: bool = True) -> FormatReport:
    """Format the repository's files, or those in ``paths`` (files or folders inside it);
    without ``write`` only say which would change. Writing holds the repository's lock from
    the first read to the last write."""
    from idmeet.edits.write import atomic_write
    from idmeet.store.listing import classify, disk_paths
    from idmeet.store.lock import repository_lock

    with repository_lock(root) if write else contextlib.nullcontext():
        selected = disk_paths(root)
        if paths:
            wanted = []
            for given in paths:
                full = given.resolve()
                if not full.exists():
                    raise IdmeetError(f"{given}: no such file or folder")
                if not full.is_relative_to(root.resolve()):
                    raise IdmeetError(f"{given} is outside the repository {root}")
                rel = full.relative_to(root.resolve()).as_posix()
                wanted += [p for p in selected if rel in (".", p) or p.startswith(rel.rstrip("/") + "/")]
            selected = wanted
        changed: list[str] = []
        refused: list[tuple[str, str]] = []
        for rel in selected:
            kind = classify(rel)
            if kind is None:
                continue
            try:
                data = (root / rel).read_bytes()
            except OSError as exc:  # not readable (permissions), gone meanwhile: say so, go on with the rest
                refused.append((rel, f"cannot read the file: {exc.strerror or exc}; not formatted"))
                continue
            new, why = format_file(data, rel, kind)
            if new is None:
                refused.append((rel, why or ""))
                continue
            if new.encode("utf-8") != data:
                changed.append(rel)
                if write:
                    atomic_write(root / rel, new, root)
    return FormatReport(len(selected), tuple(changed), tuple(refused))
