"""``idmeet calendar``: the meetings as an iCalendar file, parsed back with ``icalendar``."""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
import os
import re
import subprocess
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from typer.testing import CliRunner

from idmeet.cli import app
from idmeet.core.cadence import on_cadence
from idmeet.ops.agenda import choose_date
from idmeet.ops.calendar import VTIMEZONE_AMSTERDAM, CalendarOptions, build_calendar, uid
from idmeet.store.load import load

from .conftest import EXAMPLE, assert_one_line_error

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DAY = dt.date(2024, 1, 1)


def build(root: Path, day: dt.date = DAY, **options: Any) -> bytes:
    repo, _ = load(root)
    return build_calendar(repo, CalendarOptions(**options), day)


def events(data: bytes) -> list[Any]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def by_uid(data: bytes) -> dict[str, Any]:
    return {str(e["UID"]): e for e in events(data)}


def test_one_event_per_meeting_with_title_time_place_and_agenda() -> None:
    repo, _ = load(EXAMPLE)
    data = build(EXAMPLE)
    found = by_uid(data)
    assert len(found) == len(repo.meetings) == 3
    for meeting in repo.meetings:
        event = found[uid(repo.config.organisation, meeting.series, meeting.date)]
        series = repo.config.get_series(meeting.series)
        assert series is not None
        assert str(event["SUMMARY"]) == series.title
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert start.tzinfo is not None and str(start.tzinfo) == "Europe/Amsterdam"
        assert start.date() == meeting.date
        assert start.strftime("%H:%M") == (meeting.start or series.start)
        assert end.strftime("%H:%M") == (meeting.end or series.end)
        assert str(event["LOCATION"]) == (meeting.location or series.location)
        description = str(event["DESCRIPTION"])
        for item in meeting.items:
            assert f"{item.number}. {item.title}" in description
        assert str(event["STATUS"]) == "CONFIRMED"
    # 17 June 2024 at 16:00 in Amsterdam is 14:00 UTC (summer time).
    sg = found[uid(repo.config.organisation, "stuurgroep", dt.date(2024, 6, 17))]
    assert sg.decoded("DTSTART").astimezone(dt.UTC).hour == 14


def test_rfc5545_form_crlf_short_lines_unique_uids_utc_stamps() -> None:
    data = build(EXAMPLE, future=True, site_url="https://intranet.example.nl/vergaderingen/")
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert b"\n" not in b"".join(lines) and b"\r" not in b"".join(lines)
    assert max(len(line) for line in lines) <= 75
    assert any(len(line) == 75 for line in lines)  # long lines are folded, not avoided
    uids = [str(e["UID"]) for e in events(data)]
    assert len(uids) == len(set(uids)) > 3
    stamps = [line for line in lines if line.startswith(b"DTSTAMP")]
    assert len(stamps) == len(uids) and all(re.fullmatch(rb"DTSTAMP:\d{8}T\d{6}Z", s) for s in stamps)
    for event in events(data):
        stamp = event.decoded("DTSTAMP")
        assert stamp.utcoffset() == dt.timedelta(0)
        assert event.decoded("DTEND") > event.decoded("DTSTART")


def test_same_repository_same_bytes_and_stamp_from_the_meeting_not_the_clock(example: Path) -> None:
    first = build(example, future=True)
    assert build(example, future=True) == first
    # Not in git: the stamp is the meeting's day at midnight UTC.
    event = by_uid(first)[uid("Bureau Inclusie en Diversiteit", "stuurgroep", dt.date(2024, 6, 17))]
    assert event.decoded("DTSTAMP") == dt.datetime(2024, 6, 17, tzinfo=dt.UTC)


def test_stamp_is_the_latest_commit_of_the_file(example: Path) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }

    def commit(message: str, when: str) -> None:
        stamped = {**env, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
        subprocess.run(["git", "-C", str(example), "add", "-A"], check=True, env=stamped)
        subprocess.run(["git", "-C", str(example), "commit", "-qm", message], check=True, env=stamped)

    subprocess.run(["git", "-C", str(example), "init", "-q"], check=True)
    commit("all", "2024-05-01T10:00:00+02:00")
    path = example / "stuurgroep" / "2024-06-17.md"
    path.write_text(path.read_text().replace("location: 2.C.4", "location: 3.A.1"))
    commit("moved room", "2024-06-10T09:30:00+02:00")
    found = by_uid(build(example))
    assert found[uid("Bureau Inclusie en Diversiteit", "stuurgroep", dt.date(2024, 6, 17))].decoded(
        "DTSTAMP"
    ) == dt.datetime(2024, 6, 10, 7, 30, tzinfo=dt.UTC)
    assert found[uid("Bureau Inclusie en Diversiteit", "voortgangsoverleg", dt.date(2024, 3, 6))].decoded(
        "DTSTAMP"
    ) == dt.datetime(2024, 5, 1, 8, 0, tzinfo=dt.UTC)


def _move(example: Path) -> None:
    old = example / "stuurgroep" / "2024-06-17.md"
    text = old.read_text().replace("date: 2024-06-17", "date: 2024-06-24\nmoved_from: 2024-06-17")
    (example / "stuurgroep" / "2024-06-24.md").write_text(text)
    old.unlink()


def test_moved_meeting_keeps_its_uid_and_raises_sequence(example: Path) -> None:
    before = by_uid(build(example, future=True))
    _move(example)
    after_data = build(example, future=True)
    after = by_uid(after_data)
    key = uid("Bureau Inclusie en Diversiteit", "stuurgroep", dt.date(2024, 6, 17))
    assert before[key]["SEQUENCE"] == 0
    assert after[key]["SEQUENCE"] == 1
    assert after[key].decoded("DTSTART").date() == dt.date(2024, 6, 24)
    assert "Verplaatst van 17 juni 2024." in str(after[key]["DESCRIPTION"])
    # Not twice: the old date is neither a second event nor a "future" one.
    starts = [e.decoded("DTSTART").date() for e in events(after_data)]
    assert dt.date(2024, 6, 17) not in starts
    assert len(after) == len(before)
    # The cadence keeps its phase: the next agenda is still 9 September (29 July is recess).
    repo, _ = load(example)
    series = repo.config.get_series("stuurgroep")
    assert series is not None
    assert choose_date(repo, series, None, dt.date(2024, 6, 1))[0] == dt.date(2024, 9, 9)


def test_cancelled_meeting_is_published_as_cancelled(example: Path) -> None:
    path = example / "stuurgroep" / "2024-06-17.md"
    path.write_text(path.read_text().replace("status: held", "status: cancelled"))
    event = by_uid(build(example))[uid("Bureau Inclusie en Diversiteit", "stuurgroep", dt.date(2024, 6, 17))]
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 1
    assert str(event["SUMMARY"]).startswith("Afgelast: ")


@pytest.mark.parametrize("series_key", ["stuurgroep", "voortgangsoverleg"])
@pytest.mark.parametrize("today", [dt.date(2024, 1, 1), dt.date(2024, 6, 1)])
def test_future_dates_are_the_cadence_of_a_year(series_key: str, today: dt.date) -> None:
    repo, _ = load(EXAMPLE)
    series = repo.config.get_series(series_key)
    assert series is not None
    anchor = min(m.date for m in repo.meetings if m.series == series_key)
    files = {m.date for m in repo.meetings if m.series == series_key}
    year = [today + dt.timedelta(days=n) for n in range(366)]
    expected = [d for d in year if on_cadence(series, d, anchor) and d not in files]
    data = build_calendar(repo, CalendarOptions(series=series_key, future=True), today)
    tentative = [e for e in events(data) if e["STATUS"] == "TENTATIVE"]
    assert [e.decoded("DTSTART").date() for e in tentative] == expected
    assert expected  # the year is not empty for either series
    assert dt.date(2024, 7, 29) not in [e.decoded("DTSTART").date() for e in events(data)]  # zomerreces
    for event in tentative:
        assert str(event["UID"]) == uid(repo.config.organisation, series_key, event.decoded("DTSTART").date())


def test_stuurgroep_future_dates_by_hand() -> None:
    data = build(EXAMPLE, dt.date(2024, 2, 1), series="stuurgroep", future=True)
    starts = [e.decoded("DTSTART").date().isoformat() for e in events(data)]
    # every six weeks from 12 February; 17 June has a file; 29 July is the summer recess.
    assert starts[:7] == [
        "2024-02-12",
        "2024-03-25",
        "2024-05-06",
        "2024-06-17",
        "2024-09-09",
        "2024-10-21",
        "2024-12-02",
    ]


def _with_staff_member(example: Path) -> None:
    config = example / "idmeet.yaml"
    config.write_text(
        config.read_text().replace(
            "    public_official: true         # the director: his name may be published (Woo)\n",
            "    public_official: true         # the director: his name may be published (Woo)\n"
            "  - name: Sanne de Vries\n    aliases: [Sanne]\n",
        )
    )
    path = example / "stuurgroep" / "2024-06-17.md"
    path.write_text(
        path.read_text()
        .replace('  - "5.1, 2, e"\nminute_taker', '  - "5.1, 2, e"\n  - Sanne de Vries\nminute_taker')
        .replace("## 3. Verandersessie 29 mei", "## 3. Verandersessie 29 mei met Sanne")
    )


def test_no_staff_names_without_attendees(example: Path) -> None:
    _with_staff_member(example)
    private = build(example).decode()
    assert "Sanne" not in private
    assert "Verandersessie 29 mei met 5.1\\, 2\\, e" in private.replace("\r\n ", "")
    assert "Uitgenodigd: Peter Teesink en 4 anderen" in private.replace("\r\n ", "")
    listed = build(example, attendees=True).decode().replace("\r\n ", "")
    assert "Sanne de Vries" in listed and "met Sanne" in listed


def test_site_url_links_each_meeting_page() -> None:
    found = events(build(EXAMPLE, site_url="https://intranet.example.nl/id/"))
    urls = sorted(str(e["URL"]) for e in found)
    assert urls[0] == "https://intranet.example.nl/id/vergadering/stuurgroep-2024-06-17.html"
    assert all(str(e["URL"]) in str(e["DESCRIPTION"]) for e in found)


# -- the time zone --------------------------------------------------------------------------


def test_vtimezone_is_the_one_we_ship() -> None:
    data = build(EXAMPLE).decode()
    start = data.index("BEGIN:VTIMEZONE")
    shipped = data[start : data.index("END:VTIMEZONE") + len("END:VTIMEZONE\r\n")]
    assert shipped == (
        "BEGIN:VTIMEZONE\r\nTZID:Europe/Amsterdam\r\n"
        "BEGIN:DAYLIGHT\r\nDTSTART:19810329T020000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\n"
        "TZNAME:CEST\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\n"
        "BEGIN:STANDARD\r\nDTSTART:19961027T030000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\n"
        "TZNAME:CET\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
    )


def _last_sunday(year: int, month: int) -> dt.date:
    last = month_calendar.monthrange(year, month)[1]
    day = dt.date(year, month, last)
    return day - dt.timedelta(days=(day.weekday() - 6) % 7)


def _offset(text: str) -> dt.timedelta:
    sign = -1 if text[0] == "-" else 1
    return sign * dt.timedelta(hours=int(text[1:3]), minutes=int(text[3:5]))


@pytest.mark.parametrize("kind", ["DAYLIGHT", "STANDARD"])
def test_vtimezone_onsets_are_local_time_before_the_change_rfc5545(kind: str) -> None:
    """RFC 5545 3.6.5: a sub-component's DTSTART is local time in its TZOFFSETFROM. So the
    onset instant is DTSTART - TZOFFSETFROM; there the offset must change from TZOFFSETFROM to
    TZOFFSETTO, by the operating system's tz database (spring: 02:00 +0100 = 01:00 UTC)."""
    zone = icalendar.Calendar.from_ical(VTIMEZONE_AMSTERDAM.join(["BEGIN:VCALENDAR\r\n", "END:VCALENDAR\r\n"]))
    part = next(iter(zone.walk(kind)))
    month = 3 if kind == "DAYLIGHT" else 10
    assert part["RRULE"].to_ical() in (b"FREQ=YEARLY;BYDAY=-1SU;BYMONTH=%d" % month,)
    local: dt.datetime = part.decoded("DTSTART")
    before, after = part.decoded("TZOFFSETFROM"), part.decoded("TZOFFSETTO")
    assert (before, after) == (
        (_offset("+0100"), _offset("+0200")) if kind == "DAYLIGHT" else (_offset("+0200"), _offset("+0100"))
    )
    for year in range(2024, 2036):
        onset = dt.datetime.combine(_last_sunday(year, month), local.time()) - before
        onset_utc = onset.replace(tzinfo=dt.UTC)
        assert onset_utc.astimezone(AMSTERDAM).utcoffset() == after, year
        assert (onset_utc - dt.timedelta(seconds=1)).astimezone(AMSTERDAM).utcoffset() == before, year
    assert local.hour == (2 if kind == "DAYLIGHT" else 3)


def test_icalendars_generated_spring_onset_is_what_we_avoid() -> None:
    """icalendar's own VTIMEZONE puts the spring change at 03:00 with TZOFFSETFROM +0100, an
    hour late by RFC 5545; if a version fixes that, this test says so (and ours may go)."""
    cal = icalendar.Calendar()
    event = icalendar.Event()
    event.add("dtstart", dt.datetime(2024, 6, 17, 16, tzinfo=AMSTERDAM))
    cal.add_component(event)
    cal.add_missing_timezones()
    daylight = next(iter(cal.walk("DAYLIGHT")))
    assert daylight.decoded("DTSTART").hour == 3


# -- the command ----------------------------------------------------------------------------


def test_cli_writes_the_file_and_prints_the_same(runner: CliRunner, example: Path) -> None:
    target = example.parent / "agenda.ics"
    result = runner.invoke(app, ["--repo", str(example), "calendar", "--future", "-O", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == build(example, dt.date.today(), future=True)
    printed = runner.invoke(app, ["--repo", str(example), "calendar", "--series", "stuurgroep"])
    assert printed.exit_code == 0
    assert printed.stdout_bytes == build(example, series="stuurgroep")


def test_cli_unknown_series_is_one_line(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--repo", str(EXAMPLE), "calendar", "--series", "stuurgroup"])
    assert_one_line_error(result, "unknown series 'stuurgroup'")
