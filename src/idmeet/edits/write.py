"""Writing files safely: atomic replacement, and new repositories.

Every write goes to a temporary file in the same folder and is renamed over the target,
so a crash or a full disk never leaves a half-written file behind.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
from pathlib import Path

from idmeet.core.diagnostics import IdmeetError, option
from idmeet.store.paths import within

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

TEMP_SUFFIX = ".idmeet-tmp"  # what a write's temporary file ends in: ignored by git (GITIGNORE)
GITIGNORE = f".idmeet-cache/\n*{TEMP_SUFFIX}\n"
# Temporary files of interrupted writes: ``.<name>.<random>.idmeet-tmp``, and the
# ``.<name>.<random>.tmp`` of idmeet before 0.x (tempfile's 8 random characters).
_STALE_RE = re.compile(rf"^\..+\.[A-Za-z0-9_]{{8}}(\.tmp|{re.escape(TEMP_SUFFIX)})$")


def repository_target(root: Path, path: Path) -> Path:
    """Where a write to ``path`` lands, refused when it would leave the repository ``root``.

    Symbolic links are followed only while they stay inside the repository: a linked folder
    or file that points elsewhere is refused with one line; one that points inside is
    written through (the link stays a link)."""
    real = within(str(root), str(path))
    if real is None:
        raise IdmeetError(f"{_leaving_link(root, path)}: idmeet writes only inside the repository; nothing was written")
    return Path(real)


def _leaving_link(root: Path, path: Path) -> str:
    """Says which link of ``path`` leads out of the repository (its first one that does)."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return f"{path} is outside the repository"
    for count in range(1, len(parts) + 1):
        step = root.joinpath(*parts[:count])
        if step.is_symlink() and within(str(root), str(step)) is None:
            rel = "/".join(parts[:count])
            return f"{rel} is a symbolic link to {os.readlink(step)}, outside the repository"
    return f"{'/'.join(parts)} leads outside the repository"


def atomic_write(path: Path, text: str | bytes, root: Path | None = None) -> Path:
    """Replace ``path`` with ``text`` (UTF-8, "\\n" newlines; bytes as they are) in one rename;
    returns the file written.

    With ``root`` (a repository), the path must stay inside it (``repository_target``), the
    write holds the repository's lock (``store.lock``), and temporary files that killed
    writes left in the folder are removed first."""
    target = path if root is None else repository_target(root, path)
    try:
        if root is None:
            _atomic_write(target, text)
        else:
            from idmeet.store.lock import repository_lock

            with repository_lock(root):
                clean_stale_temps(target.parent)
                _atomic_write(target, text)
    except OSError as exc:
        raise IdmeetError(f"cannot write {path}: {exc.strerror or exc}; nothing was changed") from None
    return target


def output_target(root: Path, output: Path) -> list[Path]:
    """Check a document's ``--output`` file; returns the folders that writing it will create.

    Refused: a file of the repository's own (idmeet.yaml, a meeting, action or proposal file,
    a template, ``.gitignore``, anything in ``.git`` or the cache), whether it exists or not
    (a new ``.md`` in a series folder would be read as a meeting), and a folder. Links are
    followed, so a link cannot smuggle the write onto such a file."""
    from idmeet.store.listing import classify

    real = Path(os.path.realpath(output))
    real_root = Path(os.path.realpath(root))
    if real.is_dir():
        raise IdmeetError(f"{option('output')} {output} is a folder: give a file name, e.g. {output / 'agenda.html'}")
    if real.is_relative_to(real_root):
        rel = real.relative_to(real_root).as_posix()
        own = (
            classify(rel) is not None
            or rel.split("/")[0] in (".git", ".idmeet-cache", "templates")
            or rel in (".gitignore", "README.md")
        )
        if own:
            raise IdmeetError(
                f"{option('output')} {output} is the repository's own file {rel}: idmeet will not write a document "
                "over it (choose another name, e.g. agenda.html); nothing was written"
            )
    missing = []
    folder = output.parent
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    return list(reversed(missing))


def clean_stale_temps(folder: Path) -> list[Path]:
    """Remove the temporary files of interrupted idmeet writes from ``folder``.

    Call only while holding the repository's lock: every idmeet write holds it, so a
    temporary file found then belongs to a write that will never finish."""
    removed: list[Path] = []
    try:
        names = os.listdir(folder)  # (names only: a folder of 10,000 actions is listed at each write)
    except OSError:
        return removed
    for name in names:
        if name[0] == "." and _STALE_RE.match(name):
            path = os.path.join(folder, name)
            try:
                if not stat.S_ISREG(os.lstat(path).st_mode):
                    continue
                os.unlink(path)
            except OSError:
                continue
            removed.append(Path(path))
    return removed


def clean_repository_temps(root: Path) -> list[str]:
    """Remove stale temporary files from the repository's folders (its root and the folders
    in it); repository-relative paths of those removed. Takes the lock only when there is
    something to remove, and does nothing while another idmeet command holds it (its write
    may be under way)."""
    from idmeet.store.lock import release, try_acquire

    try:
        folders = [root]
        with os.scandir(root) as entries:
            skip = (".git", ".idmeet-cache")
            folders += [Path(e.path) for e in entries if e.is_dir(follow_symlinks=False) and e.name not in skip]
        if not any(_STALE_RE.match(name) for folder in folders for name in os.listdir(folder)):
            return []
    except OSError:
        return []
    if not try_acquire(root):
        return []
    try:
        return sorted(p.relative_to(root).as_posix() for folder in folders for p in clean_stale_temps(folder))
    finally:
        release(root)


def _atomic_write(path: Path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        if isinstance(text, bytes):
            with os.fdopen(fd, "wb") as binary:
                binary.write(text)
                binary.flush()
                os.fsync(binary.fileno())
        else:
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


def replace_folder(directory: Path, files: dict[str, bytes], marker: str) -> None:
    """Make ``directory`` hold exactly ``files`` (relative "/" paths -> bytes): built beside it,
    then swapped in, so a reader never sees half a folder. An existing folder is replaced only
    when it holds ``marker`` (idmeet built it) or is empty: never someone's own files."""
    if directory.exists():
        if not directory.is_dir():
            raise IdmeetError(f"cannot write {directory}: it is a file, not a folder; nothing was changed")
        if not (directory / marker).is_file() and any(directory.iterdir()):
            raise IdmeetError(
                f"{directory} is not empty and was not made by idmeet (no {marker}): "
                "choose another folder or empty it; nothing was changed"
            )
    parent = directory.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        fresh = Path(tempfile.mkdtemp(dir=parent, prefix=f".{directory.name}.", suffix=".idmeet-tmp"))
    except OSError as exc:
        raise IdmeetError(f"cannot write {directory}: {exc.strerror or exc}; nothing was changed") from None
    old = parent / f".{directory.name}.old.idmeet-tmp"
    try:
        for rel, data in files.items():
            target = fresh.joinpath(*rel.split("/"))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        os.chmod(fresh, 0o755)
        shutil.rmtree(old, ignore_errors=True)
        if directory.exists():
            os.replace(directory, old)
        os.replace(fresh, directory)
        shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        shutil.rmtree(fresh, ignore_errors=True)
        if old.exists() and not directory.exists():
            os.replace(old, directory)
        raise IdmeetError(f"cannot write {directory}: {exc.strerror or exc}; nothing was changed") from None


def in_git(directory: Path) -> bool:
    """Is ``directory`` inside a git work tree? False too when git is not installed."""
    import subprocess

    try:
        done = subprocess.run(
            ["git", "-C", str(directory), "rev-parse", "--is-inside-work-tree"],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return False
    return done.returncode == 0 and done.stdout.strip() == "true"


def git_init(directory: Path) -> None:
    """Run ``git init`` in ``directory`` (a list of arguments, no shell)."""
    import subprocess

    try:
        done = subprocess.run(["git", "init", "-q", str(directory)], capture_output=True, text=True, check=False)
    except OSError as exc:
        raise IdmeetError(f"cannot run git: {exc.strerror}; install git, then run 'git init {directory}'") from None
    if done.returncode != 0:
        message = (done.stderr.strip().splitlines() or ["git init failed"])[-1]
        raise IdmeetError(f"git init {directory}: {message}")


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
        else:
            current = ignore.read_text(encoding="utf-8", errors="replace")
            missing = [line for line in GITIGNORE.splitlines() if line not in current.splitlines()]
            if missing:
                glue = "" if current.endswith("\n") or not current else "\n"
                atomic_write(ignore, current + glue + "".join(f"{line}\n" for line in missing))
                created.append(ignore)
    except OSError as exc:
        raise IdmeetError(f"cannot create the repository in {directory}: {exc.strerror}") from None
    return created
