"""Reading commands that load only part of the model, and render with less work (issue 18).

An agenda document leaves the actions out of its load, a meeting's documents load only that
meeting's actions, ``new-agenda`` only the open actions of its series; dates are written
without babel's per-call machinery. Each must print exactly what a whole load prints: these
tests run every such command from the files (no cache), from the per-file cache and from
the snapshot, and compare.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from babel.dates import format_date as babel_format_date
from typer.testing import CliRunner

from idmeet.cli import app
from idmeet.ops import render
from idmeet.store import snapshot
from idmeet.store.load import load

from .conftest import OLD, age, drop_snapshots, edit_behind

MEETING = "stuurgroep/2024-06-17"
OTHER = "voortgangsoverleg/2024-03-06"


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(
    "pattern", ["d MMMM y", "d MMMM", "EEEE d MMMM y", "EEEE d MMMM", "dd-MM", "y-MM-dd", "d '%' MMMM", "d MMM y"]
)
def test_dates_are_worded_as_babel_words_them(language: str, pattern: str) -> None:
    day = dt.date(1999, 12, 25)
    while day < dt.date(2031, 3, 1):
        assert render.format_date.__wrapped__(day, language, pattern) == babel_format_date(
            day, pattern, locale=language
        ), (day, pattern)
        day += dt.timedelta(days=17)


def test_a_pattern_with_other_fields_goes_through_babel() -> None:
    assert render._pattern_of("nl", "d MMM y") is None  # abbreviated month: babel's
    assert render._pattern_of("nl", "long") is None
    assert render._pattern_of("nl", "EEEE d MMMM y") is not None
    moment = dt.datetime(2024, 6, 17, 16, 30)
    assert render.format_date.__wrapped__(moment, "nl") == "17 juni 2024"


COMMANDS = [
    ["render", MEETING],
    ["render", OTHER, "--format", "html"],
    ["export", MEETING],
    ["export", OTHER, "--format", "html"],
    ["export", MEETING, "-d", "minutes"],
    ["export", OTHER, "-d", "actions", "--format", "html"],
    ["report", "actions", MEETING],
    ["report", "actions", OTHER, "--format", "html"],
    ["report", "minutes", OTHER],
    ["new-agenda", "voortgangsoverleg", "--dry-run"],
    ["new-agenda", "stuurgroep", "--dry-run"],
    ["report", "open-items"],
    ["report", "open-items", "--format", "html"],
    ["search", "inclusie"],
]


def run(repo: Path, args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["--repo", str(repo), *args], env={"IDMEET_TODAY": "2024-06-20"})
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_the_same_from_the_files_the_cache_and_the_snapshot(example: Path, args: list[str]) -> None:
    age(example)
    first = run(example, args)  # from the files
    assert first[0] == 0, first
    load(example)
    load(example)  # the per-file cache is full: now the snapshot is written
    assert (example / ".idmeet-cache" / snapshot.SNAPSHOT).is_file()
    assert run(example, args) == first
    assert run(example, args) == first
    drop_snapshots(example)
    assert run(example, args) == first  # from the per-file cache


@pytest.mark.parametrize(
    "args", [["export", MEETING], ["report", "actions", OTHER], ["new-agenda", "voortgangsoverleg", "--dry-run"]]
)
def test_an_action_changed_behind_the_snapshot_is_seen(example: Path, args: list[str]) -> None:
    """A partial load from the snapshot still reports a broken action file (its problems are
    the whole load's), and a change to an action is read again."""
    age(example)
    load(example)
    load(example)
    run(example, args)
    assert (example / ".idmeet-cache" / snapshot.SNAPSHOT).is_file()
    edit_behind(example / "actions/nm8qxrv2.md", "status: open", "status: opex", OLD)
    changed = run(example, args)
    shutil.rmtree(example / ".idmeet-cache")
    assert run(example, args) == changed
    if args[0] != "new-agenda":  # a dry run warns about nothing but its date
        assert "actions/nm8qxrv2.md" in changed[2], changed


# What open-items.md.j2 and open-items.html.j2 wrote per entry before the entries moved into
# Python (``reports.open_item_markdown``/``open_item_html``): the filters must write the same.
OLD_MD = """{% for a in entries %}
- **{{ a.title }}**{% if a.status == "waiting" %} ({{ t.waiting }}){% endif %}: {{ a.age_days }} {{ t.day_open if a.age_days == 1 else t.days_open }}{% if a.due %}, {{ t.due }} {{ a.due | date_long }}{% if a.overdue %} **{{ t.overdue }}**{% endif %}{% endif %}{% if a.meeting %}, {{ t.from_meeting }} {{ a.meeting_title }} {{ t.of }} {{ a.meeting_date | date_long }}{% endif +%}
{% if a.latest %}

  {{ t.col_latest }} ({{ a.latest.date | date_long }}): {{ a.latest.text }}

{% endif %}
{% endfor %}
"""  # noqa: E501
OLD_HTML = """{% for a in entries %}
<tr>
<td>{{ a.title }}{% if a.status == "waiting" %} ({{ t.waiting }}){% endif %}</td>
<td>{{ a.age_days }}</td>
<td{% if a.overdue %} class="overdue"{% endif %}>{% if a.due %}{{ a.due | date_long }}{% endif %}{% if a.overdue %} ({{ t.overdue }}){% endif %}</td>
<td>{% if a.meeting %}{{ a.meeting_title }} {{ t.of }} {{ a.meeting_date | date_long }}{% endif %}</td>
<td>{% if a.latest %}{{ a.latest.date | date_long }}: {{ a.latest.text }}{% endif %}</td>
</tr>
{% endfor %}
"""  # noqa: E501


def _entries() -> list[dict[str, object]]:
    entries: list[dict[str, object]] = []
    for n, (status, due, overdue, meeting, latest) in enumerate(
        [
            ("open", None, False, None, None),
            ("waiting", "2024-02-29", True, "stuurgroep/2024-06-17", {"date": "2024-03-01", "text": "A & B <i>x</i>"}),
            ("open", "2025-01-01", False, "voortgangsoverleg/2024-03-06", None),
            ("waiting", None, True, None, {"date": "2023-12-31", "text": 'zei "ja" \u2013 5.1, 2, e'}),
        ]
    ):
        entries.append(
            {
                "id": f"id{n}",
                "title": f"Titel <{n}> & 'co'",
                "status": status,
                "age_days": n % 3,
                "due": due,
                "overdue": overdue,
                "meeting": meeting,
                "meeting_title": "Stuurgroep & co" if meeting else None,
                "meeting_date": meeting.rsplit("/", 1)[-1] if meeting else None,
                "latest": latest,
            }
        )
    return entries


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("html", [False, True])
def test_the_open_item_filters_write_what_the_template_wrote(language: str, html: bool) -> None:
    env = render._environment(None, False, language)
    if html:  # from_string does not know a file name: autoescape as for an .html.j2 template
        env = env.overlay(autoescape=True)
    old = env.from_string(OLD_HTML if html else OLD_MD)
    name = "open_item_row" if html else "open_item_md"
    new = env.from_string("{% for a in entries %}{{ a | " + name + " }}{% endfor %}\n")
    entries = _entries()
    written = new.render(entries=entries)
    assert written == old.render(entries=entries)
    assert ("A &amp; B &lt;i&gt;" in written) == html


def test_search_fetches_only_the_actions_whose_text_holds_a_word(example: Path) -> None:
    """From the snapshot a search reads the actions' texts and unpickles the candidates; when
    the snapshot is gone in between, the same actions come from the files."""
    from idmeet.ops.search import search
    from idmeet.store.load import searchable_actions

    age(example)
    whole, _ = load(example)
    load(example)  # writes the snapshot
    bare, _ = load(example, with_actions=False)
    assert bare.actions == ()
    lazy = searchable_actions(bare)
    assert lazy.texts == [snapshot.action_text(a) for a in whole.actions]
    assert lazy.fetch([0, 2]) == [whole.actions[0], whole.actions[2]]
    for words in (["inclusie"], ["actielijst"], ["zzz"], ["peter"]):
        assert search(bare, words, actions=searchable_actions(bare)) == search(whole, words)
    (example / ".idmeet-cache" / snapshot.SNAPSHOT).unlink()
    assert lazy.fetch([1, 3]) == [whole.actions[1], whole.actions[3]]
