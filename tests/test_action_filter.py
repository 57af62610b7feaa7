"""The one seam of ``idmeet actions``: the warm path and the model path ask the same
``ActionFilter``, and the fast path's option table is typer's ``actions`` command."""

from __future__ import annotations

import datetime as dt
import io
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pytest
import typer

from idmeet.cli import fast, listing
from idmeet.ops import actions as ops_actions
from idmeet.ops.actions import ActionQuery, resolve_owner
from idmeet.store import warm
from idmeet.store.cache import summarize
from idmeet.store.load import load
from idmeet.store.summary import ActionFilter

from .conftest import age

TODAY = "2024-03-10"


def test_a_filter_is_frozen_and_takes_keywords_only() -> None:
    spec = ActionFilter(statuses=("done",), tag="GMT", due_before=5)
    with pytest.raises(AttributeError):
        spec.tag = "other"
    with pytest.raises(TypeError):
        ActionFilter(("done",))  # type: ignore[call-arg]
    assert spec.replace(tag="gmt") != spec
    assert spec.replace(tag="gmt").replace(tag="GMT") == spec
    assert hash(spec.replace()) == hash(spec)
    assert ActionFilter(**spec.fields()) == spec
    assert "tag='GMT'" in repr(spec)


def test_a_filter_tests_a_summary(example: Path) -> None:
    repo, _ = load(example)
    summaries = {a.id: summarize(a) for a in repo.actions}
    everything = ActionFilter(statuses=("open", "waiting", "done", "dropped"))
    assert all(everything.matches(s) for s in summaries.values())
    tagged = [i for i, s in summaries.items() if ActionFilter(statuses=everything.statuses, tag="GMT").matches(s)]
    assert tagged and all("gmt" in summaries[i].tags for i in tagged)
    assert len(tagged) < len(summaries)
    owner = resolve_owner(repo, "Peter")
    peters = ActionFilter(statuses=everything.statuses, owners=owner.names)
    assert {i for i, s in summaries.items() if peters.matches(s)} == {
        a.id for a in repo.actions if owner.matches(repo, a)
    }
    nobody = ActionFilter(statuses=everything.statuses, owners=frozenset())
    assert not any(nobody.matches(s) for s in summaries.values())


def _specs(repo: Path, args: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[ActionFilter, ActionFilter]:
    """The filter the warm path builds and the one the model path builds for ``args``."""
    made: dict[str, ActionFilter] = {}

    def recorder(where: str) -> Any:
        def record(**fields: Any) -> ActionFilter:
            made[where] = ActionFilter(**fields)
            return made[where]

        return record

    monkeypatch.setenv("IDMEET_TODAY", TODAY)
    parsed = fast.parse(["--repo", str(repo), "actions", *args])
    assert parsed is not None
    with monkeypatch.context() as patch:
        patch.setattr(warm, "ActionFilter", recorder("warm"))
        assert warm.query(*parsed) is not None
    with monkeypatch.context() as patch:
        patch.setattr(ops_actions, "ActionFilter", recorder("model"))
        with redirect_stdout(io.StringIO()):
            listing.list_actions(parsed[0], **parsed[1])  # type: ignore[arg-type]
    return made["warm"], made["model"]


SAME = [
    ["--open", "--owner", "Peter"],
    ["--all", "--tag", "GMT", "--series", "voortgangsoverleg", "-f", "md"],
    ["--overdue", "-f", "json"],
    ["--done", "--dropped", "--due-before", "2024-03-01", "--due-after", "2024-02-06"],
]


@pytest.mark.parametrize("args", SAME, ids=[" ".join(a) for a in SAME])
def test_both_paths_ask_the_same_filter(example: Path, args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    age(example)
    load(example)  # warm the cache
    from_warm, from_model = _specs(example, args, monkeypatch)
    assert from_warm == from_model


def test_a_query_returns_the_summaries_it_tested(example: Path) -> None:
    repo, _ = load(example)
    found = ActionQuery(statuses=("open", "waiting", "done"), sort="owner", today=dt.date(2024, 3, 10)).run(repo)
    assert len(found) == len(found.summaries) > 3
    assert list(found.summaries) == [summarize(a) for a in found]
    assert [a.id for a in found] == [s.id for s in found.summaries]


def test_the_query_filter_is_made_once() -> None:
    query = ActionQuery(tag="gmt", today=dt.date(2024, 3, 10))
    assert query.filter is query.filter
    assert query.filter.day == dt.date(2024, 3, 10).toordinal()
    assert ActionQuery(as_of=dt.date(2024, 1, 1)).filter.day == dt.date(2024, 1, 1).toordinal()


def _typer_options() -> dict[str, tuple[str, bool]]:
    """Every option string of typer's ``actions`` command -> (parameter name, is a flag)."""
    from idmeet.cli import app

    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    command = group.commands["actions"]
    table: dict[str, tuple[str, bool]] = {}
    for param in command.params:
        if isinstance(param, typer.core.TyperOption):
            assert param.name is not None
            for opt in (*param.opts, *param.secondary_opts):
                table[opt] = (param.name, bool(param.is_flag))
    return table


def test_the_fast_option_table_is_typers() -> None:
    fast_table = {
        **{opt: (name, True) for opt, name in fast.FLAGS.items()},
        **{opt: (name, False) for opt, name in fast.VALUES.items()},
    }
    assert fast_table == _typer_options()
