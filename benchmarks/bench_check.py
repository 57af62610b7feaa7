"""Time ``idmeet check`` on a generated repository against a plain-parsing reference.

Usage: ``python3 benchmarks/bench_check.py [--actions N] [--meetings M] [--repeat 5]``

Both commands run as subprocesses on the same repository in the same run, so the ratio
between them is meaningful on any machine; the absolute seconds are not.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
GENERATOR = HERE / "generate.py"

# The reference: what any tool must at least do, i.e. read idmeet.yaml and the frontmatter
# of every Markdown file. It prints its own in-process loop time on stdout.
REFERENCE = """\
import sys, time
from pathlib import Path
t0 = time.perf_counter()
import frontmatter, yaml
root = Path(sys.argv[1])
with open(root / "idmeet.yaml", encoding="utf-8") as f:
    yaml.safe_load(f)
n = 0
for d in sorted(root.iterdir()):
    if d.is_dir() and not d.name.startswith("."):
        for p in sorted(d.glob("*.md")):
            frontmatter.load(p)
            n += 1
print(n, time.perf_counter() - t0)
"""


def idmeet_command() -> tuple[list[str], dict[str, str]]:
    """The command that runs idmeet, and the environment to run it in.

    The ``idmeet`` console script if on PATH; otherwise ``python3 -m idmeet``, with the
    project's ``src/`` put on PYTHONPATH when idmeet is not installed.
    """
    env = dict(os.environ)
    script = shutil.which("idmeet")
    if script:
        return [script], env
    if importlib.util.find_spec("idmeet") is None and (PROJECT / "src" / "idmeet").is_dir():
        src = str(PROJECT / "src")
        env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH")) if p)
    return [sys.executable, "-m", "idmeet"], env


def run_timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Run ``cmd`` to completion; return wall seconds and the finished process."""
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    return time.perf_counter() - t0, proc


def generate(repo: Path, actions: int, meetings: int, seed: int) -> float:
    """Generate the repository with generate.py; return the seconds it took."""
    cmd = [
        sys.executable,
        str(GENERATOR),
        str(repo),
        "--actions",
        str(actions),
        "--meetings",
        str(meetings),
        "--seed",
        str(seed),
        "--quiet",
    ]
    seconds, proc = run_timed(cmd)
    if proc.returncode != 0:
        sys.exit(f"generate.py failed ({proc.returncode}):\n{proc.stderr}")
    return seconds


def bench_reference(repo: Path, repeat: int) -> tuple[list[float], list[float], int]:
    """Wall times and in-process loop times of the reference, and the files it read."""
    cmd = [sys.executable, "-c", REFERENCE, str(repo)]
    run_timed(cmd)  # warm the OS file cache
    walls, loops, n = [], [], 0
    for _ in range(repeat):
        wall, proc = run_timed(cmd)
        if proc.returncode != 0:
            sys.exit(f"reference failed ({proc.returncode}):\n{proc.stderr}")
        count, loop = proc.stdout.split()
        walls.append(wall)
        loops.append(float(loop))
        n = int(count)
    return walls, loops, n


def bench_idmeet(repo: Path, repeat: int) -> tuple[float, list[float], subprocess.CompletedProcess[str]]:
    """The first (cold-cache) time, later times, and the first run of ``idmeet check``."""
    base, env = idmeet_command()
    cmd = [*base, "--repo", str(repo), "check"]
    cold, first = run_timed(cmd, env)
    warm = [run_timed(cmd, env)[0] for _ in range(repeat)]
    return cold, warm, first


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--actions", type=int, default=10000)
    p.add_argument("--meetings", type=int, default=500)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--keep", type=Path, metavar="DIR", help="generate into DIR (must be empty or absent) and keep it")
    p.add_argument("--no-idmeet", action="store_true", help="time the reference only")
    p.add_argument("--strict", action="store_true", help="exit 1 when idmeet check does not exit 0")
    a = p.parse_args(argv)
    if a.repeat < 1:
        p.error("--repeat must be >= 1")

    with tempfile.TemporaryDirectory(prefix="idmeet-bench-") as tmp:
        repo = a.keep if a.keep else Path(tmp) / "repo"
        gen = generate(repo, a.actions, a.meetings, a.seed)
        print(
            f"repository: {repo} ({a.meetings} meetings, {a.actions} actions, seed {a.seed}); generated in {gen:.2f} s"
        )

        ref_walls, ref_loops, n_files = bench_reference(repo, a.repeat)
        ref = statistics.median(ref_walls)
        rows = [
            ("reference: python3 -c frontmatter.load loop", ref),
            ("  (its loop incl. imports, in-process)", statistics.median(ref_loops)),
        ]
        status = 0
        if not a.no_idmeet:
            cold, warm, first = bench_idmeet(repo, a.repeat)
            rows += [("idmeet check (first run)", cold), ("idmeet check", statistics.median(warm))]

        print(f"{n_files} .md files + idmeet.yaml; median of {a.repeat} runs\n")
        width = max(len(r[0]) for r in rows)
        print(f"{'command':<{width}}  {'median s':>9}  {'ratio':>6}")
        for name, seconds in rows:
            print(f"{name:<{width}}  {seconds:>9.3f}  {seconds / ref:>6.2f}")

        if not a.no_idmeet:
            print(f"\nidmeet check exit code: {first.returncode}")
            if first.returncode != 0:
                print("WARNING: idmeet check should exit 0 on a generated repository; stderr:")
                lines = (first.stderr or first.stdout).splitlines()
                for line in lines[:5]:
                    print(f"  {line}")
                status = 1 if a.strict else 0
    return status


if __name__ == "__main__":
    sys.exit(main())
