"""The repository as a static website (``idmeet site``): plain HTML and CSS, relative links.

``build_site`` returns every file of the site as bytes (path -> content), so it can be
tested without a disk and written in one go. Pages are Jinja templates under
``templates/site/`` (a repository may override them in its own ``templates/site/``); the
agenda and minutes of a meeting are idmeet's own documents (``reports.agenda_document``,
``reports.minutes_document`` and their templates), turned into HTML. Same repository and same
day, same files: "today" decides only what is next and what is overdue.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from idmeet.core import words
from idmeet.core.diagnostics import IdmeetError
from idmeet.core.model import Action, Attachment, Meeting, Repository
from idmeet.core.names import is_redacted
from idmeet.core.rules import OPEN_STATUSES
from idmeet.ops.actions import is_overdue
from idmeet.ops.calendar import CalendarOptions, build_calendar, future_dates, page_path
from idmeet.ops.meetings import meeting_title
from idmeet.store.cache import summarize
from idmeet.store.summary import order_key

MARKER = ".idmeet-site"  # in the output folder: idmeet may replace this folder
SITE_LANGUAGE = "nl"  # the pages are Dutch, their words too, whatever the repository's language
STATUS_WORDS = words.ACTION_STATUS[SITE_LANGUAGE]
OPEN = OPEN_STATUSES
MEETING_WORDS = words.MEETING_STATUS[SITE_LANGUAGE]
SITE_WORDS = words.labels(SITE_LANGUAGE)
STATIC = ("style.css", "filter.js")
CALENDAR_FILE = "vergaderingen.ics"
LATEST_DECISIONS = 5


@dataclass(frozen=True)
class SiteOptions:
    """What ``idmeet site`` was asked for."""

    public: bool = False


def slug(text: str) -> str:
    """A file-name part from a name: "Peter Teesink" -> "peter-teesink"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "x"


def meeting_url(meeting: Meeting) -> str:
    return page_path(meeting.series, meeting.date)


def action_url(action: Action) -> str:
    return f"actie/{action.id}.html"


def owner_url(name: str) -> str:
    return f"acties/eigenaar-{slug(name)}.html"


class _Site:
    """The pieces every page needs, computed once."""

    def __init__(self, repo: Repository, today: dt.date, public: bool = False) -> None:
        self.repo, self.today, self.public = repo, today, public
        self.language = repo.config.language
        self.by_key = {m.key: m for m in repo.meetings}
        self.meetings = sorted(repo.meetings, key=lambda m: (m.date, m.series), reverse=True)
        self.files: dict[str, bytes] = {}
        self.by_due: dict[str, tuple[Any, ...]] = {}  # action id -> its "by due date" sort key

    # -- data ---------------------------------------------------------------------------------

    def series_title(self, key: str | None) -> str:
        series = self.repo.config.get_series(key) if key else None
        return series.title if series else (key or "")

    def meeting_entry(self, meeting: Meeting) -> dict[str, Any]:
        series = self.repo.config.get_series(meeting.series)
        return {
            "key": meeting.key,
            "title": meeting_title(self.repo, meeting),
            "series_title": self.series_title(meeting.series),
            "date": meeting.date,
            "start": meeting.start or (series.start if series else None),
            "end": meeting.end or (series.end if series else None),
            "location": meeting.location or (series.location if series else None),
            "status": meeting.status,
            "status_word": MEETING_WORDS.get(meeting.status, meeting.status),
            "moved_from": meeting.moved_from,
            "url": meeting_url(meeting),
            "agenda_items": [{"number": i.number, "title": i.title} for i in meeting.items],
        }

    def action_entry(self, action: Action) -> dict[str, Any]:
        owners = [self.repo.display_name(o) for o in action.owners]
        origin = self.by_key.get(action.meeting or "")
        latest = action.latest(self.today)
        status = action.status_on(self.today) or action.status
        return {
            "id": action.id,
            "title": action.title,
            "url": action_url(action),
            "owners": [{"name": n, "url": owner_url(n), "slug": slug(n)} for n in owners],
            "series": action.series or (origin.series if origin else None),
            "series_title": self.series_title(action.series or (origin.series if origin else None)),
            "status": status,
            "status_word": STATUS_WORDS.get(status, status),
            "open": status in OPEN,
            "overdue": is_overdue(action, self.today),
            "due": action.due,
            "opened": action.opened,
            "closed": action.closed_on,
            "meeting": self.meeting_entry(origin) if origin else None,
            "item": action.item,
            "latest": {"date": latest.date, "text": latest.text} if latest else None,
            "log": [{"date": e.date, "text": e.text} for e in sorted(action.log, key=lambda e: e.date, reverse=True)],
            "description": action.description,
            "description_html": _markdown(action.description) if action.description else "",
        }

    def sorted_actions(self, actions: list[Action]) -> list[dict[str, Any]]:
        """Open before closed; overdue first; then as ``actions --sort due`` (due date, opened,
        id: ``summary.order_key``, the one "by due date" key)."""
        names = self.repo.full_names
        self.by_due = {a.id: order_key(summarize(a), "due", names) for a in actions}
        entries = [self.action_entry(a) for a in actions]
        return sorted(entries, key=lambda e: (not e["open"], not e["overdue"], self.by_due[e["id"]]))

    def decisions(self) -> list[dict[str, Any]]:
        """Every decision of the minutes, newest meeting first, in agenda order within one."""
        return [
            {"text": d.text, "item": f"{item.number}. {item.title}", "meeting": self.meeting_entry(m)}
            for m in self.meetings
            for item in m.items
            for d in item.decisions
        ]

    def next_meetings(self) -> list[dict[str, Any]]:
        """Per series: its first meeting from today on that is not cancelled, else the cadence's
        next date (no agenda yet), else nothing planned."""
        found = []
        for series in self.repo.config.series:
            coming = [
                m
                for m in self.repo.meetings
                if m.series == series.key and m.date >= self.today and m.status != "cancelled"
            ]
            if coming:
                meeting = min(coming, key=lambda m: m.date)
                found.append(
                    {"series_title": series.title, "meeting": self.meeting_entry(meeting), "date": meeting.date}
                )
                continue
            dates = future_dates(self.repo, series, self.today)
            found.append({"series_title": series.title, "meeting": None, "date": dates[0] if dates else None})
        return found

    # -- output -------------------------------------------------------------------------------

    def page(self, path: str, template: str, **context: Any) -> None:
        from idmeet.ops.render import render

        depth = path.count("/")
        full = {
            "root": "../" * depth,
            "organisation": self.repo.config.organisation,
            "today": self.today,
            "language": self.language,
            "calendar_file": CALENDAR_FILE,
            "statuses": STATUS_WORDS,
            "t": SITE_WORDS,
            "public": self.public,
            **context,
        }
        self.files[path] = render(f"site/{template}", full, self.repo.root, self.language).encode("utf-8")

    def document_html(
        self, meeting: Meeting, build: Callable[[Repository, Meeting], dict[str, Any]], names: list[str]
    ) -> str:
        """One of idmeet's documents about ``meeting`` (agenda, minutes) as HTML, its headings one
        level down so the page's own title stays the only <h1>."""
        from idmeet.ops.render import markdown_to_html, pick, render

        context = {"language": self.language, **build(self.repo, meeting)}
        name = pick([n.format(series=meeting.series) for n in names], self.repo.root)
        html = markdown_to_html(render(name, context, self.repo.root, self.language))
        return re.sub(r"<(/?)h([1-5])\b", lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", html)


def _markdown(text: str) -> str:
    from idmeet.ops.render import markdown_to_html

    return markdown_to_html(text)


def _attachment_files(repo: Repository, meeting: Meeting) -> dict[str, Path]:
    """The attachment files a meeting links (``Bijlage 1: [title](bijlagen/2024-06-17/x.pdf)``,
    relative to the meeting file) that exist, by label."""
    folder = (repo.root / meeting.series).resolve()
    found: dict[str, Path] = {}
    for attachment in (a for item in meeting.items for a in item.attachments):
        if attachment.link and "://" not in attachment.link:
            path = (folder / attachment.link).resolve()
            if path.is_file() and repo.root.resolve() in path.parents:
                found[attachment.label] = path
    return found


def _attachments(site: _Site, meeting: Meeting) -> list[dict[str, Any]]:
    files = _attachment_files(site.repo, meeting)
    entries = []
    for item in meeting.items:
        for attachment in item.attachments:
            entries.append(_attachment_entry(site, meeting, attachment, files.get(attachment.label), item.title))
    return entries


def _attachment_entry(
    site: _Site, meeting: Meeting, attachment: Attachment, path: Path | None, item: str
) -> dict[str, Any]:
    url = None
    # A confidential file never goes on a web folder; on the public site no file at all: its
    # content is not redacted (``idmeet publish`` decides per attachment).
    if path is not None and not attachment.confidential and not site.public:
        url = f"bijlagen/{meeting.series}-{meeting.date.isoformat()}/{path.name}"
        site.files[url] = path.read_bytes()
    return {
        "label": attachment.label,
        "title": attachment.title,
        "confidential": attachment.confidential,
        "url": url,
        "item": item,
    }


def build_site(repo: Repository, today: dt.date, options: SiteOptions = SiteOptions()) -> dict[str, bytes]:
    """Every file of the site: path (relative, "/"-separated) -> bytes."""
    from idmeet.ops.render import package_templates
    from idmeet.ops.reports import agenda_document, minutes_document, open_items

    original = repo
    if options.public:
        from idmeet.ops.publish.names import AllowList
        from idmeet.ops.publish.redact import redact_repository

        repo = redact_repository(repo, AllowList.read(repo.root).emails)[0]
    site = _Site(repo, today, options.public)
    actions = site.sorted_actions(list(repo.actions))
    by_id = {e["id"]: e for e in actions}
    open_actions = [e for e in actions if e["open"]]
    decisions = site.decisions()

    # Home: what is next, who has what open (overdue first), what was decided lately.
    report = open_items(repo, list(repo.actions), today)
    owners = []
    for group in report["owners"]:
        entries = [by_id[a["id"]] for a in group["actions"]]
        entries.sort(key=lambda e: (not e["overdue"], site.by_due[e["id"]]))
        owners.append({"name": group["owner"], "url": owner_url(group["owner"]), "actions": entries})
    site.page(
        "index.html",
        "home.html.j2",
        nav="home",
        next_meetings=site.next_meetings(),
        owners=owners,
        summary=report["summary"],
        decisions=decisions[:LATEST_DECISIONS],
        more_decisions=len(decisions) > LATEST_DECISIONS,
    )

    # Meetings: the list and a page each.
    series_groups = [
        {"title": s.title, "meetings": [site.meeting_entry(m) for m in site.meetings if m.series == s.key]}
        for s in repo.config.series
    ]
    site.page("vergaderingen.html", "meetings.html.j2", nav="meetings", groups=series_groups)
    for meeting in site.meetings:
        has_minutes = any(i.notes or i.decisions or i.actions for i in meeting.items)
        site.page(
            meeting_url(meeting),
            "meeting.html.j2",
            nav="meetings",
            meeting=site.meeting_entry(meeting),
            agenda_html=site.document_html(
                meeting, agenda_document, ["agenda-document-{series}.md.j2", "agenda-document.md.j2"]
            ),
            minutes_html=site.document_html(meeting, minutes_document, ["minutes.md.j2"]) if has_minutes else None,
            decisions=[d for d in decisions if d["meeting"]["key"] == meeting.key],
            actions=[e for e in actions if e["meeting"] and e["meeting"]["key"] == meeting.key],
            attachments=_attachments(site, meeting),
        )

    # Actions: the list with its filters, a page per filter value (no script needed), a page each.
    owner_names = sorted(
        {o["name"] for e in actions for o in e["owners"]}, key=lambda n: (is_redacted(n), n.casefold())
    )
    series_keys = [s.key for s in repo.config.series]
    filters = {
        "owners": [{"name": n, "slug": slug(n), "url": owner_url(n)} for n in owner_names],
        "series": [{"key": k, "title": site.series_title(k), "url": f"acties/reeks-{k}.html"} for k in series_keys],
        "statuses": [{"key": k, "word": w, "url": f"acties/status-{k}.html"} for k, w in STATUS_WORDS.items()],
    }
    lists: list[tuple[str, str, list[dict[str, Any]], str]] = [
        ("acties.html", "Alle acties", actions, "all"),
        ("acties/te-laat.html", "Acties over de deadline", [e for e in open_actions if e["overdue"]], "overdue"),
    ]
    lists += [
        (
            o["url"],
            f"{SITE_WORDS['open_items']} {SITE_WORDS['of']} {o['name']}",
            [e for e in open_actions if o["name"] in [x["name"] for x in e["owners"]]],
            "owner",
        )
        for o in filters["owners"]
    ]
    lists += [
        (
            s["url"],
            f"{SITE_WORDS['open_items']}: {s['title']}",
            [e for e in open_actions if e["series"] == s["key"]],
            "series",
        )
        for s in filters["series"]
    ]
    lists += [
        (s["url"], f"Acties met status {s['word']}", [e for e in actions if e["status"] == s["key"]], "status")
        for s in filters["statuses"]
    ]
    for path, heading, entries, kind in lists:
        site.page(
            path,
            "actions.html.j2",
            nav="actions",
            heading=heading,
            actions=entries,
            filters=filters,
            kind=kind,
            script=path == "acties.html",
        )
    for entry in actions:
        site.page(entry["url"], "action.html.j2", nav="actions", action=entry)

    # Decisions, the calendar, the style and the script.
    site.page("besluiten.html", "decisions.html.j2", nav="decisions", decisions=decisions)
    site.files[CALENDAR_FILE] = build_calendar(repo, CalendarOptions(future=True), today)
    static = repo.root / "templates" / "site"
    for name in STATIC:
        source = static / name if (static / name).is_file() else package_templates() / "site" / name
        site.files[name] = source.read_bytes()
    site.files[MARKER] = b"Built by idmeet site; 'idmeet site' replaces this folder.\n"
    if options.public:
        leaks = public_leaks(original, site.files)
        if leaks:
            raise IdmeetError(
                f"public site: {leaks[0]} after redaction; nothing was written (run 'idmeet publish' to review)"
            )
    return dict(sorted(site.files.items()))


def public_leaks(repo: Repository, files: dict[str, bytes]) -> list[str]:
    """Read the built files back as ``idmeet publish --verify`` does: every non-public name (or
    e-mail address not allowed) of the *unredacted* repository found in a file or file name."""
    from idmeet.ops.publish.names import AllowList
    from idmeet.ops.publish.redact import non_public_names
    from idmeet.ops.publish.verify import html_texts, search

    names = non_public_names(repo.config)
    public = [n for p in repo.config.people if p.public_official for n in (p.name, *p.aliases)]
    emails = AllowList.read(repo.root).emails
    found = []
    for path, data in files.items():
        raw = data.decode("utf-8", "replace")
        if path.endswith(".ics"):  # an event's UID has the form of an e-mail address; it names no one
            raw = "\n".join(line for line in raw.splitlines() if not line.startswith("UID:"))
        texts = html_texts(raw) if path.endswith(".html") else iter([("text", raw)])
        for text in (path, *(t for _, t in texts)):
            found += [f'{path}: non-public name "{n}"' for n in search(text, names, public, emails)]
    return sorted(set(found))
