"""``evaluate``: how well the builder reads, measured against hand-annotated gold facts.

    result = evaluate("gold/", "articles/")
    print(result.table())

Each gold file names an article (or holds short passages inline, as the regression corpus
does). The article is read, mapped and validated in-process as ``build`` would; a graph that
fails the shapes is reported and scored all the same, as score.py reads ``quarantine/`` too.
The graph is read back through the ``dip:`` SPARQL contract of ``../shared/eval/README.md`` and
extracted facts are matched one to one against the gold facts, so the figures are those of
``../shared/eval/score.py``. Unlike that script, the result also keeps what was read wrongly,
with the sentence it was read from.

Gold format (docs/evaluation.md): lists of ``persons``, ``delegations``, ``mediations``,
``demands``, ``agreements`` and ``conditions``; ``optional: true`` on a fact a careful reader
might or might not take. Two additions score.py ignores: ``modality`` on a fact (the extracted
fact's ``dip:modality`` must be one of ``a|b``) and, per passage, ``absent:`` facts that must not
be read at all (negation, refusal, hypotheticals).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from kg_builder.errors import ExtractionError, KGBuilderError, SourceError
from kg_builder.model import Article

__all__ = [
    "ENTITY_TYPES",
    "RELATION_TYPES",
    "Counts",
    "ArticleScore",
    "EvaluationResult",
    "ExtractedFact",
    "MissedFact",
    "UnwantedFact",
    "default_aliases",
    "evaluate",
    "load_aliases",
    "read_facts",
    "score_graph",
]

RELATION_TYPES = ("delegation", "delegation_leader", "mediation", "demand", "agreement", "condition")
ENTITY_TYPES = ("person", "person_affiliation", "person_role")
KINDS = ENTITY_TYPES + RELATION_TYPES
#: An aliases file beside the gold files is not a gold file.
ALIASES_FILE = "aliases.yaml"
#: Gold file keys that hold facts.
FACT_KEYS = ("persons", "delegations", "mediations", "demands", "agreements", "conditions")

DIP = "https://w3id.org/dipkg/ontology#"
_PREFIXES = f"""
PREFIX dip: <{DIP}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX schemah: <http://schema.org/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
"""
_NAME_PATH = "rdfs:label|skos:prefLabel|skos:altLabel|schema:name|schemah:name|foaf:name"
_TEXT_PATH = _NAME_PATH + "|dip:text"
#: Required keys per gold list, and which of them are lists of text terms.
_REQUIRED = {"persons": ("name",), "delegations": ("represents",), "mediations": ("mediator",),
             "demands": ("by", "text"), "agreements": ("text",), "conditions": ("by", "applies_to", "requires")}
_REQUIRED_ABSENT = {**_REQUIRED, "demands": ("by",), "agreements": (), "conditions": ("by",)}
_TERM_LISTS = ("text", "applies_to", "requires", "parties")


def _dip(local: str) -> URIRef:
    return URIRef(DIP + local)


def norm(text: object) -> str:
    """Lower case, curly quote straightened, punctuation and a leading "the" dropped."""
    text = str(text).lower().replace("\u2019", "'")
    text = re.sub(r"[^\w\s'-]", " ", text)
    text = re.sub(r"^\s*the\s+", "", text)
    return re.sub(r"\s+", " ", text).strip()


# ---- results ------------------------------------------------------------------------------------

@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def as_dict(self) -> dict[str, int]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass
class ExtractedFact:
    """One fact as read from the graph: ``names`` holds the normalised names used to match,
    ``shown`` a readable form, ``evidence`` the sentences it was read from."""

    kind: str
    node: str
    names: dict
    shown: dict
    evidence: list[str] = field(default_factory=list)
    modality: str | None = None


@dataclass
class MissedFact:
    article: str
    kind: str
    gold: dict


@dataclass
class UnwantedFact:
    """An extracted fact that matches an ``absent:`` fact (or, in ``spurious``, no gold fact)."""

    article: str
    kind: str
    fact: ExtractedFact
    absent: dict | None = None


@dataclass
class ArticleScore:
    name: str
    counts: dict[str, Counts]
    missed: list[MissedFact] = field(default_factory=list)
    spurious: list[UnwantedFact] = field(default_factory=list)
    #: Extracted facts that match a fact listed under ``absent:``.
    present_absent: list[UnwantedFact] = field(default_factory=list)
    #: Why nothing (or less) was read: unreadable source, reading failure, graph quarantined.
    errors: list[str] = field(default_factory=list)

    @property
    def relation(self) -> Counts:
        return _sum(self.counts[k] for k in RELATION_TYPES)


@dataclass
class EvaluationResult:
    articles: list[ArticleScore] = field(default_factory=list)

    @property
    def totals(self) -> dict[str, Counts]:
        return {kind: _sum(a.counts[kind] for a in self.articles) for kind in KINDS}

    @property
    def relation(self) -> Counts:
        """Micro-averaged counts over the relation types: the figure that counts."""
        return _sum(a.relation for a in self.articles)

    @property
    def missed(self) -> list[MissedFact]:
        return [m for a in self.articles for m in a.missed]

    @property
    def spurious(self) -> list[UnwantedFact]:
        return [s for a in self.articles for s in a.spurious]

    @property
    def present_absent(self) -> list[UnwantedFact]:
        return [s for a in self.articles for s in a.present_absent]

    def table(self) -> str:
        """The table score.py prints, last line the relation micro-F1."""
        lines = [f"{'fact type':<20}{'tp':>5}{'fp':>5}{'fn':>5}{'P':>7}{'R':>7}{'F1':>7}"]
        for kind, c in self.totals.items():
            lines.append(f"{kind:<20}{c.tp:>5}{c.fp:>5}{c.fn:>5}{c.precision:>7.2f}{c.recall:>7.2f}{c.f1:>7.2f}")
        rel = self.relation
        lines.append(f"relation micro-F1 {rel.f1:.3f} (P {rel.precision:.3f} R {rel.recall:.3f}) "
                     f"over {len(self.articles)} articles")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        """All counts (score.py's ``--json`` keys), plus missed, spurious and absent-but-read facts."""
        rel = self.relation

        def fact(u: UnwantedFact) -> dict:
            out = {"article": u.article, "kind": u.kind, "fact": u.fact.shown, "evidence": u.fact.evidence}
            if u.absent is not None:
                out["absent"] = u.absent
            return out

        return {
            "totals": {k: c.as_dict() for k, c in self.totals.items()},
            "articles": {a.name: {k: c.as_dict() for k, c in a.counts.items()} for a in self.articles},
            "relation_micro": {"p": rel.precision, "r": rel.recall, "f1": rel.f1},
            "missed": [{"article": m.article, "kind": m.kind, "gold": m.gold} for m in self.missed],
            "spurious": [fact(s) for s in self.spurious],
            "present_absent": [fact(s) for s in self.present_absent],
            "errors": {a.name: a.errors for a in self.articles if a.errors},
        }


def _sum(items: Iterable[Counts]) -> Counts:
    return sum(items, Counts())


# ---- gold ---------------------------------------------------------------------------------------

def default_aliases() -> Path:
    """The aliases shipped with the package (a copy of the shared development set's)."""
    return Path(__file__).resolve().parent / "evaluation_aliases.yaml"


def load_aliases(path: str | Path | None = None) -> dict[str, set[str]]:
    """Canonical actor name -> normalised surface forms, from an aliases YAML file."""
    path = Path(path) if path is not None else default_aliases()
    data = _read_yaml(path)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise SourceError(str(path), "expected a mapping of actor name -> list of surface forms")
    return _alias_map(data, str(path))


def _alias_map(data: dict, source: str) -> dict[str, set[str]]:
    out = {}
    for name, forms in data.items():
        if not isinstance(forms, list):
            raise SourceError(source, f"aliases of {name!r} must be a list")
        out[norm(name)] = {norm(name)} | {norm(f) for f in forms}
    return out


def _read_yaml(path: Path):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourceError(str(path), "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(str(path), f"cannot read: {exc}") from None
    except yaml.YAMLError as exc:
        raise SourceError(str(path), f"not valid YAML: {exc}") from None


class _Gold:
    """The gold facts of one article and the surface forms each gold actor may take."""

    def __init__(self, doc: dict, aliases: dict[str, set[str]]):
        self.doc = doc
        self.alias = dict(aliases)
        for p in doc.get("persons") or []:
            name = str(p["name"])
            self.alias[norm(name)] = ({norm(name), norm(name.split()[-1])}
                                      | {norm(a) for a in p.get("aliases") or []})

    def names(self, actor: object) -> set[str]:
        return self.alias.get(norm(actor), {norm(actor)})

    def actor(self, actor: object, extracted: set[str]) -> bool:
        return bool(self.names(actor) & extracted)

    def any_actor(self, actor: object, candidates: list[set[str]]) -> bool:
        return any(self.actor(actor, c) for c in candidates)


def _facts_by_kind(doc: dict) -> dict[str, list[dict]]:
    persons = doc.get("persons") or []
    dels = doc.get("delegations") or []
    return {
        "person": persons,
        "person_affiliation": [p for p in persons if p.get("affiliation")],
        "person_role": [p for p in persons if p.get("role")],
        "delegation": dels,
        "delegation_leader": [d for d in dels if d.get("led_by")],
        "mediation": doc.get("mediations") or [],
        "demand": doc.get("demands") or [],
        "agreement": doc.get("agreements") or [],
        "condition": doc.get("conditions") or [],
    }


def _absent_by_kind(doc: dict) -> dict[str, list[dict]]:
    """``absent:`` facts, each under the one fact type it describes most closely."""
    out: dict[str, list[dict]] = {k: [] for k in KINDS}
    for p in doc.get("persons") or []:
        out["person_affiliation" if p.get("affiliation") else "person_role" if p.get("role") else "person"].append(p)
    for d in doc.get("delegations") or []:
        out["delegation_leader" if d.get("led_by") else "delegation"].append(d)
    for key, kind in (("mediations", "mediation"), ("demands", "demand"), ("agreements", "agreement"),
                      ("conditions", "condition")):
        out[kind].extend(doc.get(key) or [])
    return out


def _check_gold(doc: dict, source: str) -> None:
    """A gold fact missing a key, or with a term list given as a string, is an error, not a zero.
    ``text: []`` places no constraint; an ``absent:`` fact may leave its text terms out entirely."""
    for section, required in ((doc, _REQUIRED), (doc.get("absent") or {}, _REQUIRED_ABSENT)):
        if not isinstance(section, dict):
            raise SourceError(source, "'absent' must be a mapping of fact lists")
        for key in FACT_KEYS:
            facts = section.get(key) or []
            if not isinstance(facts, list):
                raise SourceError(source, f"{key!r} must be a list")
            for i, fact in enumerate(facts):
                if not isinstance(fact, dict):
                    raise SourceError(source, f"{key}[{i}] must be a mapping")
                for req in required[key]:
                    # a term list may be empty (no constraint, as in score.py) but must be there
                    empty = (None,) if req in _TERM_LISTS else (None, "", [])
                    if fact.get(req) in empty:
                        raise SourceError(source, f"{key}[{i}] has no {req!r}")
                for terms in _TERM_LISTS:
                    if terms in fact and not isinstance(fact[terms], list):
                        raise SourceError(source, f"{key}[{i}].{terms} must be a list, e.g. [{fact[terms]}]")


# ---- reading the graph through the dip: contract ------------------------------------------------

class _GraphReader:
    def __init__(self, graph: Graph):
        self.graph = graph
        self._texts: dict = {}

    def select(self, body: str) -> list[tuple]:
        return [tuple(row) for row in self.graph.query(_PREFIXES + body)]

    def objects(self, node, prop: str) -> list:
        return sorted(self.graph.objects(node, _dip(prop)), key=str)

    def texts(self, node) -> set[str]:
        """Normalised names and text of a node; a literal is its own text."""
        if isinstance(node, Literal):
            return {norm(node)}
        if node not in self._texts:
            if isinstance(node, URIRef):
                found = [r[0] for r in self.select(f"SELECT ?t WHERE {{ <{node}> {_TEXT_PATH} ?t }}")]
            elif isinstance(node, BNode):
                found = [o for p in (RDFS.label, _dip("text"), SKOS.prefLabel) for o in self.graph.objects(node, p)]
            else:
                found = []
            self._texts[node] = {norm(t) for t in found}
        return self._texts[node]

    def actor_names(self, node) -> set[str]:
        """Names of an actor and of what it represents or is affiliated with (one hop)."""
        names = set(self.texts(node))
        for prop in ("represents", "affiliatedWith"):
            for other in self.graph.objects(node, _dip(prop)):
                names |= self.texts(other)
        return names

    def label(self, node, first=(RDFS.label, _dip("text"))) -> str:
        """One readable name (or text, with ``first`` reversed) of a node, for reports."""
        if isinstance(node, Literal):
            return str(node)
        for prop in first:
            found = sorted(str(o) for o in self.graph.objects(node, prop))
            if found:
                return found[0]
        return str(node)

    def text(self, node) -> str:
        return self.label(node, (_dip("text"), RDFS.label))

    def evidence(self, node) -> list[str]:
        return sorted({str(q) for e in self.graph.objects(node, _dip("evidence"))
                       for q in self.graph.objects(e, _dip("quote"))})

    def modality(self, node) -> str | None:
        found = [str(o) for o in self.graph.objects(node, _dip("modality"))]
        return found[0] if found else None


def read_facts(graph: Graph) -> dict[str, list[ExtractedFact]]:
    """Every fact of ``graph`` (an article graph, or the union of several) by fact type."""
    g = _GraphReader(graph)
    facts: dict[str, list[ExtractedFact]] = {k: [] for k in KINDS}

    def add(kind: str, node, names: dict, shown: dict) -> None:
        facts[kind].append(ExtractedFact(kind, str(node), names, shown, g.evidence(node), g.modality(node)))

    for (p,) in g.select("SELECT DISTINCT ?p WHERE { ?p a dip:Person } ORDER BY ?p"):
        name = g.label(p)
        add("person", p, {"names": g.texts(p)}, {"name": name})
        for (a,) in g.select(f"SELECT ?a WHERE {{ <{p}> dip:affiliatedWith ?a }} ORDER BY ?a"):
            add("person_affiliation", p, {"names": g.texts(p), "aff": g.texts(a)},
                {"name": name, "affiliation": g.label(a)})
        for (r,) in g.select(f"SELECT ?r WHERE {{ <{p}> dip:roleTitle ?r }} ORDER BY ?r"):
            add("person_role", p, {"names": g.texts(p), "role": {norm(r)}}, {"name": name, "role": str(r)})
    for d, x in g.select("SELECT DISTINCT ?d ?x WHERE { ?d a dip:Delegation ; dip:represents ?x } ORDER BY ?d ?x"):
        add("delegation", d, {"rep": g.texts(x)}, {"represents": g.label(x)})
        if isinstance(d, URIRef):
            for (y,) in g.select(f"SELECT ?y WHERE {{ <{d}> dip:ledBy ?y }} ORDER BY ?y"):
                add("delegation_leader", d, {"rep": g.texts(x), "leader": g.texts(y)},
                    {"represents": g.label(x), "led_by": g.label(y)})
    for n, m in g.select("SELECT DISTINCT ?n ?m WHERE { ?n dip:mediatedBy ?m } ORDER BY ?n ?m"):
        parties = g.objects(n, "participant")
        add("mediation", n, {"mediator": g.actor_names(m), "parties": [g.actor_names(p) for p in parties]},
            {"mediator": g.label(m), "parties": [g.label(p) for p in parties]})
    for (d,) in g.select("SELECT DISTINCT ?d WHERE { ?d a dip:Demand } ORDER BY ?d"):
        by, of = g.objects(d, "demandedBy"), g.objects(d, "demandedOf")
        add("demand", d, {"by": [g.actor_names(a) for a in by], "of": [g.actor_names(a) for a in of],
                          "text": g.texts(d)},
            {"by": [g.label(a) for a in by], "of": [g.label(a) for a in of], "text": g.text(d)})
    for (a,) in g.select("SELECT DISTINCT ?a WHERE { ?a a dip:Agreement } ORDER BY ?a"):
        parties = g.objects(a, "party")
        add("agreement", a, {"parties": [g.actor_names(p) for p in parties], "text": g.texts(a)},
            {"parties": [g.label(p) for p in parties], "text": g.text(a)})
    for (c,) in g.select("SELECT DISTINCT ?c WHERE { ?c a dip:Condition } ORDER BY ?c"):
        by, applies, requires = g.objects(c, "setBy"), g.objects(c, "appliesTo"), g.objects(c, "requires")
        add("condition", c, {"by": [g.actor_names(a) for a in by],
                             "applies": set().union(*(g.texts(x) for x in applies)),
                             "requires": set().union(*(g.texts(x) for x in requires))},
            {"by": [g.label(a) for a in by], "applies_to": [g.text(x) for x in applies],
             "requires": [g.text(x) for x in requires]})
    for kind in facts:
        for f in facts[kind]:
            f.shown = {k: v for k, v in f.shown.items() if v not in ([], None)}
            if f.modality and f.modality != "asserted":
                f.shown["modality"] = f.modality
    return facts


# ---- matching -----------------------------------------------------------------------------------

def _terms_match(terms: Sequence, texts: set[str]) -> bool:
    """Every term (``a|b``: either) occurs in one of the texts, case-insensitively."""
    blob = " || ".join(texts)
    return all(any(alt.strip().lower() in blob for alt in str(term).split("|")) for term in terms)


def _matches(kind: str, gold: _Gold, gf: dict, ef: ExtractedFact) -> bool:
    if "modality" in gf and (ef.modality or "asserted") not in str(gf["modality"]).split("|"):
        return False
    e = ef.names
    if kind == "person":
        return gold.actor(gf["name"], e["names"])
    if kind == "person_affiliation":
        return gold.actor(gf["name"], e["names"]) and gold.actor(gf["affiliation"], e["aff"])
    if kind == "person_role":
        return gold.actor(gf["name"], e["names"]) and _terms_match([gf["role"]], e["role"])
    if kind == "delegation":
        return gold.actor(gf["represents"], e["rep"])
    if kind == "delegation_leader":
        return gold.actor(gf["represents"], e["rep"]) and gold.actor(gf["led_by"], e["leader"])
    if kind == "mediation":
        return gold.actor(gf["mediator"], e["mediator"]) and all(
            gold.any_actor(p, e["parties"]) for p in gf.get("parties") or [])
    if kind == "demand":
        if not gold.any_actor(gf["by"], e["by"]) or not _terms_match(gf.get("text") or [], e["text"]):
            return False
        return "of" not in gf or not e["of"] or gold.any_actor(gf["of"], e["of"])
    if kind == "agreement":
        return (all(gold.any_actor(p, e["parties"]) for p in gf.get("parties") or [])
                and _terms_match(gf.get("text") or [], e["text"]))
    if kind == "condition":
        return (gold.any_actor(gf["by"], e["by"]) and _terms_match(gf.get("applies_to") or [], e["applies"])
                and _terms_match(gf.get("requires") or [], e["requires"]))
    raise ValueError(kind)


def _matching(gold_order: Sequence[int], n_ext: int, ok: Callable[[int, int], bool],
              owner: dict[int, int]) -> None:
    """Grow the one-to-one matching ``owner`` (extracted -> gold) by augmenting paths, gold facts
    tried in ``gold_order``. A gold fact once matched stays matched (possibly to another fact)."""

    def augment(g: int, seen: set[int]) -> bool:
        for e in range(n_ext):
            if e not in seen and ok(g, e):
                seen.add(e)
                if e not in owner or augment(owner[e], seen):
                    owner[e] = g
                    return True
        return False

    for g in gold_order:
        augment(g, set())


def _score(name: str, gold: _Gold, extracted: dict[str, list[ExtractedFact]]) -> ArticleScore:
    """Required gold facts are matched first, as many as possible; optional ones then absorb
    extracted facts left over (re-routing required matches when that frees one) without counting.
    Everything extracted and matched by nothing counts against precision, duplicates included."""
    gfacts = _facts_by_kind(gold.doc)
    score = ArticleScore(name=name, counts={})
    for kind in KINDS:
        facts, exts = gfacts[kind], extracted[kind]
        required = [i for i, g in enumerate(facts) if not g.get("optional")]
        optional = [i for i, g in enumerate(facts) if g.get("optional")]
        owner: dict[int, int] = {}
        ok = (lambda g, e, kind=kind, facts=facts, exts=exts: _matches(kind, gold, facts[g], exts[e]))
        _matching(required, len(exts), ok, owner)
        tp = len(owner)
        _matching(optional, len(exts), ok, owner)
        matched_gold = set(owner.values())
        score.counts[kind] = Counts(tp=tp, fp=len(exts) - len(owner), fn=len(required) - tp)
        score.missed += [MissedFact(name, kind, facts[i]) for i in required if i not in matched_gold]
        score.spurious += [UnwantedFact(name, kind, exts[e]) for e in range(len(exts)) if e not in owner]
    for kind, absent in _absent_by_kind(gold.doc.get("absent") or {}).items():
        for af in absent:
            score.present_absent += [UnwantedFact(name, kind, ef, absent=af)
                                     for ef in extracted[kind] if _matches(kind, gold, af, ef)]
    return score


def score_graph(graph: Graph, gold: dict, *, aliases: str | Path | dict[str, list[str]] | None = None,
                name: str = "") -> ArticleScore:
    """Score an already built graph (one article's, or the union of one article's) against the
    gold facts of that article (a gold file's mapping). ``aliases``: a YAML file or a mapping."""
    _check_gold(gold, name or "gold")
    table = _alias_map(aliases, name or "aliases") if isinstance(aliases, dict) else load_aliases(aliases)
    return _score(name, _Gold(gold, table), read_facts(graph))


# ---- cases: what to read and what should be read from it ----------------------------------------

@dataclass
class _Case:
    name: str
    gold: dict
    source: str
    path: Path | None = None  # an article file, read as ``build`` reads it
    article: Article | None = None  # or a passage given inline
    aliases: dict[str, set[str]] = field(default_factory=dict)


def _cases(gold_dir: Path, articles_dir: Path | None, only: set[str] | None) -> list[_Case]:
    if not gold_dir.is_dir():
        raise SourceError(str(gold_dir), "not a folder of gold files")
    cases = []
    for path in sorted(gold_dir.glob("*.yaml")):
        if path.name == ALIASES_FILE or only and path.stem not in only:
            continue
        doc = _read_yaml(path)
        source = str(path)
        if not isinstance(doc, dict):
            raise SourceError(source, "expected a mapping with 'article' (or 'passages')")
        extra = _alias_map(doc.get("aliases") or {}, source)
        if "passages" in doc:
            if not isinstance(doc["passages"], list):
                raise SourceError(source, "'passages' must be a list")
            for i, passage in enumerate(doc["passages"]):
                where = f"{source}#{passage.get('id', i) if isinstance(passage, dict) else i}"
                if not isinstance(passage, dict) or not str(passage.get("text") or "").strip():
                    raise SourceError(where, "a passage needs a 'text'")
                _check_gold(passage, where)
                name = f"{path.stem}#{passage.get('id', i)}"
                text = str(passage["text"])
                title = next(line.strip() for line in text.splitlines() if line.strip())
                cases.append(_Case(name, passage, where, article=Article(text=text, title=title, source=name),
                                   aliases=extra))
        elif "article" in doc:
            _check_gold(doc, source)
            if articles_dir is None:
                raise SourceError(source, "names an article but no articles folder was given")
            cases.append(_Case(Path(str(doc["article"])).stem, doc, source,
                               path=articles_dir / str(doc["article"]), aliases=extra))
        else:
            raise SourceError(source, "a gold file needs 'article' (a file in the articles folder) or 'passages'")
    if only:
        unknown = only - {Path(c.source.split("#")[0]).stem for c in cases}
        if unknown:
            raise SourceError(str(gold_dir), f"no gold file named {', '.join(sorted(unknown))}")
    return cases


def evaluate(
    gold_dir: str | Path,
    articles_dir: str | Path | None = None,
    *,
    nlp=None,
    only: Iterable[str] | str | None = None,
    aliases: str | Path | None = None,
    validator=None,
) -> EvaluationResult:
    """Read the article of every gold file in ``gold_dir`` and score it against the gold facts.

    ``articles_dir`` holds the articles gold files name (not needed when they hold passages).
    ``only``: gold file stem(s) to score. ``aliases``: an aliases YAML (default: the shipped
    copy of the shared one). ``nlp``/``validator``: pass them when calling repeatedly.
    """
    from kg_builder.extract import extract_many, load_nlp
    from kg_builder.rdf import article_graph
    from kg_builder.sources import read_articles
    from kg_builder.validate import load_validator

    only_set = {only} if isinstance(only, str) else set(only) if only else None
    cases = _cases(Path(gold_dir), Path(articles_dir) if articles_dir is not None else None, only_set)
    base_aliases = load_aliases(aliases)
    errors: dict[int, list[str]] = {i: [] for i in range(len(cases))}
    todo: list[tuple[int, Article]] = []
    for i, case in enumerate(cases):
        if case.article is not None:
            todo.append((i, case.article))
            continue
        for item in read_articles(case.path):
            if isinstance(item, KGBuilderError):
                errors[i].append(str(item))
            else:
                todo.append((i, item))
    graphs: dict[int, Graph] = {i: Graph() for i in range(len(cases))}
    if todo:
        nlp = nlp or load_nlp()
        validator = validator or load_validator()
        for (i, article), facts in zip(todo, extract_many([a for _, a in todo], nlp)):
            if isinstance(facts, ExtractionError):
                errors[i].append(str(facts))
                continue
            graph = article_graph(facts)
            report = validator.validate(graph)
            if not report.conforms:  # ``build`` writes it to quarantine/, where score.py reads it too
                errors[i].append(f"{article.source}: graph fails the shapes (build quarantines it; "
                                 "its facts are scored all the same): " + "; ".join(report.messages[:3]))
            graphs[i] += graph
    result = EvaluationResult()
    for i, case in enumerate(cases):
        score = _score(case.name, _Gold(case.gold, {**base_aliases, **case.aliases}), read_facts(graphs[i]))
        score.errors = errors[i]
        result.articles.append(score)
    return result
