"""``idmeet search`` and ``decisions --text``: the library (``ops.search``) directly, and the
command through CliRunner, on the example repository and on small repositories made here."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from idmeet.cli import app
from idmeet.cli.search import marked
from idmeet.core.diagnostics import IdmeetError
from idmeet.ops import decisions
from idmeet.ops.search import Hit, fold, matcher, matches_text, search, window
from idmeet.store.load import load

CONFIG = """organisation: Testbureau
language: nl
people:
  - name: Peter Teesink
    aliases: [Peter]
series:
  overleg:
    title: Overleg
  stuurgroep:
    title: Stuurgroep
"""

MEETING_2024 = """---
series: overleg
date: 2024-03-06
status: held
---

## 1. Inkoopkader

Het kader voor inclusieve inkoop ligt klaar.

### Vragen

- Stem je in met het Inkoopkader?

### Verslag

We bespraken de Café-regeling voor de inkopers.

### Besluiten

- Het kader wordt vastgesteld.

## 2. Rondvraag

Geen punten.
"""

MEETING_2023 = """---
series: stuurgroep
date: 2023-11-01
status: held
---

## 1. Inkoop

### Besluiten

- de stuurgroep besluit de inkoop mee te nemen in het jaarplan.
"""

ACTION = """---
id: ab12cd34
title: Kader delen
owner: Peter
status: open
opened: 2024-03-06
meeting: overleg/2024-03-06
item: 1
series: overleg
---

Deelt het inkoopkader met de trekkers.

## Log

- 2024-04-02: besluiten over de Inkopen volgen later
"""

PROPOSAL = """---
id: pr0p0sal
series: overleg
title: Inkoop evalueren
proposed: 2024-03-10
questions:
  - Hoe verliep het eerste half jaar?
---

Een terugblik op de inkoop.
"""


def small(root: Path) -> Path:
    """A repository with one item of each kind about "inkoop", in two series and two years."""
    files = {
        "idmeet.yaml": CONFIG,
        "overleg/2024-03-06.md": MEETING_2024,
        "stuurgroep/2023-11-01.md": MEETING_2023,
        "actions/ab12cd34.md": ACTION,
        "proposals/pr0p0sal.md": PROPOSAL,
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def repo_dir(tmp_path: Path) -> Path:
    return small(tmp_path / "repo")


def kinds_and_refs(hits: tuple[Hit, ...]) -> list[tuple[str, str, str | None]]:
    return [(h.kind, h.ref, h.item) for h in hits]


# -- the library ------------------------------------------------------------------------------


def test_fold_keeps_lines_and_drops_accents_and_case() -> None:
    assert fold("Café\nINKOOP") == "cafe\ninkoop"
    assert fold("Coördinator") == "coordinator"


def test_every_kind_is_found_with_its_place(repo_dir: Path) -> None:
    repo, problems = load(repo_dir)
    assert problems == []
    hits = search(repo, ["inkoop"])
    found = {(h.kind, h.ref, h.item) for h in hits}
    assert found == {
        ("item", "overleg/2024-03-06", "1"),
        ("question", "overleg/2024-03-06", "1"),
        ("item", "stuurgroep/2023-11-01", "1"),
        ("decision", "stuurgroep/2023-11-01", "1"),
        ("action", "ab12cd34", "1"),
        ("proposal", "pr0p0sal", None),
    }
    # not the minutes: "inkopers" (buyers) has the stem "inkoper", and the item's title
    # "Inkoopkader" alone does not make the minutes a hit
    decision = next(h for h in hits if h.kind == "decision")
    assert decision.text == "de stuurgroep besluit de inkoop mee te nemen in het jaarplan."
    assert decision.path == "stuurgroep/2023-11-01.md" and decision.line == 11
    assert [decision.text[a:b] for a, b in decision.spans] == ["inkoop"]
    action = next(h for h in hits if h.kind == "action")
    assert action.meeting == "overleg/2024-03-06" and action.title == "Kader delen"
    assert action.date == dt.date(2024, 4, 2)  # its latest log line


def test_case_accents_prefixes_and_dutch_forms(repo_dir: Path) -> None:
    repo, _ = load(repo_dir)
    assert search(repo, ["INKÓOP"]) == search(repo, ["inkoop"])
    minutes = next(h for h in search(repo, ["cafe"]) if h.kind == "minutes")
    assert [minutes.text[a:b] for a, b in minutes.spans] == ["Café"]  # the span is on the text as written
    assert minutes.line == 17
    # a start of a word: "inkoopkader" and "Inkoopkader"
    question = next(h for h in search(repo, ["inkoopkader"]) if h.kind == "question")
    assert question.text == "Stem je in met het Inkoopkader?"
    # Dutch word forms (Snowball): "inkopen" -> "inkoop"; "besluiten" -> "besluit"
    assert {h.ref for h in search(repo, ["inkopen"])} >= {"overleg/2024-03-06", "stuurgroep/2023-11-01", "pr0p0sal"}
    besluiten = search(repo, ["besluiten"])
    assert ("decision", "stuurgroep/2023-11-01", "1") in kinds_and_refs(besluiten)
    assert ("action", "ab12cd34", "1") in kinds_and_refs(besluiten)
    # a word of five letters or more inside a compound
    assert ("item", "overleg/2024-03-06", "1") in kinds_and_refs(search(repo, ["kader"]))


def test_every_word_must_match(repo_dir: Path) -> None:
    repo, _ = load(repo_dir)
    assert kinds_and_refs(search(repo, ["inkoop", "jaarplan"])) == [("decision", "stuurgroep/2023-11-01", "1")]
    assert search(repo, ["inkoop", "nergens"]) == ()
    # a decision is found by its item's title too, but needs one word of its own
    vastgesteld = search(repo, ["inkoopkader", "vastgesteld"])
    assert kinds_and_refs(vastgesteld) == [("decision", "overleg/2024-03-06", "1")]
    assert vastgesteld[0].text == "Het kader wordt vastgesteld."


def test_ranking_title_first_then_newest(repo_dir: Path) -> None:
    repo, _ = load(repo_dir)
    hits = search(repo, ["inkoop"])
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert hits[0].kind in ("item", "proposal") and hits[0].score == 3  # "inkoop" in a title
    # equal scores: the newest first
    tied = [h for h in hits if h.score == hits[0].score]
    dates = [h.date for h in tied if h.date]
    assert dates == sorted(dates, reverse=True)
    assert search(repo, ["inkoop"]) == hits  # same input, same output


def test_series_and_since(repo_dir: Path) -> None:
    repo, _ = load(repo_dir)
    only = search(repo, ["inkoop"], series="stuurgroep")
    assert {h.series for h in only} == {"stuurgroep"} and only
    recent = search(repo, ["inkoop"], since=dt.date(2024, 3, 8))
    assert {h.ref for h in recent} == {"ab12cd34", "pr0p0sal"}  # a log line of April; proposed in March
    with pytest.raises(IdmeetError, match="unknown series 'stuurgroe'"):
        search(repo, ["inkoop"], series="stuurgroe")


def test_empty_query_is_an_error(repo_dir: Path) -> None:
    repo, _ = load(repo_dir)
    for words in ([], [""], ["  ", "!!"]):
        with pytest.raises(IdmeetError, match="nothing to search for"):
            search(repo, words)


def test_an_unsynced_action_line_is_found_in_the_minutes(tmp_path: Path) -> None:
    root = small(tmp_path / "repo")
    path = root / "overleg/2024-03-06.md"
    text = path.read_text(encoding="utf-8").replace(
        "### Besluiten", "### Acties\n\n- [ ] @Peter plant een gesprek met Inkoop\n\n### Besluiten"
    )
    path.write_text(text, encoding="utf-8")
    repo, _ = load(root)
    hits = [h for h in search(repo, ["gesprek"]) if h.kind == "minutes"]
    assert [h.text for h in hits] == ["@Peter plant een gesprek met Inkoop"]


def test_decisions_text(repo_dir: Path) -> None:
    repo, _ = load(repo_dir)
    assert [r["text"] for r in decisions.rows(repo, text="jaarplan")] == [
        "de stuurgroep besluit de inkoop mee te nemen in het jaarplan."
    ]
    # the item's title counts: "Inkoopkader" holds the decision "Het kader wordt vastgesteld."
    assert [r["meeting"] for r in decisions.rows(repo, text="INKOOP")] == [
        "overleg/2024-03-06",
        "stuurgroep/2023-11-01",
    ]
    assert decisions.rows(repo, text="kader vastgesteld")[0]["text"] == "Het kader wordt vastgesteld."
    assert decisions.rows(repo, "stuurgroep", text="vastgesteld") == []
    m = matcher(["inkopen"])
    assert matches_text(m, "De Inkoop") and not matches_text(m, "verkoop")


def test_window_keeps_the_first_match_in_view() -> None:
    text = "een " * 30 + "inkoop en meer tekst daarna " * 3
    start = text.index("inkoop")
    shown, spans = window(text, [(start, start + 6)], 40)
    assert len(shown) == 40 and shown.startswith("…") and shown.endswith("…")
    assert [shown[a:b] for a, b in spans] == ["inkoop"]
    assert window("kort", [(0, 4)], 40) == ("kort", ((0, 4),))
    head, _ = window("inkoop " + "x" * 60, [(0, 6)], 20)
    assert head.startswith("inkoop") and len(head) == 20
    assert marked("de inkoop", [(3, 9)], "[", "]") == "de [inkoop]"


# -- the command ------------------------------------------------------------------------------


def run(runner: CliRunner, repo: Path, *args: str, columns: str | None = None):  # type: ignore[no-untyped-def]
    env = {"COLUMNS": columns} if columns else {}
    return runner.invoke(app, ["--repo", str(repo), *args], env=env)


def test_cli_table_md_json(repo_dir: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    table = run(runner, repo_dir, "search", "inkoop")
    assert table.exit_code == 0, table.output
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["where", "title", "kind", "text"]
    assert lines[-1] == "6 hits"
    assert any(line.startswith("ab12cd34") and "Kader delen" in line and "action" in line for line in lines)
    assert any("stuurgroep/2023-11-01" in line and "1. Inkoop" in line and "decision" in line for line in lines)
    md = run(runner, repo_dir, "search", "jaarplan", "--format", "md")
    assert md.exit_code == 0
    assert md.stdout.splitlines()[2] == (
        "| decision | stuurgroep/2023-11-01 1. Inkoop "
        "| de stuurgroep besluit de inkoop mee te nemen in het **jaarplan**. |"
    )
    data = json.loads(run(runner, repo_dir, "search", "inkoop", "-f", "json").stdout)
    assert len(data) == 6 and list(data[0]) == [
        "kind",
        "score",
        "date",
        "series",
        "meeting",
        "item",
        "action",
        "proposal",
        "title",
        "text",
        "matches",
        "path",
        "line",
    ]
    action = next(d for d in data if d["kind"] == "action")
    assert action["action"] == "ab12cd34" and action["meeting"] == "overleg/2024-03-06" and action["item"] == "1"
    assert (
        run(runner, repo_dir, "search", "inkoop", "-f", "json").stdout
        == json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    )


def test_cli_table_fits_columns(repo_dir: Path, runner: CliRunner) -> None:
    result = run(runner, repo_dir, "search", "jaarplan", columns="60")
    assert result.exit_code == 0
    rows = result.stdout.splitlines()[1:-1]
    assert rows and all(len(r) <= 60 for r in rows)
    assert "jaarplan" in rows[0]  # cut before the match, not after it
    assert result.stdout.splitlines()[0].split() == ["where", "kind", "text"]  # the title left out first
    wide = run(runner, repo_dir, "search", "jaarplan", columns="100").stdout.splitlines()
    assert wide[0].split() == ["where", "title", "kind", "text"] and all(len(line) <= 100 for line in wide)
    narrow = run(runner, repo_dir, "search", "inkoop", columns="40").stdout.splitlines()
    assert narrow[0].split() == ["where", "text"]  # title and kind left out, the line kept
    assert all(len(line) <= 40 for line in narrow) and len(narrow) == 8


def test_cli_series_since_and_words(repo_dir: Path, runner: CliRunner) -> None:
    result = run(runner, repo_dir, "search", "inkoop", "--series", "stuurgroep", "-f", "json")
    assert {d["series"] for d in json.loads(result.stdout)} == {"stuurgroep"}
    result = run(runner, repo_dir, "search", "inkoop", "--since", "8 maart 2024", "-f", "json")
    assert {d["kind"] for d in json.loads(result.stdout)} == {"action", "proposal"}
    result = run(runner, repo_dir, "search", "Café", "-f", "json")
    assert [d["kind"] for d in json.loads(result.stdout)] == ["minutes"]
    both = run(runner, repo_dir, "search", "inkopen besluiten", "-f", "json")  # one argument, two words
    assert [(d["kind"], d["meeting"]) for d in json.loads(both.stdout)] == [
        ("decision", "stuurgroep/2023-11-01"),  # 3 + 3: both words in the decision
        ("action", "overleg/2024-03-06"),  # 2 + 1: "inkoopkader" in the description, "besluiten" in the log
    ]


def test_cli_no_match_is_exit_1_as_grep(repo_dir: Path, runner: CliRunner) -> None:
    result = run(runner, repo_dir, "search", "olifant")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.strip() == "idmeet: no matches for 'olifant'"
    result = run(runner, repo_dir, "search", "olifant", "-f", "json")
    assert result.exit_code == 1 and json.loads(result.stdout) == []


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["search", "inkoop", "--series", "nergens"], "unknown series 'nergens'"),
        (["search", "inkoop", "--since", "32-13-2024"], "invalid --since '32-13-2024'"),
        (["search", ""], "nothing to search for"),
        (["search", "inkoop", "-f", "csv"], "unknown format 'csv'"),
    ],
)
def test_cli_bad_input_is_one_line_exit_2(repo_dir: Path, runner: CliRunner, args: list[str], fragment: str) -> None:
    result = run(runner, repo_dir, *args)
    assert result.exit_code == 2, result.output
    assert result.stdout == "" and result.stderr.count("\n") == 1 and fragment in result.stderr
    assert "Traceback" not in result.output


def test_cli_decisions_text(repo_dir: Path, runner: CliRunner) -> None:
    result = run(runner, repo_dir, "decisions", "--text", "jaarplan")
    assert result.exit_code == 0
    assert result.stdout == (
        "stuurgroep/2023-11-01  1. Inkoop: de stuurgroep besluit de inkoop mee te nemen in het jaarplan.\n"
    )
    result = run(runner, repo_dir, "decisions", "--text", "Inkóop", "--format", "json")
    assert [d["meeting"] for d in json.loads(result.stdout)] == ["overleg/2024-03-06", "stuurgroep/2023-11-01"]
    result = run(runner, repo_dir, "decisions", "--text", "olifant")
    assert result.exit_code == 0 and result.stdout == "No decisions match.\n"
    result = run(runner, repo_dir, "decisions", "--text", " ")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == "idmeet: nothing to search for in ' ': give one or more words\n"


def test_cli_on_the_example(example: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    """The example has no decisions, but agenda texts, questions, minutes and actions."""
    monkeypatch.delenv("COLUMNS", raising=False)
    data = json.loads(run(runner, example, "search", "inkoop", "-f", "json").stdout)
    assert {(d["kind"], d["meeting"], d["item"]) for d in data} >= {
        ("item", "voortgangsoverleg/2024-03-06", "4"),
        ("item", "stuurgroep/2024-06-17", "4"),  # "Handelingskader inclusief inkopen": a Dutch form
        ("question", "voortgangsoverleg/2024-03-06", "4"),
    }
    # "besluit" finds the compounds "principebesluit", "afwijkingsbesluit" and "GMT-besluiten"
    found = json.loads(run(runner, example, "search", "besluit", "-f", "json").stdout)
    assert {(d["kind"], d["meeting"], d["item"]) for d in found} == {
        ("item", "voortgangsoverleg/2024-03-06", "3"),
        ("item", "voortgangsoverleg/2024-03-06", "8"),
        ("minutes", "voortgangsoverleg/2024-02-05", "8"),
    }
    actions = json.loads(run(runner, example, "search", "p&o", "--series", "voortgangsoverleg", "-f", "json").stdout)
    assert {"erf1n8nz", "n0gh5v6g"} <= {d["action"] for d in actions}
    since = json.loads(run(runner, example, "search", "inkoop", "--since", "2024-06-01", "-f", "json").stdout)
    assert {d["meeting"] for d in since} == {"stuurgroep/2024-06-17"}


def test_spans_point_into_the_text_as_written() -> None:
    """Folding may change a text's length (a ligature, an accent): the spans are traced back."""
    from idmeet.ops.search import _Field, _Part, _score

    m = matcher(["financien", "def"])
    for text, expected in (
        ("De ﬁnanciën van café--def", ["ﬁnanciën", "def"]),
        ("FINANCIËN, def.", ["FINANCIËN", "def"]),
    ):
        part = _Part("minutes", None, None, "t", "x.md", 1, (_Field(text, 2, 5),))
        hit = _score(part, m)
        assert hit is not None and hit.line == 5
        assert [hit.text[a:b] for a, b in hit.spans] == expected
