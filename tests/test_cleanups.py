"""Issue 11 point 5: one "by due date" key, statuses and severities as ``Literal`` types that
the parser narrows to."""

from __future__ import annotations

import re
from typing import get_args

from idmeet.core.diagnostics import Diagnostic, Severity
from idmeet.core.model import ITEM_STATUSES, MEETING_STATUSES, ActionStatus, ItemStatus, MeetingStatus
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
