"""Issue 11 point 5: one "by due date" key, statuses and severities as ``Literal`` types that
the parser narrows to, one table of the words idmeet writes."""

from __future__ import annotations

import ast
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import get_args

import pytest

from idmeet.core import words
from idmeet.core.diagnostics import Diagnostic, Severity
from idmeet.core.history import action_as_of, status_change
from idmeet.core.model import (
    CATEGORIES,
    ITEM_STATUSES,
    MEETING_STATUSES,
    Action,
    ActionStatus,
    ItemStatus,
    LogEntry,
    MeetingStatus,
)
from idmeet.core.rules import ACTION_STATUSES, OPEN_STATUSES
from idmeet.ops.actions import is_overdue
from idmeet.parser.body import ITEM_STATUS_WORDS
from idmeet.parser.records import parse_action, parse_meeting
from idmeet.store.cache import summarize
from idmeet.store.load import load
from idmeet.store.summary import order_key

from .conftest import EXAMPLE
from .test_site import TODAY, card_ids, pages, site

ACTION = """---
id: k3f9x2ab
title: Bila plannen
owner: Peter
status: {status}
opened: 2024-02-05
---
"""
MEETING = """---
series: voortgangsoverleg
date: 2024-02-05
status: {status}
---
# Agenda

## 1. Opening
"""


def test_the_site_orders_actions_by_the_queries_due_date_key() -> None:
    """The home page's lists: overdue first, then as ``actions --sort due`` orders them."""
    repo, _ = load(EXAMPLE)
    by_id = {a.id: a for a in repo.actions}
    home = pages(site())["index.html"]
    peter = card_ids(home[home.index("Peter Teesink</a>") : home.index("5.1, 2, e</a>")])
    assert len(peter) > 2
    key = {i: order_key(summarize(by_id[i]), "due", repo.full_names) for i in peter}
    overdue = {i for i in peter if is_overdue(by_id[i], TODAY)}
    assert 0 < len(overdue) < len(peter)
    assert peter == sorted(peter, key=lambda i: (i not in overdue, key[i]))


def test_the_literal_types_are_the_statuses_the_parser_allows() -> None:
    assert get_args(ActionStatus) == ACTION_STATUSES
    assert set(OPEN_STATUSES) < set(ACTION_STATUSES)
    assert get_args(MeetingStatus) == MEETING_STATUSES == ("planned", "held", "approved", "cancelled")
    assert get_args(ItemStatus) == ITEM_STATUSES and set(ITEM_STATUS_WORDS.values()) == set(ITEM_STATUSES)
    assert get_args(Severity) == ("error", "warning")
    assert Diagnostic("a.md", 1, "x").severity == "error"


def test_a_status_read_from_a_file_is_one_of_the_literal_type_or_reported() -> None:
    for status in ACTION_STATUSES:
        action, problems = parse_action(ACTION.format(status=status.upper()).encode(), "actions/k3f9x2ab.md")
        assert action is not None and action.status == status and not problems
    action, problems = parse_action(ACTION.format(status="closed").encode(), "actions/k3f9x2ab.md")
    assert action is None  # an action without a status is not kept, as before
    assert [p.format() for p in problems] == [
        "actions/k3f9x2ab.md:5: 'status' must be one of open, waiting, done, dropped, not 'closed'"
    ]
    meeting, problems = parse_meeting(MEETING.format(status="canceled").encode(), "voortgangsoverleg/2024-02-05.md")
    assert meeting is not None and meeting.status == "cancelled" and not problems
    meeting, problems = parse_meeting(MEETING.format(status="gehouden").encode(), "voortgangsoverleg/2024-02-05.md")
    assert meeting is not None and meeting.status == "planned"  # the default, and reported
    assert [re.sub(r":\d+:", ":N:", p.format()) for p in problems] == [
        "voortgangsoverleg/2024-02-05.md:N: 'status' must be one of planned, held, approved, cancelled, not 'gehouden'"
    ]


# One table of localized words ---------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]
# Words idmeet writes for people: each must be spelled in core/words.py only.
WRITTEN_WORDS = (
    "afgerond",
    "vervallen",
    "wacht",
    "heropend",
    "gepland",
    "gehouden",
    "afgelast",
    "verslag vastgesteld",
    "te laat",
    "geen deadline",
    "Mededelingen",
    "Ter besluitvorming",
    "Ter kennisname",
    "Openstaande acties",
    "Acties en afspraken",
    "Pagina",
    "Bijlage",
    "Vragen",
    "Besluit",
    "vertrouwelijk",
    "maart",
    "maandag",
)
# Not what idmeet writes: the readers of files and dates keep the words they accept (a
# vocabulary), the command line its help and examples, the Woo grounds their legal text,
# ``init`` its example configuration.
READERS = ("parser", "importer", "cli", "core/dates.py", "ops/publish/grounds.py", "edits/write.py")


def _strings(path: Path) -> Iterator[tuple[int, str]]:
    """Every string constant of a module, f-string parts included, docstrings left out."""
    tree = ast.parse(path.read_text("utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value


def test_the_words_idmeet_writes_are_spelled_in_one_module() -> None:
    found = []
    for path in sorted((ROOT / "src" / "idmeet").rglob("*.py")):
        relative = path.relative_to(ROOT / "src" / "idmeet")
        if relative.parts[0] in READERS or relative.as_posix() in (*READERS, "core/words.py"):
            continue
        for line, text in _strings(path):
            found += [f"{relative}:{line}: {word}" for word in WRITTEN_WORDS if re.search(rf"\b{word}\b", text)]
    for path in sorted((ROOT / "templates").rglob("*.j2")):
        text = re.sub(r"\{#.*?#\}", "", path.read_text("utf-8"), flags=re.S)
        for word in ("te laat", "afgerond", "vervallen", "afgelast", "gehouden", "open of wacht"):
            if word in text:
                found.append(f"{path.relative_to(ROOT)}: {word}")
    assert found == []


def test_every_language_has_every_word_and_the_tables_are_frozen() -> None:
    assert words.LANGUAGES == ("nl", "en") and words.DEFAULT_LANGUAGE in words.LANGUAGES
    for table in (
        words.ACTION_STATUS,
        words.MEETING_STATUS,
        words.CATEGORY_HEADINGS,
        words.LOG,
        words.DOCUMENT_TITLES,
        words.LABELS,
    ):
        assert tuple(table) == words.LANGUAGES
        assert list(table["nl"]) == list(table["en"])
        assert all(word.strip() == word for language in table for word in table[language].values())
        with pytest.raises(TypeError):
            table["nl"]["x"] = "y"  # type: ignore[index]
    assert tuple(words.ACTION_STATUS["nl"]) == ACTION_STATUSES
    assert set(ACTION_STATUSES) < set(words.LOG["nl"])
    assert tuple(words.MEETING_STATUS["nl"]) == MEETING_STATUSES
    assert tuple(words.CATEGORY_HEADINGS["nl"]) == CATEGORIES
    assert words.labels("fr") is words.LABELS["nl"] and words.labels("en") is words.LABELS["en"]


def test_history_reads_back_every_log_line_the_table_writes() -> None:
    for language in words.LOG:
        log = words.LOG[language]
        for status in ACTION_STATUSES:
            assert status_change(f"{log[status]}: reden") == status
        lines = (
            log["reassigned"].format(new="Peter", old="5.1, 2, e"),
            log["due"].format(new="2024-05-01", old="2024-04-01"),
        )
        action = Action(
            "k3f9x2ab",
            "Bila plannen",
            ("Peter",),
            "open",
            dt.date(2024, 3, 1),
            due=dt.date(2024, 5, 1),
            log=tuple(LogEntry(dt.date(2024, 3, 10), line) for line in lines),
        )
        before = action_as_of(action, dt.date(2024, 3, 5))
        assert before is not None and before.owners == ("5.1, 2, e",) and before.due == dt.date(2024, 4, 1)
