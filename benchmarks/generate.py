"""Generate a deterministic, realistic idmeet repository for benchmarks and tests.

Usage: ``python3 benchmarks/generate.py OUTDIR [--actions 10000] [--meetings 500] [--seed 42]``

The output follows docs/format.md. All randomness comes from one ``random.Random(seed)``
and no clock is read, so the same arguments always give byte-identical files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base 32, lower case
REDACTED = "5.1, 2, e"
EPOCH = dt.date(2015, 1, 1)
TODAY = dt.date(2025, 6, 1)  # fixed "now": meetings after it are planned, before it held

ORGANISATION = "Gemeente Amsterdam, Bureau Inclusie en Diversiteit"

# (full name, aliases, role, public_official)
PEOPLE: list[tuple[str, list[str], str, bool]] = [
    ("Peter Teesink", ["Peter"], "directeur", True),
    ("Marieke de Vries", ["Marieke", "MdV"], "programmamanager", True),
    ("Jeroen Bakker", ["Jeroen"], "beleidsadviseur", False),
    ("Fatima Bouzid", ["Fatima"], "projectleider", False),
    ("Sanne van Dijk", ["Sanne"], "communicatieadviseur", False),
    ("Aïcha El Amrani", ["Aïcha"], "senior beleidsmedewerker", False),
    ("Willem Jansen", ["Wim"], "controller", False),
    ("Noor Hendriks", ["Noor"], "HR-adviseur", False),
    ("Ruud van der Meer", ["Ruud"], "teamleider", True),
    ("Esther Visser", ["Esther"], "jurist", False),
    ("Kees Smit", ["Kees"], "secretaris", False),
    ("Lotte de Graaf", ["Lotte"], "stagiair", False),
]

CATEGORIES = ["mededeling", "ter bespreking", "ter besluitvorming", "ter kennisname"]
ITEM_STATUSES = ["besproken", "besproken", "besproken", "uitgesteld", "niet besproken"]
STATUS_WEIGHTS = [("open", 30), ("waiting", 5), ("done", 55), ("dropped", 10)]
TAGS = [
    "gmt",
    "p&o",
    "communicatie",
    "budget",
    "woo",
    "huisvesting",
    "inclusie",
    "diversiteit",
    "werving",
    "leersessie",
    "monitor",
    "raadsvragen",
    "subsidie",
]
LOG_TEXTS = [
    "komt hierop terug",
    "besproken in het overleg",
    "wacht op reactie van de directie",
    "eerste versie gedeeld",
    "afgerond",
    "uitgesteld tot na het reces",
    "navraag gedaan bij P&O",
    "concept ligt ter review",
    "nieuwe deadline afgesproken",
    "doorgezet naar de stuurgroep",
]

NOUNS = [
    "leersessie",
    "stuurgroep",
    "monitor",
    "jaarplan",
    "begroting",
    "werkagenda",
    "actieplan",
    "evaluatie",
    "rapportage",
    "voortgang",
    "communicatieplan",
    "prestatieafspraken",
    "raadsinformatiebrief",
    "wervingscampagne",
    "klankbordgroep",
    "onderzoeksopzet",
    "inclusiescan",
    "dashboard",
    "netwerkbijeenkomst",
    "werkbezoek",
    "uitvoeringsagenda",
    "bestuursopdracht",
    "collegevoorstel",
    "nota",
    "factsheet",
]
ADJECTIVES = [
    "nieuwe",
    "concept",
    "herziene",
    "definitieve",
    "jaarlijkse",
    "tussentijdse",
    "gezamenlijke",
    "interne",
    "externe",
    "integrale",
    "structurele",
    "voorlopige",
]
SUBJECTS = [
    "De stuurgroep",
    "Het team",
    "De directie",
    "Het programma",
    "De werkgroep",
    "De gemeente",
    "Het bureau",
    "De projectleider",
    "Het college",
    "De afdeling",
]
VERBS = [
    "bespreekt",
    "neemt kennis van",
    "stelt vast",
    "bereidt voor",
    "evalueert",
    "werkt uit",
    "verkent",
    "agendeert",
    "deelt",
    "herziet",
    "ondersteunt",
    "monitort",
]
TAILS = [
    "voor de zomer",
    "in het volgende overleg",
    "met de betrokken partners",
    "na afstemming met P&O",
    "in overleg met de directie",
    "binnen de huidige begroting",
    "voor het einde van het kwartaal",
    "op basis van de eerste resultaten",
    "samen met de klankbordgroep",
    "zoals eerder afgesproken",
]
QUESTIONS = [
    "Sluit het voorstel aan op jullie verwachtingen?",
    "Kunnen jullie je hierin vinden?",
    "Welke prioriteit geven jullie aan dit onderwerp?",
    "Zijn er aanvullingen op de planning?",
    "Stemmen jullie in met de voorgestelde aanpak?",
    "Wie neemt het eigenaarschap voor de uitvoering?",
    "Is het budget voldoende voor deze fase?",
    "Welke risico's zien jullie nog?",
]
QUESTION_HEADINGS = [
    "Vragen aan de stuurgroep",
    "Vragen aan de stuurgroep",
    "Bespreekpunt",
    "Wij vragen je om",
    "Vraag aan het overleg",
]
ROOMS = ["2.C.4", "3.A.12", "Raadzaal", "Teams", "1.B.7"]


@dataclass
class Series:
    """One meeting series as configured in idmeet.yaml."""

    key: str
    title: str
    start: str
    end: str
    location: str
    chair: str
    minute_taker: str
    invitees: list[str]
    weekday: int  # Monday = 0
    monthly: str | None = None  # e.g. "second" (with weekday) or None for weekly
    skip: list[dt.date] = field(default_factory=list)


@dataclass
class Meeting:
    """A generated meeting: its series and date."""

    series: Series
    date: dt.date

    @property
    def ref(self) -> str:
        """The ``series/date`` pointer used by actions."""
        return f"{self.series.key}/{self.date.isoformat()}"


WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday"]
ORDINALS = {"first": 0, "second": 1, "third": 2, "fourth": 3}


def make_series() -> list[Series]:
    """The two fixed series."""
    return [
        Series(
            key="stuurgroep",
            title="Stuurgroep Inclusie en Diversiteit",
            start="16:00",
            end="17:00",
            location="2.C.4",
            chair="Peter Teesink",
            minute_taker=REDACTED,
            invitees=["Peter Teesink", "Marieke de Vries", "Ruud van der Meer", REDACTED],
            weekday=0,
            monthly="second",
        ),
        Series(
            key="voortgangsoverleg",
            title="Voortgangsoverleg Bureau I&D",
            start="09:30",
            end="10:15",
            location="3.A.12",
            chair="Marieke de Vries",
            minute_taker="Kees Smit",
            invitees=["Marieke de Vries", "Jeroen Bakker", "Fatima Bouzid", "Sanne van Dijk"],
            weekday=1,
        ),
    ]


def nth_weekday(year: int, month: int, weekday: int, ordinal: int) -> dt.date:
    """The ordinal-th (0-based) given weekday of a month."""
    first = dt.date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return first + dt.timedelta(days=offset + 7 * ordinal)


def candidate_dates(series: Series, count: int) -> list[dt.date]:
    """Dates on the series' cadence from 2015 on, at least ``count`` of them plus slack."""
    n = max(count + count // 10 + 3, 120 if series.monthly else 520)
    if series.monthly:
        ordinal = ORDINALS[series.monthly]
        out = []
        for i in range(n):
            year, month = EPOCH.year + i // 12, i % 12 + 1
            out.append(nth_weekday(year, month, series.weekday, ordinal))
        return out
    first = EPOCH + dt.timedelta(days=(series.weekday - EPOCH.weekday()) % 7)
    return [first + dt.timedelta(weeks=i) for i in range(n)]


def make_meetings(rng: random.Random, series: list[Series], total: int) -> list[Meeting]:
    """Pick unique, on-cadence dates per series; fill each series' skip list."""
    n_stuur = total // 4
    counts = [n_stuur, total - n_stuur]
    meetings: list[Meeting] = []
    for s, count in zip(series, counts, strict=True):
        cands = candidate_dates(s, count)
        chosen = sorted(rng.sample(cands, count))
        taken = set(chosen)
        free = [d for d in cands if d not in taken]
        s.skip = sorted(rng.sample(free, min(3, len(free))))
        meetings.extend(Meeting(s, d) for d in chosen)
    return meetings


# ---------------------------------------------------------------- text


def sentence(rng: random.Random) -> str:
    """One Dutch-looking sentence."""
    return (
        f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} de {rng.choice(ADJECTIVES)} "
        f"{rng.choice(NOUNS)} {rng.choice(TAILS)}."
    )


def paragraph(rng: random.Random, lo: int = 1, hi: int = 4) -> str:
    """A paragraph of lo..hi sentences."""
    return " ".join(sentence(rng) for _ in range(rng.randint(lo, hi)))


def title(rng: random.Random) -> str:
    """A short capitalised title."""
    r = rng.random()
    if r < 0.4:
        words = f"{rng.choice(NOUNS)} {rng.choice(NOUNS)}"
    elif r < 0.8:
        words = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"
    else:
        words = f"{rng.choice(NOUNS)} {rng.choice(TAGS)}"
    return words[0].upper() + words[1:]


def person_name(rng: random.Random, person: tuple[str, list[str], str, bool] | None = None) -> str:
    """A person (random if not given) as full name or alias, occasionally in lower case."""
    name, aliases, _, _ = person or rng.choice(PEOPLE)
    written = rng.choice(aliases) if rng.random() < 0.6 else name
    if rng.random() < 0.02:
        written = written.lower()
    return written


def yaml_list_block(key: str, values: list[str]) -> str:
    """A block-style YAML list (safe for values with commas, such as redaction marks)."""
    return f"{key}:\n" + "".join(f"  - {v}\n" for v in values)


# ---------------------------------------------------------------- idmeet.yaml


def render_config(series: list[Series]) -> str:
    """The text of idmeet.yaml."""
    lines = [
        "# idmeet repository generated by benchmarks/generate.py",
        f"organisation: {ORGANISATION}",
        "language: nl",
        "",
        "people:",
    ]
    for name, aliases, role, public in PEOPLE:
        lines.append(f"  - name: {name}")
        lines.append(f"    aliases: [{', '.join(aliases)}]")
        lines.append(f"    role: {role}")
        if public:
            lines.append("    public_official: true")
    lines += ["", "series:"]
    for s in series:
        invitees = ", ".join(f'"{v}"' if "," in v else v for v in s.invitees)
        lines += [
            f"  {s.key}:",
            f"    title: {s.title}",
            f"    chair: {s.chair}",
            f"    minute_taker: {s.minute_taker}",
            f"    invitees: [{invitees}]",
            f"    location: {s.location}",
            f"    start: {s.start}",
            f"    end: {s.end}",
            "    cadence:",
        ]
        if s.monthly:
            lines.append(f"      monthly: {s.monthly} {WEEKDAYS[s.weekday]}")
        else:
            lines += ["      every: 1", f"      weekday: {WEEKDAYS[s.weekday]}"]
        lines.append(f"    skip: [{', '.join(d.isoformat() for d in s.skip)}]")
        lines += [
            "    standing_items:",
            "      - title: Mededelingen / actualiteiten",
            "        category: mededeling",
            "      - title: Rondvraag",
            "        position: end",
        ]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- meetings


def render_item(
    rng: random.Random, number: int, meeting: Meeting, labels: set[str], held: bool, fixed_title: str | None = None
) -> str:
    """One ``## N. Title`` agenda item with meta lines, attachments, text and questions."""
    heading = f"## {number}. {fixed_title or title(rng)}"
    if fixed_title is None and rng.random() < 0.15:
        heading += f" ({rng.choice([10, 15, 20, 30, 45])} min.)"
    out = [heading, ""]
    meta = []
    if fixed_title is None and rng.random() < 0.6:
        meta.append(f"Categorie: {rng.choice(CATEGORIES)}")
    if held and rng.random() < 0.3:
        meta.append(f"Status: {rng.choice(ITEM_STATUSES)}")
    if meta:
        out += [*meta, ""]
    if fixed_title is None and rng.random() < 0.4:
        for suffix in [""] + (["a"] if rng.random() < 0.25 else []):
            label = f"{number}{suffix}"
            if label in labels:
                continue
            labels.add(label)
            stamp = (meeting.date - dt.timedelta(days=rng.randint(3, 10))).strftime("%Y%m%d")
            att = f"{stamp} {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"
            r = rng.random()
            if r < 0.08:
                att = f"GEHEIM_{att}"
            elif r < 0.15:
                att += " (vertrouwelijk)"
            line = f"Bijlage {label}: {att}"
            out += [f"*{line}*" if rng.random() < 0.2 else line, ""]
    for _ in range(rng.randint(0, 2) if fixed_title else rng.randint(1, 3)):
        out += [paragraph(rng), ""]
    if fixed_title is None and rng.random() < 0.3:
        out += [f"- {sentence(rng)}" for _ in range(rng.randint(1, 3))] + [""]
    if fixed_title is None and rng.random() < 0.25:
        out += [f"### {rng.choice(QUESTION_HEADINGS)}", ""]
        out += [f"- {q}" for q in rng.sample(QUESTIONS, rng.randint(1, 3))] + [""]
    return "\n".join(out)


def render_meeting(rng: random.Random, m: Meeting) -> str:
    """The text of one meeting file."""
    s = m.series
    held = m.date < TODAY
    status = ("approved" if m.date < TODAY - dt.timedelta(days=60) else "held") if held else "planned"
    fm = ["---", f"series: {s.key}", f"date: {m.date.isoformat()}"]
    if rng.random() < 0.7:
        fm += [f"start: {s.start}", f"end: {s.end}"]
    fm.append(f"location: {rng.choice(ROOMS) if rng.random() < 0.2 else s.location}")
    invitees = list(s.invitees)
    extra = rng.sample(PEOPLE, 2)
    invitees += [p[0] for p in extra if p[0] not in invitees]
    fm.append(yaml_list_block("invitees", invitees).rstrip("\n"))
    if held and rng.random() < 0.8:
        attendees = [v for v in invitees if rng.random() < 0.8] or invitees[:1]
        fm.append(yaml_list_block("attendees", attendees).rstrip("\n"))
    fm.append(f"minute_taker: {s.minute_taker}")
    if rng.random() < 0.3:
        fm.append(f"chair: {s.chair}")
    fm.append(f"status: {status}")
    fm.append("---")

    n_items = rng.randint(4, 9)
    labels: set[str] = set()
    items = [render_item(rng, 1, m, labels, held, "Mededelingen / actualiteiten")]
    for i in range(2, n_items):
        items.append(render_item(rng, i, m, labels, held))
    items.append(render_item(rng, n_items, m, labels, held, "Rondvraag"))
    body = "\n".join(fm) + "\n\n# Agenda\n\n" + "\n".join(items)
    return body.rstrip("\n") + "\n"


# ---------------------------------------------------------------- actions


def new_id(rng: random.Random, used: set[str]) -> str:
    """A fresh 8-character id from the rng."""
    while True:
        ident = "".join(rng.choices(ID_ALPHABET, k=8))
        if ident not in used:
            used.add(ident)
            return ident


def render_action(rng: random.Random, ident: str, meetings: list[Meeting], series: list[Series]) -> str:
    """The text of one action file."""
    r = rng.random()
    if r < 0.03:
        owner = f"owner: {REDACTED}"
    elif r < 0.08:
        one, two = rng.sample(PEOPLE, 2)
        owners = [person_name(rng, one), REDACTED if rng.random() < 0.1 else person_name(rng, two)]
        owner = yaml_list_block("owner", owners).rstrip("\n")
    else:
        owner = f"owner: {person_name(rng)}"
    status = rng.choices([s for s, _ in STATUS_WEIGHTS], [w for _, w in STATUS_WEIGHTS])[0]
    meeting = rng.choice(meetings) if rng.random() < 0.8 else None
    if meeting is not None:
        opened = meeting.date + dt.timedelta(days=rng.randint(0, 2))
    else:
        opened = EPOCH + dt.timedelta(days=rng.randint(0, (TODAY - EPOCH).days))
    if opened > TODAY:
        status = "open"  # an action from a future meeting cannot be done yet

    fm = ["---", f"id: {ident}", f"title: {title(rng)}", owner, f"status: {status}"]
    fm.append(f"opened: {opened.isoformat()}")
    if rng.random() < 0.5:
        fm.append(f"due: {(opened + dt.timedelta(days=rng.randint(1, 90))).isoformat()}")
    if meeting is not None:
        fm.append(f"meeting: {meeting.ref}")
        fm.append(f"series: {meeting.series.key}")
    elif rng.random() < 0.5:
        fm.append(f"series: {rng.choice(series).key}")
    r = rng.random()
    if r < 0.1:
        fm.append(f"tags: {rng.choice(TAGS)}")
    elif r < 0.8:
        fm.append(f"tags: [{', '.join(rng.sample(TAGS, rng.randint(1, 3)))}]")
    fm.append("---")

    text = "\n".join(fm) + "\n\n" + paragraph(rng, 1, 3) + "\n"
    n_log = rng.randint(0, 4)
    if n_log:
        days = sorted(rng.randint(1, 200) for _ in range(n_log))
        text += "\n## Log\n\n" + "".join(
            f"- {(opened + dt.timedelta(days=d)).isoformat()}: {rng.choice(LOG_TEXTS)}\n" for d in days
        )
    return text


# ---------------------------------------------------------------- main


def write(path: Path, text: str) -> None:
    """Write UTF-8 with "\\n" newlines on every platform."""
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def generate(out: Path, n_actions: int, n_meetings: int, seed: int) -> dict[str, int]:
    """Write the repository into ``out``; return counts of files written per folder."""
    if n_meetings < 1 and n_actions:
        n_meetings = 1  # actions need at least one meeting to point to
    rng = random.Random(seed)
    series = make_series()
    meetings = make_meetings(rng, series, n_meetings)
    out.mkdir(parents=True, exist_ok=True)
    write(out / "idmeet.yaml", render_config(series))
    counts: dict[str, int] = {"idmeet.yaml": 1}
    for s in series:
        (out / s.key).mkdir(exist_ok=True)
    for m in meetings:
        write(out / m.series.key / f"{m.date.isoformat()}.md", render_meeting(rng, m))
        counts[m.series.key] = counts.get(m.series.key, 0) + 1
    (out / "actions").mkdir(exist_ok=True)
    used: set[str] = set()
    for _ in range(n_actions):
        ident = new_id(rng, used)
        write(out / "actions" / f"{ident}.md", render_action(rng, ident, meetings, series))
    counts["actions"] = n_actions
    return counts


def clear(out: Path) -> None:
    """Remove what a previous run wrote into ``out`` (and nothing else)."""
    for s in make_series():
        shutil.rmtree(out / s.key, ignore_errors=True)
    shutil.rmtree(out / "actions", ignore_errors=True)
    (out / "idmeet.yaml").unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("outdir", type=Path)
    p.add_argument("--actions", type=int, default=10000)
    p.add_argument("--meetings", type=int, default=500)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--force", action="store_true", help="first remove files a previous run wrote into OUTDIR")
    p.add_argument("-q", "--quiet", action="store_true")
    a = p.parse_args(argv)
    if a.actions < 0 or a.meetings < 0:
        p.error("--actions and --meetings must be >= 0")
    if a.outdir.exists() and any(a.outdir.iterdir()):
        if not a.force:
            p.error(f"{a.outdir} is not empty (use --force to replace a generated repository)")
        clear(a.outdir)
    t0 = time.perf_counter()
    counts = generate(a.outdir, a.actions, a.meetings, a.seed)
    elapsed = time.perf_counter() - t0
    if not a.quiet:
        for name, n in counts.items():
            shown = name if name == "idmeet.yaml" else f"{name}/ ({n} files)"
            print(f"wrote {a.outdir / shown}")
        total = sum(counts.values())
        print(f"{total} files, seed {a.seed}, in {elapsed:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
