#!/usr/bin/env python3
"""Set up and run the project with nothing but Python 3.10+ (standard library only).

    python3 dev.py build [ARGS...]   set up .venv, build examples/ into exports/ (+ exports/store)
    python3 dev.py test  [ARGS...]   set up .venv, Chromium and Virtuoso, run pytest with ARGS
    python3 dev.py docs              set up .venv, regenerate docs/ontology.html and docs/kinds.md

Setting up is idempotent: ``.venv`` is created when missing and ``pip install -e '.[test]'``
runs only when pyproject.toml changed since the last install (a hash kept in the venv), so
the second run starts at once. The exit code is the one of the command run (pytest's 5, "no
tests collected", stays a failure).
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".installed-pyproject-sha256"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")


def say(msg: str) -> None:
    print(f"dev.py: {msg}", file=sys.stderr, flush=True)


def run(cmd: list[str], **kw) -> int:
    say("$ " + " ".join(str(c) for c in cmd))
    return subprocess.call([str(c) for c in cmd], cwd=ROOT, **kw)


def check(cmd: list[str], **kw) -> None:
    if run(cmd, **kw) != 0:
        sys.exit(f"dev.py: failed: {' '.join(str(c) for c in cmd)}")


def as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def apt_install(*packages: str) -> bool:
    """Install Debian packages when we may (root, apt-get present); False when not possible."""
    if not (as_root() and shutil.which("apt-get")):
        return False
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    return (run(["apt-get", "update"], env=env, stdin=subprocess.DEVNULL) == 0
            and run(["apt-get", "install", "-y", "--no-install-recommends", *packages],
                    env=env, stdin=subprocess.DEVNULL) == 0)


def ensure_venv() -> Path:
    """The venv's python, with the project installed editable and its test extras."""
    python = BIN / ("python.exe" if os.name == "nt" else "python")
    if not python.exists():
        if run([sys.executable, "-m", "venv", VENV]) != 0:
            # Debian/Ubuntu ship venv's pip bootstrap (ensurepip) as a separate package.
            shutil.rmtree(VENV, ignore_errors=True)
            v = f"{sys.version_info.major}.{sys.version_info.minor}"
            if not (apt_install(f"python{v}-venv") or apt_install("python3-venv")):
                sys.exit("dev.py: cannot create .venv; install your Python's venv package "
                         f"(e.g. `apt-get install python{v}-venv`) and run again")
            check([sys.executable, "-m", "venv", VENV])
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text().strip() != wanted:
        check([python, "-m", "pip", "install", "--disable-pip-version-check", "-e", ".[test]"],
              stdin=subprocess.DEVNULL)
        STAMP.write_text(wanted + "\n")
    return python


def ensure_chromium() -> None:
    """Browser tests need a real Chromium; without one they skip (and say why)."""
    if shutil.which("chromium") or shutil.which("chromium-browser"):
        return
    if not apt_install("chromium"):
        say("Chromium is not installed and could not be installed here; browser tests will skip")


def ensure_virtuoso() -> None:
    """Push and remote-query tests run a real Virtuoso 7; without one they skip (and say why)."""
    if shutil.which("virtuoso-t"):
        return
    if not apt_install("virtuoso-opensource-7"):
        say("Virtuoso 7 (virtuoso-opensource-7) is not installed and could not be installed here; "
            "its tests will skip")


def build(args: list[str]) -> int:
    ensure_venv()
    return run([BIN / "kg-builder", "build", "examples", "-o", "exports", "--store", "exports/store", *args])


def test(args: list[str]) -> int:
    python = ensure_venv()
    ensure_chromium()
    ensure_virtuoso()
    return run([python, "-m", "pytest", *args], stdin=subprocess.DEVNULL)


def docs(args: list[str]) -> int:
    python = ensure_venv()
    return run([python, ROOT / "docs" / "make_ontology_page.py", *args])


COMMANDS = {"build": build, "test": test, "docs": docs}


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 10):
        sys.exit("dev.py: Python 3.10 or newer is needed")
    if not argv or argv[0] not in COMMANDS:
        print(__doc__, file=sys.stderr)
        return 2
    return COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
