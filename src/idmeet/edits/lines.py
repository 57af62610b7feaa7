"""Edits of repository files that change only what they must.

An edit works on the file's lines: it replaces the value of one frontmatter key (keeping
its quoting and comment), inserts a missing key, or appends a log line. Key order,
comments, unknown keys and the body stay as the user wrote them, so the git diff of an
edit is the edit itself. Before writing, the file is read again: if it changed on disk
since it was read, the edit is refused. Writes are atomic (see ``write.atomic_write``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from pathlib import Path

from idmeet.core.diagnostics import IdmeetError
from idmeet.edits.write import atomic_write, repository_target
from idmeet.parser.yamlio import LOG_HEADING_RE, split_value, yaml_list, yaml_scalar
from idmeet.store.lock import repository_lock

ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford's base 32, lower-case
ID_LENGTH = 8
_HEADING_RE = re.compile(r"^(#{1,6})\s")
_FENCE_RE = re.compile(r"^-{3,}\s*$")  # the frontmatter boundary, as python-frontmatter has it


def new_id(taken: set[str]) -> str:
    """A random id that no action has yet; no shared counter, so branches never collide."""
    import secrets  # (here: an edit of an existing action need not pay for its import)

    while True:
        candidate = "".join(secrets.choice(ID_ALPHABET) for _ in range(ID_LENGTH))
        if candidate not in taken and not candidate.isdigit():
            return candidate


def _same_style(old: str, new: str) -> str:
    """Render ``new`` in the quoting style of ``old`` where that is safe."""
    if old.startswith("'"):
        return "'" + new.replace("'", "''") + "'"
    if old.startswith('"'):
        return json.dumps(new, ensure_ascii=False)
    return yaml_scalar(new)


def frontmatter_lines(text: str) -> tuple[list[str], int] | None:
    """A file's lines (byte-order mark and CRLF removed, no empty last line) and the index of
    the line that closes its frontmatter; None without a closed frontmatter."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    if not lines or not _FENCE_RE.match(lines[0]):
        return None
    close = next((i for i in range(1, len(lines)) if _FENCE_RE.match(lines[i])), 0)
    return (lines, close) if close else None


class FileEdit:
    """The lines of one Markdown file with frontmatter, edited in place and written once."""

    def __init__(self, path: Path, root: Path | None = None) -> None:
        """Read ``path``; with ``root`` (its repository) the file must stay inside it (see
        ``write.repository_target``) and ``write`` holds the repository's lock."""
        self.root = root
        self.path = path if root is None else repository_target(root, path)
        try:
            self.original = path.read_bytes()
        except OSError as exc:
            raise IdmeetError(f"cannot read {path}: {exc.strerror}") from None
        try:
            text = self.original.decode("utf-8")
        except UnicodeDecodeError:
            raise IdmeetError(f"{path}: not UTF-8 text (run 'idmeet check')") from None
        self.bom = text.startswith("\ufeff")  # kept as the user's editor wrote it
        self.crlf = "\r\n" in text
        self.final_newline = text.endswith("\n")
        split = frontmatter_lines(text)
        if split is None:
            raise IdmeetError(f"{path}: no closed frontmatter to edit (run 'idmeet check')")
        self.lines, self.close = split

    def _key_index(self, key: str) -> int | None:
        pattern = re.compile(rf"^{re.escape(key)}\s*:(\s|$)")
        return next((i for i in range(1, self.close) if pattern.match(self.lines[i])), None)

    def _continuation(self, index: int) -> int:
        """The index after the value lines of a key whose value starts on the next line (a block
        list); a key with its value on its own line has none. Comment lines are not values."""
        rest = self.lines[index].split(":", 1)[1].strip()
        if rest and not rest.startswith("#"):
            return index + 1
        end = index + 1
        while end < self.close and (self.lines[end][:1] in (" ", "\t", "-") or not self.lines[end].strip()):
            end += 1
        while end > index + 1 and (not self.lines[end - 1].strip() or self.lines[end - 1].strip().startswith("#")):
            end -= 1
        return end

    def _comments(self, start: int, end: int) -> list[str]:
        return [line for line in self.lines[start:end] if line.strip().startswith("#")]

    def set_scalar(self, key: str, value: str, after: Sequence[str] = ()) -> None:
        """Set ``key: value``, keeping the old value's quoting and comment; insert if missing."""
        index = self._key_index(key)
        if index is None:
            self._insert(f"{key}: {yaml_scalar(value)}", after)
            return
        line = self.lines[index]
        colon = line.index(":")
        head, rest = line[: colon + 1], line[colon + 1 :]
        space = rest[: len(rest) - len(rest.lstrip())] or " "
        if rest.lstrip().startswith("#") or not rest.strip():  # no value yet; keep any comment
            old, tail = "", ("  " + rest.strip()) if rest.strip() else ""
            space = " "
        else:
            old, tail = split_value(rest.lstrip())
        end = self._continuation(index)
        if end > index + 1 or old.startswith("["):
            old = ""
        kept = self._comments(index + 1, end)
        self.lines[index:end] = [f"{head}{space}{_same_style(old, value)}{tail}", *kept]

    def set_list(self, key: str, values: Sequence[str]) -> None:
        """Set a list value (one value as a plain scalar), in the style the file used."""
        index = self._key_index(key)
        if index is None:
            self._insert(f"{key}: {yaml_list(values) if len(values) > 1 else yaml_scalar(values[0])}", ())
            return
        end = self._continuation(index)
        block = [line for line in self.lines[index + 1 : end] if line.strip().startswith("-")]
        key_rest = self.lines[index].split(":", 1)[1]
        if block:
            prefix = block[0][: block[0].index("-") + 1] + " "
            kept = self._comments(index + 1, end)  # the key line and comments stay as written
            self.lines[index:end] = [self.lines[index], *kept] + [f"{prefix}{yaml_scalar(v)}" for v in values]
            return
        _, tail = split_value(key_rest.lstrip())
        if len(values) == 1 and not key_rest.lstrip().startswith("["):
            self.set_scalar(key, values[0])
            return
        self.lines[index:end] = [f"{key}: {yaml_list(values)}{tail}"]

    def _insert(self, line: str, after: Sequence[str]) -> None:
        for anchor in after:
            index = self._key_index(anchor)
            if index is not None:
                end = self._continuation(index)
                self.lines.insert(end, line)
                self.close += 1
                return
        self.lines.insert(self.close, line)
        self.close += 1

    def append_log(self, day: dt.date, text: str) -> None:
        """Add ``- YYYY-MM-DD: text`` at the end of the ``## Log`` section (made if missing)."""
        entry = f"- {day.isoformat()}: {' '.join(text.split())}"
        heading = next((i for i in range(self.close + 1, len(self.lines)) if LOG_HEADING_RE.match(self.lines[i])), None)
        if heading is None:
            while len(self.lines) > self.close + 1 and not self.lines[-1].strip():
                self.lines.pop()
            self.lines += ["", "## Log", "", entry]
            self.final_newline = True
            return
        level = len(_HEADING_RE.match(self.lines[heading]).group(1))  # type: ignore[union-attr]
        end = next(
            (
                i
                for i in range(heading + 1, len(self.lines))
                if (m := _HEADING_RE.match(self.lines[i])) and len(m.group(1)) <= level
            ),
            len(self.lines),
        )
        last = max((i for i in range(heading + 1, end) if self.lines[i].strip()), default=None)
        if last is None:
            self.lines[heading + 1 : heading + 1] = ["", entry]
        else:
            self.lines.insert(last + 1, entry)

    def text(self) -> str:
        text = "\n".join(self.lines) + ("\n" if self.final_newline else "")
        return ("\ufeff" if self.bom else "") + (text.replace("\n", "\r\n") if self.crlf else text)

    def write(self) -> None:
        """Write the edited file, unless it changed on disk since it was read.

        The comparison and the write happen under the repository's lock (when the edit knows
        its repository), so no other idmeet command can write in between."""
        if self.root is None:
            self._compare_and_write()
            return
        with repository_lock(self.root):
            self._compare_and_write()

    def _compare_and_write(self) -> None:
        try:
            current = self.path.read_bytes()
        except OSError:
            current = b""
        if current != self.original:
            raise IdmeetError(
                f"{self.path} changed on disk while idmeet was editing it; nothing was written (run the command again)"
            )
        atomic_write(self.path, self.text(), self.root)


def new_file_text(fields: Sequence[tuple[str, str]], body: str) -> str:
    """A new Markdown file: frontmatter lines in the given order, then the body.

    Each value is already YAML; a value starting with a newline is a block (a list).
    """
    head = "\n".join(["---", *(f"{k}:{'' if v.startswith(chr(10)) else ' '}{v}" for k, v in fields), "---"])
    return head + "\n" + (f"\n{body.strip()}\n" if body.strip() else "")
