"""Command of the build stage: ``build``."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from kg_builder.cli._app import app, cli_errors, console
from kg_builder.extract import ARTICLE_TIMEOUT, MAX_CHARS
from kg_builder.rdf import DEFAULT_BASE
from kg_builder.sources import display_name


@app.command()
def build(
    inputs: list[Path] = typer.Argument(
        ..., readable=False,  # an unreadable file is skipped with a message, not a usage error
        help="Article files or folders (.txt .html .jsonl .xml/.rss/.atom)."),
    out: Path = typer.Option(..., "-o", "--out", help="Output folder for kg.trig, kg.nq, kg.ttl and the report."),
    strict: bool = typer.Option(False, help="Fail the run when any article graph violates the shapes."),
    base_iri: str = typer.Option(DEFAULT_BASE, help="Base IRI for minted instances."),
    store: Optional[Path] = typer.Option(
        None, help="pyoxigraph store to add each article to (default: OUT/store); open it with `oxigraph serve`."),
    no_store: bool = typer.Option(False, "--no-store", help="Write the files only, no store."),
    max_chars: int = typer.Option(MAX_CHARS, min=1, help="Skip (and name) an article longer than this many characters."),
    article_timeout: float = typer.Option(
        ARTICLE_TIMEOUT, min=0, help="Skip (and name) an article whose reading takes longer than this many seconds; 0: no limit."),
    jobs: Optional[int] = typer.Option(
        None, "-j", "--jobs", min=1, help="Worker processes (default: every core). Same files whatever the number."),
    executor: str = typer.Option("local", help="local (worker processes here) or dask (a Dask cluster)."),
    scheduler: Optional[str] = typer.Option(
        None, help="Dask scheduler address for --executor dask, e.g. tcp://10.0.0.5:8786."),
    work_dir: Optional[Path] = typer.Option(
        None, help="Folder for the build's temporary files (default: the system's); shared by all Dask workers."),
) -> None:
    """Read articles and build a validated knowledge graph of the diplomacy they report."""
    from kg_builder.pipeline import build as build_graph

    with cli_errors(), Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                TimeElapsedColumn(), console=console, transient=True,
                                disable=not console.is_terminal) as progress:
        task = progress.add_task("reading", total=None)

        def on_progress(done: int, total: int | None, source: str) -> None:
            progress.update(task, completed=done, total=total, description=escape(Path(source).name[:40]))

        store_path = None if no_store else (store or out / "store")
        result = build_graph(inputs, out, strict=strict, base_iri=base_iri, store=store_path, on_progress=on_progress,
                             max_chars=max_chars, article_timeout=article_timeout or None,
                             jobs=jobs, executor=executor, scheduler=scheduler, work_dir=work_dir)
    for err in result.errors:
        console.print(f"[red]skipped[/] {escape(str(err))}", highlight=False, soft_wrap=True)
    for src, path in result.quarantined.items():
        rep = result.reports[src]
        console.print(f"[yellow]quarantined[/] {escape(src)}: {len(rep.violations)} violation(s) → "
                      f"{escape(display_name(path))}", highlight=False, soft_wrap=True)
        for v in rep.violations[:5]:
            console.print(f"    {v}", markup=False, highlight=False, soft_wrap=True)
    console.print(f"built {len(result.built)} article(s) into {display_name(out)}", markup=False, highlight=False,
                  soft_wrap=True)
    if result.errors:
        raise typer.Exit(1)
