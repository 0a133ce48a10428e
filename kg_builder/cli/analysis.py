"""Commands of the analysis stage: analyse, viz (issue 5)."""
from __future__ import annotations

import enum
from pathlib import Path
from typing import Optional

import typer

from kg_builder.cli._app import app, cli_errors

DEFAULT_STORE = Path("exports/store")
#: Defaults of ``kg_builder.viz.viz`` (kept equal by tests/test_viz.py; importing viz here would load NetworkX).
TOP_ACTORS = 30
TOP_FACTS = 150
PHYSICS_MAX_NODES = 150


class ReportFormat(str, enum.Enum):
    markdown = "markdown"
    json = "json"
    table = "table"


class ViewFormat(str, enum.Enum):
    html = "html"
    graphml = "graphml"
    gexf = "gexf"
    svg = "svg"
    png = "png"


def _source(sources: list[Path], store: Path) -> list[Path] | Path:
    return sources if sources else store


@app.command("analyse")
def analyse_cmd(
    sources: list[Path] = typer.Argument(
        None, help="RDF files (.trig .nq .ttl .nt .jsonld) or folders of them; default: the store."),
    store: Path = typer.Option(DEFAULT_STORE, "--store", help="Store folder read when no SOURCES are given."),
    fmt: ReportFormat = typer.Option(ReportFormat.markdown, "--format",
                                     help="markdown (tables with fact links), json (all numbers and "
                                          "fact IRIs) or table (terminal tables)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the report here instead of stdout."),
) -> None:
    """Who mediates between whom, who conditions what, who demands what: a report whose numbers link to facts."""
    from kg_builder.analysis import analyse
    from kg_builder.analysis._render import rich_tables
    from rich.console import Console

    with cli_errors():
        report = analyse(_source(sources or [], store), fmt=fmt.value, out=out)
        if out is not None:
            typer.echo(f"wrote {out}", err=True)
        elif fmt is ReportFormat.table:
            console = Console()
            for table in rich_tables(report):
                console.print(table)
        else:
            typer.echo(report.render(fmt.value))


@app.command("viz")
def viz_cmd(
    sources: list[Path] = typer.Argument(
        None, help="RDF files (.trig .nq .ttl .nt .jsonld) or folders of them; default: the store."),
    store: Path = typer.Option(DEFAULT_STORE, "--store", help="Store folder read when no SOURCES are given."),
    out: Path = typer.Option(Path("exports/viz"), "--out", "-o", help="Folder to write the views into."),
    fmt: list[ViewFormat] = typer.Option(
        [ViewFormat.html, ViewFormat.graphml, ViewFormat.gexf, ViewFormat.svg], "--format",
        help="View to write (repeatable): html (offline interactive page), graphml, gexf, svg, png."),
    top: int = typer.Option(TOP_ACTORS, "--top", min=0,
                            help="The HTML page first shows this many actors, the most connected (0: all)."),
    top_facts: int = typer.Option(TOP_FACTS, "--top-facts", min=0,
                                  help="... and at most this many facts among them, the most reported (0: all)."),
    physics_max: int = typer.Option(PHYSICS_MAX_NODES, "--physics-max", min=0,
                                    help="The HTML page runs its physics up to this many nodes; above, "
                                         "it draws the layout computed here as it is."),
) -> None:
    """Draw the graph: an offline HTML page, GraphML/GEXF for Gephi, static drawings per projection."""
    from kg_builder.viz import viz

    with cli_errors():
        for path in viz(_source(sources or [], store), out, formats=[f.value for f in fmt], top_actors=top,
                        top_facts=top_facts, physics_max_nodes=physics_max):
            typer.echo(str(path))
