"""The broken-input corpus: one table row per broken input, run through the real CLI.

Each row (``Row``) is

    Row(id, files, command, exit, first_line, changes=())

- ``files``: what differs from ``tests/broken/base/`` (the small valid repository that
  ``test_broken.py`` also builds on): ``{path: value}`` where value is ``str``/``bytes``
  (the whole new file), ``Edit(old, new)`` (replace text in the base file, once, must be
  there), ``DELETE``, ``DIR`` (an empty folder) or ``Link(target)`` (a symbolic link).
- ``command``: the arguments after ``idmeet --repo .`` (split like a shell, ``shlex``).
- ``exit``: the expected exit code.
- ``first_line``: the expected first line of stderr, exactly; paths are relative to the
  repository root (the command runs there), ``{repo}`` stands for its absolute path.
  ``""`` means stderr must be empty.
- ``changes``: the files the command may change; every other file must keep its bytes
  (the git-ignored ``.idmeet-cache`` is not content). Broken input never half-writes.

Every row also asserts: no traceback, no "internal error", and the exit code is never 70.
``test_broken.py`` holds the ``check`` goldens (every line); this table adds other commands,
other files and the first line only. To add a case, add a row to ``ROWS`` (or to the list of
the section it belongs to); ids must be unique. `python3 -m tests.test_corpus ID...` prints
what the command does now (exit code, first stderr line, changed files) to help write a row.
"""

from __future__ import annotations

import os
import shlex
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.test_broken import BASE, assert_no_crash, make_runner


@dataclass(frozen=True)
class Edit:
    """Replace ``old`` by ``new`` in the base file (``old`` must occur)."""

    old: str
    new: str


@dataclass(frozen=True)
class Link:
    """A symbolic link to ``target`` (relative to the link's folder, as ``ln -s`` takes it)."""

    target: str


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


DELETE = _Marker("DELETE")
DIR = _Marker("DIR")

Value = str | bytes | Edit | Link | _Marker


@dataclass(frozen=True)
class Row:
    """One broken input, the command run on it, and what must come out."""

    id: str
    files: dict[str, Value]
    command: str
    exit: int
    first_line: str
    changes: tuple[str, ...] = field(default=())


A1 = "actions/k3f9x2ab.md"  # open, owner Peter, meeting voortgangsoverleg/2024-02-05
A2 = "actions/m7pq4rst.md"  # waiting, owners Sanne and a redaction
M1 = "voortgangsoverleg/2024-02-05.md"  # held
M2 = "stuurgroep/2024-06-17.md"  # planned
CFG = "idmeet.yaml"


def base(rel: str) -> str:
    """The text of a file of the base repository."""
    return (BASE / rel).read_text(encoding="utf-8")


ACTION_OK = """---
id: {id}
title: Nieuwe actie
owner: Peter
status: open
opened: 2024-02-05
---
"""

# The tables are data: one row per line, whatever its length (E501 is off for this file).
# fmt: off

# -- idmeet.yaml -----------------------------------------------------------------------------

CONFIG_ROWS = [
    Row("cfg-missing", {CFG: DELETE}, "check", 1, "idmeet: .: not an idmeet repository (no idmeet.yaml there; given by --repo); create one with 'idmeet init .'"),
    Row("cfg-empty", {CFG: ""}, "check", 1, "idmeet.yaml:1: empty file"),
    Row("cfg-list", {CFG: "- a\n- b\n"}, "check", 1, "idmeet.yaml:1: idmeet.yaml must be a mapping of 'key: value' lines, not a list"),
    Row("cfg-tab-indent", {CFG: Edit("  - name: Sanne", "\t- name: Sanne")}, "check", 1, "idmeet.yaml:9: invalid YAML: while scanning a plain scalar, found a tab character that violates indentation"),
    Row("cfg-not-utf8", {CFG: base(CFG).replace("Sanne de Vries\n", "Sanne de Vri\xebs\n").encode("latin-1")}, "check", 1, "idmeet.yaml:9: not UTF-8 text (byte 0xeb): save the file as UTF-8"),
    Row("cfg-people-mapping", {CFG: Edit("people:\n", "people: {}\nx:\n")}, "check", 1, "idmeet.yaml:4: 'people' must be a list of persons"),
    Row("cfg-person-no-name", {CFG: Edit("  - name: Sanne de Vries", "  - nam: Sanne de Vries")}, "check", 1, "idmeet.yaml:9: missing required key 'name'"),
    Row("cfg-person-duplicate", {CFG: Edit("  - name: Sanne de Vries", "  - name: Peter Teesink")}, "check", 1, "idmeet.yaml:9: person 'Peter Teesink' is listed twice"),
    Row("cfg-alias-clash", {CFG: Edit("aliases: [Sanne]", "aliases: [Peter]")}, "check", 1, "idmeet.yaml:9: name 'Peter' is used for both 'Peter Teesink' and 'Sanne de Vries'"),
    Row("cfg-series-no-title", {CFG: Edit("    title: Stuurgroep Inclusie en Diversiteit\n", "")}, "check", 1, "idmeet.yaml:15: missing required key 'title'"),
    Row("cfg-chair-unknown", {CFG: Edit("chair: Peter Teesink", "chair: Piet")}, "check", 1, "idmeet.yaml:16: unknown chair 'Piet' (did you mean 'Peter'?)"),
    Row("cfg-cadence-weekday", {CFG: Edit("weekday: monday", "weekday: funday")}, "check", 1, "idmeet.yaml:24: 'weekday' must be a weekday such as monday, not 'funday'"),
    Row("cfg-cadence-every-zero", {CFG: Edit("every: 6", "every: 0")}, "check", 1, "idmeet.yaml:23: 'every' must be a whole number of at least 1, not '0'"),
    Row("cfg-cadence-bad-date", {CFG: Edit("2024-03-06]", "2024-13-06]")}, "check", 1, "idmeet.yaml:32: 'dates' has an invalid date: '2024-13-06' (no such day)"),
    Row("cfg-start-after-end", {CFG: Edit("start: 16:00", "start: 18:00")}, "check", 1, "idmeet.yaml:21: 'end' (17:00) is not after 'start' (18:00)"),
    Row("cfg-bad-language", {CFG: Edit("language: nl", "language: xx")}, "check", 1, "idmeet.yaml:2: 'language' must be one of nl, en, not 'xx'"),
    Row("cfg-series-name-bad", {CFG: Edit("  stuurgroep:\n", "  Stuur Groep:\n")}, "check", 1, "idmeet.yaml:14: series key 'Stuur Groep' must be lower-case letters, digits and '-'"),
    Row("cfg-unknown-top-key", {CFG: Edit("language: nl", "language: nl\nlangauge: nl")}, "check", 0, "idmeet.yaml:3: warning: unknown key 'langauge' (kept, but idmeet ignores it)"),
    Row("cfg-series-list", {CFG: Edit("series:\n", "series: []\nx:\n")}, "check", 1, "idmeet.yaml:13: 'series' must be a mapping of 'key: value' lines, not a list"),
    Row("cfg-person-name-int", {CFG: Edit("  - name: Sanne de Vries", "  - name: 12")}, "check", 1, "idmeet.yaml:18: unknown invitee 'Sanne de Vries'"),
    Row("cfg-public-official-text", {CFG: Edit("public_official: true", "public_official: misschien")}, "check", 1, "idmeet.yaml:8: 'public_official' must be true or false, not 'misschien'"),
    Row("cfg-invitee-unknown", {CFG: Edit("invitees: [Peter, Sanne]", "invitees: [Peter, Sanne, Piet]")}, "check", 1, "idmeet.yaml:28: unknown invitee 'Piet' (did you mean 'Peter'?)"),
    Row("cfg-start-bad-time", {CFG: Edit('start: "10:30"', 'start: "10.30u"')}, "check", 1, "idmeet.yaml:29: 'start' is not a valid time: '10.30u' (write HH:MM, e.g. 16:00)"),
    Row("cfg-cadence-both", {CFG: Edit("      every: 6", "      every: 6\n      dates: [2024-01-01]")}, "check", 1, "idmeet.yaml:23: 'cadence' needs exactly one of 'every' (with 'weekday'), 'monthly' or 'dates'"),
    Row("cfg-duplicate-series", {CFG: Edit("  voortgangsoverleg:\n", "  stuurgroep:\n    title: x\n  voortgangsoverleg:\n")}, "check", 1, "idmeet.yaml:25: duplicate key 'stuurgroep' (first on line 14)"),
    Row("cfg-bom-broken", {CFG: "\ufeff" + base(CFG).replace("people:", "people: [")}, "check", 1, "idmeet.yaml:5: invalid YAML: while parsing a flow node, did not find expected node content"),
    Row("cfg-is-folder", {CFG: DELETE, CFG + "/x": "a"}, "check", 1, "idmeet: .: not an idmeet repository (no idmeet.yaml there; given by --repo); create one with 'idmeet init .'"),
    Row("cfg-broken-meetings", {CFG: "people: [\n"}, "meetings", 0, "idmeet: warning: 1 problem(s) in the repository, starting with idmeet.yaml:2: invalid YAML: while parsing a flow node, did not find expected node content (run 'idmeet check')"),
    Row("cfg-broken-actions", {CFG: "people: [\n"}, "actions", 0, "idmeet: warning: 1 problem(s) in the repository, starting with idmeet.yaml:2: invalid YAML: while parsing a flow node, did not find expected node content (run 'idmeet check')"),
    Row("cfg-broken-new-agenda", {CFG: "people: [\n"}, "new-agenda stuurgroep", 1, "idmeet: idmeet.yaml:2: invalid YAML: while parsing a flow node, did not find expected node content; fix idmeet.yaml first (run 'idmeet check'); nothing was written"),
    Row("cfg-broken-action-add", {CFG: "people: [\n"}, "action add Iets --owner Peter", 1, "idmeet: idmeet.yaml:2: invalid YAML: while parsing a flow node, did not find expected node content; fix idmeet.yaml first (run 'idmeet check'); nothing was written"),
    Row("cfg-broken-fmt", {CFG: "people: [\n"}, "fmt", 1, "idmeet.yaml: has problems (run 'idmeet check'); not formatted", changes=(M1, M2)),
]

# -- meeting files ---------------------------------------------------------------------------

MEETING_ROWS = [
    Row("mtg-bad-status", {M1: Edit("status: held", "status: gehouden")}, "check", 1, "voortgangsoverleg/2024-02-05.md:10: 'status' must be one of planned, held, approved, cancelled, not 'gehouden'"),
    Row("mtg-bad-date-type", {M1: Edit("date: 2024-02-05", "date: morgen")}, "check", 1, "voortgangsoverleg/2024-02-05.md:3: 'date' is not a valid date: 'morgen' (write YYYY-MM-DD)"),
    Row("mtg-attendee-int", {M1: Edit("  - Sanne\n", "  - 42\n")}, "check", 1, "voortgangsoverleg/2024-02-05.md:8: unknown attendee '42'"),
    Row("mtg-item-numbers-dup", {M1: Edit("## 2. Prestatieafspraken", "## 1. Prestatieafspraken")}, "check", 1, "voortgangsoverleg/2024-02-05.md:21: duplicate item number 1 (first on line 15)"),
    Row("mtg-bad-category", {M1: Edit("Categorie: mededeling", "Categorie: roddel")}, "check", 1, "voortgangsoverleg/2024-02-05.md:17: unknown category 'roddel' (use mededeling, ter bespreking, ter besluitvorming or ter kennisname)"),
    Row("mtg-bad-item-status", {M1: Edit("Status: besproken", "Status: half")}, "check", 1, "voortgangsoverleg/2024-02-05.md:24: unknown item status 'half' (use besproken, uitgesteld or niet besproken)"),
    Row("mtg-action-line-no-owner", {M1: Edit("- [ ] @Peter laat", "- [ ] laat")}, "check", 1, "voortgangsoverleg/2024-02-05.md:30: action line has no owner: write '- [ ] @Name what to do'"),
    Row("mtg-action-line-bad-due", {M1: Edit("(voor 2024-02-07)", "(voor 2024-02-31)")}, "check", 1, "voortgangsoverleg/2024-02-05.md:30: unreadable due date '2024-02-31': write (voor YYYY-MM-DD)"),
    Row("mtg-action-line-unknown-owner", {M1: Edit("@Peter laat", "@Piet laat")}, "check", 1, "voortgangsoverleg/2024-02-05.md:30: unknown owner 'Piet' (did you mean 'Peter'?)"),
    Row("mtg-bom-crlf-bad-status", {M1: "\ufeff" + base(M1).replace("held", "gehouden").replace("\n", "\r\n")}, "check", 1, "voortgangsoverleg/2024-02-05.md:10: 'status' must be one of planned, held, approved, cancelled, not 'gehouden'"),
    Row("mtg-only-frontmatter-open", {M1: "---\n"}, "check", 1, "voortgangsoverleg/2024-02-05.md:1: frontmatter is not closed: add a '---' line after it"),
    Row("mtg-frontmatter-scalar", {M1: "---\nhallo\n---\n"}, "check", 1, "voortgangsoverleg/2024-02-05.md:2: frontmatter must be a mapping of 'key: value' lines, not text"),
    Row("mtg-start-type", {M1: Edit('start: "10:30"', "start: [10, 30]")}, "check", 1, "voortgangsoverleg/2024-02-05.md:4: 'start' must be text, not a list"),
    Row("mtg-series-mismatch", {M1: Edit("series: voortgangsoverleg", "series: stuurgroep")}, "check", 1, "voortgangsoverleg/2024-02-05.md:2: series 'stuurgroep' disagrees with the folder 'voortgangsoverleg/' (move the file to stuurgroep/)"),
    Row("mtg-date-mismatch", {M1: Edit("date: 2024-02-05", "date: 2024-02-06")}, "check", 1, "voortgangsoverleg/2024-02-05.md:3: date 2024-02-06 disagrees with the file name '2024-02-05.md' (rename the file to 2024-02-06.md)"),
    Row("mtg-file-name-bad", {"voortgangsoverleg/5-2-2024.md": base(M1)}, "check", 1, "voortgangsoverleg/5-2-2024.md:3: date 2024-02-05 disagrees with the file name '5-2-2024.md' (rename the file to 2024-02-05.md)"),
    Row("mtg-minute-taker-unknown", {M1: Edit("minute_taker: Sanne", "minute_taker: Piet")}, "check", 1, "voortgangsoverleg/2024-02-05.md:9: unknown minute-taker 'Piet' (did you mean 'Peter'?)"),
    Row("mtg-location-list", {M2: Edit("location: 2.C.4", "location: [a, b]")}, "check", 1, "stuurgroep/2024-06-17.md:6: 'location' must be text, not a list"),
    Row("mtg-duplicate-key", {M2: Edit("location: 2.C.4", "location: 2.C.4\nlocation: 2.C.5")}, "check", 1, "stuurgroep/2024-06-17.md:7: duplicate key 'location' (first on line 6)"),
    Row("mtg-bad-yaml-indent", {M2: Edit("invitees:\n  - Peter", "invitees:\n - Peter\n  - x")}, "check", 1, "stuurgroep/2024-06-17.md:8: unknown invitee 'Peter - x Teesink - Sanne de Vries - \"5.1, 2, e\"'"),
    Row("mtg-unclosed-quote", {M2: Edit('start: "16:00"', 'start: "16:00')}, "check", 1, "stuurgroep/2024-06-17.md:5: invalid YAML: while parsing a block mapping, did not find expected key"),
    Row("mtg-utf16", {M2: base(M2).encode("utf-16")}, "check", 1, "stuurgroep/2024-06-17.md:1: not UTF-8 text (byte 0xff): save the file as UTF-8"),
    Row("mtg-show-broken-yaml", {M1: Edit("status: held", "status: [held")}, f"show {M1[:-3]}", 1, "idmeet: meeting 'voortgangsoverleg/2024-02-05' cannot be read: voortgangsoverleg/2024-02-05.md:11: invalid YAML: while parsing a flow sequence, did not find expected ',' or ']' (run 'idmeet check')"),
    Row("mtg-render-broken-yaml", {M2: Edit("status: planned", "status: [planned")}, f"render {M2[:-3]}", 1, "idmeet: meeting 'stuurgroep/2024-06-17' cannot be read: stuurgroep/2024-06-17.md:13: invalid YAML: while parsing a flow sequence, did not find expected ',' or ']' (run 'idmeet check')"),
    Row("mtg-report-actions-broken-yaml", {M1: Edit("status: held", "status: [held")}, f"report actions {M1[:-3]}", 1, "idmeet: meeting 'voortgangsoverleg/2024-02-05' cannot be read: voortgangsoverleg/2024-02-05.md:11: invalid YAML: while parsing a flow sequence, did not find expected ',' or ']' (run 'idmeet check')"),
    Row("mtg-show-unknown", {}, "show stuurgroep/2030-01-01", 1, "idmeet: unknown meeting 'stuurgroep/2030-01-01' (did you mean 'stuurgroep/2024-06-17'?) (list them with 'idmeet meetings')"),
    Row("mtg-show-ambiguous", {"stuurgroep/2024-06-18.md": base(M2).replace("2024-06-17", "2024-06-18")}, "show stuurgroep/2024-06", 1, "idmeet: 'stuurgroep/2024-06' matches 2 meetings: stuurgroep/2024-06-17, stuurgroep/2024-06-18; give more of it"),
    Row("mtg-show-bad-format", {}, f"show {M1[:-3]} --format xml", 2, "idmeet: unknown format 'xml' (use md or json)"),
    Row("mtg-render-unknown", {}, "render nergens/2024-01-01", 1, "idmeet: unknown meeting 'nergens/2024-01-01' (did you mean 'stuurgroep/2024-06-17'?) (list them with 'idmeet meetings')"),
    Row("mtg-render-bad-format", {}, f"render {M2[:-3]} --format pdf", 2, "idmeet: unknown format 'pdf' (use md or html)"),
    Row("mtg-minutes-unknown", {}, "minutes nergens", 1, "idmeet: unknown meeting 'nergens' (list them with 'idmeet meetings')"),
    Row("mtg-minutes-sync-unknown-owner", {M1: Edit("@Peter laat", "@Piet laat")}, f"minutes sync {M1[:-3]}", 1, "voortgangsoverleg/2024-02-05.md:30: unknown owner 'Piet' (did you mean 'Peter'?)"),
    Row("mtg-minutes-sync-bad-due", {M1: Edit("(voor 2024-02-07)", "(voor 31-31-2024)")}, f"minutes sync {M1[:-3]}", 1, "voortgangsoverleg/2024-02-05.md:30: unreadable due date '31-31-2024': write (voor YYYY-MM-DD)"),
    Row("mtg-minutes-sync-broken-yaml", {M1: Edit("status: held", "status: [held")}, f"minutes sync {M1[:-3]}", 1, "idmeet: meeting 'voortgangsoverleg/2024-02-05' cannot be read: voortgangsoverleg/2024-02-05.md:11: invalid YAML: while parsing a flow sequence, did not find expected ',' or ']' (run 'idmeet check')"),
    Row("mtg-minutes-broken-yaml", {M1: Edit("status: held", "status: [held")}, f"minutes {M1[:-3]}", 1, "idmeet: meeting 'voortgangsoverleg/2024-02-05' cannot be read: voortgangsoverleg/2024-02-05.md:11: invalid YAML: while parsing a flow sequence, did not find expected ',' or ']' (run 'idmeet check')"),
    Row("mtg-report-actions-unknown", {}, "report actions nergens/2024", 1, "idmeet: unknown meeting 'nergens/2024' (list them with 'idmeet meetings')"),
    Row("mtg-report-minutes-unknown", {}, "report minutes nergens/2024", 1, "idmeet: unknown meeting 'nergens/2024' (list them with 'idmeet meetings')"),
    Row("mtg-fmt-broken-yaml", {M1: Edit("status: held", "status: [held")}, "fmt", 1, "voortgangsoverleg/2024-02-05.md: has problems (run 'idmeet check'); not formatted", changes=(M2,)),
    Row("mtg-fmt-check-broken-yaml", {M1: Edit("status: held", "status: [held")}, "fmt --check", 1, "voortgangsoverleg/2024-02-05.md: has problems (run 'idmeet check'); not formatted"),
    Row("mtg-fmt-not-utf8", {M1: b"---\nseries: voortgangsoverleg\ndate: 2024-02-05\n---\n\xff\xfe\n"}, "fmt", 1, "voortgangsoverleg/2024-02-05.md: has problems (run 'idmeet check'); not formatted", changes=(M2,)),
]

# -- action files ----------------------------------------------------------------------------

ACTION_ROWS = [
    Row("act-bad-due", {A1: Edit("due: 2024-02-07", "due: 2024-02-30")}, "check", 1, "actions/k3f9x2ab.md:7: 'due' is not a valid date: '2024-02-30' (no such day)"),
    Row("act-due-before-opened", {A1: Edit("due: 2024-02-07", "due: 2024-01-07")}, "check", 0, "actions/k3f9x2ab.md:7: warning: due date 2024-01-07 is before the opened date 2024-02-05"),
    Row("act-unknown-series", {A1: Edit("series: voortgangsoverleg", "series: nergens")}, "check", 1, "actions/k3f9x2ab.md:9: series 'nergens' disagrees with the meeting 'voortgangsoverleg/2024-02-05'"),
    Row("act-id-bad-chars", {"actions/K3F9!!ab.md": ACTION_OK.format(id="K3F9!!ab")}, "check", 1, "actions/K3F9!!ab.md:2: 'id' must be lower-case letters, digits and '-', not 'K3F9!!ab'"),
    Row("act-missing-owner-key", {A1: Edit("owner: Peter\n", "")}, "check", 1, "actions/k3f9x2ab.md:2: missing required key 'owner'"),
    Row("act-missing-status", {A1: Edit("status: open\n", "")}, "check", 1, "actions/k3f9x2ab.md:2: missing required key 'status'"),
    Row("act-missing-opened", {A1: Edit("opened: 2024-02-05\n", "")}, "check", 1, "actions/k3f9x2ab.md:2: missing required key 'opened'"),
    Row("act-tags-mapping", {A1: Edit("tags: [gmt, p&o]", "tags: {a: b}")}, "check", 1, "actions/k3f9x2ab.md:10: 'tags' must be a list, not a mapping"),
    Row("act-log-not-list", {A1: Edit("- 2024-03-06: komt hierop terug", "komt hierop terug")}, "check", 1, "actions/k3f9x2ab.md:17: log line must be '- YYYY-MM-DD: text'"),
    Row("act-show-unknown", {}, "action show zzzz", 1, "idmeet: unknown action id 'zzzz' (list them with 'idmeet actions --all')"),
    Row("act-show-ambiguous", {"actions/k3f9aaaa.md": ACTION_OK.format(id="k3f9aaaa")}, "action show k3f9", 1, "idmeet: action id 'k3f9' is ambiguous: k3f9aaaa (Nieuwe actie), k3f9x2ab (Prestatieafspraken GMT); give more characters"),
    Row("act-done-unknown", {}, "action done zzzz", 1, "idmeet: unknown action id 'zzzz' (list them with 'idmeet actions --all')"),
    Row("act-note-unknown", {}, "action note zzzz hallo", 1, "idmeet: unknown action id 'zzzz' (list them with 'idmeet actions --all')"),
    Row("act-note-empty", {}, "action note k3f9 ''", 1, "idmeet: the note is empty"),
    Row("act-drop-no-reason", {}, "action drop k3f9", 2, 'idmeet: say why it is dropped: idmeet action drop ID "reden"'),
    Row("act-due-bad", {}, "action due k3f9 31-31-2024", 1, "idmeet: invalid due date '31-31-2024': write YYYY-MM-DD (2024-03-06), D-M-YYYY (6-3-2024), 6 maart 2024, vandaag, morgen or +2w"),
    Row("act-reassign-unknown", {}, "action reassign k3f9 --owner Piet", 1, "idmeet: unknown person 'Piet' (did you mean 'Peter'?)"),
    Row("act-add-unknown-owner", {}, "action add Iets --owner Piet", 1, "idmeet: unknown person 'Piet' (did you mean 'Peter'?)"),
    Row("act-add-empty-title", {}, "action add '' --owner Peter", 1, "idmeet: the title is empty: give the action a title, e.g. 'Bila plannen met P&O'"),
    Row("act-add-bad-due", {}, "action add Iets --owner Peter --due eergisteren", 1, "idmeet: invalid --due 'eergisteren': write YYYY-MM-DD (2024-03-06), D-M-YYYY (6-3-2024), 6 maart 2024, vandaag, morgen or +2w"),
    Row("act-add-unknown-meeting", {}, "action add Iets --owner Peter --meeting nergens/2024", 1, "idmeet: unknown meeting 'nergens/2024' (list them with 'idmeet meetings')"),
    Row("act-add-unknown-series", {}, "action add Iets --owner Peter --series nergens", 1, "idmeet: unknown series 'nergens' (known: stuurgroep, voortgangsoverleg)"),
    Row("act-done-broken-file", {A1: Edit("status: open", "status: [open")}, "action done k3f9", 1, "idmeet: actions/k3f9x2ab.md is broken, so idmeet will not edit it: actions/k3f9x2ab.md:6: invalid YAML: while parsing a flow sequence, did not find expected ',' or ']' (fix it, then run 'idmeet check')"),
    Row("act-note-broken-file", {A1: Edit("status: open", "status: [open")}, "action note k3f9 hallo", 1, "idmeet: actions/k3f9x2ab.md is broken, so idmeet will not edit it: actions/k3f9x2ab.md:6: invalid YAML: while parsing a flow sequence, did not find expected ',' or ']' (fix it, then run 'idmeet check')"),
    Row("act-title-empty-list", {A1: Edit("title: Prestatieafspraken GMT", "title: []")}, "check", 1, "actions/k3f9x2ab.md:3: 'title' must be text, not a list"),
    Row("act-owner-mapping", {A1: Edit("owner: Peter", "owner: {a: b}")}, "check", 1, "actions/k3f9x2ab.md:4: 'owner' must be a list, not a mapping"),
    Row("act-owner-unknown-in-list", {A2: Edit("[Sanne,", "[Sanne, Piet,")}, "check", 1, "actions/m7pq4rst.md:4: unknown owner 'Piet' (did you mean 'Peter'?)"),
    Row("act-status-int", {A1: Edit("status: open", "status: 1")}, "check", 1, "actions/k3f9x2ab.md:5: 'status' must be one of open, waiting, done, dropped, not '1'"),
    Row("act-opened-text", {A1: Edit("opened: 2024-02-05", "opened: vorige week")}, "check", 1, "actions/k3f9x2ab.md:6: 'opened' is not a valid date: 'vorige week' (write YYYY-MM-DD)"),
    Row("act-meeting-unknown", {A1: Edit("meeting: voortgangsoverleg/2024-02-05", "meeting: voortgangsoverleg/2024-02-06")}, "check", 1, "actions/k3f9x2ab.md:8: origin meeting 'voortgangsoverleg/2024-02-06' does not exist (no file voortgangsoverleg/2024-02-06.md)"),
    Row("act-file-name-mismatch", {"actions/aaaa1111.md": ACTION_OK.format(id="bbbb2222")}, "check", 1, "actions/aaaa1111.md:2: id 'bbbb2222' disagrees with the file name 'aaaa1111.md' (the id and the file name must be equal)"),
    Row("act-not-md-frontmatter", {A1: "id: k3f9x2ab\ntitle: x\n"}, "check", 1, "actions/k3f9x2ab.md:1: no frontmatter: the file must start with a '---' line"),
    Row("act-yaml-tab", {A1: Edit("owner: Peter", "owner:\tPeter\n\t- x")}, "check", 1, "actions/k3f9x2ab.md:5: invalid YAML: while scanning a plain scalar, found a tab character that violates indentation"),
    Row("act-show-broken-file", {A1: Edit("status: open", "status: [open")}, "action show k3f9", 1, "idmeet: actions/k3f9x2ab.md is broken, so it cannot be shown: actions/k3f9x2ab.md:6: invalid YAML: while parsing a flow sequence, did not find expected ',' or ']' (fix it, then run 'idmeet check')"),
    Row("act-due-broken-file", {A1: Edit("status: open", "status: [open")}, "action due k3f9 2024-05-01", 1, "idmeet: actions/k3f9x2ab.md is broken, so idmeet will not edit it: actions/k3f9x2ab.md:6: invalid YAML: while parsing a flow sequence, did not find expected ',' or ']' (fix it, then run 'idmeet check')"),
    Row("act-reassign-broken-file", {A1: Edit("status: open", "status: [open")}, "action reassign k3f9 --owner Sanne", 1, "idmeet: actions/k3f9x2ab.md is broken, so idmeet will not edit it: actions/k3f9x2ab.md:6: invalid YAML: while parsing a flow sequence, did not find expected ',' or ']' (fix it, then run 'idmeet check')"),
    Row("act-wait-broken-file", {A1: Edit("status: open", "status: [open")}, "action wait k3f9 --note x", 1, "idmeet: actions/k3f9x2ab.md is broken, so idmeet will not edit it: actions/k3f9x2ab.md:6: invalid YAML: while parsing a flow sequence, did not find expected ',' or ']' (fix it, then run 'idmeet check')"),
    Row("act-drop-broken-file", {A1: Edit("status: open", "status: [open")}, "action drop k3f9 --note x", 1, "idmeet: actions/k3f9x2ab.md is broken, so idmeet will not edit it: actions/k3f9x2ab.md:6: invalid YAML: while parsing a flow sequence, did not find expected ',' or ']' (fix it, then run 'idmeet check')"),
    Row("act-reassign-to-unknown", {}, "action reassign k3f9 --owner Sanne --owner Piet", 1, "idmeet: unknown person 'Piet' (did you mean 'Peter'?)"),
    Row("act-id-empty-prefix", {}, "action show ''", 1, "idmeet: give an action id (or the start of one)"),
    Row("act-fmt-broken", {A1: Edit("status: open", "status: [open")}, "fmt", 1, "actions/k3f9x2ab.md: has problems (run 'idmeet check'); not formatted", changes=(M1, M2)),
]

# -- arguments -------------------------------------------------------------------------------

ARGUMENT_ROWS = [
    Row("arg-actions-bad-sort", {}, "actions --sort colour", 2, "idmeet: unknown sort 'colour' (use due, opened, owner, id)"),
    Row("arg-actions-bad-format", {}, "actions --format xml", 2, "idmeet: unknown format 'xml' (use table, md, json or csv)"),
    Row("arg-actions-bad-date", {}, "actions --due-before overmorrow", 1, "idmeet: invalid --due-before 'overmorrow': write YYYY-MM-DD (2024-03-06), D-M-YYYY (6-3-2024), 6 maart 2024, vandaag, morgen or +2w"),
    Row("arg-actions-bad-as-of", {}, "actions --as-of 2024-02-30", 1, "idmeet: invalid --as-of '2024-02-30': write YYYY-MM-DD (2024-03-06), D-M-YYYY (6-3-2024), 6 maart 2024, vandaag, morgen or +2w"),
    Row("arg-actions-negative-limit", {}, "actions --limit -1", 2, "Usage: idmeet actions [OPTIONS]"),
    Row("arg-actions-unknown-owner", {}, "actions --owner Piet", 1, "idmeet: unknown person 'Piet' (did you mean 'Peter'?)"),
    Row("arg-actions-unknown-series", {}, "actions --series nergens", 1, "idmeet: unknown series 'nergens' (known: stuurgroep, voortgangsoverleg)"),
    Row("arg-actions-unknown-meeting", {}, "actions --meeting nergens", 1, "idmeet: unknown meeting 'nergens' (list them with 'idmeet meetings')"),
    Row("arg-new-agenda-unknown-series", {}, "new-agenda nergens", 1, "idmeet: unknown series 'nergens' (known: stuurgroep, voortgangsoverleg)"),
    Row("arg-propose-unknown-series", {}, "propose nergens Iets", 1, "idmeet: unknown series 'nergens' (known: stuurgroep, voortgangsoverleg)"),
    Row("arg-propose-bad-category", {}, "propose stuurgroep Iets --category roddel", 1, "idmeet: unknown category 'roddel' (use mededeling, ter bespreking, ter besluitvorming or ter kennisname)"),
    Row("arg-propose-empty-title", {}, "propose stuurgroep ''", 1, "idmeet: the title is empty: say what the item is about"),
    Row("arg-decisions-bad-since", {}, "decisions --since eergisteren", 1, "idmeet: invalid --since 'eergisteren': write YYYY-MM-DD (2024-03-06), D-M-YYYY (6-3-2024), 6 maart 2024, vandaag, morgen or +2w"),
    Row("arg-check-bad-format", {}, "check --format xml", 2, "idmeet: unknown format 'xml' (use text or json)"),
    Row("arg-report-open-items-bad-format", {}, "report open-items --format docx", 2, "idmeet: unknown format 'docx' (use md, html or json)"),
    Row("arg-meetings-unknown-series", {}, "meetings --series nergens", 1, "idmeet: unknown series 'nergens' (known: stuurgroep, voortgangsoverleg)"),
    Row("arg-diff-not-git", {}, "diff HEAD", 1, "idmeet: {repo} is not in a git repository: idmeet diff compares git revisions (run 'git init' and commit first)"),
    Row("arg-unknown-command", {}, "frobnicate", 2, "Usage: idmeet [OPTIONS] COMMAND [ARGS]..."),
    Row("arg-import-missing-file", {}, "import nergens.docx --series stuurgroep", 1, "idmeet: nergens.docx: no such file"),
    Row("arg-import-unknown-series", {"in.txt": "Agenda\n1. Iets\n"}, "import in.txt --series nergens", 1, "idmeet: unknown series 'nergens' (known: stuurgroep, voortgangsoverleg)"),
]

# -- the file system -------------------------------------------------------------------------

FILESYSTEM_ROWS = [
    Row("fs-template-syntax", {"templates/agenda-document.md.j2": "{% if %}"}, f"render {M2[:-3]}", 1, "idmeet: {repo}/templates/agenda-document.md.j2:1: template error: Expected an expression, got 'end of statement block'"),
    Row("fs-template-undefined", {"templates/agenda-document.md.j2": "{{ nergens.iets }}"}, f"render {M2[:-3]}", 1, "idmeet: {repo}/templates/agenda-document.md.j2:1: template error: 'nergens' is undefined"),
    Row("fs-template-escape", {"templates/agenda-document.md.j2": "{{ ''.__class__.__mro__ }}"}, f"render {M2[:-3]}", 1, "idmeet: {repo}/templates/agenda-document.md.j2:1: template error: access to attribute '__class__' of 'str' object is unsafe."),
]

# -- issue 13: limits and paths (YAML aliases and size, empty owners, duplicate ids, symlinks,
# --output, temp files) -----------------------------------------------------------------------

LAUGHS = "".join(f"{a}: &{a} [" + ", ".join([f"*{b}"] * 9 if b else ["lol"] * 9) + "]\n" for a, b in zip("abcdefghi", ["", *"abcdefgh"]))
DEEP = "x: " + "[" * 100 + "]" * 100 + "\n"
DUP = base(A1).replace("Prestatieafspraken GMT", "Prestatieafspraken GMT (tweede tak)")

SAFETY_ROWS: list[Row] = [
    # 2: YAML anchors and aliases are refused (a "billion laughs" block would expand without end); depth and size bounded
    Row("yaml-laughs-config", {CFG: Edit("language: nl\n", "language: nl\n" + LAUGHS)}, "check", 1, "idmeet.yaml:3: YAML anchors and aliases are not allowed"),
    Row("yaml-laughs-action", {A1: Edit("tags: [gmt, p&o]\n", "tags: [gmt, p&o]\n" + LAUGHS)}, "check", 1, "actions/k3f9x2ab.md:11: YAML anchors and aliases are not allowed"),
    Row("yaml-laughs-meeting-show", {M2: Edit("---\n", "---\n" + LAUGHS)}, f"show {M2[:-3]}", 1, "idmeet: meeting 'stuurgroep/2024-06-17' cannot be read: stuurgroep/2024-06-17.md:2: YAML anchors and aliases are not allowed (run 'idmeet check')"),
    Row("yaml-laughs-action-done", {A1: Edit("tags: [gmt, p&o]\n", "tags: [gmt, p&o]\n" + LAUGHS)}, "action done k3f9", 1, "idmeet: actions/k3f9x2ab.md is broken, so idmeet will not edit it: actions/k3f9x2ab.md:11: YAML anchors and aliases are not allowed (fix it, then run 'idmeet check')"),
    Row("yaml-anchor-alone", {A1: Edit("title: Prestatieafspraken GMT", "title: &t Prestatieafspraken GMT")}, "check", 1, "actions/k3f9x2ab.md:3: YAML anchors and aliases are not allowed"),
    Row("yaml-alias-alone", {A1: Edit("owner: Peter", "owner: *p")}, "check", 1, "actions/k3f9x2ab.md:4: YAML anchors and aliases are not allowed"),
    Row("yaml-alias-config-person", {CFG: Edit("    aliases: [Sanne]", "    aliases: [*x]")}, "check", 1, "idmeet.yaml:10: YAML anchors and aliases are not allowed"),
    Row("yaml-merge-key", {CFG: Edit("  voortgangsoverleg:\n", "  voortgangsoverleg:\n    <<: *s\n")}, "check", 1, "idmeet.yaml:26: YAML anchors and aliases are not allowed"),
    Row("yaml-too-deep-config", {CFG: Edit("language: nl\n", "language: nl\n" + DEEP)}, "check", 1, "idmeet.yaml:3: YAML nested more than 32 levels deep: idmeet's files need a few"),
    Row("yaml-too-deep-action", {A1: Edit("tags: [gmt, p&o]\n", "tags: [gmt, p&o]\n" + DEEP)}, "check", 1, "actions/k3f9x2ab.md:11: YAML nested more than 32 levels deep: idmeet's files need a few"),
    Row("file-too-large-action", {A1: base(A1) + "x" * (10 * 1024 * 1024)}, "check", 1, "actions/k3f9x2ab.md: the file is larger than 10 MB: idmeet does not read it (is it really an action?)"),
    Row("file-too-large-config", {CFG: base(CFG) + "#" * (10 * 1024 * 1024)}, "check", 1, "idmeet.yaml: the file is larger than 10 MB: idmeet does not read it (is it really idmeet.yaml?)"),
    # 3: an action whose owner is empty is an error in check, never dropped silently
    Row("owner-empty-list", {A1: Edit("owner: Peter", "owner: []")}, "check", 1, "actions/k3f9x2ab.md:4: 'owner' is empty"),
    Row("owner-empty-text", {A1: Edit("owner: Peter", 'owner: ""')}, "check", 1, "actions/k3f9x2ab.md:4: 'owner' is empty"),
    Row("owner-blank-text", {A1: Edit("owner: Peter", 'owner: " "')}, "check", 1, "actions/k3f9x2ab.md:4: 'owner' is empty"),
    Row("owner-blank-show", {A1: Edit("owner: Peter", 'owner: " "')}, "action show k3f9", 1, "idmeet: actions/k3f9x2ab.md is broken, so it cannot be shown: actions/k3f9x2ab.md:4: 'owner' is empty (fix it, then run 'idmeet check')"),
    Row("tags-empty-text", {A1: Edit("tags: [gmt, p&o]", 'tags: ""')}, "check", 0, ""),
    Row("title-blank", {A1: Edit("title: Prestatieafspraken GMT", 'title: " "')}, "check", 1, "actions/k3f9x2ab.md:3: 'title' is empty"),
    # 16: an empty entry in a list says so
    Row("owner-blank-entry", {A1: Edit("owner: Peter", 'owner: [" "]')}, "check", 1, "actions/k3f9x2ab.md:4: 'owner' has an empty entry: remove it or fill it in"),
    Row("owner-null-entry", {A2: Edit("[Sanne,", "[Sanne, null,")}, "check", 1, "actions/m7pq4rst.md:4: 'owner' has an empty entry: remove it or fill it in"),
    Row("owner-list-entry", {A2: Edit("[Sanne,", "[Sanne, [a],")}, "check", 1, "actions/m7pq4rst.md:4: 'owner' entries must be text, not a list"),
    # 4: an id that two action files share (a merge of two branches) is refused by every edit, naming both files
    Row("dup-id-done", {"actions/k3f9x2ab-2.md": DUP}, "action done k3f9x2ab", 1, "idmeet: action id 'k3f9x2ab' is in 2 files: actions/k3f9x2ab-2.md and actions/k3f9x2ab.md; idmeet will not guess which one to use (give one of them a new id and file name, then run 'idmeet check')"),
    Row("dup-id-note-prefix", {"actions/k3f9x2ab-2.md": DUP}, "action note k3f9 hallo", 1, "idmeet: action id 'k3f9x2ab' is in 2 files: actions/k3f9x2ab-2.md and actions/k3f9x2ab.md; idmeet will not guess which one to use (give one of them a new id and file name, then run 'idmeet check')"),
    Row("dup-id-reassign", {"actions/k3f9x2ab-2.md": DUP}, "action reassign k3f9x2ab --owner Sanne", 1, "idmeet: action id 'k3f9x2ab' is in 2 files: actions/k3f9x2ab-2.md and actions/k3f9x2ab.md; idmeet will not guess which one to use (give one of them a new id and file name, then run 'idmeet check')"),
    Row("dup-id-due", {"actions/k3f9x2ab-2.md": DUP}, "action due k3f9x2ab 2024-05-01", 1, "idmeet: action id 'k3f9x2ab' is in 2 files: actions/k3f9x2ab-2.md and actions/k3f9x2ab.md; idmeet will not guess which one to use (give one of them a new id and file name, then run 'idmeet check')"),
    Row("dup-id-wait", {"actions/k3f9x2ab-2.md": DUP}, "action wait k3f9x2ab --note x", 1, "idmeet: action id 'k3f9x2ab' is in 2 files: actions/k3f9x2ab-2.md and actions/k3f9x2ab.md; idmeet will not guess which one to use (give one of them a new id and file name, then run 'idmeet check')"),
    Row("dup-id-show", {"actions/k3f9x2ab-2.md": DUP}, "action show k3f9x2ab", 1, "idmeet: action id 'k3f9x2ab' is in 2 files: actions/k3f9x2ab-2.md and actions/k3f9x2ab.md; idmeet will not guess which one to use (give one of them a new id and file name, then run 'idmeet check')"),
    Row("dup-id-check", {"actions/k3f9x2ab-2.md": DUP}, "check", 1, "actions/k3f9x2ab-2.md:2: id 'k3f9x2ab' disagrees with the file name 'k3f9x2ab-2.md' (the id and the file name must be equal)"),
    # 5: symbolic links that lead out of the repository are refused (one line), links inside it are followed
    Row("link-proposals-out", {"proposals": Link("..")}, "propose stuurgroep Iets", 1, "idmeet: proposals is a symbolic link to .., outside the repository: idmeet writes only inside the repository; nothing was written"),
    Row("link-cache-out-note", {".idmeet-cache": Link("..")}, "action note k3f9 hallo", 1, "idmeet: .idmeet-cache is a symbolic link (to ..): idmeet keeps its cache and lock only in a real folder inside the repository (remove the link; idmeet makes the folder again)"),
    Row("link-cache-out-add", {".idmeet-cache": Link("..")}, "action add Iets --owner Peter", 1, "idmeet: .idmeet-cache is a symbolic link (to ..): idmeet keeps its cache and lock only in a real folder inside the repository (remove the link; idmeet makes the folder again)"),
    Row("link-template-out", {"templates/agenda-document.md.j2": Link("/etc/passwd")}, f"render {M2[:-3]}", 1, "idmeet: templates/agenda-document.md.j2 leads outside the repository (to /etc/passwd, through a symbolic link): idmeet reads templates only from inside the repository"),
    Row("link-action-file-inside", {A1: Link("../.store/k3f9x2ab.md"), ".store/k3f9x2ab.md": base(A1)}, "action note k3f9 hallo", 0, "", changes=(".store/k3f9x2ab.md",)),
    # 6: --output never writes over the repository's own files; a folder it makes is named
    Row("out-config", {}, f"render {M2[:-3]} --output idmeet.yaml", 1, "idmeet: --output idmeet.yaml is the repository's own file idmeet.yaml: idmeet will not write a document over it (choose another name, e.g. agenda.html); nothing was written"),
    Row("out-meeting", {}, f"render {M2[:-3]} --output {M1}", 1, f"idmeet: --output {M1} is the repository's own file {M1}: idmeet will not write a document over it (choose another name, e.g. agenda.html); nothing was written"),
    Row("out-new-meeting-file", {}, f"render {M2[:-3]} -O stuurgroep/2099-01-01.md", 1, "idmeet: --output stuurgroep/2099-01-01.md is the repository's own file stuurgroep/2099-01-01.md: idmeet will not write a document over it (choose another name, e.g. agenda.html); nothing was written"),
    Row("out-action-report", {}, f"report actions {M1[:-3]} --output {A1}", 1, f"idmeet: --output {A1} is the repository's own file {A1}: idmeet will not write a document over it (choose another name, e.g. agenda.html); nothing was written"),
    Row("out-open-items-template", {}, "report open-items --output templates/open-items.md.j2", 1, "idmeet: --output templates/open-items.md.j2 is the repository's own file templates/open-items.md.j2: idmeet will not write a document over it (choose another name, e.g. agenda.html); nothing was written"),
    Row("out-minutes-gitignore", {".gitignore": ".idmeet-cache/\n"}, f"report minutes {M1[:-3]} --output .gitignore", 1, "idmeet: --output .gitignore is the repository's own file .gitignore: idmeet will not write a document over it (choose another name, e.g. agenda.html); nothing was written"),
    Row("out-calendar-config", {}, "calendar --output idmeet.yaml", 1, "idmeet: --output idmeet.yaml is the repository's own file idmeet.yaml: idmeet will not write a document over it (choose another name, e.g. agenda.html); nothing was written"),
    Row("out-export-config", {}, f"export {M2[:-3]} --output idmeet.yaml", 1, "idmeet: --output idmeet.yaml is the repository's own file idmeet.yaml: idmeet will not write a document over it (choose another name, e.g. agenda.html); nothing was written"),
    Row("out-link-to-config", {"agenda.md": Link("idmeet.yaml")}, f"render {M2[:-3]} --output agenda.md", 1, "idmeet: --output agenda.md is the repository's own file idmeet.yaml: idmeet will not write a document over it (choose another name, e.g. agenda.html); nothing was written"),
    Row("out-folder", {}, f"render {M2[:-3]} --output stuurgroep", 1, "idmeet: --output stuurgroep is a folder: give a file name, e.g. stuurgroep/agenda.html"),
    Row("out-new-folder", {}, f"render {M2[:-3]} --output out/deel/agenda.md", 0, "created folder out", changes=("out", "out/deel", "out/deel/agenda.md")),
]

# -- issue 13: files that are seen (broken entries, warnings of readers, templates, fmt) ------

VISIBILITY_ROWS: list[Row] = [
    # point 9: entries that are not what their name says are errors, never silently skipped
    Row("seen-actions-is-a-file", {A1: DELETE, A2: DELETE, "actions": "x\n"}, "check", 1, "actions: 'actions' must be a folder of .md files, not a file: move it away"),
    Row("seen-proposals-is-a-file", {"proposals": "x\n"}, "check", 1, "proposals: 'proposals' must be a folder of .md files, not a file: move it away"),
    Row("seen-action-folder-md", {"actions/x.md": DIR}, "check", 1, "actions/x.md: is a folder, not a file: rename or remove it"),
    Row("seen-meeting-folder-md", {"stuurgroep/2024-07-01.md": DIR}, "check", 1, "stuurgroep/2024-07-01.md: is a folder, not a file: rename or remove it"),
    Row("seen-action-dangling-link", {"actions/zz.md": Link("nergens.md")}, "check", 1, "actions/zz.md: is a symbolic link to 'nergens.md', which does not exist: fix or remove it"),
    Row("seen-meeting-dangling-link", {"stuurgroep/2024-07-01.md": Link("../nergens.md")}, "check", 1, "stuurgroep/2024-07-01.md: is a symbolic link to '../nergens.md', which does not exist: fix or remove it"),
    Row("seen-action-folder-md-actions", {"actions/x.md": DIR}, "actions", 0, "idmeet: warning: 1 problem(s) in the repository, starting with actions/x.md: is a folder, not a file: rename or remove it (run 'idmeet check')"),
    Row("seen-actions-is-a-file-actions", {A1: DELETE, A2: DELETE, "actions": "x\n"}, "actions --all", 0, "idmeet: warning: 1 problem(s) in the repository, starting with actions: 'actions' must be a folder of .md files, not a file: move it away (run 'idmeet check')"),
    # point 13: a reader command says what is wrong with what it shows, and with the rest
    Row("seen-show-time-25", {M1: Edit('start: "10:30"', 'start: "25:00"')}, f"show {M1[:-3]}", 0, "voortgangsoverleg/2024-02-05.md:4: warning: 'start' is not a valid time: '25:00' (write HH:MM, e.g. 16:00)"),
    Row("seen-show-json-bad-status", {M1: Edit("status: held", "status: gehouden")}, f"show {M1[:-3]} -f json", 0, "voortgangsoverleg/2024-02-05.md:10: warning: 'status' must be one of planned, held, approved, cancelled, not 'gehouden'"),
    Row("seen-show-other-file-broken", {A1: Edit("status: open", "status: [open")}, f"show {M1[:-3]}", 0, "idmeet: warning: 1 problem(s) in the repository, starting with actions/k3f9x2ab.md:6: invalid YAML: while parsing a flow sequence, did not find expected ',' or ']' (run 'idmeet check')"),
    Row("seen-show-config-broken", {CFG: "people: [\n"}, f"show {M1[:-3]}", 0, "idmeet: warning: 1 problem(s) in the repository, starting with idmeet.yaml:2: invalid YAML: while parsing a flow node, did not find expected node content (run 'idmeet check')"),
    Row("seen-action-show-bad-due", {A1: Edit("due: 2024-02-07", "due: 2024-02-30")}, "action show k3f9", 0, "actions/k3f9x2ab.md:7: warning: 'due' is not a valid date: '2024-02-30' (no such day)"),
    Row("seen-action-show-unknown-owner", {A2: Edit("[Sanne,", "[Sanna,")}, "action show m7pq -f json", 0, "actions/m7pq4rst.md:4: warning: unknown owner 'Sanna' (did you mean 'Sanne'?)"),
    # point 11: one line where an internal error was (templates of the repository, fmt)
    Row("tpl-binary", {"templates/agenda-document.md.j2": b"\x89PNG\r\n\x1a\n\x00\xff\xfe"}, f"render {M2[:-3]}", 1, "idmeet: {repo}/templates/agenda-document.md.j2: not UTF-8 text (byte 0x89): save the template as UTF-8"),
    Row("tpl-binary-html", {"templates/document.html.j2": b"\xff\xfe{{ x }}"}, f"render {M2[:-3]} -f html", 1, "idmeet: {repo}/templates/document.html.j2: not UTF-8 text (byte 0xff): save the template as UTF-8"),
    Row("tpl-range-list", {"templates/agenda-document.md.j2": "{{ range(10**9)|list }}"}, f"render {M2[:-3]}", 1, "idmeet: {repo}/templates/agenda-document.md.j2:1: template error: Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000)."),
    Row("tpl-string-times", {"templates/agenda-document.md.j2": "{{ 'x' * 10**9 }}"}, f"render {M2[:-3]}", 1, "idmeet: {repo}/templates/agenda-document.md.j2:1: template error: a text or list of more than 20000000 items is too big"),
    Row("tpl-power", {"templates/agenda-document.md.j2": "{{ 10 ** 100000000 }}"}, f"render {M2[:-3]}", 1, "idmeet: {repo}/templates/agenda-document.md.j2:1: template error: the power 100000000 is too big (at most 1000)"),
    Row("tpl-huge-output", {"templates/agenda-document.md.j2": "{% for i in range(99999) %}{% for j in range(99999) %}{{ 'x' * 10000 }}{% endfor %}{% endfor %}"}, f"render {M2[:-3]}", 1, "idmeet: {repo}/templates/agenda-document.md.j2: template error: it writes more than 20000000 characters"),
    Row("tpl-recursion", {"templates/agenda-document.md.j2": "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}"}, f"render {M2[:-3]}", 1, "idmeet: {repo}/templates/agenda-document.md.j2:1: template error: it calls itself without end"),
    Row("tpl-binary-report", {"templates/actions.md.j2": b"\xff"}, f"report actions {M1[:-3]}", 1, "idmeet: {repo}/templates/actions.md.j2: not UTF-8 text (byte 0xff): save the template as UTF-8"),
    Row("seen-decisions-other-broken", {A1: Edit("status: open", "status: [open")}, "decisions", 0, "idmeet: warning: 1 problem(s) in the repository, starting with actions/k3f9x2ab.md:6: invalid YAML: while parsing a flow sequence, did not find expected ',' or ']' (run 'idmeet check')"),
    Row("seen-meetings-unknown-owner", {A2: Edit("[Sanne,", "[Sanna,")}, "meetings", 0, "idmeet: warning: 1 problem(s) in the repository, starting with actions/m7pq4rst.md:4: unknown owner 'Sanna' (did you mean 'Sanne'?) (run 'idmeet check')"),
    Row("seen-render-origin-missing", {A1: Edit("meeting: voortgangsoverleg/2024-02-05", "meeting: voortgangsoverleg/2024-02-06")}, f"render {M2[:-3]}", 0, "idmeet: warning: 1 problem(s) in the repository, starting with actions/k3f9x2ab.md:8: origin meeting 'voortgangsoverleg/2024-02-06' does not exist (no file voortgangsoverleg/2024-02-06.md) (run 'idmeet check')"),
]

# -- issue 13 (rest): an unreadable idmeet.yaml is named by commands that need it; control characters

TEXT_ROWS: list[Row] = [
    Row("cfg-broken-new-agenda-dry-run", {CFG: "people: [\n"}, "new-agenda stuurgroep --dry-run", 1, "idmeet: idmeet.yaml:2: invalid YAML: while parsing a flow node, did not find expected node content; fix idmeet.yaml first (run 'idmeet check'); nothing was written"),
    Row("cfg-broken-action-note", {CFG: "people: [\n"}, "action note k3f9 iets", 1, "idmeet: idmeet.yaml:2: invalid YAML: while parsing a flow node, did not find expected node content; fix idmeet.yaml first (run 'idmeet check'); nothing was written"),
    Row("cfg-broken-action-done", {CFG: "people: [\n"}, "action done k3f9", 1, "idmeet: idmeet.yaml:2: invalid YAML: while parsing a flow node, did not find expected node content; fix idmeet.yaml first (run 'idmeet check'); nothing was written"),
    Row("cfg-broken-propose", {CFG: "people: [\n"}, "propose stuurgroep Iets", 1, "idmeet: idmeet.yaml:2: invalid YAML: while parsing a flow node, did not find expected node content; fix idmeet.yaml first (run 'idmeet check'); nothing was written"),
    Row("cfg-broken-minutes", {CFG: "people: [\n"}, f"minutes {M2[:-3]}", 1, "idmeet: idmeet.yaml:2: invalid YAML: while parsing a flow node, did not find expected node content; fix idmeet.yaml first (run 'idmeet check'); nothing was written"),
    Row("cfg-broken-minutes-sync", {CFG: "people: [\n"}, f"minutes sync {M1[:-3]}", 1, "idmeet: idmeet.yaml:2: invalid YAML: while parsing a flow node, did not find expected node content; fix idmeet.yaml first (run 'idmeet check'); nothing was written"),
    Row("cfg-not-utf8-action-add", {CFG: base(CFG).replace("Sanne de Vries\n", "Sanne de Vri\xebs\n").encode("latin-1")}, "action add Iets --owner Peter", 1, "idmeet: idmeet.yaml:9: not UTF-8 text (byte 0xeb): save the file as UTF-8; fix idmeet.yaml first (run 'idmeet check'); nothing was written"),
    Row("cfg-anchor-new-agenda", {CFG: base(CFG) + "x: &a [1]\ny: *a\n"}, "new-agenda stuurgroep", 1, "idmeet: idmeet.yaml:33: YAML anchors and aliases are not allowed; fix idmeet.yaml first (run 'idmeet check'); nothing was written"),
    Row("ctl-nul-meeting-body", {M1: Edit("Geen mededelingen.", "Geen\x00 mededelingen.")}, "check", 1, "voortgangsoverleg/2024-02-05.md:19: control character U+0000 (NUL) in column 5: delete it (most editors do not show it; retype the line if you cannot find it)"),
    Row("ctl-vt-action-body", {A1: Edit("Peter laat bila", "Peter\x0blaat bila")}, "check", 1, "actions/k3f9x2ab.md:13: control character U+000B (vertical tab) in column 6: delete it (most editors do not show it; retype the line if you cannot find it)"),
    Row("ctl-esc-action-title", {A1: Edit("title: Prestatieafspraken GMT", "title: Prestatie\x1bafspraken GMT")}, "check", 1, "actions/k3f9x2ab.md:3: control character U+001B (escape) in column 17: delete it (most editors do not show it; retype the line if you cannot find it)"),
    Row("ctl-nul-config", {CFG: Edit("organisation: ", "organisation: \x00")}, "check", 1, "idmeet.yaml:1: control character U+0000 (NUL) in column 15: delete it (most editors do not show it; retype the line if you cannot find it)"),
    Row("ctl-del-proposal", {"proposals/p1.md": "---\nid: p1\nseries: stuurgroep\ntitle: Iets\x7f\nproposed: 2024-05-01\n---\n"}, "check", 1, "proposals/p1.md:4: control character U+007F (DEL) in column 12: delete it (most editors do not show it; retype the line if you cannot find it)"),
    Row("ctl-several-in-meeting", {M1: Edit("Geen mededelingen.", "\x01Geen\x02 mededelingen.\x03")}, "check", 1, "voortgangsoverleg/2024-02-05.md:19: control character U+0001 in column 1, and 2 more in this file: delete them (most editors do not show it; retype the line if you cannot find it)"),
    Row("ctl-nul-fmt", {M1: Edit("Geen mededelingen.", "Geen\x00 mededelingen.")}, "fmt", 1, "voortgangsoverleg/2024-02-05.md: has problems (run 'idmeet check'); not formatted", changes=(M2,)),
    Row("ctl-nul-show", {M1: Edit("Geen mededelingen.", "Geen\x00 mededelingen.")}, f"show {M1[:-3]}", 0, "voortgangsoverleg/2024-02-05.md:19: warning: control character U+0000 (NUL) in column 5: delete it (most editors do not show it; retype the line if you cannot find it)"),
    Row("ctl-tab-cr-are-fine", {M1: Edit("Geen mededelingen.", "Geen\tmededelingen.\r")}, "check", 0, ""),
]

# fmt: on

ROWS: list[Row] = (
    CONFIG_ROWS
    + MEETING_ROWS
    + ACTION_ROWS
    + ARGUMENT_ROWS
    + FILESYSTEM_ROWS
    + SAFETY_ROWS
    + VISIBILITY_ROWS
    + TEXT_ROWS
)


# -- the machinery ---------------------------------------------------------------------------


def build(row: Row, tmp_path: Path) -> Path:
    """A copy of the base repository with the row's files laid over it."""
    repo = tmp_path / "repo"
    shutil.copytree(BASE, repo)
    for rel, value in row.files.items():
        target = repo / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_dir() and not target.is_symlink() and value is not DIR:
            shutil.rmtree(target)  # a folder made a file (or a link)
        if value is DELETE:
            assert target.is_file() or target.is_symlink(), f"{row.id}: {rel} deletes a file that base does not have"
            target.unlink()
        elif value is DIR:
            target.mkdir()
        elif isinstance(value, Link):
            if target.is_file():
                target.unlink()
            target.symlink_to(value.target)
        elif isinstance(value, Edit):
            text = target.read_text(encoding="utf-8") if target.exists() else ""
            assert value.old in text, f"{row.id}: {value.old!r} is not in {rel}"
            target.write_text(text.replace(value.old, value.new, 1), encoding="utf-8", newline="")
        elif isinstance(value, bytes):
            target.write_bytes(value)
        else:
            assert isinstance(value, str)
            target.write_text(value, encoding="utf-8", newline="")
    return repo


def snapshot_all(repo: Path) -> dict[str, bytes | str]:
    """Every entry of the repository (bytes of files, targets of links), the cache left out."""
    found: dict[str, bytes | str] = {}
    for path in sorted(repo.rglob("*")):
        rel = path.relative_to(repo)
        if rel.parts[0] == ".idmeet-cache":
            continue
        if path.is_symlink():
            found[rel.as_posix()] = "-> " + os.readlink(path)
        elif path.is_dir():
            found[rel.as_posix()] = "<dir>"
        else:
            found[rel.as_posix()] = path.read_bytes()
    return found


def run_case(row: Row) -> Any:
    """Run the row's command in the current folder (the repository)."""
    from idmeet.cli import app

    return make_runner().invoke(app, ["--repo", ".", *shlex.split(row.command)])


def test_corpus_table_is_well_formed() -> None:
    ids = [row.id for row in ROWS]
    assert len(ids) == len(set(ids)), "row ids must be unique"
    assert all(isinstance(row.changes, tuple) for row in ROWS), "changes is a tuple of paths"
    inputs = {(repr(sorted(row.files.items())), row.command) for row in ROWS}
    assert len(inputs) == len(ROWS), "two rows run the same command on the same input"
    broken = [row for row in ROWS if row.exit != 0]
    assert len(broken) >= 100


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_corpus(row: Row, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = build(row, tmp_path)
    before = snapshot_all(repo)
    monkeypatch.chdir(repo)
    result = run_case(row)
    assert_no_crash(result)
    assert result.exit_code != 70, result.stderr
    assert result.exit_code == row.exit, (result.exit_code, result.stderr, result.stdout)
    first = result.stderr.splitlines()[0] if result.stderr else ""
    assert first == row.first_line.replace("{repo}", str(repo)), result.stderr
    after = snapshot_all(repo)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert set(changed) <= set(row.changes), f"files changed: {changed}"


def _observe(row: Row, tmp_path: Path) -> tuple[int, str, list[str]]:
    """What the row's command does now: exit code, first stderr line, changed files."""
    repo = build(row, tmp_path)
    before = snapshot_all(repo)
    cwd = Path.cwd()
    os.chdir(repo)
    try:
        result = run_case(row)
    finally:
        os.chdir(cwd)
    after = snapshot_all(repo)
    first = result.stderr.splitlines()[0] if result.stderr else ""
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    return result.exit_code, first.replace(str(repo), "{repo}"), changed


if __name__ == "__main__":  # `python3 -m tests.test_corpus [ID...]`: what rows do now, to write new ones
    import sys
    import tempfile

    for row in ROWS:
        if len(sys.argv) == 1 or row.id in sys.argv[1:]:
            with tempfile.TemporaryDirectory() as folder:
                print(row.id, *_observe(row, Path(folder)), sep="\n  ")
