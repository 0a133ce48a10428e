"""Command of the evaluation stage: ``evaluate`` (how well the builder reads annotated articles)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from kg_builder.cli._app import app, cli_errors


def _aliases(gold_dir: Path, given: Optional[Path]) -> Optional[Path]:
    """The aliases file: the one given, else aliases.yaml in or beside GOLD_DIR, else the shipped one."""
    if given is not None:
        return given
    for candidate in (gold_dir / "aliases.yaml", gold_dir.parent / "aliases.yaml"):
        if candidate.is_file():
            return candidate
    return None


@app.command("evaluate")
def evaluate_cmd(
    gold_dir: Path = typer.Argument(..., help="Folder of gold YAML files (one per article, or files of passages)."),
    articles_dir: Optional[Path] = typer.Argument(
        None, help="Folder of the articles the gold files name (not needed for files of passages)."),
    aliases: Optional[Path] = typer.Option(
        None, "--aliases",
        help="Actor aliases YAML; default: aliases.yaml in or beside GOLD_DIR, else the shipped one."),
    json_out: Optional[Path] = typer.Option(
        None, "--json", help="Write all counts, missed and spurious facts here."),
    only: Optional[list[str]] = typer.Option(
        None, "--only", help="Score only the gold file with this stem (repeatable)."),
    verbose: bool = typer.Option(
        False, "-v", "--verbose", help="Also list missed gold facts and spurious extracted facts."),
) -> None:
    """Score the builder against hand-annotated gold facts: precision, recall and F1 per fact type."""
    from kg_builder.evaluation import evaluate

    with cli_errors():
        result = evaluate(gold_dir, articles_dir, only=only or None, aliases=_aliases(gold_dir, aliases))
    for art in result.articles:
        for err in art.errors:
            typer.echo(f"{art.name}: {err}", err=True)
    if verbose:
        for m in result.missed:
            typer.echo(f"  missed   {m.article} {m.kind}: {json.dumps(m.gold, ensure_ascii=False)}")
        for s in result.spurious:
            typer.echo(f"  spurious {s.article} {s.kind}: {json.dumps(s.fact.shown, ensure_ascii=False)}")
            for quote in s.fact.evidence:
                typer.echo(f"           « {' '.join(quote.split())} »")
        for s in result.present_absent:
            typer.echo(f"  absent-but-read {s.article} {s.kind}: {json.dumps(s.fact.shown, ensure_ascii=False)}")
    if json_out is not None:
        json_out.write_text(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    typer.echo(result.table())
