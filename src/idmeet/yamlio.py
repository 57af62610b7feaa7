"""Read YAML so that what the user typed stays what they meant.

PyYAML follows YAML 1.1: ``16:00`` becomes 960, ``no`` becomes False, ``007`` becomes 7,
and a duplicate key silently wins. idmeet instead composes the node tree (PyYAML's C
parser when present) and builds the values itself: every plain scalar is text except
``true``/``false`` and ``null``/``~``/empty; duplicate keys are reported; every value
knows the line it stands on, so a later check can say ``path:line: message``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _ComposeLoader(_BaseLoader):  # type: ignore[misc]
    """A loader with no implicit resolvers: we decide scalar types ourselves."""

    yaml_implicit_resolvers: dict[str, Any] = {}


_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_NULL = frozenset({"", "~", "null", "Null", "NULL"})


class LStr(str):
    """Text that remembers its line."""

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
    line: int  # 1-based, in the text given to load()
    message: str


def line_of(value: object, default: int) -> int:
    """The line a loaded value came from, or ``default`` for plain values."""
    return getattr(value, "line", default)


def load(text: str, first_line: int = 1) -> tuple[Any, list[YamlProblem]]:
    """Parse one YAML document; lines are reported as ``first_line`` + line in ``text``.

    Returns the value (None for an empty document) and the problems; never raises.
    """
    try:
        node = yaml.compose(text, Loader=_ComposeLoader)
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


def _clean(message: str) -> str:
    message = re.sub(r"\s+", " ", message).strip()
    return message.replace("could not find expected ':'", "expected 'key: value'")


def _build(node: yaml.Node, first_line: int, problems: list[YamlProblem]) -> Any:
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
