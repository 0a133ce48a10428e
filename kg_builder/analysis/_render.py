"""An :class:`AnalysisReport` as Markdown (tables, every number followed by its fact links) or rich tables.

Labels and phrases come from articles (or from any RDF given to ``analyse``), so they are escaped
for each format: in Markdown ``&``, ``<`` and ``>`` become entities and inline specials
(backslash, backtick, ``* _ [ ] | ~ ! # $``) get a backslash, so no HTML, link or emphasis can come from the
data, and only ``http(s)`` IRIs become links; in terminal tables cells are plain ``rich`` Text
(no markup such as ``[bold]`` is read). Both are first cleaned of control characters
(:func:`kg_builder._text.clean`).
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from kg_builder._text import clean, http_url

if TYPE_CHECKING:
    from rich.table import Table

    from kg_builder.analysis._analyse import AnalysisReport


class Md(str):
    """Markdown this module wrote itself (fact links, bold numbers): not escaped again."""


_MD_INLINE = re.compile(r"[\\`*_\[\]|~!#$]")


def md(text: Any) -> str:
    """``text`` as inline Markdown that shows as written: one line, HTML and specials escaped."""
    line = " ".join(clean(str(text)).split())
    line = line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_INLINE.sub(lambda m: "\\" + m.group(0), line)


def md_link(text: str, url: str) -> Md:
    """``[text](url)`` when ``url`` is http(s); otherwise the text alone (a ``javascript:`` or
    ``data:`` IRI is shown, never linked). The destination is percent-encoded where Markdown
    would end or break it (spaces, parentheses, angle brackets, backslashes)."""
    if not http_url(url):
        return Md(md(text))
    dest = quote(clean(url).strip(), safe="/:?#[]@!$&'*+,;=%-._~")
    return Md(f"[{md(text)}]({dest})")


def _short(iri: str) -> str:
    """``res:condition/dc93…`` style: the last two path segments."""
    return "/".join(iri.rstrip("/").split("/")[-2:])


def _links(facts: list[str], limit: int) -> Md:
    shown = ", ".join(md_link(_short(f), f) for f in facts[:limit])
    more = len(facts) - limit
    return Md(shown + (f" +{more} more (JSON)" if more > 0 else ""))


def _cell(text: Any) -> str:
    return text if isinstance(text, Md) else md(text)


def _table(head: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines + [""]


def markdown(r: AnalysisReport) -> str:
    from kg_builder.analysis._analyse import MD_LINKS

    L = MD_LINKS

    def n(count: Any, facts: list[str]) -> str:
        """A number and the facts it was counted from."""
        return Md(f"**{md(count)}** ({_links(facts, L)})" if facts else f"**{md(count)}**")

    c = r.counts
    out = [f"# Analysis of {md(r.source)}", "",
           md(", ".join(f"{v} {k}" for k, v in c.items())) + ".", "",
           "Numbers in **bold** are followed by the facts (IRIs) they were counted from.", ""]

    out += ["## Mediators", "", "### Ranked by talks mediated", ""]
    out += _table(["mediator", "class", "affiliated with", "talks", "pairs brought together", "brokerage"], [
        [m["label"], m["cls"], ", ".join(a["label"] for a in m["affiliations"]) or "",
         n(m["talks"], m["facts"]),
         n(m["pairs"], sorted({f for p in m["pair_list"] for f in p["facts"]})),
         f"{m['brokerage']:.4f}"] for m in r.mediators]) if r.mediators else ["No mediated talks.", ""]
    out += ["### Who mediates between whom", ""]
    out += _table(["parties", "mediators", "talks"], [
        [" – ".join(p["labels"]), ", ".join(f"{m['label']} ({m['talks']})" for m in p["mediators"]),
         n(p["talks"], p["facts"])] for p in r.mediated_pairs]) if r.mediated_pairs else ["No mediated pairs.", ""]
    by_pairs = sorted(r.mediators, key=lambda m: (-m["pairs"], m["label"]))
    out += ["### Ranked by distinct pairs brought together", ""]
    out += _table(["mediator", "pairs", "between"], [
        [m["label"], n(m["pairs"], sorted({f for p in m["pair_list"] for f in p["facts"]})),
         "; ".join(" – ".join(p["labels"]) for p in m["pair_list"][:L])] for m in by_pairs]) if by_pairs else []

    b = r.brokerage
    how = (f"exact betweenness ({b['nodes']} actors ≤ {b['threshold']})" if b["method"] == "exact" else
           f"sampled betweenness, k={b['k']} pivots, seed {b['seed']} ({b['nodes']} actors > {b['threshold']})")
    out += ["## Brokerage", "", f"Betweenness centrality on the actor graph ({b['nodes']} actors, {b['edges']} "
            f"links: met in talks, mediated, agreed, demanded). Method: **{b['method']}** — {how}.", ""]
    out += _table(["actor", "class", "betweenness", "links from facts"], [
        [s["label"], s["cls"], f"{s['score']:.4f}", _links(s["facts"], L)] for s in b["scores"]])

    cd = r.conditions
    out += ["## Conditions", "", f"Rule: {cd['rule']}", "", "### Conditions by actor", ""]
    for a in cd["by_actor"]:
        out += [f"**{md(a['label'])}** sets {n(a['count'], a['facts'])} conditions, blocking "
                f"{n(a['blocked'], a['blocked_facts'])} matters:", ""]
        out += _table(["holds back", "until", "modality", "stated by", "blocks (directly and down chains)", "fact"], [
            [row["applies_to"], row["requires"], row["modality"], row["stated_by"] or "",
             "; ".join(x["label"] for x in row["blocks"]), _links([row["fact"]], 1)] for row in a["conditions"]])
    out += [f"### Chains of dependency ({cd['chains_found']} found)", ""]
    out += _table(["chain", "set by", "conditions"], [
        [" ⇐ ".join(ch["matters"]), ", ".join(ch["actor_labels"]), n(len(ch["steps"]), ch["facts"])]
        for ch in cd["chains"]]) if cd["chains"] else ["No chains of two or more steps.", ""]
    out += [f"### Deadlocks ({cd['deadlocks_found']} found)", ""]
    out += _table(["cycle", "sides", "conditions"], [
        [" ⇐ ".join(d["matters"]), ", ".join(d["actor_labels"]), n(len(d["steps"]), d["facts"])]
        for d in cd["deadlocks"]]) if cd["deadlocks"] else ["No deadlocks.", ""]
    if cd["search"]["truncated"]:
        out += [f"Search stopped after {cd['search']['max_paths']} paths/cycles "
                f"(cycles up to {cd['search']['max_cycle_length']} steps).", ""]

    d = r.demands
    out += ["## Demands", "", "### Most demanding", ""]
    out += _table(["actor", "class", "demands made"], [[x["label"], x["cls"], n(x["count"], x["facts"])]
                                                      for x in d["most_demanding"]])
    out += ["### Most demanded of", ""]
    out += _table(["actor", "class", "demands received"], [[x["label"], x["cls"], n(x["count"], x["facts"])]
                                                          for x in d["most_demanded_of"]])
    out += [f"### Reciprocal demands ({d['reciprocal_found']} pairs)", ""]
    out += _table(["between", "A of B", "B of A"], [
        [" – ".join(x["labels"]), n(len(x["a_to_b"]), x["a_to_b"]), n(len(x["b_to_a"]), x["b_to_a"])]
        for x in d["reciprocal"]]) if d["reciprocal"] else ["None.", ""]
    out += [f"### Demands met by an agreement ({d['met_found']})", "", f"Rule: {d['met_rule']}", ""]
    out += _table(["demand", "by → of", "agreement", "why", "facts"], [
        [x["demand_text"], f"{x['by']} → {x['of']}", x["agreement_text"], x["reason"], _links(x["facts"], 2)]
        for x in d["met"]]) if d["met"] else ["None.", ""]
    return "\n".join(out)


def rich_tables(r: AnalysisReport) -> list[Table]:
    """The same numbers as terminal tables (facts as short IRIs, first few per cell)."""
    from rich.table import Table
    from rich.text import Text

    def _row(t: Table, *cells: Any) -> None:
        """Cells as plain Text: a label such as "[bold]x" is shown, not read as markup."""
        t.add_row(*(Text(clean(str(c))) for c in cells))

    def facts(fs: list[str], limit: int = 2) -> str:
        return ", ".join(_short(f) for f in fs[:limit]) + (f" +{len(fs) - limit}" if len(fs) > limit else "")

    tables = []
    t = Table(title="Mediators (by talks mediated)")
    for col in ("mediator", "class", "talks", "pairs", "brokerage", "between", "facts"):
        t.add_column(col)
    for m in r.mediators:
        _row(t, m["label"], m["cls"], str(m["talks"]), str(m["pairs"]), f"{m['brokerage']:.4f}",
                  "; ".join(" – ".join(p["labels"]) for p in m["pair_list"][:3]), facts(m["facts"]))
    tables.append(t)
    b = r.brokerage
    t = Table(title=f"Brokerage ({b['method']} betweenness, {b['nodes']} actors"
                    + (f", k={b['k']}, seed={b['seed']})" if b["method"] == "sampled" else ")"))
    for col in ("actor", "class", "betweenness", "facts"):
        t.add_column(col)
    for s in b["scores"][:10]:
        _row(t, s["label"], s["cls"], f"{s['score']:.4f}", facts(s["facts"]))
    tables.append(t)
    t = Table(title="Conditions")
    for col in ("set by", "holds back", "until", "blocks", "fact"):
        t.add_column(col)
    for a in r.conditions["by_actor"]:
        for row in a["conditions"]:
            _row(t, a["label"], row["applies_to"], row["requires"],
                      "; ".join(x["label"] for x in row["blocks"]), _short(row["fact"]))
    tables.append(t)
    t = Table(title="Chains and deadlocks")
    for col in ("type", "matters", "sides", "facts"):
        t.add_column(col)
    for ch in r.conditions["chains"]:
        _row(t, "chain", " ⇐ ".join(ch["matters"]), ", ".join(ch["actor_labels"]), facts(ch["facts"]))
    for dl in r.conditions["deadlocks"]:
        _row(t, "deadlock", " ⇐ ".join(dl["matters"]), ", ".join(dl["actor_labels"]), facts(dl["facts"]))
    tables.append(t)
    d = r.demands
    t = Table(title="Demands")
    for col in ("what", "actor(s)", "count", "facts"):
        t.add_column(col)
    for x in d["most_demanding"][:10]:
        _row(t, "demands made", x["label"], str(x["count"]), facts(x["facts"]))
    for x in d["most_demanded_of"][:10]:
        _row(t, "demands received", x["label"], str(x["count"]), facts(x["facts"]))
    for x in d["reciprocal"][:10]:
        _row(t, "reciprocal", " – ".join(x["labels"]), str(len(x["facts"])), facts(x["facts"]))
    for x in d["met"][:10]:
        _row(t, "met by agreement", f"{x['by']} → {x['of']}: {x['demand_text']}", "1", facts(x["facts"]))
    tables.append(t)
    return tables
