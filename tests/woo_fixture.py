"""A repository for the Woo publication tests: made-up people planted in every kind of field.

Every non-public person has a unique made-up name, alias and e-mail address; they stand in
frontmatter (invitees, attendees, chair, minute-taker, title, location), headings, item text,
questions, attachment titles, link texts, minutes, decisions, action lines, action titles,
descriptions, owners, log lines, proposals and YAML comments. The public official
(Wilhelmina Oosterbeek, wethouder) must stay named.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

# name -> (aliases, e-mail address)
HIDDEN = {
    "Zorba Quintelier": (("Zorba",), "zorba.quintelier@example.org"),
    "Élodie Vranckx": (("Elodie",), "e.vranckx@example.org"),
    "Bartholomeus Knuffelaar": (("Barto",), "barto@example.org"),
}
PUBLIC = "Wilhelmina Oosterbeek"
PUBLIC_ALIAS = "Willy"


def hidden_words() -> list[str]:
    """Every name, alias and e-mail address that must not be published."""
    return [w for name, (aliases, email) in HIDDEN.items() for w in (name, *aliases, email)]


CONFIG = """\
# Woo test repository. Zorba Quintelier wrote this file (a YAML comment: never published).
organisation: Gemeente Voorbeeld
language: nl
people:
  - name: Zorba Quintelier
    aliases: [Zorba]
    role: beleidsadviseur
  - name: Élodie Vranckx
    aliases: [Elodie]
    role: secretaris
  - name: Bartholomeus Knuffelaar
    aliases: [Barto]
  - name: Wilhelmina Oosterbeek
    aliases: [Willy]
    role: wethouder
    public_official: true
series:
  overleg:
    title: Overleg Voorbeeld
    chair: Wilhelmina Oosterbeek
    minute_taker: Barto   # Bartholomeus Knuffelaar writes the minutes
    invitees: [Zorba, Elodie]
    location: Kamer 1
    start: 10:00
    end: 11:00
"""

MEETING = """\
---
series: overleg
date: 2024-03-04
title: Overleg Voorbeeld met Zorba
location: Kamer van Elodie
invitees:
  - Zorba Quintelier
  - elodie vranckx   # Élodie Vranckx (a comment)
  - Wilhelmina Oosterbeek
attendees:
  - ZORBA
  - Elodie Vranckx
  - Willy
chair: Wilhelmina Oosterbeek
minute_taker: Bartholomeus Knuffelaar
status: approved
---

# Agenda

## 1. Bila Zorba

Bijlage 1: Notitie van Barto

Bijlage 2: GEHEIM_Brief aan Élodie

Bijlage 3: Advies grondexploitatie (vertrouwelijk, 5.1.2b)

Zorba's voorstel is besproken met wethouder Wilhelmina Oosterbeek. Mail zorba.quintelier@example.org
of lees het [verslag van Élodie](https://example.org/verslag). {lak 5.2}Willy vindt dit geen goed plan.{/lak}
Oud gelakt: 5.1, 2, e en i.1, 2, e.

### Vragen

- Wat vindt BARTO hiervan?
- Kan (Elodie) dit oppakken?

### Verslag

Zorba Quintelier en Élodie bespraken het plan; Barto's notitie, e.vranckx@example.org en barto@example.org volgen.

### Besluiten

- Elodie Vranckx mag door met het plan.

### Acties

- [ ] @Zorba belt Bartholomeus Knuffelaar <!-- a1b2c3d4 -->

## 2. Rondvraag

Geen.
"""

ACTION = """\
---
id: a1b2c3d4
title: Bel Barto
owner: [Zorba, Wilhelmina Oosterbeek]
status: open
opened: 2024-03-04
meeting: overleg/2024-03-04
item: 1
series: overleg
---

belt Bartholomeus Knuffelaar over het plan van Élodie.

## Log

- 2024-03-05: Zorba heeft Barto gebeld
"""

PROPOSAL = """\
---
id: p9q8r7s6
series: overleg
title: Voorstel van Zorba
by: Zorba Quintelier
---

Elodie wil dit bespreken.
"""

ALLOW = """\
# publish-allow.txt of the test repository
Notitie
Brief
Advies
Geen
Kamer
Bila
Mail
Oud
Bel
"""


def make_repository(root: Path) -> Path:
    """Write the Woo test repository under ``root``; returns ``root``."""
    files = {
        "idmeet.yaml": CONFIG,
        "overleg/2024-03-04.md": MEETING,
        "actions/a1b2c3d4.md": ACTION,
        "proposals/p9q8r7s6.md": PROPOSAL,
        "publish-allow.txt": ALLOW,
        "overleg/2024-03-04/bijlage-1-notitie.txt": "Notitie over het plan.\n",
        "overleg/2024-03-04/bijlage-2.txt": "Geheim: Élodie Vranckx schrijft.\n",
        "overleg/2024-03-04/bijlage-3.txt": "Vertrouwelijk advies.\n",
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), "utf-8")
    return root
