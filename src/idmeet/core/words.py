"""The words idmeet writes where people read them, in one place: change a word here and every
document, page, log line and file name that uses it follows.

Each table is per language ("nl", the default, and "en") and frozen. The documents' labels
(``LABELS``) reach every template as ``t`` (``ops.render``); the site's pages are Dutch and
get the Dutch words whatever the repository's language. Month and weekday names are not
here: they come from CLDR through babel (``core.dates.day_and_month_names``,
``ops.render.format_date``), so every date in words is spelled one way.

Words the *reader* of a file accepts (category and status aliases, header labels of an
imported agenda) stay with their parsers: they are a vocabulary, not what idmeet writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Final, TypeVar

if TYPE_CHECKING:
    from idmeet.core.model import ActionStatus, MeetingStatus

LANGUAGES: Final = ("nl", "en")  # what ``language:`` in idmeet.yaml may say; every table has each
DEFAULT_LANGUAGE: Final = "nl"
ATTACHMENT: Final = "Bijlage"  # "Bijlage 2a: ...", in documents, packs and publications
CONFIDENTIAL: Final = "vertrouwelijk"  # "Bijlage 2: title (vertrouwelijk)", as the files mark it

K = TypeVar("K", bound=str)
V = TypeVar("V")


def _frozen(table: dict[str, dict[K, V]]) -> Mapping[str, Mapping[K, V]]:
    return MappingProxyType({language: MappingProxyType(words) for language, words in table.items()})


def pick(table: Mapping[str, V], language: str) -> V:
    """A table's words in ``language`` (Dutch when the table does not have it)."""
    return table.get(language, table[DEFAULT_LANGUAGE])


_ACTION_STATUS: dict[str, dict[ActionStatus, str]] = {
    "nl": {"open": "open", "waiting": "wacht", "done": "afgerond", "dropped": "vervallen"},
    "en": {"open": "open", "waiting": "waiting", "done": "done", "dropped": "dropped"},
}
# How a status is shown to people: "wacht", "afgerond".
ACTION_STATUS = _frozen(_ACTION_STATUS)

_MEETING_STATUS: dict[str, dict[MeetingStatus, str]] = {
    "nl": {"planned": "gepland", "held": "gehouden", "approved": "verslag vastgesteld", "cancelled": "afgelast"},
    "en": {"planned": "planned", "held": "held", "approved": "minutes approved", "cancelled": "cancelled"},
}
MEETING_STATUS = _frozen(_MEETING_STATUS)

# The heading of an agenda's section of a category (the category as the file gives it).
CATEGORY_HEADINGS = _frozen(
    {
        "nl": {
            "mededeling": "Mededelingen",
            "ter bespreking": "Ter bespreking",
            "ter besluitvorming": "Ter besluitvorming",
            "ter kennisname": "Ter kennisname",
        },
        "en": {
            "mededeling": "Announcements",
            "ter bespreking": "For discussion",
            "ter besluitvorming": "For decision",
            "ter kennisname": "For information",
        },
    }
)

# The lines the commands write into an action's log. ``core.history`` reads the status words
# back (both languages), so a log written in either language can be looked back on.
LOG = _frozen(
    {
        "nl": {
            "done": _ACTION_STATUS["nl"]["done"],
            "dropped": _ACTION_STATUS["nl"]["dropped"],
            "waiting": _ACTION_STATUS["nl"]["waiting"],
            "open": "heropend",
            "reassigned": "overgedragen aan {new} (was {old})",
            "due": "deadline {new} (was {old})",
            "no due": "geen deadline",
            "ticked": "afgevinkt in het verslag van {meeting}",
            "text changed": "tekst aangepast in het verslag van {meeting}: {new}",
        },
        "en": {
            "done": _ACTION_STATUS["en"]["done"],
            "dropped": _ACTION_STATUS["en"]["dropped"],
            "waiting": _ACTION_STATUS["en"]["waiting"],
            "open": "reopened",
            "reassigned": "reassigned to {new} (was {old})",
            "due": "due date {new} (was {old})",
            "no due": "no due date",
            "ticked": "ticked in the minutes of {meeting}",
            "text changed": "text changed in the minutes of {meeting}: {new}",
        },
    }
)

# The headings ``idmeet minutes`` adds under an agenda item: minutes, decisions, actions.
MINUTES_PARTS: Mapping[str, tuple[str, str, str]] = MappingProxyType(
    {"nl": ("Verslag", "Besluiten", "Acties"), "en": ("Minutes", "Decisions", "Actions")}
)

# What an exported document's title starts with ("Agenda Stuurgroep ... 17 juni 2024").
DOCUMENT_TITLES = _frozen(
    {
        "nl": {
            "agenda": "Agenda",
            "minutes": "Verslag",
            "actions": "Acties en afspraken",
            "open-items": "Openstaande acties",
        },
        "en": {
            "agenda": "Agenda",
            "minutes": "Minutes",
            "actions": "Actions and agreements",
            "open-items": "Open actions",
        },
    }
)
# A printed page's footer: "Pagina 2 van 5".
PAGE: Mapping[str, tuple[str, str]] = MappingProxyType({"nl": ("Pagina", "van"), "en": ("Page", "of")})

# The words of documents and generated files (``t`` in every template).
LABELS = _frozen(
    {
        "nl": {
            "open_items": DOCUMENT_TITLES["nl"]["open-items"],
            "as_of": "Stand per",
            "open": _ACTION_STATUS["nl"]["open"],
            "overdue": "te laat",
            "closed_30": "afgerond of vervallen in de laatste 30 dagen",
            "days_open": "dagen open",
            "day_open": "dag open",
            "due": "deadline",
            "from_meeting": "uit",
            "latest": "laatste",
            "no_actions": "Geen openstaande acties.",
            "actions_title": "Acties & afspraken overleg",
            "to": "Aan",
            "sender": "Van",
            "meeting": "Vergadering",
            "no_meeting_actions": "Geen acties of afspraken vastgelegd.",
            "owner": "Eigenaar",
            "action": "Actie",
            "id": "Id",
            "waiting": _ACTION_STATUS["nl"]["waiting"],
            "done": _ACTION_STATUS["nl"]["done"],
            "questions": "Vragen",
            "invited": "Uitgenodigd",
            "present": "Aanwezig",
            "date_time": "Datum en tijd",
            "date": "Datum",
            "hours": "uur",
            "location": "Locatie",
            "agenda": "Agenda",
            "minutes_by": "verslag",
            "attachment": ATTACHMENT,
            "confidential": CONFIDENTIAL,
            "minutes": MINUTES_PARTS["nl"][0],
            "decisions": MINUTES_PARTS["nl"][1],
            "actions": MINUTES_PARTS["nl"][2],
            "decision": "Besluit",
            "category_key": "Categorie",
            "action_list": "Actielijst",
            "latest_state": "laatste stand",
            "of": "van",
            "col_action": "Actie",
            "col_days_open": "Dagen open",
            "col_due": "Deadline",
            "col_from": "Uit overleg",
            "col_latest": "Laatste stand",
            "action_owner": "Actiehouder",
            "from_meeting_of": "Uit het overleg van {date}.",
            "due_on": "Deadline {date}",
            "on_hold": "Staat in de wacht.",
            "latest_state_on": "Laatste stand ({date}): {text}",
            "open_actions_of": "openstaande acties {date}",
            "carried": "Aangehouden uit het overleg van {date}.",
            "proposed_by": "Voorgesteld door {name}.",
        },
        "en": {
            "open_items": DOCUMENT_TITLES["en"]["open-items"],
            "as_of": "As of",
            "open": _ACTION_STATUS["en"]["open"],
            "overdue": "overdue",
            "closed_30": "done or dropped in the last 30 days",
            "days_open": "days open",
            "day_open": "day open",
            "due": "due",
            "from_meeting": "from",
            "latest": "latest",
            "no_actions": "No open actions.",
            "actions_title": "Actions & agreements of the meeting of",
            "to": "To",
            "sender": "From",
            "meeting": "Meeting",
            "no_meeting_actions": "No actions or agreements recorded.",
            "owner": "Owner",
            "action": "Action",
            "id": "Id",
            "waiting": _ACTION_STATUS["en"]["waiting"],
            "done": _ACTION_STATUS["en"]["done"],
            "questions": "Questions",
            "invited": "Invited",
            "present": "Present",
            "date_time": "Date and time",
            "date": "Date",
            "hours": "",
            "location": "Location",
            "agenda": "Agenda",
            "minutes_by": "minutes",
            "attachment": "Attachment",
            "confidential": "confidential",
            "minutes": MINUTES_PARTS["en"][0],
            "decisions": MINUTES_PARTS["en"][1],
            "actions": MINUTES_PARTS["en"][2],
            "decision": "Decision",
            "category_key": "Category",
            "action_list": "Action list",
            "latest_state": "latest",
            "of": "of",
            "col_action": "Action",
            "col_days_open": "Days open",
            "col_due": "Due",
            "col_from": "From meeting",
            "col_latest": "Latest",
            "action_owner": "Owner",
            "from_meeting_of": "From the meeting of {date}.",
            "due_on": "Due {date}",
            "on_hold": "On hold.",
            "latest_state_on": "Latest ({date}): {text}",
            "open_actions_of": "open actions {date}",
            "carried": "Carried over from the meeting of {date}.",
            "proposed_by": "Proposed by {name}.",
        },
    }
)


def labels(language: str) -> Mapping[str, str]:
    """The words of documents and generated files in ``language`` (Dutch when unknown)."""
    return pick(LABELS, language)
