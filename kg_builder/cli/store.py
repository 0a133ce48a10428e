"""Commands of the store stage: query, export, push (issue 4)."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from kg_builder.cli._app import app, cli_errors, console
from kg_builder.errors import QueryError

DEFAULT_STORE = Path("exports/store")


def _params(pairs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"--param {pair!r}: expected NAME=VALUE")
        out[name.strip()] = value
    return out


@app.command("query")
def query_cmd(
    sparql: Optional[str] = typer.Argument(
        None, help="SPARQL text, a .rq file, or the name of a shipped query (see --list)."),
    file: Optional[Path] = typer.Option(None, "--file", "-f", help="Read the query from this file."),
    list_: bool = typer.Option(False, "--list", "-l", help="List the shipped queries, one line each."),
    param: list[str] = typer.Option([], "--param", "-p",
                                    help="Bind a query variable: NAME=VALUE (repeatable). VALUE is an IRI "
                                         "when written <…>, prefix:name or http(s)://…, else a string."),
    fmt: str = typer.Option("table", "--format", help="table, csv, tsv or json (nt/ttl for CONSTRUCT)."),
    store: Path = typer.Option(DEFAULT_STORE, "--store", help="The store to query."),
    endpoint: Optional[str] = typer.Option(
        None, "--endpoint", help="Query this SPARQL 1.1 endpoint instead of the store, e.g. "
                                 "http://localhost:7878/query (Oxigraph), http://localhost:8890/sparql (Virtuoso)."),
    auth: str = typer.Option("auto", "--auth", help="For --endpoint: auto, basic, digest, bearer or none "
                             "(credentials: KG_QUERY_USER/KG_QUERY_PASSWORD or KG_QUERY_TOKEN)."),
    timeout: Optional[float] = typer.Option(
        None, "--timeout", help="Give up after this many seconds (default: none on the store, 60 on an endpoint)."),
) -> None:
    """Run SPARQL on the store or an endpoint: inline, from a file, or a shipped query by name."""
    import sys

    from kg_builder.store import list_queries, query

    with cli_errors():
        if list_:
            for name, description in list_queries():
                typer.echo(f"{name:<14} {description}")
            return
        spec = str(file) if file is not None else sparql
        if spec is None:
            raise QueryError("give a query (text, file or name), --file PATH, or --list")
        out = sys.stdout.buffer if hasattr(sys.stdout, "buffer") else None
        try:
            text = query(None if endpoint else store, spec, params=_params(param), fmt=fmt, endpoint=endpoint,
                         auth=auth, timeout=timeout, output=out, terminal=sys.stdout.isatty())
        except KeyboardInterrupt:
            console.print("query interrupted", style="bold red", highlight=False)
            raise typer.Exit(130) from None
        finally:
            if out is not None:
                out.flush()
        if text:
            typer.echo(text, nl=False)


@app.command("export")
def export_cmd(
    out: Path = typer.Argument(..., help="File to write (parent folders are created)."),
    fmt: str = typer.Option("trig", "--format", help="trig, nq (graphs kept), nt, ttl (union) or jsonld."),
    store: Path = typer.Option(DEFAULT_STORE, "--store", help="The store to export."),
) -> None:
    """Write the whole store to one RDF file."""
    from kg_builder.store import export

    with cli_errors():
        summary = export(store, out, fmt)
        console.print(f"wrote {summary.quads} quads from {summary.graphs} graphs to {summary.path} ({summary.format})")


@app.command("push")
def push_cmd(
    endpoint: str = typer.Option(..., "--endpoint", help="Graph Store Protocol URL, e.g. "
                                 "http://localhost:7878/store (Oxigraph), http://localhost:3030/DATASET/data "
                                 "(Fuseki), http://localhost:7200/repositories/REPO/rdf-graphs/service (GraphDB)."),
    graph: list[str] = typer.Option([], "--graph", help="Push only this graph IRI (repeatable); default all."),
    fmt: str = typer.Option("nt", "--format", help="Request body: nt or ttl."),
    retries: int = typer.Option(3, "--retries", help="Retries on connection errors and 5xx answers."),
    backoff: float = typer.Option(0.5, "--backoff", help="First wait between retries, in seconds (doubles)."),
    timeout: float = typer.Option(60.0, "--timeout", help="Seconds to wait for each HTTP request."),
    auth: str = typer.Option("auto", "--auth", help="auto (bearer for a token; for a user, Digest or Basic as "
                             "the server's 401 challenge asks), basic, digest, bearer or none."),
    store: Path = typer.Option(DEFAULT_STORE, "--store", help="The store to push from."),
) -> None:
    """Upload the store's named graphs to a SPARQL server (HTTP PUT per graph).

    Credentials: KG_PUSH_USER / KG_PUSH_PASSWORD (or user:password@ in the URL), or KG_PUSH_TOKEN
    (bearer). Virtuoso: --endpoint http://HOST:8890/sparql-graph-crud-auth (Digest, found by --auth auto).
    """
    from kg_builder.store import push

    with cli_errors():
        summary = push(store, endpoint, graphs=graph or None, fmt=fmt, retries=retries, backoff=backoff,
                       timeout=timeout, auth=auth)
        console.print(f"sent {summary.graphs_sent} graphs, {summary.triples_sent} triples to {summary.endpoint}")
        for iri, reason in summary.failures:
            console.print(f"[bold red]failed:[/] {iri} ({reason})")
        if summary.failures:
            raise typer.Exit(1)
