"""The Typer app and the one place library errors become CLI errors."""
from __future__ import annotations

import contextlib
from collections.abc import Iterator

import typer
from rich.console import Console
from rich.markup import escape

from kg_builder._printable import printable
from kg_builder.errors import KGBuilderError

app = typer.Typer(
    name="kg-builder",
    help="Build, query and analyse a knowledge graph of diplomacy news.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(stderr=True)


@contextlib.contextmanager
def cli_errors() -> Iterator[None]:
    """Turn a library error into a one-line message and exit code 1 (no traceback). Messages name
    inputs, which may hold control characters: they are shown as escapes, never sent raw."""
    try:
        yield
    except KGBuilderError as exc:
        console.print(f"[bold red]error:[/] {escape(printable(str(exc)))}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from exc
