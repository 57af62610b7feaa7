"""Reports: ``idmeet report open-items`` and ``idmeet report actions MEETING``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from idmeet.cli import app
from idmeet.core.diagnostics import IdmeetError
from idmeet.ops.render import render

from .conftest import assert_one_line_error, snapshot

SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"  # copies of ../shared/seeds
ACTIONS_SEED = SEEDS / "004_a68409932629671f.txt"

PETER_OPEN = ["nm8qxrv2", "j1ecktg3", "hrn78gdt", "10m8t1n7", "42m5tadr", "dqryrndx", "jt3dy6zk", "n0gh5v6g"]
REDACTED_OPEN = ["d43sfra2", "erf1n8nz", "m3dfkxn9", "p2zzrzn2", "xmf1m4ny"]

# The topics of "Acties & afspraken overleg 5 februari 2024" (the seed), in its order: one
# per item with minutes ("Terugblik GMT-special" has an agreement and no action).
SEED_TOPICS = [
    "Prestatieafspraken GMT",
    "Sociale veiligheid",
    "Hoger management potentieel",
    "Nationaal Coördinator Discriminatie & Racisme",
    "Boek 'De Nieuwe Minderheid' - Maurice Crul",
    "Totaaloverzicht voortgangsrapportage",
    "Positionering Bureau in samenwerking P&O",
    "Organisatieontwikkeling",
    "Evenementen directeuren",
    "Terugblik GMT-special",
    "Gesprekken Midden-Oosten, racisme en discriminatie",
    "Inclusie i.r.t. ambtelijk vakmanschap",
    "Inzet",
    "Geselecteerde trainers leiderschapstraject",
]


@pytest.fixture(autouse=True)
def _pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IDMEET_TODAY", "2024-03-10")
    monkeypatch.delenv("IDMEET_REPO", raising=False)
    monkeypatch.delenv("IDMEET_DEBUG", raising=False)


def run(runner: CliRunner, repo: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--repo", str(repo), *args])


def ok(runner: CliRunner, repo: Path, *args: str) -> str:
    result = run(runner, repo, *args)
    assert result.exit_code == 0, result.stderr
    return str(result.stdout)


def report_json(runner: CliRunner, repo: Path, *args: str) -> dict:  # type: ignore[type-arg]
    return json.loads(ok(runner, repo, "report", "open-items", "--format", "json", *args))  # type: ignore[no-any-return]


def add_script_action(repo: Path) -> None:
    (repo / "actions" / "x55scr1p.md").write_text(
        "---\nid: x55scr1p\ntitle: \"<script>alert('x')</script> & co\"\nowner: Peter\nstatus: open\n"
        "opened: 2024-02-05\ndue: 2024-02-08\nmeeting: voortgangsoverleg/2024-02-05\nitem: 15\n---\n\n"
        "<b>vet</b> & <i>schuin</i>\n\n## Log\n\n- 2024-03-07: <img src=x onerror=alert(1)>\n",
        encoding="utf-8",
    )


# -- open-items: the data -----------------------------------------------------------------


def test_open_items_json_summary_and_groups(runner: CliRunner, example: Path) -> None:
    data = report_json(runner, example)
    assert data["as_of"] == "2024-03-10"
    assert data["summary"] == {"open": 13, "overdue": 2, "closed_last_30_days": 2}
    assert [g["owner"] for g in data["owners"]] == ["Peter Teesink", "5.1, 2, e"]
    peter, redacted = data["owners"]
    assert [a["id"] for a in peter["actions"]] == PETER_OPEN
    assert [a["id"] for a in redacted["actions"]] == REDACTED_OPEN


def test_open_items_entry(runner: CliRunner, example: Path) -> None:
    data = report_json(runner, example)
    entries = {a["id"]: a for g in data["owners"] for a in g["actions"]}
    nm8 = entries["nm8qxrv2"]
    assert nm8["age_days"] == 34  # 2024-02-05 .. 2024-03-10
    assert nm8["due"] == "2024-02-07"
    assert nm8["overdue"] is True
    assert nm8["meeting"] == "voortgangsoverleg/2024-02-05"
    assert nm8["latest"] is None
    assert entries["hrn78gdt"]["overdue"] is False
    assert entries["10m8t1n7"]["latest"] == {
        "date": "2024-03-06",
        "text": "Komt hierop terug. Voorstel: het Bureau pakt dit zelf op met P&O.",
    }
    assert entries["m3dfkxn9"]["status"] == "waiting"


def test_open_items_age_follows_the_opened_date(runner: CliRunner, example: Path) -> None:
    path = example / "actions" / "42m5tadr.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("opened: 2024-02-05", "opened: 2024-03-09"), encoding="utf-8"
    )
    entries = {a["id"]: a for g in report_json(runner, example)["owners"] for a in g["actions"]}
    assert entries["42m5tadr"]["age_days"] == 1


def test_open_items_latest_log_line_is_the_newest(runner: CliRunner, example: Path) -> None:
    ok(runner, example, "action", "note", "10m8", "belt P&O op maandag")
    entries = {a["id"]: a for g in report_json(runner, example)["owners"] for a in g["actions"]}
    assert entries["10m8t1n7"]["latest"] == {"date": "2024-03-10", "text": "belt P&O op maandag"}


def test_open_items_closed_in_the_last_30_days(runner: CliRunner, example: Path) -> None:
    ok(runner, example, "action", "drop", "42m", "--note", "vervalt")
    ok(runner, example, "action", "done", "nm8")
    data = report_json(runner, example)
    assert data["summary"] == {"open": 11, "overdue": 1, "closed_last_30_days": 4}
    # On 2024-04-06 the closures of 03-06 (31 days ago) no longer count; those of 03-10 (27) do.
    later = report_json(runner, example, "--as-of", "2024-04-06")
    assert later["summary"]["closed_last_30_days"] == 2


def test_open_items_as_of(runner: CliRunner, example: Path) -> None:
    data = report_json(runner, example, "--as-of", "2024-03-01")
    assert data["as_of"] == "2024-03-01"
    # hd1cx4db and jekzn5ba were still open on 1 March (closed 2024-03-06).
    assert data["summary"] == {"open": 15, "overdue": 2, "closed_last_30_days": 0}
    entries = {a["id"]: a for g in data["owners"] for a in g["actions"]}
    assert entries["hd1cx4db"]["status"] == "open"
    assert entries["nm8qxrv2"]["age_days"] == 25
    # A log line written after the as-of date is not shown.
    assert entries["j1ecktg3"]["latest"] is None
    assert report_json(runner, example, "--as-of", "1-3-2024") == data


def test_open_items_as_of_later_flags_more_overdue(runner: CliRunner, example: Path) -> None:
    data = report_json(runner, example, "--as-of", "2024-04-05")
    assert data["summary"]["overdue"] == 3
    entries = {a["id"]: a for g in data["owners"] for a in g["actions"]}
    assert entries["hrn78gdt"]["overdue"] is True


def test_open_items_owner_filter(runner: CliRunner, example: Path) -> None:
    for name in ("peter", "Péter", "Peter Teesink"):
        data = report_json(runner, example, "--owner", name)
        assert [g["owner"] for g in data["owners"]] == ["Peter Teesink"]
        assert [a["id"] for a in data["owners"][0]["actions"]] == PETER_OPEN
        assert data["summary"] == {"open": 8, "overdue": 2, "closed_last_30_days": 0}
    redacted = report_json(runner, example, "--owner", "5.1, 2, e")
    assert redacted["summary"] == {"open": 5, "overdue": 0, "closed_last_30_days": 2}


def _co_own_d43sfra2(repo: Path) -> None:
    path = repo / "actions" / "d43sfra2.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('owner: "5.1, 2, e"', 'owner: ["5.1, 2, e", Peter]'), encoding="utf-8")


def test_open_items_co_owned_action_is_in_each_owners_group_and_counted_once(runner: CliRunner, example: Path) -> None:
    _co_own_d43sfra2(example)
    data = report_json(runner, example)
    assert data["summary"]["open"] == 13
    groups = {g["owner"]: [a["id"] for a in g["actions"]] for g in data["owners"]}
    assert "d43sfra2" in groups["Peter Teesink"] and "d43sfra2" in groups["5.1, 2, e"]
    assert len(groups["Peter Teesink"]) == 9 and len(groups["5.1, 2, e"]) == 5


def test_open_items_owner_filter_shows_only_that_owner(runner: CliRunner, example: Path) -> None:
    """``--owner Peter`` is Peter's report: a co-owner's group would hold only the shared
    actions and so show a wrong count ("5.1, 2, e (1)" while that owner has 5 open)."""
    _co_own_d43sfra2(example)
    data = report_json(runner, example, "--owner", "peter")
    assert data["summary"]["open"] == 9
    assert [g["owner"] for g in data["owners"]] == ["Peter Teesink"]
    assert "d43sfra2" in [a["id"] for a in data["owners"][0]["actions"]]


def test_open_items_series_filter(runner: CliRunner, example: Path) -> None:
    data = report_json(runner, example, "--series", "voortgangsoverleg")
    assert data["series"] == "voortgangsoverleg"
    assert data["series_title"] == "Voortgangsoverleg inclusie en diversiteit"
    assert data["summary"]["open"] == 13
    empty = report_json(runner, example, "--series", "stuurgroep")
    assert empty["owners"] == []
    assert empty["summary"] == {"open": 0, "overdue": 0, "closed_last_30_days": 0}


# -- open-items: the documents ------------------------------------------------------------


def test_open_items_markdown(runner: CliRunner, example: Path) -> None:
    out = ok(runner, example, "report", "open-items")
    lines = out.splitlines()
    assert lines[0] == "# Openstaande acties"
    assert ("Stand per 10 maart 2024: 13 open, 2 te laat, 2 afgerond of vervallen in de laatste 30 dagen.") in lines
    assert "## Peter Teesink (8)" in lines
    assert "## 5.1, 2, e (5)" in lines
    assert lines.index("## Peter Teesink (8)") < lines.index("## 5.1, 2, e (5)")
    nm8 = next(line for line in lines if "**Prestatieafspraken GMT**" in line)
    assert "34 dagen open" in nm8
    assert "deadline 7 februari 2024 **te laat**" in nm8
    assert "uit Voortgangsoverleg inclusie en diversiteit van 5 februari 2024" in nm8
    hrn = next(line for line in lines if "**Sociale veiligheid**" in line)
    assert "deadline 31 maart 2024" in hrn and "te laat" not in hrn
    assert "(wacht)" in next(line for line in lines if "**Gesprekken Midden-Oosten" in line and "wacht" in line)
    assert "  Laatste stand (6 maart 2024): Komt hierop terug. Voorstel: het Bureau pakt dit zelf op met P&O." in lines
    # a document for people: no ids, no ISO dates, no meeting keys
    assert not re.search(r"\d{4}-\d{2}-\d{2}", out) and "voortgangsoverleg/" not in out
    assert not any(i in out for i in PETER_OPEN + REDACTED_OPEN)
    assert "{{" not in out and "{%" not in out


def test_open_items_markdown_empty(runner: CliRunner, example: Path) -> None:
    out = ok(runner, example, "report", "open-items", "--series", "stuurgroep")
    assert "Openstaande acties: Stuurgroep Inclusie en Diversiteit" in out
    assert "Geen openstaande acties." in out


def test_open_items_html(runner: CliRunner, example: Path) -> None:
    out = ok(runner, example, "report", "open-items", "--format", "html")
    assert out.lstrip().lower().startswith("<!doctype html>")
    assert "<h2>Peter Teesink (8)</h2>" in out
    # column headers in one style, dates in words, no ids or meeting keys
    assert (
        "<tr><th>Actie</th><th>Dagen open</th><th>Deadline</th><th>Uit overleg</th><th>Laatste stand</th></tr>" in out
    )
    assert '<td class="overdue">7 februari 2024 (te laat)</td>' in out
    assert "nm8qxrv2" not in out and not re.search(r"\d{4}-\d{2}-\d{2}", out)
    assert 'class="overdue"' in out
    assert "P&amp;O" in out and "P&O" not in out.replace("P&amp;O", "")


def test_open_items_html_escapes(runner: CliRunner, example: Path) -> None:
    add_script_action(example)
    out = ok(runner, example, "report", "open-items", "--format", "html")
    assert "<script>" not in out
    assert "&lt;script&gt;" in out
    assert "<img" not in out
    assert "&lt;img src=x onerror=alert(1)&gt;" in out


def test_open_items_output_file(runner: CliRunner, example: Path, tmp_path: Path) -> None:
    target = tmp_path / "uit" / "open.html"
    result = run(runner, example, "report", "open-items", "--format", "html", "--output", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert str(target) in result.stderr
    assert target.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html>")
    md = tmp_path / "open.md"
    assert run(runner, example, "report", "open-items", "-O", str(md)).exit_code == 0
    assert md.read_text(encoding="utf-8") == ok(runner, example, "report", "open-items")


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--owner", "Pieter"], ["unknown person 'Pieter'", "Peter"]),
        (["--series", "stuurgroeb"], ["unknown series 'stuurgroeb'"]),
        (["--as-of", "31/13/2024"], ["invalid --as-of '31/13/2024'"]),
        (["--as-of", "2024-02-30"], ["invalid --as-of '2024-02-30'"]),
    ],
)
def test_open_items_bad_input(
    runner: CliRunner, example: Path, args: list[str], fragments: list[str], tmp_path: Path
) -> None:
    before = snapshot(example)
    target = tmp_path / "out.md"
    result = run(runner, example, "report", "open-items", *args, "--output", str(target))
    assert_one_line_error(result, *fragments)
    assert not target.exists()
    assert snapshot(example) == before


def test_open_items_unknown_format(runner: CliRunner, example: Path) -> None:
    result = run(runner, example, "report", "open-items", "--format", "csv")
    assert result.exit_code != 0
    assert "csv" in result.stderr and "Traceback" not in result.stderr


# -- templates from the repository --------------------------------------------------------


def test_repository_template_overrides(runner: CliRunner, example: Path) -> None:
    (example / "templates").mkdir()
    (example / "templates" / "open-items.md.j2").write_text(
        "Open: {{ summary.open }}\n{% for g in owners %}{{ g.owner }}\n{% endfor %}", encoding="utf-8"
    )
    assert ok(runner, example, "report", "open-items") == "Open: 13\nPeter Teesink\n5.1, 2, e\n"


@pytest.mark.parametrize(
    ("template", "name"),
    [("# Open\n\n{{ nope }}\n", "nope"), ("# Open\n{{ summary.open }}\n{{ summary.opne }}\n", "opne")],
)
def test_template_undefined_name_is_an_error_naming_file_and_line(
    runner: CliRunner, example: Path, template: str, name: str
) -> None:
    (example / "templates").mkdir()
    (example / "templates" / "open-items.md.j2").write_text(template, encoding="utf-8")
    result = run(runner, example, "report", "open-items")
    assert_one_line_error(result, "open-items.md.j2:3", name)
    assert result.stdout == ""


def test_template_syntax_error_names_file_and_line(runner: CliRunner, example: Path) -> None:
    (example / "templates").mkdir()
    (example / "templates" / "open-items.md.j2").write_text(
        "# Open\n{% for g in owners %}\n{{ g.owner }\n{% endfor %}\n", encoding="utf-8"
    )
    result = run(runner, example, "report", "open-items")
    assert_one_line_error(result, "open-items.md.j2:3")


def test_template_error_does_not_write_the_output(runner: CliRunner, example: Path, tmp_path: Path) -> None:
    (example / "templates").mkdir()
    (example / "templates" / "actions.md.j2").write_text("a\nb\n{{ nope }}\n", encoding="utf-8")
    target = tmp_path / "acties.md"
    result = run(runner, example, "report", "actions", "voortgangsoverleg/2024-02-05", "-O", str(target))
    assert_one_line_error(result, "actions.md.j2:3")
    assert not target.exists()


def test_repository_html_template_escapes(runner: CliRunner, example: Path) -> None:
    add_script_action(example)
    (example / "templates").mkdir()
    (example / "templates" / "open-items.html.j2").write_text(
        "{% for g in owners %}{% for a in g.actions %}<p>{{ a.title }}</p>\n{% endfor %}{% endfor %}", encoding="utf-8"
    )
    out = ok(runner, example, "report", "open-items", "--format", "html")
    assert "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co</p>" in out
    assert "<script>" not in out


def test_render_library_strict_undefined(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "probe.md.j2").write_text("ok {{ a }}\n{{ b }}\n", encoding="utf-8")
    assert render("probe.md.j2", {"a": 1, "b": 2}, tmp_path) == "ok 1\n2\n"
    with pytest.raises(IdmeetError, match=r"probe\.md\.j2:2"):
        render("probe.md.j2", {"a": 1}, tmp_path)


# -- Acties & afspraken -------------------------------------------------------------------


def _bullets(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("- ")]


def test_meeting_actions_header(runner: CliRunner, example: Path) -> None:
    out = ok(runner, example, "report", "actions", "voortgangsoverleg/2024-02-05")
    lines = [line.rstrip() for line in out.splitlines()]
    assert lines[0] == "## Acties & afspraken overleg 5 februari 2024"
    to = next(line for line in lines if line.startswith("Aan"))
    assert "Peter Teesink" in to and "5.1, 2, e" in to
    sender = next(line for line in lines if line.startswith("Van"))
    assert "5.1, 2, e" in sender and "Bureau Inclusie en Diversiteit" in sender
    meeting = lines.index("Vergadering 5 februari 2024")
    assert lines[meeting + 1] == "Voortgangsoverleg inclusie en diversiteit, 2C4"
    # Header in the seed's order, then a rule, then the bullets.
    first_bullet = lines.index(_bullets(out)[0])
    assert lines.index(to) < lines.index(sender) < meeting < lines.index("---") < first_bullet


def test_meeting_actions_bullets(runner: CliRunner, example: Path) -> None:
    out = ok(runner, example, "report", "actions", "voortgangsoverleg/2024-02")
    bullets = _bullets(out)
    assert len(bullets) == 14  # one per item with minutes, as in the seed
    assert all(re.match(r"^- \*\*[^*]+\*\* \S", b) for b in bullets), bullets
    assert bullets[0] == (
        "- **Prestatieafspraken GMT** @Peter laat bila voor (over)morgen plannen voor "
        "5.1, 2, e en hem om hier verder over te praten. Peter ziet het uitwerken van de "
        "prestatieafspraken graag gelijktijdig gebeuren met het uitwerken van een manier om de "
        "voortgang te monitoren. 5.1, 2, e neemt dit mee in haar gesprekken met P&O."
    )
    assert any(b.startswith("- **Organisatieontwikkeling** doordat inclusie") for b in bullets)
    assert bullets[7].endswith("@Peter komt hierna terug.")
    assert (
        "- **Inclusie i.r.t. ambtelijk vakmanschap** @5.1, 2, e gaat met 5.1, 2, e praten: zitten "
        "inclusie en componenten als cultureel bewustzijn voldoende in de "
        "participatiestrategie?"
    ) in bullets
    assert "hd1cx4db" not in out  # ids are not part of the document


def test_meeting_actions_follow_the_agenda_order_of_the_seed(runner: CliRunner, example: Path) -> None:
    out = ok(runner, example, "report", "actions", "voortgangsoverleg/2024-02-05")
    topics = [re.match(r"^- \*\*(.+?)\*\*", b).group(1) for b in _bullets(out)]  # type: ignore[union-attr]
    assert topics == SEED_TOPICS


def test_meeting_actions_topics_are_the_seed_topics(runner: CliRunner, example: Path) -> None:
    seed = ACTIONS_SEED.read_text(encoding="utf-8")
    out = ok(runner, example, "report", "actions", "voortgangsoverleg/2024-02-05")
    for bullet in _bullets(out):
        topic = re.match(r"^- \*\*(.+?)\*\*", bullet).group(1)  # type: ignore[union-attr]
        assert f"**{topic}" in seed, topic


def test_meeting_actions_without_actions(runner: CliRunner, example: Path) -> None:
    out = ok(runner, example, "report", "actions", "stuurgroep/2024-06-17")
    assert out.splitlines()[0] == "## Acties & afspraken overleg 17 juni 2024"
    assert "Geen acties of afspraken vastgelegd." in out
    assert _bullets(out) == []


def test_meeting_actions_html(runner: CliRunner, example: Path) -> None:
    out = ok(runner, example, "report", "actions", "voortgangsoverleg/2024-02-05", "--format", "html")
    assert "<h2>Acties &amp; afspraken overleg 5 februari 2024</h2>" in out
    assert out.count("<li>") == 14
    assert "<li><strong>Prestatieafspraken GMT</strong> @Peter laat bila" in out


def test_meeting_actions_html_escapes(runner: CliRunner, example: Path) -> None:
    add_script_action(example)
    out = ok(runner, example, "report", "actions", "voortgangsoverleg/2024-02-05", "--format", "html")
    assert "<script>" not in out and "<b>vet</b>" not in out
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co" in out
    assert "&lt;b&gt;vet&lt;/b&gt; &amp; &lt;i&gt;schuin&lt;/i&gt;" in out


def test_meeting_actions_output_file(runner: CliRunner, example: Path, tmp_path: Path) -> None:
    target = tmp_path / "acties.md"
    result = run(runner, example, "report", "actions", "voortgangsoverleg/2024-02-05", "-O", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert target.read_text(encoding="utf-8") == ok(
        runner, example, "report", "actions", "voortgangsoverleg/2024-02-05"
    )


@pytest.mark.parametrize(
    ("meeting", "fragments"),
    [
        ("voortgangsoverleg/2023-01-01", ["unknown meeting"]),
        ("voortgangsoverleg", ["voortgangsoverleg/2024-02-05", "voortgangsoverleg/2024-03-06"]),
    ],
)
def test_meeting_actions_unknown_or_ambiguous_meeting(
    runner: CliRunner, example: Path, meeting: str, fragments: list[str]
) -> None:
    assert_one_line_error(run(runner, example, "report", "actions", meeting), *fragments)
