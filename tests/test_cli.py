"""The `kg-builder` command line as a whole: every command documented, errors as one line."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import typer
from typer.testing import CliRunner

from kg_builder.cli import app


def _commands():
    """The click commands Typer makes of every registered command, by name."""
    return typer.main.get_command(app).commands


def test_there_is_a_command_per_stage():
    assert {"build", "query", "export", "push"} <= set(_commands())


def test_every_command_and_every_parameter_has_help_text():
    for name, command in _commands().items():
        assert (command.help or "").strip(), f"`kg-builder {name}` has no help text"
        for param in command.params:
            assert (getattr(param, "help", None) or "").strip(), f"`kg-builder {name}`: {param.name} has no help"


def test_installed_kg_builder_help_lists_every_command():
    script = Path(sys.executable).with_name("kg-builder")
    assert script.exists(), "the kg-builder console script is not installed next to this Python"
    done = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    for name, command in _commands().items():
        assert name in done.stdout, f"`kg-builder --help` does not list {name}"
        help_ = CliRunner().invoke(app, [name, "--help"])
        assert help_.exit_code == 0 and command.help.split("\n")[0][:30] in " ".join(help_.output.split())


def test_missing_input_is_one_line_naming_it_and_exit_code_1(tmp_path):
    missing = tmp_path / "no-such-article.txt"
    result = CliRunner().invoke(app, ["build", str(missing), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one line, got: {lines}"
    assert lines[0].startswith("error: ") and f"{missing}: no such file or folder" in lines[0]
    assert not (tmp_path / "out").exists()
