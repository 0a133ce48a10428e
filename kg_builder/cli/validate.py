"""Command of the validation stage: ``validate`` (any RDF file, folder or store against the shapes)."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from kg_builder._printable import printable
from kg_builder.cli._app import app, cli_errors, console


@app.command("validate")
def validate_cmd(
    paths: list[Path] = typer.Argument(
        None, help="RDF files (.ttl .trig .nq .nt .jsonld .rdf) or folders of them, walked recursively."),
    store: Optional[Path] = typer.Option(None, "--store", help="Also validate this pyoxigraph store (read-only)."),
) -> None:
    """Check RDF against the shipped SHACL shapes; print each violation, exit 1 on any.

    Each file is checked as a whole (the union of its graphs), as
    `pyshacl -s ontology/shapes.ttl -e ontology/diplomacy.ttl FILE` checks it.
    """
    from kg_builder.validate import validate_files

    with cli_errors():
        result = validate_files(paths or (), store=store)
    for error in result.errors:
        console.print(f"error: {printable(str(error))}", style="bold red", markup=False, highlight=False,
                      soft_wrap=True)
    for report in result.reports:
        where = printable(report.graph_iri)
        if report.conforms:
            typer.echo(f"{where}: conforms")
            continue
        typer.echo(f"{where}: {len(report.violations)} violation(s)")
        for v in report.violations:
            typer.echo(f"  {printable(v.focus)}\t{printable(v.path or '-')}\t{printable(v.message)}")
    if not result.conforms:
        raise typer.Exit(1)
