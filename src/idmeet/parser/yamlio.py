"""Read YAML so that what the user typed stays what they meant.

PyYAML follows YAML 1.1: ``16:00`` becomes 960, ``no`` becomes False, ``007`` becomes 7,
and a duplicate key silently wins. idmeet instead composes the node tree (PyYAML's C
parser when present) and builds the values itself: every plain scalar is text except
``true``/``false`` and ``null``/``~``/empty; duplicate keys are reported; every value
knows the line it stands on, so a later check can say ``path:line: message``.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@functools.cache
def _compose_loader() -> type:
    """PyYAML's loader (its C parser when present) with no implicit resolvers: we decide
    scalar types ourselves. Made on first use: the simple subset never needs PyYAML."""
    import yaml

    base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return type("ComposeLoader", (base,), {"yaml_implicit_resolvers": {}})


_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_SPECIAL = _TRUE | _FALSE | _NULL


class LStr(str):
    """Text that remembers its line."""

    __slots__ = ("line",)
    line: int


class LDict(dict[str, Any]):
    """A mapping that remembers its own line and the line of each key."""

    line: int
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LList(list[Any]):
    """A list that remembers its line and the line of each element."""

    line: int
    item_lines: list[int]


@dataclass(frozen=True)
class YamlProblem:
    """A problem of a YAML text, at a line of it."""

    line: int  # 1-based, in the text given to load()
    message: str


def line_of(value: object, default: int) -> int:
    """The line a loaded value came from, or ``default`` for plain values."""
    return getattr(value, "line", default)


def load(text: str, first_line: int = 1) -> tuple[Any, list[YamlProblem]]:
    """Parse one YAML document; lines are reported as ``first_line`` + line in ``text``.

    Returns the value (None for an empty document) and the problems; never raises. The plain
    frontmatter that idmeet and most people write is read by ``load_simple``; anything else
    (and every error) goes through PyYAML.
    """
    simple = load_simple(text, first_line)
    if simple is not None:
        return simple, []
    import yaml

    refused = _refuse(text, first_line)
    if refused is not None:
        return None, [refused]
    try:
        node = yaml.compose(text, Loader=_compose_loader())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and "end of stream" in (exc.problem or ""):
            mark = exc.context_mark  # an unclosed quote: point where it opened, not at the end
        line = first_line + mark.line if mark is not None else first_line
        what = exc.problem or "invalid YAML"
        if exc.context and exc.problem and "found character" not in what:
            what = f"{exc.context}, {exc.problem}"
        return None, [YamlProblem(line, f"invalid YAML: {_clean(what)}")]
    except yaml.YAMLError as exc:  # pragma: no cover - other PyYAML failures
        return None, [YamlProblem(first_line, f"invalid YAML: {_clean(str(exc))}")]
    if node is None:
        return None, []
    problems: list[YamlProblem] = []
    return _build(node, first_line, problems), problems


ALIASES_REFUSED = "YAML anchors and aliases are not allowed"


def _refuse(text: str, first_line: int) -> YamlProblem | None:
    """A problem when the text uses anchors or aliases, or nests deeper than ``MAX_YAML_DEPTH``.

    idmeet's files need neither; an alias is expanded wherever it is used, so nine levels of
    nine aliases ("billion laughs") would make a small file take minutes and gigabytes. The
    scanner's tokens tell both without building anything (invalid YAML is left to ``compose``)."""
    import yaml

    from idmeet.core.limits import MAX_YAML_DEPTH

    opening = (
        yaml.BlockSequenceStartToken,
        yaml.BlockMappingStartToken,
        yaml.FlowSequenceStartToken,
        yaml.FlowMappingStartToken,
    )
    closing = (yaml.BlockEndToken, yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)
    depth = 0
    try:
        for token in yaml.scan(text, Loader=_compose_loader()):
            if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
                return YamlProblem(first_line + token.start_mark.line, ALIASES_REFUSED)
            if isinstance(token, opening):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    return YamlProblem(
                        first_line + token.start_mark.line,
                        f"YAML nested more than {MAX_YAML_DEPTH} levels deep: idmeet's files need a few",
                    )
            elif isinstance(token, closing):
                depth -= 1
    except yaml.YAMLError:
        return None
    return None


def _clean(message: str) -> str:
    message = re.sub(r"\s+", " ", message).strip()
    return message.replace("could not find expected ':'", "expected 'key: value'")


def _build(node: Any, first_line: int, problems: list[YamlProblem]) -> Any:
    import yaml

    line = first_line + node.start_mark.line
    if isinstance(node, yaml.ScalarNode):
        value = node.value
        if not node.style:  # plain (the C parser says "", the Python one None)
            if value in _TRUE:
                return True
            if value in _FALSE:
                return False
            if value in _NULL:
                return None
        text = LStr(value)
        text.line = line
        return text
    if isinstance(node, yaml.SequenceNode):
        items = LList()
        items.line = line
        items.item_lines = []
        for child in node.value:
            items.append(_build(child, first_line, problems))
            items.item_lines.append(first_line + child.start_mark.line)
        return items
    if isinstance(node, yaml.MappingNode):
        mapping = LDict()
        mapping.line = line
        mapping.key_lines = {}
        for key_node, value_node in node.value:
            key_line = first_line + key_node.start_mark.line
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(YamlProblem(key_line, "a key must be plain text"))
                continue
            key = key_node.value
            if key in mapping.key_lines:
                problems.append(
                    YamlProblem(
                        key_line,
                        f"duplicate key '{key}' (first on line {mapping.key_lines[key]})",
                    )
                )
                continue
            mapping.key_lines[key] = key_line
            mapping[key] = _build(value_node, first_line, problems)
        return mapping
    return None  # pragma: no cover - aliases are resolved by the composer


# -- the simple subset --------------------------------------------------------------------
#
# Frontmatter is nearly always a flat list of ``key: value`` lines, with block or flow lists of
# plain or quoted words. Reading that subset by hand is several times faster than PyYAML's
# composer. ``load_simple`` returns exactly what ``load`` would (values, types, lines), or
# None as soon as it meets anything outside the subset, and ``load`` then asks PyYAML.
# A test compares the two on every file of the example repository and the test corpora.

_KEY_RE = re.compile(r"([A-Za-z_][\w-]*):(?:[ ]+|$)")
# The commonest line, ``key: plain text`` with nothing YAML would read otherwise (no comment,
# quote, flow or block marker, ": " or tab; no trailing space), read in one match.
_PLAIN_PAIR_RE = re.compile(r"([A-Za-z_][\w-]*): +([^\s\[\]{}&*!|>'\"%@`#,?:\-](?:[^\s#:]|[ ](?=\S)|:(?=[^\s]))*)\Z")
_PLAIN_BAD_START = frozenset("[]{}&*!|>'\"%@`#,?:-\t")
_ITEM_RE = re.compile(r"( *)- (.*)$")
_QUOTED_RE = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\']|\'\')*\'')


def _scalar(raw: str, line: int, in_flow: bool = False) -> tuple[Any, bool]:
    """(value, ok) for one scalar token (comment already removed)."""
    if not raw:
        return None, True
    first = raw[0]
    if first == '"':
        if len(raw) < 2 or raw[-1] != '"' or "\\" in raw or '"' in raw[1:-1]:
            return None, False
        text = LStr(raw[1:-1])
    elif first == "'":
        inner = raw[1:-1]
        if len(raw) < 2 or raw[-1] != "'" or "'" in inner.replace("''", ""):
            return None, False
        text = LStr(inner.replace("''", "'"))
    else:
        if first in _PLAIN_BAD_START or ": " in raw or raw.endswith(":") or "#" in raw or "\t" in raw:
            return None, False
        if in_flow and any(c in raw for c in "[]{},"):
            return None, False
        if raw in _TRUE:
            return True, True
        if raw in _FALSE:
            return False, True
        if raw in _NULL:
            return None, True
        text = LStr(raw)
    text.line = line
    return text, True


# The "## Log" heading of an action file: where its body ends and its log begins. One
# definition for the record parser and the line editor (which appends log lines under it).
LOG_HEADING_RE = re.compile(r"^#{1,6}\s+(log|logboek)\s*#*\s*$", re.IGNORECASE)


def split_value(rest: str) -> tuple[str, str]:
    """A value as written after ``key:`` (quotes included) and what follows it: spacing and a
    ``# comment``. Shared by this reader, the line editor and ``fmt``."""
    if rest[:1] in ("'", '"'):
        quoted = _QUOTED_RE.match(rest)
        return (rest[: quoted.end()], rest[quoted.end() :]) if quoted else (rest, "")
    comment = re.search(r"\s+#", rest)
    if comment:
        return rest[: comment.start()], rest[comment.start() :]
    stripped = rest.rstrip()
    return stripped, rest[len(stripped) :]


def _strip_comment(rest: str) -> str | None:
    """The value part of a line without a trailing `` # comment``; None when unclear."""
    rest = rest.strip()
    if rest.startswith("#"):
        return ""
    value, tail = split_value(rest)
    return value if not tail.strip() or tail.strip().startswith("#") else None


def _flow(raw: str, line: int) -> LList | None:
    if not raw.endswith("]") or raw.count("[") != 1 or raw.count("]") != 1:
        return None
    items = LList()
    items.line, items.item_lines = line, []
    inner = raw[1:-1].strip()
    if not inner:
        return items
    if '"' in inner or "'" in inner:  # quoted items may hold commas: split with care
        parts, current, quote = [], "", ""
        for ch in inner:
            if quote:
                current += ch
                if ch == quote:
                    quote = ""
            elif ch in "'\"":
                quote, current = ch, current + ch
            elif ch == ",":
                parts.append(current)
                current = ""
            else:
                current += ch
        if quote:
            return None
        parts.append(current)
    else:
        parts = inner.split(",")
    for part in parts:
        value, ok = _scalar(part.strip(), line, in_flow=True)
        if not ok or value is None or not isinstance(value, str):
            return None
        items.append(value)
        items.item_lines.append(line)
    return items


def load_simple(text: str, first_line: int = 1) -> LDict | None:
    """The mapping of a simple frontmatter text, or None when it is not that simple."""
    if "\t" in text:
        return None
    lines = text.split("\n")
    mapping = LDict()
    mapping.key_lines = {}
    mapping.line = 0
    index, count = 0, len(lines)
    while index < count:
        raw = lines[index]
        line = first_line + index
        index += 1
        match = _PLAIN_PAIR_RE.match(raw)
        plain = match is not None and match.group(2) not in _SPECIAL
        if not plain:
            stripped = raw.strip()
            if not stripped or stripped.startswith("#"):
                continue
            if raw[0] == " " or stripped in ("---", "..."):
                return None
            match = _KEY_RE.match(raw)
        if match is None:
            return None
        key = match.group(1)
        if key in mapping.key_lines:
            return None  # a duplicate key: PyYAML's path reports it
        mapping.key_lines[key] = line
        if not mapping.line:
            mapping.line = line
        if plain:  # the commonest line: done in one match
            mapping[key] = word = LStr(match.group(2))
            word.line = line
            continue
        rest = _strip_comment(raw[match.end() :])
        if rest is None:
            return None
        if rest.startswith("["):
            value: Any = _flow(rest, line)
            if value is None:
                return None
        elif rest:
            value, ok = _scalar(rest, line)
            if not ok:
                return None
        else:  # nothing on the line: a block list below, or an empty value
            items = LList()
            items.item_lines = []
            indent = None
            while index < count:
                below = lines[index]
                if not below.strip() or below.strip().startswith("#"):
                    index += 1
                    continue
                item = _ITEM_RE.match(below)
                if item is None:
                    if below[0] == " ":
                        return None  # a nested mapping or a continued scalar
                    break
                if indent is None:
                    indent = item.group(1)
                elif item.group(1) != indent:
                    return None
                item_text = _strip_comment(item.group(2))
                if item_text is None or item_text.startswith(("[", "- ")):
                    return None
                element, ok = _scalar(item_text, first_line + index)
                if not ok or (element is not None and not isinstance(element, str)) or element is None:
                    return None
                if not items:
                    items.line = first_line + index
                items.append(element)
                items.item_lines.append(first_line + index)
                index += 1
            value = items if items else None
        mapping[key] = value
    return mapping if mapping.key_lines else None


_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_RESERVED = frozenset({"true", "false", "null", "~", "yes", "no", "on", "off", "y", "n"})


def yaml_scalar(text: str) -> str:
    """``text`` as a YAML scalar that any YAML reader reads back as the same text.

    Plain where that is safe (ISO dates stay plain: ``due: 2024-04-01``), else double-quoted.
    """
    if _ISO_DATE_RE.match(text):
        return text
    plain = (
        bool(text)
        and text == text.strip()
        and "\n" not in text
        and text[0] not in "&*!|>'\"%@`#[]{},?:-"
        and ": " not in text
        and " #" not in text
        and not text.endswith(":")
        and text.lower() not in _RESERVED
        and not re.match(r"^[\d.:+-]+$", text)
        and not any(c in text for c in '[]{},"')
    )
    return text if plain else json.dumps(text, ensure_ascii=False)


def yaml_list(values: Sequence[str]) -> str:
    return "[" + ", ".join(yaml_scalar(v) for v in values) + "]"
