"""idmeet against Taskwarrior on the same 10,000 (and 100,000) actions, in one run.

Usage: ``python3 benchmarks/bench_taskwarrior.py [--actions 10000] [--big 100000] [--runs 10] [--before REV]
[--results benchmarks/RESULTS.md]``

It generates a repository (benchmarks/generate.py), loads the same actions into a private
Taskwarrior database (its own TASKRC and data folder, a UDA ``owner``), and times with
hyperfine, side by side: every reading command of issue 18 warm (check, meetings, show,
decisions, search when there is one, new-agenda --dry-run, report open-items, report actions,
export md and html) against Taskwarrior's answer to the users' query, the query and check cold
(cache removed before each run) against ``rg`` reading the same files (the floor of reading
them), ``idmeet action note`` against ``task ID annotate``, and ``--help`` and shell
completion (of a command, and of the values TAB offers: an action id, a meeting, an owner, a
series, and action ids for zsh with their titles) against ``python -c "import typer"``.
The reading commands (``meetings``, ``show``, ``decisions``, ``search``, ``new-agenda
--dry-run``, the reports and the exports on stdout) keep their last answers while the files,
the templates and the day are as they were: rows marked ``(no kept answer)`` time them with
those removed before each run, as the first run after a change pays. Ratios are taken within
this one run; absolute times say little across machines. At the larger size it times every
warm reading command again, with and without its kept answer, with the peak memory of a run
that has none.

It installs Taskwarrior, hyperfine and ripgrep with apt-get when they are missing and it
runs as root; otherwise it says what is missing and leaves those rows out.

idmeet is timed twice: as installed for the Python running this script (``pip install -e``,
the README's way) and installed into a private virtual environment of its own (``pip
install .``, as ``pipx install`` does), which starts without whatever ``.pth`` files the
system's site-packages run at every start (on the sandbox where RESULTS.md was made, one
imports ``certifi`` and costs 22 ms). ``--no-venv`` leaves the second out. Python writes its
bytecode as on a user's machine: ``PYTHONDONTWRITEBYTECODE`` is removed from the
environment, so no run pays for compiling idmeet's modules.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
TOOLS = {"task": "taskwarrior", "hyperfine": "hyperfine", "rg": "ripgrep"}


def ensure_tools() -> list[str]:
    """Install what is missing where we can; return the names still missing."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing and shutil.which("apt-get") and os.geteuid() == 0:
        print(f"installing {', '.join(TOOLS[t] for t in missing)} with apt-get ...", file=sys.stderr)
        subprocess.run(["apt-get", "update", "-qq"], check=False, capture_output=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", *(TOOLS[t] for t in missing)], check=False, capture_output=True
        )
        missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    for tool in missing:
        print(f"missing: {tool} (Debian package {TOOLS[tool]}); its rows are left out", file=sys.stderr)
    return missing


def idmeet_script() -> str:
    """The real console script beside this Python (not a version manager's shell shim)."""
    beside = Path(sys.executable).parent / "idmeet"
    if beside.is_file():
        return str(beside)
    found = shutil.which("idmeet")
    if not found:
        sys.exit("idmeet is not installed: python3 -m pip install -e '.[test]'")
    return found


def private_venv(folder: Path) -> Path | None:
    """idmeet installed (not editable, byte-compiled) into a new virtual environment; its bin
    folder, or None (said on stderr) when that cannot be done here."""
    print("installing idmeet into a private virtual environment ...", file=sys.stderr)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True, capture_output=True)
        bin_dir = folder / ("Scripts" if os.name == "nt" else "bin")
        subprocess.run(
            [str(bin_dir / "python"), "-m", "pip", "install", "-q", str(HERE.parent)], check=True, capture_output=True
        )
    except subprocess.CalledProcessError as exc:
        print(
            f"no private virtual environment ({exc.stderr.decode(errors='replace').strip()[-200:]}); "
            "its rows are left out",
            file=sys.stderr,
        )
        return None
    return bin_dir


def generate(target: Path, actions: int, meetings: int) -> None:
    subprocess.run(
        [
            sys.executable,
            str(HERE / "generate.py"),
            str(target),
            "--actions",
            str(actions),
            "--meetings",
            str(meetings),
            "-q",
        ],
        check=True,
    )


def taskwarrior_db(repo: Path, folder: Path) -> dict[str, str]:
    """Load the repository's actions into a private Taskwarrior database; its environment."""
    sys.path.insert(0, str(HERE.parent / "src"))
    from idmeet.store.load import load

    loaded, _ = load(repo, with_meetings=False)
    (folder / "data").mkdir(parents=True, exist_ok=True)
    rc = folder / "taskrc"
    rc.write_text(
        f"data.location={folder / 'data'}\nuda.owner.type=string\nuda.owner.label=Owner\n"
        "verbose=nothing\nconfirmation=no\nsearch.case.sensitive=no\nhooks=off\n",
        encoding="utf-8",
    )
    status = {"open": "pending", "waiting": "pending", "done": "completed", "dropped": "deleted"}
    tasks = []
    for action in loaded.actions:
        stamp = action.opened.strftime("%Y%m%dT000000Z")
        task = {
            "uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, action.id)),
            "description": action.title,
            "status": status[action.status],
            "entry": stamp,
            "owner": ", ".join(loaded.display_name(o) for o in action.owners),
        }
        if task["status"] != "pending":
            task["end"] = stamp
        if action.due:
            task["due"] = action.due.strftime("%Y%m%dT000000Z")
        tasks.append(task)
    (folder / "tasks.json").write_text(json.dumps(tasks), encoding="utf-8")
    env = {**os.environ, "TASKRC": str(rc), "TASKDATA": str(folder / "data")}
    subprocess.run(["task", "import", str(folder / "tasks.json")], env=env, check=True, capture_output=True)
    return env


def hyperfine(
    commands: dict[str, str], runs: int, workdir: Path, env: dict[str, str], prepare: dict[str, str]
) -> dict[str, float]:
    """Median seconds of each command, timed by hyperfine in one session."""
    out = workdir / "hyperfine.json"
    args = ["hyperfine", "-N", "--warmup", "2", "--runs", str(runs), "--export-json", str(out), "-i"]
    for name, command in commands.items():
        if name in prepare:
            args += ["--prepare", prepare[name]]
        else:
            args += ["--prepare", "true"]
        args += ["--command-name", name, command]
    subprocess.run(args, env=env, check=True, capture_output=True, cwd=workdir)
    results = json.loads(out.read_text())["results"]
    CPU.update({r["command"]: r["user"] + r["system"] for r in results})
    return {r["command"]: r["median"] for r in results}


# Mean CPU time (user + system) of each command timed: on a machine that other work loads,
# wall times wander with the load and CPU times much less, so the report gives both ratios.
CPU: dict[str, float] = {}


def peak_memory_mb(command: list[str], env: dict[str, str]) -> float:
    """Peak resident memory of one run of ``command`` (a fresh child process)."""
    code = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    done = subprocess.run([sys.executable, "-c", code, *command], env=env, capture_output=True, text=True, check=True)
    return int(done.stdout.strip()) / 1024


def pick(repo: Path) -> tuple[str, str]:
    """A meeting (the latest of a series) and an open action of Peter's, to name in commands."""
    meeting = sorted((repo / "voortgangsoverleg").glob("*.md"))[-1]
    action = next(
        p.stem
        for p in sorted((repo / "actions").glob("*.md"))
        if "status: open" in (text := p.read_text(encoding="utf-8")) and "Peter" in text.split("---", 2)[1]
    )
    return f"voortgangsoverleg/{meeting.stem}", action


def reading_commands(idmeet: str, repo: Path, meeting: str, search: bool) -> dict[str, str]:
    """Every reading command of issue 18's targets, warm (cache built)."""
    base = f"{idmeet} --repo {repo}"
    commands = {
        "idmeet actions (warm)": f"{base} actions --open --owner Peter --format json",
        "idmeet check": f"{base} check",
        "idmeet meetings": f"{base} meetings",
        "idmeet show MEETING": f"{base} show {meeting}",
        "idmeet decisions": f"{base} decisions",
        "idmeet new-agenda --dry-run": f"{base} new-agenda voortgangsoverleg --dry-run",
        "idmeet report open-items": f"{base} report open-items",
        "idmeet report actions MEETING": f"{base} report actions {meeting}",
        "idmeet export MEETING --format md": f"{base} export {meeting} --format md",
        "idmeet export MEETING --format html": f"{base} export {meeting} --format html",
    }
    if search:
        commands["idmeet search"] = f"{base} search inkoop"
    return commands


def before_and_after(rev: str, repo: Path, work: Path, env: dict[str, str]) -> dict[str, str]:
    """The warm query of git revision ``rev`` of idmeet and of this tree, both run as
    ``python -m idmeet`` from their sources, each on its own copy of the repository (their
    caches differ), in Markdown (the same bytes from both, unless the revision predates a
    change of it) and JSON."""
    source = work / f"idmeet-{rev}"
    source.mkdir()
    archive = subprocess.run(["git", "-C", str(HERE.parent), "archive", rev], check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(source)], input=archive.stdout, check=True)
    rows: dict[str, str] = {}
    for label, tree in ((rev, source), ("this tree", HERE.parent)):
        copy = work / f"repo-{label.replace(' ', '-')}"
        shutil.copytree(repo, copy, ignore=shutil.ignore_patterns(".idmeet-cache"))
        base = f"env PYTHONPATH={tree / 'src'} {sys.executable} -m idmeet --repo {copy} actions --open --owner Peter"
        for fmt in ("md", "json"):
            rows[f"python -m idmeet actions --format {fmt} ({label})"] = f"{base} --format {fmt}"
    time.sleep(2.5)  # let the copies age past the racy window, then build both caches
    for command in rows.values():
        subprocess.run(command.split(), env=env, check=True, capture_output=True)
    same = [
        subprocess.run(rows[f"python -m idmeet actions --format md ({x})"].split(), env=env, capture_output=True).stdout
        for x in (rev, "this tree")
    ]
    print(
        f"--before {rev}: the Markdown answers are {'the same' if same[0] == same[1] else 'DIFFERENT'}", file=sys.stderr
    )
    return rows


def completion_rows(repo: Path) -> dict[str, dict[str, str]]:
    """The environment of each shell-completion row, as bash (``COMP_WORDS``, ``COMP_CWORD``)
    and zsh (``_TYPER_COMPLETE_ARGS``) set it when TAB is pressed after the line."""

    def bash(line: str) -> dict[str, str]:
        cword = str(len(line.split(" ")) - 1)
        return {"IDMEET_REPO": str(repo), "_IDMEET_COMPLETE": "complete_bash", "COMP_WORDS": line, "COMP_CWORD": cword}

    zsh = {"IDMEET_REPO": str(repo), "_IDMEET_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "idmeet action show "}
    return {
        "idmeet completion": bash("idmeet act"),
        "idmeet completion: action id": bash("idmeet action show "),
        "idmeet completion: meeting": bash("idmeet show "),
        "idmeet completion: owner": bash("idmeet actions --owner "),
        "idmeet completion: series": bash("idmeet new-agenda "),
        "idmeet completion: action id, zsh (titles)": zsh,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actions", type=int, default=10_000)
    parser.add_argument("--meetings", type=int, default=500)
    parser.add_argument("--big", type=int, default=100_000, help="the larger size (0 to skip)")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--results", type=Path, help="write the Markdown report to this file too")
    parser.add_argument("--no-venv", action="store_true", help="do not time idmeet in a private venv")
    parser.add_argument(
        "--before",
        metavar="REV",
        help="also time the warm query of git revision REV of idmeet beside this tree's (issue 11)",
    )
    options = parser.parse_args()
    missing = ensure_tools()
    if "hyperfine" in missing:
        sys.exit("hyperfine is needed to time the commands")
    idmeet = idmeet_script()
    work = Path(tempfile.mkdtemp(prefix="idmeet-bench-"))
    repo = work / "repo"
    generate(repo, options.actions, options.meetings)
    env = {**os.environ, "NO_COLOR": "1"}
    if "task" not in missing:
        env = taskwarrior_db(repo, work / "taskwarrior")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as on a user's machine: compiled once, not every run
    venv = None if options.no_venv else private_venv(work / "venv")
    time.sleep(2.5)  # files younger than 2 s are "racy" and never cached: let them age
    search = subprocess.run([idmeet, "search", "--help"], env=env, capture_output=True).returncode == 0
    meeting, action = pick(repo)
    warm = reading_commands(idmeet, repo, meeting, search)
    for command in warm.values():  # build every cache (and see that each command works)
        done = subprocess.run(command.split(), env=env, capture_output=True)
        if done.returncode not in (0, 1):
            sys.exit(f"{command}: exit {done.returncode}: {done.stderr.decode(errors='replace')[-300:]}")
    query = warm["idmeet actions (warm)"]
    uuid_of = str(uuid.uuid5(uuid.NAMESPACE_URL, action))
    commands = {
        **warm,
        "idmeet actions (cold)": query,
        "idmeet check (cold)": warm["idmeet check"],
        "task export": "task status:pending owner:Peter export",
        "rg floor": f"rg -l 'status: open' {repo}",
        "idmeet action note ID TEXT": f"{idmeet} --repo {repo} action note {action} bench",
        "task ID annotate TEXT": f"task {uuid_of} annotate bench",
        "idmeet --help": f"{idmeet} --help",
        "python -c 'import typer'": f"{sys.executable} -c 'import typer'",
        "idmeet actions (warm, table)": f"{idmeet} --repo {repo} actions --open --owner Peter",
    }
    if venv is not None:
        own = str(venv / "idmeet")
        commands.update(
            {
                "venv: idmeet actions (warm)": query.replace(idmeet, own, 1),
                "venv: idmeet actions (cold)": query.replace(idmeet, own, 1),
                "venv: idmeet --help": f"{own} --help",
                "venv: python -c 'import typer'": f"{venv / 'python'} -c 'import typer'",
            }
        )
    if "task" in missing:
        del commands["task export"], commands["task ID annotate TEXT"]
    if "rg" in missing:
        del commands["rg floor"]
    commands["python -c pass"] = f"{sys.executable} -c pass"  # the start every idmeet row pays
    commands["python -S -c pass"] = f"{sys.executable} -S -c pass"  # ... less the site-packages' .pth files
    if options.before:
        commands.update(before_and_after(options.before, repo, work, env))
    for name in warm:  # the first run after a change: every reading command but the query and check keeps answers
        if name not in ("idmeet actions (warm)", "idmeet check"):
            commands[f"{name} (no kept answer)"] = warm[name]
    prepare = {name: f"rm -rf {repo}/.idmeet-cache" for name in commands if "(cold)" in name}
    prepare.update(
        {name: f"sh -c 'rm -f {repo}/.idmeet-cache/memo-answers-*'" for name in commands if "(no kept answer)" in name}
    )
    medians = hyperfine(commands, options.runs, work, env, prepare)
    for name, variables in completion_rows(repo).items():  # hyperfine takes one environment per session
        medians.update(hyperfine({name: idmeet}, options.runs, work, {**env, **variables}, {}))
    subprocess.run(query.split(), env=env, check=True, capture_output=True)  # leave the cache warm

    lines = [
        f"## {dt.date.today().isoformat()}: {options.actions:,} actions, {options.meetings} meetings",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}; "
        f"{subprocess.run(['task', '--version'], capture_output=True, text=True).stdout.strip() or '?'}"
        " (Taskwarrior).",
        "",
        f"Load average when it started: {os.getloadavg()[0]:.1f} (wall-time ratios are trustworthy only"
        " near 0; the CPU columns less affected).",
        "",
        "| command | median | vs Taskwarrior query | vs rg floor | vs import typer (same Python) "
        "| vs task annotate | CPU | CPU vs Taskwarrior query | CPU vs task annotate |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    tw, rg, typer_ = (medians.get("task export"), medians.get("rg floor"), medians["python -c 'import typer'"])
    annotate = medians.get("task ID annotate TEXT")
    for name, seconds in medians.items():
        cells = [f"{seconds * 1000:.1f} ms"]
        own_typer = medians.get("venv: python -c 'import typer'") if name.startswith("venv:") else None
        for ref in (tw, rg, own_typer or typer_, annotate):
            cells.append(f"{seconds / ref:.2f}x" if ref else "")
        cpu = CPU.get(name)
        cells.append(f"{cpu * 1000:.1f} ms" if cpu else "")
        for ref_name in ("task export", "task ID annotate TEXT"):
            ref_cpu = CPU.get(ref_name)
            cells.append(f"{cpu / ref_cpu:.2f}x" if cpu and ref_cpu else "")
        lines.append(f"| `{name}` | " + " | ".join(cells) + " |")
    if options.big:
        big = work / "big"
        generate(big, options.big, options.meetings)
        time.sleep(2.5)
        big_meeting, _ = pick(big)
        big_warm = reading_commands(idmeet, big, big_meeting, search)
        for command in big_warm.values():
            subprocess.run(command.split(), env=env, capture_output=True)
        no_kept = {f"{n} (no kept answer)": big_warm[n] for n in big_warm if f"{n} (no kept answer)" in commands}
        big_warm.update(no_kept)
        forget = f"sh -c 'rm -f {big}/.idmeet-cache/memo-answers-*'"
        big_medians = hyperfine(big_warm, max(3, options.runs // 3), work, env, dict.fromkeys(no_kept, forget))
        lines += [
            "",
            f"At {options.big:,} actions (warm; peak memory of one run without a kept answer):",
            "",
            f"| command | median | vs the same at {options.actions:,} | peak memory |",
            "|---|---|---|---|",
        ]
        for name, seconds in big_medians.items():
            subprocess.run(forget, shell=True, check=True)
            memory = peak_memory_mb(big_warm[name].split(), env)
            lines.append(f"| `{name}` | {seconds * 1000:.1f} ms | {seconds / medians[name]:.2f}x | {memory:.0f} MB |")
    report = "\n".join(lines) + "\n"
    print(report)
    if options.results:
        options.results.write_text(report, encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
