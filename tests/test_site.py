"""``idmeet site``: the static website, checked as files (the browser tests are in
test_site_browser.py)."""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from idmeet.cli import app
from idmeet.core.diagnostics import IdmeetError
from idmeet.edits.write import replace_folder
from idmeet.ops.actions import resolve_owner
from idmeet.ops.calendar import CalendarOptions, build_calendar
from idmeet.ops.site.build import MARKER, SiteOptions, build_site
from idmeet.store.load import load

from .conftest import EXAMPLE, assert_one_line_error

TODAY = dt.date(2024, 6, 10)
LINK_RE = re.compile(r"""(?:href|src)="([^"]*)\"""")


def site(root: Path = EXAMPLE, today: dt.date = TODAY) -> dict[str, bytes]:
    repo, _ = load(root)
    return build_site(repo, today)


def pages(files: dict[str, bytes]) -> dict[str, str]:
    return {path: data.decode() for path, data in files.items() if path.endswith(".html")}


def visible_text(page: str) -> str:
    """What a reader sees: no tags, no attributes (URLs may hold ids and ISO dates)."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def card_ids(page: str) -> list[str]:
    return re.findall(r'<a class="title" href="(?:\.\./)*actie/([0-9a-z-]+)\.html"', page)


def test_same_repository_same_files() -> None:
    assert site() == site()


def test_every_link_is_relative_and_resolves() -> None:
    files = site()
    for path, page in pages(files).items():
        for link in LINK_RE.findall(page):
            assert not link.startswith(("/", "http:", "https:", "file:")), (path, link)
            target, _, anchor = link.partition("#")
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target)) if target else path
            assert resolved in files, (path, link)
            if anchor and resolved.endswith(".html"):
                assert f'id="{anchor}"' in files[resolved].decode(), (path, link)


def test_no_iso_dates_or_ids_where_people_read() -> None:
    repo, _ = load(EXAMPLE)
    ids = {a.id for a in repo.actions}
    for path, page in pages(site()).items():
        text = visible_text(page)
        assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text), (path, re.search(r".{30}\d{4}-\d{2}-\d{2}.{10}", text))
        words = set(re.findall(r"[0-9a-z]+", text))
        assert not ids & words, (path, ids & words)


def test_home_next_meetings_open_actions_overdue_first() -> None:
    home = pages(site())["index.html"]
    assert "Volgende vergaderingen" in home
    assert "maandag 17 juni 2024, 16.00–17.00 uur" in home  # the stuurgroep's next, with agenda
    assert "Handelingskader inclusief inkopen" in home
    assert "maandag 1 juli 2024: de agenda volgt." in home  # voortgangsoverleg: cadence, no file
    peter = home[home.index("Peter Teesink</a>") : home.index("5.1, 2, e</a>")]
    cards = re.findall(r'<li class="card action( overdue)?"', peter)
    flags = [bool(c) for c in cards]
    assert flags == sorted(flags, reverse=True) and any(flags) and not all(flags)  # overdue first


def test_owner_page_lists_peters_open_actions_only() -> None:
    repo, _ = load(EXAMPLE)
    peter = resolve_owner(repo, "Peter")
    expected = {a.id for a in repo.actions if a.is_open and peter.matches(repo, a)}
    page = pages(site())["acties/eigenaar-peter-teesink.html"]
    assert set(card_ids(page)) == expected and len(card_ids(page)) == len(expected) == 8


def test_filter_pages_by_series_status_overdue() -> None:
    repo, _ = load(EXAMPLE)
    all_pages = pages(site())
    for series in ("stuurgroep", "voortgangsoverleg"):
        expected = {a.id for a in repo.actions if a.is_open and a.series == series}
        assert set(card_ids(all_pages[f"acties/reeks-{series}.html"])) == expected
    for status in ("open", "waiting", "done", "dropped"):
        assert set(card_ids(all_pages[f"acties/status-{status}.html"])) == {
            a.id for a in repo.actions if a.status == status
        }
    late = {a.id for a in repo.actions if a.is_open and a.due and a.due < TODAY}
    assert set(card_ids(all_pages["acties/te-laat.html"])) == late and late
    assert len(card_ids(all_pages["acties.html"])) == len(repo.actions)


def test_action_page_has_its_log_in_dutch() -> None:
    repo, _ = load(EXAMPLE)
    action = next(a for a in repo.actions if a.log)
    page = pages(site())[f"actie/{action.id}.html"]
    assert "Logboek" in page
    for entry in action.log:
        assert html.escape(entry.text, quote=False) in page or entry.text in html.unescape(page)
    assert f"{action.log[0].date.day} " in visible_text(page)


def test_meeting_page_agenda_minutes_actions_attachments(example: Path) -> None:
    path = example / "stuurgroep" / "2024-06-17.md"
    text = path.read_text()
    secret = "Bijlage 2: GEHEIM_Gebundelde reflecties stuurgroep Verwey Jonker"
    assert secret in text
    path.write_text(
        text.replace(secret, "Bijlage 2: [GEHEIM_Gebundelde reflecties](bijlagen/2024-06-17/reflecties.pdf)")
    )
    (example / "stuurgroep" / "bijlagen" / "2024-06-17" / "reflecties.pdf").write_bytes(b"%PDF-1.4 geheim")
    linked = next((example / "stuurgroep" / "bijlagen" / "2024-06-17").glob("20240611*"))
    files = site(example)
    page = files["vergadering/stuurgroep-2024-06-17.html"].decode()
    assert "maandag 17 juni 2024" in page and "Leersessie stuurgroep" in page
    assert "Vragen aan de stuurgroep" in page  # the agenda document, as sent
    assert page.count("<h1") == 1
    assert files[f"bijlagen/stuurgroep-2024-06-17/{linked.name}"] == linked.read_bytes()
    assert f'href="../bijlagen/stuurgroep-2024-06-17/{linked.name}"' in page
    assert not any("reflecties" in name for name in files)  # GEHEIM: never on the site
    assert "vertrouwelijk, niet op de site" in page
    held = files["vergadering/voortgangsoverleg-2024-02-05.html"].decode()
    assert 'id="verslag"' in held and "Verslag" in held
    repo, _ = load(example)
    arisen = {a.id for a in repo.actions if a.meeting == "voortgangsoverleg/2024-02-05"}
    assert set(card_ids(held)) == arisen
    # The attachment folder does not disturb the repository.
    result = CliRunner().invoke(app, ["--repo", str(example), "check"])
    assert result.exit_code == 0, result.output


def test_decisions_listed_and_searchable(example: Path) -> None:
    path = example / "voortgangsoverleg" / "2024-03-06.md"
    text = path.read_text()
    path.write_text(
        text.replace(
            "## 3. Bureauplan (concept)\n",
            "## 3. Bureauplan (concept)\n\nBesluit: Het Bureauplan gaat langs de trekkers.\n",
            1,
        )
    )
    files = pages(site(example))
    decisions = files["besluiten.html"]
    assert "Het Bureauplan gaat langs de trekkers." in decisions
    assert 'id="search"' in decisions and "filter.js" in decisions
    assert "woensdag 6 maart 2024" not in decisions and "6 maart 2024" in decisions
    assert "Het Bureauplan gaat langs de trekkers." in files["index.html"]


def test_cancelled_meeting_is_not_next(example: Path) -> None:
    path = example / "stuurgroep" / "2024-06-17.md"
    path.write_text(path.read_text().replace("status: held", "status: cancelled"))
    home = pages(site(example))["index.html"]
    assert "maandag 17 juni 2024, 16.00" not in home
    assert "maandag 9 september 2024: de agenda volgt." in home  # 29 July is the summer recess
    assert "afgelast" in pages(site(example))["vergaderingen.html"]


def test_calendar_file_is_on_the_site() -> None:
    repo, _ = load(EXAMPLE)
    files = site()
    assert files["vergaderingen.ics"] == build_calendar(repo, CalendarOptions(future=True), TODAY)
    assert 'href="vergaderingen.ics" download' in files["index.html"].decode()


def _with_staff_member(example: Path) -> None:
    config = example / "idmeet.yaml"
    text = config.read_text()
    marker = "    public_official: true         # the director: his name may be published (Woo)\n"
    assert marker in text
    config.write_text(text.replace(marker, marker + "  - name: Sanne de Vries\n    aliases: [Sanne]\n"))
    meeting = example / "stuurgroep" / "2024-06-17.md"
    meeting.write_text(
        meeting.read_text()
        .replace('  - "5.1, 2, e"\nminute_taker', '  - "5.1, 2, e"\n  - Sanne de Vries\nminute_taker')
        .replace("## 3. Verandersessie 29 mei", "## 3. Verandersessie 29 mei met Sanne")
    )
    action = example / "actions" / "jt3dy6zk.md"
    action.write_text(action.read_text().replace("owner: Peter", "owner: [Peter, Sanne de Vries]"))


def test_public_site_has_no_staff_names(example: Path) -> None:
    _with_staff_member(example)
    repo, _ = load(example)
    internal = build_site(repo, TODAY)
    assert any(b"Sanne" in data for data in internal.values())  # the internal site shows her
    public = build_site(repo, TODAY, SiteOptions(public=True))
    leaks = [path for path, data in public.items() if b"Sanne" in data or "sanne" in path]
    assert not leaks
    home = public["index.html"].decode()
    assert "Openbare versie" in home and "Peter Teesink" in home  # a public official stays
    assert "Verandersessie 29 mei met 5.1.2e" in public["vergadering/stuurgroep-2024-06-17.html"].decode()


def test_public_site_refuses_when_a_name_gets_through(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import idmeet.ops.publish.redact as redact

    _with_staff_member(example)
    repo, _ = load(example)
    monkeypatch.setattr(redact, "redact_repository", lambda repo, emails=(): (repo, None))  # a broken redactor
    with pytest.raises(IdmeetError, match='non-public name "Sanne'):
        build_site(repo, TODAY, SiteOptions(public=True))


def test_replace_folder_only_replaces_its_own(tmp_path: Path) -> None:
    own = tmp_path / "mine"
    own.mkdir()
    (own / "notes.txt").write_text("mine")
    with pytest.raises(IdmeetError, match="not made by idmeet"):
        replace_folder(own, {"index.html": b"x"}, MARKER)
    assert (own / "notes.txt").read_text() == "mine"
    out = tmp_path / "site"
    replace_folder(out, {"index.html": b"1", "a/b.html": b"2", MARKER: b""}, MARKER)
    replace_folder(out, {"index.html": b"3", MARKER: b""}, MARKER)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [MARKER, "index.html"]
    assert (out / "index.html").read_bytes() == b"3"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp folders left


def test_cli_writes_the_site(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IDMEET_TODAY", TODAY.isoformat())
    out = tmp_path / "site"
    result = runner.invoke(app, ["--repo", str(EXAMPLE), "site", "--output", str(out)])
    assert result.exit_code == 0, result.output
    written = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert written == site()
    again = runner.invoke(app, ["--repo", str(EXAMPLE), "site", "--output", str(out)])
    assert again.exit_code == 0


def test_cli_public_and_foreign_folder_are_one_line(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["--repo", str(EXAMPLE), "site", "--public", "-O", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    assert "Openbare versie" in (tmp_path / "s" / "index.html").read_text()
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "x.txt").write_text("x")
    result = runner.invoke(app, ["--repo", str(EXAMPLE), "site", "-O", str(tmp_path / "docs")])
    assert_one_line_error(result, "not made by idmeet")
