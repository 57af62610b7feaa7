"""Writing files safely: atomic replacement, and new repositories.

Every write goes to a temporary file in the same folder and is renamed over the target,
so a crash or a full disk never leaves a half-written file behind.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from idmeet.core.diagnostics import IdmeetError

CONFIG_TEMPLATE = """\
# idmeet repository: the organisation, its people and its meeting series.
# The format is described in docs/format.md of idmeet; 'idmeet check' validates it.

organisation: My organisation
language: nl          # nl or en: the language of rendered agendas and overviews

people: []
# people:
#   - name: Peter Teesink        # full name
#     aliases: [Peter]           # how people write the name in actions (@Peter)
#     role: directeur
#     public_official: true      # may the name be published (Woo)?

series: {}
# series:
#   stuurgroep:                  # the folder for its meetings: stuurgroep/2024-06-17.md
#     title: Stuurgroep Inclusie en Diversiteit
#     chair: Peter Teesink
#     minute_taker: Peter
#     invitees: [Peter Teesink]
#     location: 2.C.4
#     start: 16:00
#     end: 17:00
#     cadence:
#       every: 4                 # weeks
#       weekday: monday
#     skip: [2024-07-22]         # recess
#     standing_items:
#       - title: Mededelingen / actualiteiten
#         category: mededeling
#       - title: Rondvraag
#         position: end
"""

GITIGNORE = ".idmeet-cache/\n"


def atomic_write(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8, "\\n" newlines) in one rename."""
    try:
        _atomic_write(path, text)
    except OSError as exc:
        raise IdmeetError(f"cannot write {path}: {exc.strerror or exc}; nothing was changed") from None


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def init_repository(directory: Path) -> list[Path]:
    """Create a new repository in ``directory``; refuse if one is there already."""
    config = directory / "idmeet.yaml"
    if config.exists():
        raise IdmeetError(f"{config} already exists: '{directory}' is an idmeet repository already")
    if directory.exists() and not directory.is_dir():
        raise IdmeetError(f"{directory} is a file, not a folder")
    created = []
    try:
        (directory / "actions").mkdir(parents=True, exist_ok=True)
        atomic_write(config, CONFIG_TEMPLATE)
        created.append(config)
        keep = directory / "actions" / ".gitkeep"
        if not keep.exists():
            atomic_write(keep, "")
            created.append(keep)
        ignore = directory / ".gitignore"
        if not ignore.exists():
            atomic_write(ignore, GITIGNORE)
            created.append(ignore)
        elif ".idmeet-cache/" not in ignore.read_text(encoding="utf-8", errors="replace"):
            current = ignore.read_text(encoding="utf-8", errors="replace")
            atomic_write(ignore, current + ("" if current.endswith("\n") or not current else "\n") + GITIGNORE)
            created.append(ignore)
    except OSError as exc:
        raise IdmeetError(f"cannot create the repository in {directory}: {exc.strerror}") from None
    return created
