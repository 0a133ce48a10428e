"""Actors: who is mentioned, as which real-world entity, with which role and affiliation.

Two steps, as in a spaCy component: ``find_mentions`` marks every span that names an actor
(gazetteer phrases first, then the NER's persons and organisations), ``describe_persons`` reads
titles and appositions around each person. ``resolve`` then answers, for any token a relation
rule lands on, which actor(s) it stands for: a name, a demonym ("Turkish mediators"), a pronoun
("he said"), a group noun ("both sides"), or a definite description ("the powers").
"""
from __future__ import annotations

from bisect import bisect_right

import functools
import itertools
import re

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from kg_builder.extract.grammar import DATELINES, INTENT_NOUNS, opens_paragraph_in_capitals, prep_objects, subjects
from kg_builder.extract.lexicon import Lexicon, fold, slug
from kg_builder.extract.state import DocState, Mention
from kg_builder.model import Actor

PERSON_PRONOUNS = {"he", "she", "him", "her", "his", "hers"}
#: Lower-case words inside a name that is abbreviated ("Forces for Defence of Democracy (FDD)").
ABBREVIATED_LINKS = {"of", "for", "and", "on", "the", "de", "du", "des", "in", "&", "'s", "’s"}
FIRST_PERSON = {"i": "singular", "me": "singular", "my": "singular", "myself": "singular",
                "we": "plural", "us": "plural", "our": "plural", "ours": "plural", "ourselves": "plural"}
#: "the bloc", "the alliance": the latest organisation of that category named before.
ORG_DESCRIPTIONS = {"bloc": "body", "alliance": "alliance", "union": "body", "organisation": "organisation",
                    "organization": "organisation", "group": "group", "movement": "movement"}
#: Lower-case parts of personal names ("bin Abdulrahman", "Al Thani", "van der Bellen").
#: first halves of Arabic names written with a hyphen ("Abdul-Salam", "Abdel-Fattah"): one name
ARABIC_NAME_PARTS = {"abdul", "abdel", "abd", "abdal", "abdol", "abdoul"}
NAME_PARTICLES = {"bin", "bint", "ibn", "al", "al-", "el", "abu", "de", "van", "von", "der", "da", "di", "du", "la", "le"}
GROUP_HEADS = {"sides", "parties", "leaders", "governments", "ministers", "presidents", "envoys", "delegations", "countries", "nations",
               "states", "neighbours", "neighbors", "adversaries", "rivals", "foes", "belligerents",
               "sides'", "warring", "signatories", "negotiators", "teams", "participants", "attendees"}
#: singular nouns that British usage takes up with "they" ("The cabinet met. They ordered ...")
COLLECTIVE_HEADS = {"government", "cabinet", "committee", "council", "ministry", "administration", "leadership",
                    "junta", "parliament", "delegation", "team"}
#: heads that name a gathering or a generic group, not a body of its own ("the Annapolis Conference")
BODY_HEAD_EXCLUDED = {"summit", "conference", "rebels", "forces", "army", "military", "state", "party", "government",
                      "nations", "delegation", "mission", "office"}
#: "the two countries", "both leaders", "each nation": how many were named together before
GROUP_COUNTS = {"both": 2, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}
#: nouns that, counted ("the four ministers", "the two countries", "each side"), stand for the states
#: or bodies just named together
STATE_NOUNS = {"country", "nation", "state", "government", "leader", "president", "side", "neighbour", "neighbor",
               "minister", "diplomat", "envoy", "delegation", "negotiator", "official", "power", "member"}
# Nouns that stand for the actor named in their modifier ("Russian officials" → Russia).
PROXY_HEADS = {"government", "governments", "official", "officials", "delegation", "delegations",
               "side", "sides", "team", "negotiators", "negotiator", "mediators", "mediator", "forces", "authorities",
               "leadership", "administration", "diplomats", "diplomat", "envoy", "envoys", "troops", "army",
               "military", "ministry", "leader", "leaders", "representatives", "negotiating", "foreign",
               "spokesperson", "spokesman", "president", "minister", "officials'", "warships", "inspections", "ship", "ships",
               "warship", "destroyer", "destroyers", "frigate", "navy",
               "party", "movement", "regime", "cabinet", "parliament", "president's", "people", "soldiers",
               "commander", "commanders", "rebels", "insurgents", "militants", "fighters", "guerrillas", "group",
               "presidents", "prime", "ministers", "officials", "chiefs", "heads", "militia", "junta", "council",
               "members", "member", "delegates", "delegate", "representative", "ambassador", "supporters",
               "ambassadors", "spokeswoman", "congress", "senate", "assembly", "elders", "trio", "troika",
               "coalition", "legislature", "state", "states", "nation", "nations", "country", "countries",
               "secretary", "presidency", "embassy", "mission", "observers",
               "committee", "commission", "leadership", "capital", "statement", "communique", "communiqué", "resolution", "letter",
               "faction", "factions", "wing", "collection", "alliance", "umbrella", "republic", "kingdom",
               "body", "bodies", "organ", "panel", "watchdog"}


def _apostrophes(text: str) -> list[str]:
    """A name as the lexicon writes it and with the other apostrophe: news prints 'People’s' and
    'Côte d’Ivoire' as often as the typewriter's 'People's'."""
    return list(dict.fromkeys([text, text.replace("'", "\u2019"), text.replace("\u2019", "'")]))


class ActorFinder:
    """Finds actor mentions; built once per pipeline (the phrase matcher is the costly part)."""

    def __init__(self, nlp, lexicon: Lexicon):
        self.lexicon = lexicon
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        groups: dict[str, list] = {}
        for s in lexicon.surfaces:
            groups.setdefault(f"{s.key}|{s.how}", []).extend(_apostrophes(s.text))
        for label, texts in groups.items():
            self.matcher.add(label, list(nlp.tokenizer.pipe(texts)))
        # a common-noun alias ("world powers") may open a sentence or a lede in capitals
        self.lower_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for label, texts in groups.items():
            lower = [t for t in texts if t == t.lower() and t.isascii()]
            if lower:
                self.lower_matcher.add(label, list(nlp.tokenizer.pipe(lower)))
        # ... and a name in capitals ("CANADA and the European Union reached agreement", a lede's
        # first word as British papers print it; a headline in capitals)
        self.caps_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for label, texts in groups.items():
            named = [t for t in texts if t != t.lower() and not t.isupper()]
            if named:
                self.caps_matcher.add(label, list(nlp.tokenizer.pipe(named)))
        titles = lexicon.titles
        self.title_heads = {w.lower() for w in titles["heads"]}
        self.title_mods = {w.lower() for w in titles["modifiers"]}
        self.honorifics = {w.lower().rstrip(".") for w in titles["honorifics"]}
        self.drop = {w.lower() for w in titles["drop"]}
        self.default_aff = {k.lower(): v for k, v in (titles.get("default_affiliation") or {}).items()}
        self.not_roles = {w.lower() for w in titles.get("not_roles", [])}
        self.reporting = set(lexicon.verbs["reporting_verbs"])
        # heads of a firm's, a school's or a club's name: "a Chinese university" is no state
        self.commercial_heads = {w.lower() for w in (lexicon.relevance or {}).get("commercial_words", []) if " " not in w}
        self.civil_words = {w.lower() for w in (lexicon.relevance or {}).get("civil_society_words", [])}
        self.governmental_heads = {w.lower() for w in (lexicon.relevance or {}).get("governmental_words", []) if " " not in w}
        #: a firm's or a union's name in words ("Nigeria Labour Congress", "Congress of South African
        #: Trade Unions"): they say what the body is whatever state body's word comes with them
        self.commercial_phrases = [w.lower() for w in (lexicon.relevance or {}).get("commercial_words", []) if " " in w]
        verbs = lexicon.verbs
        #: what a person does as a subject (say, urge, agree, meet ...): the lexicon's verbs of
        #: reporting, asking, agreeing and talking; in a title-case headline, in any of their forms
        self.acts = self.reporting | {*verbs["agreement"]["verbs"], *verbs["demand"]["verbs"], *verbs["talks_verbs"]}
        self.headline_verbs = {f for v in self.acts for f in (v, v + "s", v + "es")}
        #: what a gathering does as one ("the summit called on ..."), not what is done to it ("was held")
        self.speaks = self.reporting | {*verbs["agreement"]["verbs"], *verbs["demand"]["verbs"]}
        self.documents = {w.lower() for w in lexicon.verbs["agreement"].get("document_words", [])}
        self.by_surface = {t: (s.key, s.how) for s in lexicon.surfaces if s.how in ("name", "alias", "demonym")
                           for t in _apostrophes(s.text)}
        #: "the Koreas", "the two Sudans": a word two states' names share, in the plural, names both
        sharing: dict[str, set[str]] = {}
        for s in lexicon.surfaces:
            if s.key.startswith("country:") and s.how == "name":
                sharing.setdefault(s.text.split()[-1], set()).add(s.key)
        self.shared_names = {w + "s": sorted(keys) for w, keys in sharing.items()
                             if len(keys) == 2 and w.lower() not in PLACE_NOUNS | {"territory", "islands", "states"}}
        self.org_names: dict[str, list[str]] = {}  # a body's name and aliases ("Southern African Development Community", "SADC")
        for s in lexicon.surfaces:
            if s.key.startswith("org:") and s.how in ("name", "alias"):
                self.org_names.setdefault(s.key, []).append(s.text)

    def _swallows(self, name: Span, inner: Span, covered: set[int]) -> bool:
        """Whether the NER's longer ``name`` makes the gazetteer's ``inner`` part of itself."""
        if self._firm(name) or _movement_name(name) and inner.label_.startswith("country:"):
            return True  # (a body the lexicon names stays itself: "the Free Aceh Movement")
        # (words joined by "and", "of": the "Peace and Security Council" is no UN Security Council;
        # one owned by a state or body stays its own: the "Iraqi National Security Council", the
        # "African Union Peace and Security Council", but the "UN Security Council" is the UN's)
        before = [t for t in name[:inner.start - name.start] if t.lower_ not in ("the", "and", "of", "&")]
        return inner.label_.startswith("org:") and inner.label_.endswith("|alias") and inner.end == name.end \
            and any(t.i not in covered for t in before) and all(t.text[:1].isupper() and t.pos_ == "PROPN" for t in before)

    def _firm(self, ent: Span) -> bool:
        """A name with a word of a firm's ('Mobile', 'Airways', 'Marketing') and none of a state body's."""
        words = {t.lower_ for t in ent}
        if words & self.commercial_heads and not words & self.governmental_heads:
            return True
        text = " ".join(t.lower_ for t in ent)
        return any(f" {w} " in f" {text} " for w in self.commercial_phrases)

    # ---- step 1: mentions ---------------------------------------------------------------------
    def find_mentions(self, doc: Doc, state: DocState) -> None:
        spans = []
        matches = set(self.matcher(doc)) | set(self.lower_matcher(doc))
        if any(t.is_upper and len(t) > 2 for t in doc):
            matches |= {(m, a, b) for m, a, b in self.caps_matcher(doc)
                        if all(t.is_upper for t in doc[a:b] if t.is_alpha and len(t) > 2)}
        for match_id, start, end in sorted(matches):
            label = doc.vocab.strings[match_id]
            key, how = label.split("|")
            spans.append(Span(doc, start, end, label=label))
        # an alias inside a person's name is part of the name ("Therese Kayikwamba Wagner" is no
        # Wagner Group), though a country named before a name ("Russian ...") stays a country
        names = [e for e in doc.ents if e.label_ == "PERSON" and len(e) > 1]
        spans = [s for s in spans if not any(e.start < s.start and s.end <= e.end for e in names)
                 or s.label_.endswith("|name")]
        # a state's one-word name that opens a two-word person's name is a first name ("Israel
        # Ramirez", "Jordan Peterson"; but "Chad Idriss Deby" of a headline is Chad and Deby)
        two_word_starts = {e.start for e in names if len(e) == 2}
        spans = [s for s in spans if not (len(s) == 1 and s.start in two_word_starts and s.end < len(doc)
                                          and doc[s.end].pos_ == "PROPN" and doc[s.end].text[:1].isupper())]
        # a demonym that opens a place's or a body's name is part of that name ("the Indian Ocean",
        # "the Indian Ocean Rim Commission"), not its state
        spans = [s for s in spans if not (s.label_.endswith("|demonym") and s.end < len(doc) and s[0].ent_type_ in ("LOC", "FAC")
                                          and doc[s.end].ent_iob_ == "I" and doc[s.end].pos_ == "PROPN")]
        # a state's demonym after a compass or region word names a region's people ("Latin American
        # leaders", "a South American coalition"), not the state
        spans = [s for s in spans if not (s.label_.endswith("|demonym") and s.start > 0
                                          and doc[s.start - 1].lower_ in REGION_WORDS)]
        # a name inside a longer name the NER found is part of that name: a state's inside a firm's
        # ("China Mobile", "Air India", "News America Marketing"), a demonym opening a movement's
        # ("the Rwandan Patriotic Front"), a body's alias ending another body's name (Thailand's
        # "National Security Council" is no UN Security Council)
        covered = {i for s in spans for i in range(s.start, s.end)}
        org_at = {i: e for e in doc.ents if e.label_ == "ORG" and len(e) > 1 for i in range(e.start, e.end)}  # (linear)
        spans = [s for s in spans if not ((e := org_at.get(s.start)) is not None and s.end <= e.end
                                          and (e.start, e.end) != (s.start, s.end) and self._swallows(e, s, covered))]
        # a firm named after its state's people ("American Airlines", "British Airways") goes on by
        # the demonym alone: "American agreed to merge" is the firm, not the state
        firms = {e[0].text for e in doc.ents if e.label_ == "ORG" and len(e) > 1 and self._firm(e)}
        spans = [s for s in spans if not (len(s) == 1 and s.text in firms and s.label_.endswith("|demonym")
                                          and s.root.dep_ not in ("amod", "compound"))]
        # a body's alias after "Peace and": the end of a longer name the NER cut in two (the AU's
        # "Peace and Security Council" is no UN Security Council)
        spans = [s for s in spans if not (s.label_.endswith("|alias") and s.label_.startswith("org:") and s.start >= 2
                                          and doc[s.start - 1].lower_ == "and" and doc[s.start - 2].pos_ == "PROPN"
                                          and doc[s.start - 2].text[:1].isupper() and s.start - 2 not in covered
                                          and doc[s.start - 2].ent_type_ in ("ORG", ""))]
        gaz = self._elided_names(doc, filter_spans(spans))
        filed = [s.label_.split("|")[0] for s in gaz if _dateline(s) and s.label_.startswith("country:")]
        if filed:  # where the story was filed: the home state when the text names none more often
            state.memo.setdefault("dateline country", filed[0])
        gaz = [s for s in gaz if not _dateline(s)]
        taken = {i for s in gaz for i in range(s.start, s.end)}
        demonyms = {s.start for s in gaz if len(s) == 1 and s.label_.endswith("|demonym")}
        named = self._abbreviated_names(doc, state, taken, demonyms)
        gaz = [s for s in gaz if s.start not in named]  # ("the Malian Patriotic Movement (MPM)": no Mali)
        for s in gaz:
            key, how = s.label_.split("|")
            actor = self._ensure_actor(state, key, s.text if how in ("name",) else None)
            state.add_mention(Mention(s.start, s.end, key, how))
            if (how in ("name", "alias") or how == "demonym" and key.startswith("country:") and not s.text.endswith("s")) \
                    and s.text != actor.name and s.text not in actor.aliases:
                actor.aliases.append(s.text)  # the names it goes by in this article ("the Palestinian side")
            head = s[-1].lower_
            if how in ("name", "alias") and len(s) > 1:
                state.heads.setdefault(head, key)
        persons: list[Span] = []
        orgs: list[Span] = []
        for ent in doc.ents:
            if any(i in taken for i in range(ent.start, ent.end)):
                owner = state.by_token.get(ent.start + (ent[0].dep_ == "det"))
                if ent.label_ == "ORG" and owner and owner.key.startswith("country:") and ent.end - 1 not in taken \
                        and ent[-1].lower_ in ("ministry", "embassy", "presidency", "cabinet", "government") \
                        and self._institution(ent[owner.end - ent.start:]):
                    state.heads.setdefault(ent[-1].lower_, owner.key)  # "the Russian Foreign Ministry", later "the ministry"
                continue
            if fold(ent.text.strip()) in self.lexicon.nonactors or self._document(ent):
                continue
            if len(ent) == 1 and ent.label_ in ("PERSON", "GPE", "NORP") and _armed_group(ent[0]):
                continue  # "Rebels, west African leaders and the US ...": a capitalised noun, no one's name
            if ent.label_ == "PERSON":
                quote = next((t.i for t in ent[1:] if t.is_quote), None)
                if quote is not None:
                    ent = ent.doc[ent.start:quote]  # "Mohamed Hamdan ‘Hemeti’": a nickname in quotes is no part of the name
                while len(ent) > 1 and ent[-1].is_punct:
                    ent = ent[:-1]
                while len(ent) > 1 and not ent[-1].text[:1].isupper() and ent[-1].pos_ in ("VERB", "AUX", "ADV", "ADP", "CCONJ") \
                        and ent[-2].text != "-":
                    ent = ent[:-1]  # "Francis knelt": a name ends before a verb the NER took in (not "Ban Ki-moon")
                if not any(t.text[:1].isupper() for t in ent):
                    continue  # "living today in the bush": a name is written with capitals
                if len(ent) == 1 and ent.root.dep_ in ("compound", "amod") and ent.root.head.pos_ == "NOUN":
                    continue  # "the main Hutu rebel group": a name used as a modifier names a people, not a person
                persons.extend(self._split_person(self._extend_name(ent, taken)))
            elif ent.label_ in ("NORP", "GPE") and (name := _misread_person(doc, ent, taken, self.acts)) is not None:
                persons.append(name)  # "Mirzoyan said", "Ararat Mirzoyan and his counterpart X": no people, no place
            elif ent.label_ == "ORG" and (self._titled(ent) or _aged(doc, ent.start)):
                persons.append(ent)  # "German Chancellor Olaf Scholz", "43-year-old Nuch": a title or an age makes a person of it
            elif ent.label_ == "ORG":
                orgs.append(ent)
        # the tails of full names ("Obrador", "López Obrador" of "Andrés Manuel López Obrador")
        surnames = {s[k:].text for s in persons if len(s) > 1 for k in range(1, len(s))}
        # "Moro rebels" of a story about the Moro Islamic Liberation Front: the first word of one
        # body's long name, written alone, is that body
        firsts: dict[str, list[str]] = {}
        for key, actor in state.actors.items():
            if key.startswith("org:") and len(actor.name.split()) >= 3:
                firsts.setdefault(actor.name.split()[0], []).append(key)
        for ent in orgs:
            if (_strip_det(ent) or ent).text in surnames:  # "Izetbegovic had insisted": the NER's ORG is the person
                continue
            if len(ent) == 1 and len(firsts.get(ent.text, ())) == 1:
                state.add_mention(Mention(ent.start, ent.end, firsts[ent.text][0], "alias"))
                continue
            span = _strip_det(ent)
            if span is None or not span.text[:1].isupper() or self._inside_title(span) or _dateline(span):
                continue
            if self._institution(span) and any(
                    c.i in state.by_token and state.by_token[c.i].key.startswith("country:")
                    for c in span.root.children if c.dep_ in ("compound", "amod", "poss")):
                continue  # "the US Congress", "Russia's Foreign Ministry": a state's institution, read as its state
            if len(span) == 1 and span[0].tag_ in ("NN", "NNS") and _sentence_initial(span[0]):
                continue  # "Negotiations must ...": a common noun capitalised by its place, not a body
            if len(span) == 1 and span[0].lower_ in GOVERNING:
                continue  # "the Government" (British usage): a state's government, read as its state
            if len(span) == 1 and span.start > 0 and doc[span.start - 1].lower_ == "the" and span[0].lower_ in state.heads:
                # "the Front" of a story about the Polisario Front: the body named in full before
                state.add_mention(Mention(span.start, span.end, state.heads[span[0].lower_], "alias"))
                continue
            key = f"org:{slug(span.text)}"
            actor = self._ensure_actor(state, key, span.text)
            state.add_mention(Mention(span.start, span.end, key, "ner"))
            state_of = self._state_before(doc, state, span)
            if state_of and state_of not in actor.affiliations:
                actor.affiliations.append(state_of)
        persons += self._titled_names(doc, state, taken, persons)
        self._bodies_by_head(doc, state, taken, persons)
        self._cluster_persons(doc, state, persons)
        self._surname_mentions(doc, state)
        home = None
        for actor in state.actors.values():  # "the Ministry of Education" of a story about Guyana is Guyana's
            if actor.kind == "organization" and not actor.affiliations and not actor.category and any(
                    w in MINISTRY_WORDS for w in actor.name.lower().split()[:2]):
                home = home or self.home_country(state)
                if home:
                    actor.affiliations.append(home)

    def _elided_names(self, doc: Doc, gaz: list[Span]) -> list[Span]:
        """'the leaders of North and South Korea', 'Greek and Turkish Cypriot leaders': the first
        word names what the second name does with its head ('North Korea', 'Greek Cypriot')."""
        single = {s.start: s for s in gaz if len(s) == 1}
        found: dict[int, Span] = {}
        for s in gaz:
            if len(s) < 2 or s.start < 2 or doc[s.start - 1].lower_ not in ("and", "or", "&"):
                continue
            other = doc[s.start - 2]
            if not other.text[:1].isupper() or any(g.start < other.i < g.end for g in gaz) or (
                    other.i not in single and any(g.start <= other.i < g.end for g in gaz)):
                continue
            hit = self.by_surface.get(f"{other.text} {s[1:].text}")
            if hit:
                found[other.i] = Span(doc, other.i, other.i + 1, label=f"{hit[0]}|{hit[1]}")
        if not found:
            return gaz
        return sorted([g for g in gaz if g.start not in found or len(g) > 1] + list(found.values()), key=lambda g: g.start)

    def _abbreviated_names(self, doc: Doc, state: DocState, taken: set[int], demonyms: set[int]) -> set[int]:
        """'Reporters Without Borders (RWB)', 'the International Labor Office (ILO)': a run of
        capitalised words followed by its initials in brackets names a body, whatever the NER
        made of it; the initials name it wherever they stand later. A demonym may open the name
        ('Liberians United for Reconciliation and Democracy (LURD)'); the demonyms so taken
        into a name are returned."""
        found: dict[str, str] = {}
        opened: set[int] = set()
        tokens = state.tokens
        for i in range(2, len(tokens) - 1):
            abbr = tokens[i]
            if tokens[i - 1].text != "(" or tokens[i + 1].text != ")" or i in taken:
                continue
            letters = abbr.text.replace(".", "")
            # (British papers write initials said as a word in title case: "Liberians United for
            # Reconciliation and Democracy (Lurd)"; those must spell the name's initials exactly)
            titled = 3 <= len(letters) <= 6 and letters.isalpha() and letters[0].isupper() and letters[1:].islower()
            if not (2 <= len(letters) <= 8 and letters.isupper() and letters.isalpha() or titled):
                continue
            start = i - 1
            while start > 0 and i - start < 12 and start - 1 not in taken and (
                    tokens[start - 1].text[:1].isupper() or (tokens[start - 1].lower_ in ABBREVIATED_LINKS
                                                             or tokens[start - 1].text == "-")
                    and start > 1 and tokens[start - 2].text[:1].isupper()):
                start -= 1
            if start - 1 in demonyms and tokens[start - 1].text[:1] == letters[:1].upper() != tokens[start].text[:1]:
                start -= 1  # (the demonym the initials begin with opens the name)
            while start < i - 1 and tokens[start].lower_ in ABBREVIATED_LINKS:
                start += 1
            # "Asia-Pacific" gives one initial: a hyphenated pair is one word
            words = [t for t in tokens[start:i - 1] if t.text[:1].isupper() and not (
                t.i > start and tokens[t.i - 1].text == "-" and not tokens[t.i - 1].whitespace_)]
            if len(words) < 2 or words[0].text[0] != letters[0] or sum(w.text[0] in letters.upper() for w in words) < len(words) - 1:
                continue
            if titled and "".join(w.text[0] for w in words).upper() != letters.upper():
                continue
            if self._document(doc[start:i - 1]):
                continue
            name = doc[start:i - 1].text
            key = f"org:{slug(name)}"
            self._ensure_actor(state, key, name)
            found[abbr.text] = key
            state.add_mention(Mention(start, i - 1, key, "name"))
            taken.update(range(start, i - 1))
            opened.update(k for k in range(start, i - 1) if k in demonyms)
        if not found:
            return opened
        for tok in tokens:
            key = found.get(tok.text)
            if key and tok.i not in taken:
                state.add_mention(Mention(tok.i, tok.i + 1, key, "alias"))
                taken.add(tok.i)
                if tok.text not in state.actors[key].aliases:
                    state.actors[key].aliases.append(tok.text)
        return opened

    def _document(self, span: Span) -> bool:
        """'Memorandum of Understanding', 'Readiness Action Plan': a named document is no actor."""
        words = [t.lower_ for t in span if t.is_alpha and t.lower_ != "the"]
        if bool(words) and (words[0] in self.documents or words[-1] in self.documents):
            return True
        # "the Intermediate-Range Nuclear Forces (INF) Treaty", "the Non-Proliferation Treaty
        # (NPT)": the name before a document word, and its abbreviation after one
        doc, end = span.doc, span.end
        if end + 2 < len(doc) and doc[end].text == "(" and doc[end + 2].text == ")":
            end += 3
        after = doc[end] if end < len(doc) else None
        before = doc[span.start - 2] if span.start >= 2 and doc[span.start - 1].text == "(" else None
        return any(t is not None and t.text[:1].isupper() and t.lower_ in self.documents for t in (after, before))

    def _institution(self, span: Span) -> bool:
        """'Congress', 'Foreign Ministry': words that name a state's institution, not a body's name."""
        return all(t.lower_ in PROXY_HEADS or t.lower_ in self.title_mods for t in span)

    def _titled(self, span: Span) -> bool:
        """Two to four proper nouns right after a title word ('Chancellor', 'President'), or in
        apposition to one ('the Russian foreign minister, Pavel Orlov'), the NER's ORG notwithstanding."""
        doc = span.doc
        after_title = span.start > 0 and doc[span.start - 1].lower_ in self.title_heads
        named_title = span.root.dep_ == "appos" and span.root.head.pos_ == "NOUN" and span.root.head.lower_ in self.title_heads \
            and span.start > 0 and doc[span.start - 1].text == ","
        # ... or with one in apposition after it ('Nasreen Akter, the prime minister of Bangladesh,')
        title_after = any(c.dep_ == "appos" and c.pos_ == "NOUN" and c.lower_ in self.title_heads for c in span.root.children)
        return 2 <= len(span) <= 4 and (after_title or named_title or title_after) and all(
            t.pos_ == "PROPN" and t.is_alpha for t in span)

    def _titled_names(self, doc: Doc, state: DocState, taken: set[int], found: list[Span]) -> list[Span]:
        """Names the NER missed, repaired from their context: two or more capitalised proper nouns
        right after a title ('President Mwai Kibaki') or with a title in apposition ('Raila
        Odinga, the Kenyan Prime Minister,')."""
        covered = taken | {i for s in found for i in range(s.start, s.end)} | set(state.by_token)
        out: list[Span] = []
        tokens = state.tokens
        i = 0
        while i < len(tokens):
            if tokens[i].pos_ != "PROPN" or i in covered or not tokens[i].text[:1].isupper() or self._is_title_word(tokens[i]):
                i += 1
                continue
            j = i
            while j < len(tokens) and tokens[j].pos_ == "PROPN" and tokens[j].text[:1].isupper() and j not in covered \
                    and not self._is_title_word(tokens[j]) and (j == i or tokens[j - 1].whitespace_):
                j += 1
            span = doc[i:j]
            if 2 <= len(span) <= 4 and all(t.is_alpha or t.text == "-" for t in span) and (
                    i > 0 and tokens[i - 1].lower_ in self.title_heads
                    or any(c.dep_ == "appos" and c.lower_ in self.title_heads for c in span.root.children)):
                out.append(span)
            i = max(j, i + 1)
        return out

    def _bodies_by_head(self, doc: Doc, state: DocState, taken: set[int], persons: list[Span]) -> None:
        """Bodies the NER missed, repaired from their head word: 'the Third World Water Forum',
        capitalised words ending in a word that names a governing or representing body
        (relevance.yaml), after 'the'. Gatherings ('the Annapolis Conference') are no bodies."""
        heads = {w for w in (state.lexicon.relevance or {}).get("governmental_words", []) if " " not in w} - BODY_HEAD_EXCLUDED
        covered = taken | {i for s in persons for i in range(s.start, s.end)} | set(state.by_token)
        for tok in state.tokens:
            if tok.lower_ not in heads or not tok.text[:1].isupper() or tok.i in covered or tok.ent_type_ not in ("", "LOC", "FAC"):
                continue  # (a body the NER read as a place is still a body: "the Pacific Islands Forum")
            start = tok.i
            while start > 0 and start - 1 not in covered and doc[start - 1].text[:1].isupper() and doc[start - 1].is_alpha \
                    and doc[start - 1].lower_ != "the" \
                    and not doc[start - 1].ent_type_ in ("PERSON", "GPE", "NORP", "DATE") and tok.i - start < 5:
                start -= 1
            if start == tok.i or start == 0 or doc[start - 1].lower_ != "the" or doc[start].is_sent_start:
                continue
            span = doc[start:tok.i + 1]
            if self._document(span) or self._institution(span):
                continue
            key = f"org:{slug(span.text)}"
            self._ensure_actor(state, key, span.text)
            state.add_mention(Mention(span.start, span.end, key, "ner"))
            covered.update(range(span.start, span.end))

    def _state_before(self, doc: Doc, state: DocState, span: Span) -> str | None:
        """'the US Congress', 'Iran's Foreign Ministry', 'the Russian parliament': a body named
        right after a state (its name, demonym or possessive) is that state's institution."""
        i = span.start - 1
        owned = False  # a body's own organ: "the AU's Peace and Security Council", "the African Union Peace and ..."
        if i >= 1 and doc[i].lower_ == "and" and doc[i - 1].pos_ == "PROPN" and doc[i - 1].i not in state.by_token:
            i, owned = i - 2, True  # (the NER cut the name at "and")
        if i >= 0 and doc[i].tag_ == "POS":
            i, owned = i - 1, True
        m = state.by_token.get(i) if i >= 0 else None
        if m is not None and owned and m.key.startswith("org:") and m.how != "ner":
            return m.key
        return m.key if m is not None and m.key.startswith("country:") and m.how != "capital" else None

    def _inside_title(self, span: Span) -> bool:
        """'State' in 'Secretary of State', 'Defence' in 'Defence Minister' are parts of titles."""
        words = [t.lower_ for t in span]
        if all(w in self.title_mods or w in self.title_heads for w in words):
            return True
        nxt = span.doc[span.end] if span.end < len(span.doc) else None
        return nxt is not None and nxt.lower_ in self.title_heads and all(w in self.title_mods or w[:1].isalpha() for w in words) and len(span) == 1

    def _extend_name(self, ent: Span, taken: set[int]) -> Span:
        """'Sheikh Mohammed bin Abdulrahman' + 'Al Thani': the NER often stops inside long names."""
        doc = ent.doc
        end = ent.end
        while end < len(doc) and end not in taken and doc[end - 1].whitespace_:
            t = doc[end]
            if t.lower_ in NAME_PARTICLES and end + 1 < len(doc) and doc[end + 1].text[:1].isupper():
                end += 1
            elif t.pos_ == "PROPN" and t.text[:1].isupper() and t.lower_ not in self.title_heads \
                    and t.ent_type_ in ("PERSON", "") and doc[end - 1].lower_ not in NAME_PARTICLES | {""} or \
                    doc[end - 1].lower_ in NAME_PARTICLES and t.text[:1].isupper():
                end += 1
            else:
                break
        start = ent.start
        # "representative Ghazi Salah Eddin Atabani": a given name the NER left out, which the
        # parser hangs inside the name
        while start > 0 and start - 1 not in taken and doc[start - 1].whitespace_:
            t = doc[start - 1]
            if t.pos_ == "PROPN" and t.text[:1].isupper() and t.ent_type_ == "" and t.dep_ == "compound" \
                    and start <= t.head.i < end and not self._is_title_word(t) and t.i != t.sent.start:
                start -= 1
            else:
                break
        return doc[start:end] if (start, end) != (ent.start, ent.end) else ent

    def _surname_mentions(self, doc: Doc, state: DocState) -> None:
        """'Begin', 'Trimble': a known person's surname alone is that person, even where the NER
        did not tag it (it is also an English word, or stands at the start of a sentence)."""
        surnames: dict[str, str] = {}
        for key, actor in state.actors.items():
            if actor.kind == "person" and " " in actor.name:
                surnames.setdefault(actor.name.split()[-1], key)
        for tok in state.tokens:
            key = surnames.get(tok.text)
            if key and tok.i not in state.by_token and tok.pos_ in ("PROPN", "NOUN", "VERB", "ADJ") and (
                    tok.dep_ in ("nsubj", "nsubjpass", "pobj", "dobj", "poss", "conj", "appos", "compound") or tok.ent_type_ == "PERSON"):
                state.add_mention(Mention(tok.i, tok.i + 1, key, "person"))

    def _split_person(self, ent: Span) -> list[Span]:
        """'Putin-Zelensky talks': a hyphen between two surnames names two persons."""
        doc = ent.doc
        toks = list(ent)
        while toks and (toks[0].lower_.rstrip(".") in self.honorifics or toks[0].lower_ in self.title_heads):
            toks = toks[1:]
        while toks and toks[-1].tag_ == "POS":
            toks = toks[:-1]
        # a headline in title case: "Netanyahu, Arafat Agree on ...": the verb is no part of the name
        last = toks[-1] if toks else None
        if len(toks) > 1 and last.lower_ in self.headline_verbs and _in_headline(last) and (
                last.i + 1 < len(doc) and not doc[last.i + 1].text[:1].isupper()):
            toks = toks[:-1]  # (but "Menachem Begin arrived" keeps its name, and so does "Begin Arrives")
        if not toks:
            return []
        span = doc[toks[0].i: toks[-1].i + 1]
        if any(t.text == "-" for t in span) and len(span) == 3 and span[0].text[:1].isupper() and span[2].text[:1].isupper() \
                and span[0].lower_ not in NAME_PARTICLES | ARABIC_NAME_PARTS and not self._tail_of_a_name(span):
            return [doc[span.start: span.start + 1], doc[span.end - 1: span.end]]
        return [span]

    @staticmethod
    def _tail_of_a_name(span: Span) -> bool:
        """'Abdul-Salam' of a story that names 'Muhammad Abdul-Salam': one person's surname."""
        doc = span.doc
        tails = doc.user_data.get("dip person tails")
        if tails is None:  # (once per document: the tails of its longer person names)
            tails = {e[k:].text for e in doc.ents if e.label_ == "PERSON" for k in range(1, len(e))}
            doc.user_data["dip person tails"] = tails
        return span.text in tails

    def _cluster_persons(self, doc: Doc, state: DocState, spans: list[Span]) -> None:
        """One actor per person: short forms join the full name they are the tail of."""
        full = sorted({s.text: s for s in spans if len(s) > 1}.values(), key=lambda s: -len(s))
        canon: dict[str, str] = {}  # folded surname/name -> key
        firsts: dict[str, set[str]] = {}  # "Wen" of "Wen Jiabao", "Ban" of "Ban Ki-moon": family name first
        for s in full:
            firsts.setdefault(fold(s[0].text), set()).add(fold(s.text))
        lasts = {fold(s[-1].text) for s in full}
        for s in full:
            name = s.text
            f = fold(name)
            key = canon.get(f) or canon.get(fold(s[-1].text))
            if key is None or len(name.split()) > 1 and key in state.actors and fold(state.actors[key].name) not in f and not f.endswith(fold(state.actors[key].name.split()[-1])):
                key = f"person:{slug(name)}"
                self._ensure_actor(state, key, name, kind="person")
            actor = state.actors[key]
            if name != actor.name and name not in actor.aliases:
                actor.aliases.append(name)
            canon.setdefault(f, key)
            if not (len(s) > 2 and s[-2].text == "-"):  # "Sarkozy" alone is not "Carla Bruni-Sarkozy"
                canon.setdefault(fold(s[-1].text), key)
            elif len(s) > 3:  # but "Abdul-Salam" is "Muhammad Abdul-Salam", "Bruni-Sarkozy" is she
                canon.setdefault(fold(s[-3:].text), key)
            first = fold(s[0].text)
            if len(firsts[first]) == 1 and first not in lasts and s[0].lower_ not in NAME_PARTICLES:
                canon.setdefault(first, key)
        for s in spans:
            key = canon.get(fold(s.text)) or canon.get(fold(s[-1].text))
            if key is None:
                key = f"person:{slug(s.text)}"
                self._ensure_actor(state, key, s.text, kind="person")
                canon[fold(s.text)] = key
            elif s.text != state.actors[key].name and s.text not in state.actors[key].aliases:
                state.actors[key].aliases.append(s.text)
            if any(i in state.by_token for i in range(s.start, s.end)):
                continue
            state.add_mention(Mention(s.start, s.end, key, "person"))

    def ensure(self, state: DocState, key: str) -> Actor:
        """The actor under ``key`` in this doc, made from the lexicon when the text has not named it yet."""
        return self._ensure_actor(state, key, None)

    def _ensure_actor(self, state: DocState, key: str, text: str | None, kind: str | None = None) -> Actor:
        if key in state.actors:
            return state.actors[key]
        kind = kind or ("country" if key.startswith("country:") else "person" if key.startswith("person:") else "organization")
        name = self.lexicon.names.get(key) or (text or key.split(":", 1)[1])
        actor = Actor(key=key, kind=kind, name=name,
                      code=key.split(":", 1)[1] if kind == "country" else None,
                      category=self.lexicon.categories.get(key) or None,
                      aliases=[n for n in self.lexicon.iso_names.get(key, []) if n != name])
        state.actors[key] = actor
        return actor

    # ---- step 2: roles and affiliations ------------------------------------------------------
    def describe_persons(self, doc: Doc, state: DocState) -> None:
        for m in list(state.mentions):
            if m.how != "person":
                continue
            actor = state.actors[m.key]
            role, aff, former = self._title_before(doc, state, m)
            role2, aff2 = self._apposition(doc, state, m)
            if aff2 and (former or not aff):
                aff = aff2  # "Former Ghanaian president X, the ECOWAS mediator": who X serves now
            named = _of_after(doc, state, m)  # "President Robert Mugabe of Zimbabwe"
            if named and (not aff or aff in state.memo.get("armed groups", {}).values()):
                aff = named  # ("rebel leader X of the Justice and Equality Movement": that movement, not "rebels")
            for r in (role, role2):
                for part in (r or "").split(" and "):  # "deputy foreign minister and chief negotiator"
                    if part.strip() and part.strip() not in actor.roles:
                        actor.roles.append(part.strip())
            role = role or role2
            if not role and (shared := _plural_title_of(doc, state, m, self.title_heads)):
                role = shared  # "Presidents A of Peru and B of Ecuador": B is a president too
                if role not in actor.roles:
                    actor.roles.append(role)
            if not aff and role:
                code = self.default_aff.get(role)
                aff = f"country:{code}" if code else None
                if aff:
                    self._ensure_actor(state, aff, None)
            if aff and aff != m.key and aff not in actor.affiliations:
                actor.affiliations.append(aff)
            if not role and not role2 and _aged(doc, m.start):
                state.memo.setdefault("private persons", set()).add(m.key)  # "said 43-year-old Nuch"
        self._counterparts(doc, state)
        self._placed_by_unnamed_title(doc, state)

    def _placed_by_unnamed_title(self, doc: Doc, state: DocState) -> None:
        """'Mozambique's President' (no name) ... 'President Joaquim Chissano': a title the story
        gives one state without a name places the unplaced person it later gives that title."""
        unplaced = [k for k, a in state.actors.items() if k.startswith("person:") and not a.affiliations and a.roles]
        if not unplaced:
            return
        titled: dict[str, list[tuple[int, str]]] = {}  # title -> (sentence start, state) of each unnamed one
        for tok in doc:
            if tok.lower_ not in UNNAMED_TITLES or tok.ent_type_ == "PERSON":
                continue
            nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
            if nxt is not None and nxt.ent_type_ == "PERSON" or any(
                    c.dep_ == "appos" and c.ent_type_ == "PERSON" for c in [*tok.children, tok.head] if c.i != tok.i) \
                    or tok.dep_ == "appos" and tok.head.ent_type_ == "PERSON":
                continue  # "President Joaquim Chissano", "X, the North Korean deputy foreign minister": named
            owners = [c for c in tok.children if c.dep_ in ("poss", "amod", "compound") and c.i < tok.i]
            states = {k for c in owners for k in self.resolve(doc, state, c) if k.startswith("country:")}
            words = [t.lower_ for c in owners for t in c.subtree if t.lower_ in ("prime", "foreign", "deputy", "vice")]
            if len(states) == 1:
                titled.setdefault(" ".join([*words, tok.lower_]), []).append((tok.sent.start, states.pop()))
        if not titled:
            return
        firsts: dict[str, int] = {}
        for m in state.mentions:
            if m.how == "person":
                firsts[m.key] = min(firsts.get(m.key, m.start), m.start)
        starts = [sent.start for sent in state.sentences]
        for key in unplaced:
            actor = state.actors[key]
            if key not in firsts:
                continue
            # (the unnamed title in the two sentences before the name's: "Mozambique's
            # President said ... Later, President Joaquim Chissano ...")
            here = bisect_right(starts, firsts[key]) - 1
            near = {k for r in actor.roles for s0, k in titled.get(r.lower(), ())
                    if here - 2 <= bisect_right(starts, s0) - 1 < here}
            if len(near) == 1:
                actor.affiliations.append(near.pop())

    def _regional_body(self, state: DocState, tok: Token) -> str | None:
        """The body the story names whose name holds the region words before ``tok`` ("Southern
        African" in "Southern African Development Community", "West African" in "Economic
        Community of West African States")."""
        words = [t for c in tok.children if c.dep_ in ("amod", "compound") and c.i < tok.i for t in c.subtree]
        if not words or any(t.i in state.by_token or not t.text[:1].isupper() or t.pos_ != "ADJ"
                            and t.ent_type_ not in ("NORP", "LOC", "GPE") for t in words):
            return None  # (a region's words, not "the Forum leaders")
        region = " ".join(t.text for t in sorted(words, key=lambda t: t.i))
        named = state.cached("bodies named", (len(state.mentions),), lambda: {
            m.key: [state.actors[m.key].name, *self.org_names.get(m.key, ())] for m in state.mentions if m.key.startswith("org:")})
        hits = {k for k, names in named.items() if any(f" {region} " in f" {n} " for n in names)}
        return hits.pop() if len(hits) == 1 else None

    def _counterparts(self, doc: Doc, state: DocState) -> None:
        """'Foreign Minister X met his Israeli counterpart Y' in a story of two states: X, whom the
        text does not place, serves the other one (the state named most often after Y's)."""
        counts = _country_mentions(state)  # (counted once: a story may say "counterpart" many times)
        for tok in state.tokens:
            if tok.lemma_ != "counterpart":
                continue
            pron = next((c for c in tok.children if c.dep_ == "poss" and c.lower_ in ("his", "her")), None)
            theirs = [k for c in tok.children if c.dep_ in ("amod", "compound") and c.i in state.by_token
                      for k in self.resolve(doc, state, c) if k.startswith("country:")]
            if pron is None or len(set(theirs)) != 1:
                continue
            key = self._antecedent_person(doc, state, pron)
            person = state.actors.get(key) if key else None
            if person is None or person.affiliations:
                continue
            ranked = sorted(((k, n) for k, n in counts.items() if k != theirs[0]), key=lambda kv: -kv[1])
            if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
                person.affiliations.append(ranked[0][0])

    def _is_title_word(self, t: Token) -> bool:
        low = t.lower_
        return low in self.title_heads or low in self.title_mods or low.rstrip(".") in self.honorifics or (
            t.tag_ == "NNS" and t.lemma_.lower() in self.title_heads)  # "Presidents A of Peru and B of Ecuador"

    def _title_before(self, doc: Doc, state: DocState, m: Mention) -> tuple[str | None, str | None, bool]:
        words: list[Token] = []
        aff = None
        i = m.start - 1
        while i >= 0:
            t = doc[i]
            mention = state.by_token.get(i)
            if mention is not None and mention.key != m.key:
                if not mention.key.startswith("person:"):
                    aff = mention.key
                    before = mention.start - 1
                    if mention.key.startswith("org:") and before > 0 and doc[before].tag_ == "POS" and \
                            (owner := state.by_token.get(before - 1)) is not None and owner.key.startswith("country:"):
                        aff = owner.key  # "Rwanda's UN ambassador X" serves Rwanda at the UN
                    if mention.start > 0 and doc[mention.start - 1].lower_ == "former":
                        words.insert(0, doc[mention.start - 1])  # "Former Ghanaian president X"
                break
            if t.tag_ == "POS" and i - 1 >= 0 and state.by_token.get(i - 1):
                i -= 1
                continue
            if self._is_title_word(t) or t.text == "-" and words:
                words.insert(0, t)
            elif t.lower_ == "of" and words and i > 0 and doc[i - 1].lower_ in self.title_heads:
                words.insert(0, t)
            elif t.lower_ == "and" and words and i > 0 and self._is_title_word(doc[i - 1]):
                words.insert(0, t)  # stacked titles: "Deputy Foreign Minister and chief negotiator"
            elif t.text[:1].isupper() and t.pos_ in ("PROPN", "NOUN") and t.dep_ == "compound" and words:
                words.insert(0, t)
            elif t.lower_ in ("government", "administration") and words:
                pass  # "Ethiopian government representative X": whose government, read on
            else:
                if words and t.dep_ in ("amod", "compound", "nmod") and _names_a_group(t):
                    # "rebel leader X", "top rebel aide X": the rebels'; "Zambia's President A and
                    # opposition leader B": the opposition of the state named
                    aff = self._group_named_by(doc, state, t, placed=True)
                break
            i -= 1
        return self._role(words), aff, any(w.lower_ == "former" for w in words)

    def _role(self, words: list[Token]) -> str | None:
        words = [w for w in words if w.lower_ not in self.drop and w.lower_.rstrip(".") not in self.honorifics
                 or w.lower_ in self.title_heads]
        title = lambda w: w.lower_ if w.tag_ != "NNS" else w.lemma_.lower()  # noqa: E731 (a plural title is each one's)
        if not any(title(w) in self.title_heads and title(w) not in self.not_roles for w in words):
            return None
        # ("secretary-general": the hyphen between two words of the title is no modifier, but it is kept)
        text = "".join(("-" if i and w.i == words[i - 1].i + 2 and w.nbor(-1).text == "-" else "")
                       + ((title(w) + w.whitespace_) if w.tag_ == "NNS" else w.text_with_ws)
                       for i, w in enumerate(words)).strip().lower()
        text = text.replace(" - ", "-").replace(" -", "-").replace("- ", "-")
        return text or None

    def _apposition(self, doc: Doc, state: DocState, m: Mention) -> tuple[str | None, str | None]:
        root = doc[m.start:m.end].root
        candidates = _appositions(root)
        # "signed by A and B, the spokesman of X": an apposition the parser hung far back, on
        # the clause's subject, right after the name describes the name
        after = m.end + 1 if m.end < len(doc) and doc[m.end].text == "," else None
        while after is not None and after < len(doc) and doc[after].dep_ == "det":
            after += 1
        if after is not None and after < len(doc) and doc[after].dep_ == "appos" and doc[after].head.i < m.start \
                and doc[after].head.i != root.i and doc[after].head.i not in state.by_token:
            candidates.append(doc[after])
        if root.dep_ == "appos":
            candidates.append(root.head)
        for noun in sorted(candidates, key=lambda n: any(c.lower_ == "former" for c in n.children)):
            if noun.lower_ not in self.title_heads and noun.lower_ not in ("counterpart", "colleague"):
                continue
            mods = [c for c in noun.children if c.dep_ in ("amod", "compound") and self._is_title_word(c)
                    and c.i not in state.by_token]
            role = self._role(sorted([*mods, noun], key=lambda t: t.i)) if noun.lower_ in self.title_heads else None
            aff = None
            # a demonym or name beside the title says more than a possessive pronoun ("his Somali counterpart")
            for c in sorted(noun.children, key=lambda c: c.dep_ == "poss" and c.pos_ == "PRON"):
                if c.dep_ in ("poss", "amod", "compound", "nmod"):
                    keys = self.resolve(doc, state, c, persons_as_affiliation=True)
                    if keys:
                        aff = keys[0]
                        break
            if aff is None:  # ("a former envoy to Venezuela", "ambassador to the UN": where one is posted)
                preps = ("of", "for") if noun.lemma_.lower() in POSTED_TITLES else ("of", "to", "for")
                for prep in (c for c in noun.children if c.dep_ == "prep" and c.lower_ in preps):
                    for p in prep.children:
                        keys = self.resolve(doc, state, p, persons_as_affiliation=True)
                        if keys:
                            aff = keys[0]
            return role, aff
        return None, None

    # ---- resolution ---------------------------------------------------------------------------
    def resolve(self, doc: Doc, state: DocState, tok: Token, *, persons_as_affiliation: bool = False,
                depth: int = 0) -> list[str]:
        """Actor keys a token stands for ([] when it names none)."""
        # A pronoun is resolved through the subjects around it, and those through their appositions
        # and pronouns: a token met again on the way stands for nothing new (no endless cycle).
        resolving = state.memo.setdefault("resolving", set())
        if depth > 3 or tok.i in resolving:
            return []
        resolving.add(tok.i)
        try:
            return self._resolve(doc, state, tok, persons_as_affiliation=persons_as_affiliation, depth=depth)
        finally:
            resolving.discard(tok.i)

    def _resolve(self, doc: Doc, state: DocState, tok: Token, *, persons_as_affiliation: bool, depth: int) -> list[str]:
        m = state.by_token.get(tok.i)
        if m is not None and m.how == "demonym" and tok.tag_ in ("NNS", "NNPS") and _people_elsewhere(state, tok, m.key):
            key = self._group_actor(state, tok)  # "ethnic Albanians in south Serbia": a people, not Albania
            if _crowd(tok):
                state.memo.setdefault("crowds", set()).add(key)
            return [key]
        if m is not None:
            if persons_as_affiliation and m.key.startswith("person:"):
                affs = state.actors[m.key].affiliations
                return affs[:1] or [m.key]
            return [m.key]
        low = tok.lower_
        if tok.tag_ in ("NNPS", "NNS") and tok.text in self.shared_names:
            for key in self.shared_names[tok.text]:  # "the Koreas agreed to hold military talks"
                self._ensure_actor(state, key, None)
            return list(self.shared_names[tok.text])
        if low in FIRST_PERSON:  # inside a quote: the speaker ("I"), the side they speak for ("we")
            speaker = state.speaker_at.get(tok.i)
            if speaker is None:
                return []
            if FIRST_PERSON[low] == "plural" and speaker in state.actors:
                return (state.actors[speaker].affiliations[:1] if speaker.startswith("person:") else []) or [speaker]
            return [speaker]
        if low in PERSON_PRONOUNS:
            said = tok.head if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.dep_ == "ccomp" else None
            if said is not None and said.head.lemma_ in self.reporting and depth < 3:
                # "Georgia's president said he agreed": the one who said it, though the text
                # names him by his office only (a named speaker is found below as a person)
                office = [s for s in said.head.children if s.dep_ == "nsubj" and s.lemma_.lower() in self.title_heads
                          and s.i not in state.by_token]
                keys = [k for s in office for k in self.resolve(doc, state, s, depth=depth + 1)]
                if keys:
                    return keys[:1]
            key = self._antecedent_person(doc, state, tok)
            return [key] if key else []
        # ("the North and South agreed": the article on the first of the two)
        named_by = tok.head if tok.dep_ == "conj" and tok.head.lower_ in ("north", "south") else tok
        if low in ("north", "south") and tok.text[0].isupper() and any(c.lower_ == "the" for c in named_by.children):
            # "the North must apologise": the state named "North ..." (or "South ...") in the story
            named = {m.key for m in state.mentions if m.key.startswith("country:")
                     and state.actors[m.key].name.lower().startswith(low + " ")} if state.mentions else set()
            return sorted(named) if len(named) == 1 else []
        if tok.lemma_.lower() in ("country", "nation", "government") and any(c.lower_ == "whose" for c in tok.children):
            rel = next((a for a in tok.ancestors if a.dep_ == "relcl"), None)  # "X, whose country mediated"
            return self.resolve(doc, state, rel.head, persons_as_affiliation=True, depth=depth + 1) if rel is not None else []
        if low in ("country", "nation") and any(c.lower_ == "the" for c in tok.children) and all(
                (c.dep_ in ("det", "amod", "punct", "case") or c.dep_ == "compound" and c.pos_ == "NOUN")
                and c.i not in state.by_token for c in tok.children) and (
                tok.dep_ == "poss" or tok.dep_ in ("dobj", "pobj") and tok.head.pos_ in ("VERB", "ADP")):
            # "the country's President, X", "urged the communist country to ...": the country just named
            stop = 0 if tok.dep_ == "poss" else _prev_sent_start(doc, tok.sent.start)
            last = next(state.mentions_before(tok.i, "country:", stop), None)
            return [last.key] if last else []
        if low in ("it", "its", "itself") :
            key = self._antecedent_collective(doc, state, tok)
            return [key] if key else []
        if low in ("they", "them", "their"):
            return self._antecedent_plural(doc, state, tok)
        if low in ("who", "which", "that") and tok.head.dep_ == "relcl":
            return self.resolve(doc, state, tok.head.head, depth=depth + 1)
        if tok.pos_ == "NUM" and low in GROUP_COUNTS and tok.dep_ in ("nsubj", "nsubjpass") and any(
                c.lower_ in ("the", "all") for c in tok.children):
            # "the four agreed to ...", "all three said ...": as many as were just named together
            return self._named_together(doc, state, tok, GROUP_COUNTS[low]) or (["@parties"] if low == "two" else [])
        if tok.pos_ in ("NOUN", "PROPN", "ADJ"):
            if low in ("mediators", "mediator", "facilitators", "brokers") and state.talks.mediators and not any(
                    c.dep_ in ("amod", "compound", "poss") for c in tok.children):
                return ["@mediators"]  # "the mediators urged ...": whoever mediates these talks
            named = any(c.i in state.by_token for c in tok.children if c.dep_ in ("amod", "compound", "poss", "nmod"))
            count = next((GROUP_COUNTS[c.lower_] for c in tok.children if c.lower_ in GROUP_COUNTS), None)
            # "the countries", "the ministers" (of the states just named together)
            bare_plural = tok.tag_ == "NNS" and [c.lower_ for c in tok.children if c.dep_ != "amod" or c.i in state.by_token] == ["the"]
            if tok.lemma_.lower() in STATE_NOUNS and not named and (
                    count or bare_plural or any(c.lower_ in ("each", "every") for c in tok.children)):
                group = self._named_together(doc, state, tok, count)
                if group:  # "the two countries", "the countries", "the presidents of each country": those just named
                    return group
                if tok.lemma_.lower() in ("country", "nation") and tok.tag_ == "NNS" and count in (None, 2) \
                        and len(state.talks.parties(2)) == 2:
                    return ["@parties"]  # none named together just before: the two at the talks
            if tok.lemma_.lower() in ("side", "party") and tok.tag_ in ("NNS", "NNPS") and any(
                    c.lower_ in WARRING for c in tok.children) and not any(c.dep_ == "appos" for c in tok.children) and (
                    sides := self._warring_sides(doc, state, tok)):
                return sides  # "Yemen's warring sides", "the rival sides in the Syrian conflict"
            if (low in GROUP_HEADS or tok.lemma_.lower() in ("side", "party") and tok.tag_ in ("NNS", "NNPS")) and not named:
                if any(c.lower_ in ("both", "two") for c in tok.children):
                    return ["@parties"]
                if any(c.lower_ in ("the", "all") for c in tok.children) and low in ("parties", "sides", "delegations"):
                    return ["@all-parties"]  # "the parties" of three-way talks are all three
                if bare_plural and low in AT_TALKS:
                    return ["@all-parties"]  # "The ministers agreed to ...", no pair of states named just before
                if low in ("participants", "attendees"):
                    return ["@all-parties"]  # "Participants in the talks had agreed that ..."
            if low in ("counterpart", "counterparts") and not any(  # "his Ukrainian and Russian counterparts"
                    c.dep_ == "appos" and c.i in state.by_token for c in tok.children):
                sides = [k for c in tok.children if c.dep_ in ("amod", "compound", "nmod") and c.i in state.by_token
                         for cc in [c, *c.conjuncts] for k in self.resolve(doc, state, cc, depth=depth + 1)]
                if sides:
                    return list(dict.fromkeys(sides))
            if tok.tag_ == "NNS" and tok.lemma_.lower() in REGION_MEMBERS and (body := self._regional_body(state, tok)):
                return [body]  # "Southern African leaders" of a story about the SADC: the SADC
            led = self._government_of_leader(state, tok)
            if led:
                return [led]
            if low in self.title_heads:  # "his Turkish counterpart Recep Tayyip Erdogan": the person named
                for c in tok.children:
                    if c.dep_ == "appos" and c.i in state.by_token and state.by_token[c.i].key.startswith("person:"):
                        return [state.by_token[c.i].key]
                if [c.lower_ for c in tok.children if c.dep_ not in ("punct", "cc", "conj")] == ["the"] \
                        and tok.dep_ in ("nsubj", "nsubjpass"):
                    # "Pope Francis met ... The pope asked ...": the one last named with that title
                    holder = next((m.key for m in itertools.islice(state.mentions_before(tok.i, "person:"), 50)
                                   if any(r.split()[-1] == low for r in state.actors[m.key].roles)), None)
                    if holder:
                        return [holder]
            if low not in self.title_heads and depth < 3:
                # "the rival Palestinian factions Hamas and Fatah": the bodies named, not the people
                # the modifier names
                # (but not "The Philippine government and the separatist Moro National Liberation
                # Front", where the parser hangs the second party on the first)
                appos = list(dict.fromkeys(k for c in tok.children if c.dep_ == "appos" for k in self.resolve_all(doc, state, c)))
                if appos and not any(k.startswith("person:") or k.startswith("@") for k in appos) and (
                        tok.tag_ == "NNS" and len(appos) >= 2 or tok.lemma_.lower() in BODY_NOUNS):
                    return appos
            if tok.lemma_.lower() in PLACE_NOUNS and depth < 3:
                # "Serbia and its former province of Kosovo", "the breakaway region of Abkhazia"
                for p in (c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"):
                    for obj in (x for x in p.children if x.dep_ == "pobj"):
                        keys = [k for k in self.resolve_all(doc, state, obj) if k.startswith(("country:", "org:"))]
                        if keys:
                            return keys
            if tok.lemma_.lower() in FIGHTER_NOUNS and depth < 3:
                # "Tigray forces" of a story about the Tigray People's Liberation Front, "Houthi
                # fighters": a word of exactly one armed movement's name
                words = {c.text for c in tok.children if c.dep_ in ("compound", "amod") and c.i not in state.by_token
                         and c.text[:1].isupper() and c.lower_ not in ("armed", "rebel", "government")}
                if words:
                    named = state.cached("armed movements", (len(state.mentions),), lambda: self._armed_movements(state))
                    hits = [k for k in named if words & set(state.actors[k].name.split())]
                    if len(hits) == 1:
                        return hits
            keys: list[str] = [state.heads[c.lower_] for c in tok.children if c.dep_ == "compound"
                               and c.i not in state.by_token and c.lower_ in state.heads]  # "the cabinet statement"
            for c in tok.children:
                if _partisan(c) or _ethnic(c):
                    continue  # "pro-Russian separatists" are not Russia, "ethnic Albanian leaders" not Albania
                if c.dep_ in ("amod", "compound", "poss", "nmod") and (c.i in state.by_token or c.lower_ in PERSON_PRONOUNS | {"its", "their"}
                                                                       or c.lower_ in PROXY_HEADS and c.dep_ == "poss"
                                                                       or c.dep_ == "compound" and c.pos_ == "PROPN"):
                    for cc in [c, *[x for x in c.conjuncts]]:
                        for k in self.resolve(doc, state, cc, depth=depth + 1):
                            if k not in keys:
                                keys.append(k)
            if tok.lemma_.lower() in FOES and tok.dep_ == "conj" and tok.head.lemma_.lower() in GOVERNING and tok.tag_ == "NNS":
                armed = next((c for c in tok.children if c.dep_ in ("amod", "compound") and c.lemma_.lower() in ARMED_GROUP_NOUNS), None)
                if armed is not None:
                    return [self._armed_group_actor(state, armed)]  # "the government and its guerrilla foes": the guerrillas
                return [self._opposition(doc, state, tok)]  # "Chavez's government and its foes": its opposition
            if low == "opposition" and any(c.dep_ in ("det", "poss", "amod") for c in _owners_of(tok)) or (
                    low in OPPOSITION_BODIES and any(c.lower_ == "opposition" and c.dep_ in ("compound", "amod")
                                                     for c in tok.children)):
                return [self._opposition(doc, state, tok)]  # "its political opposition", "Syria's main opposition group"
            if low in SPEAKING_GATHERINGS and tok.dep_ == "nsubj" and tok.head.lemma_ in self.speaks and depth < 3:
                # "the AU summit called on ...", "a summit of the ICGLR urged ...", "an emergency
                # meeting of Arab League foreign ministers demanded ...": who met speaks
                bodies = keys or [k for o in prep_objects(tok, "of") for k in self.resolve_all(doc, state, o)]
                return [k for k in bodies if not k.startswith(("person:", "@"))]
            if keys and _armed_forces(tok):
                return [self.armed_forces_of(state, k, tok) for k in keys]
            if keys and _armed_group(tok) and all(k.startswith("country:") for k in keys):
                return [self._armed_group_actor(state, tok)]  # "Mali's rebel alliance", "Kurdish rebels": not the state
            # (who speaks for a group: not its "supporters" or "fighters"; "two rebel groups" are a group, below)
            spokesman = (tok.lemma_.lower() in self.title_heads - self.not_roles or low in AT_THE_TABLE
                         or tok.lemma_.lower() in ("delegation", "leadership", "team")) and not _armed_group(tok)
            group = next((c for c in tok.children if c.dep_ in ("amod", "compound") and _names_a_group(c)),
                         None) if spokesman else None
            if group is not None and all(k.startswith("country:") for k in keys):
                # "its rebel leader", "rebel negotiators", "the opposition leader": the rebels', the opposition's
                return [self._group_named_by(doc, state, group)]
            if keys and tok.lemma_.lower() in GROUP_NOUNS and any(
                    c.dep_ in ("compound", "amod") and c.lower_ in self.civil_words for c in tok.children):
                return []  # "South Sudanese civil society groups", "Kenyan rights groups": not the state
            if keys:
                if low in PROXY_HEADS or tok.lemma_.lower() in PROXY_HEADS or low in self.title_heads - self.not_roles:
                    # "Russian officials", "the UN chief", "the EU's foreign policy chief"
                    state.heads.setdefault(tok.lemma_.lower(), keys[0])  # later "the government"
                    if tok.lemma_.lower() in ARMED_GROUP_NOUNS:  # "BRN rebels": a body the text calls rebels is armed
                        for k in keys:
                            if k.startswith("org:") and not state.actors[k].category:
                                state.actors[k].category = "armed movement"
                    return [_org_of(state, k) for k in keys] if low in ("party", "movement") else keys
                if tok.tag_ == "NNPS" and tok.ent_type_ == "NORP" and tok.i not in state.by_token and not any(
                        c.dep_ == "nummod" for c in tok.children):  # ("800,000 Iraqi Kurds" are people, counted)
                    return [self._group_actor(state, tok)]  # "Iraqi Kurds": a people, not the state
                if tok.lemma_.lower() in self.commercial_heads or low in self.commercial_heads:
                    return []  # "a leading Chinese University", "a Turkish company": not the state
                if tok.pos_ == "PROPN" and low not in JUDICIAL:  # a name the gazetteer only partly covers
                    return keys  # (but "the U.S. Court of Appeals" is a court, not the United States)
                return []
            if low in AT_THE_TABLE and depth < 3:
                # "negotiators in the peace process involving the government and the ELN", "the
                # delegates at the talks between A and B": the sides at that table
                for talks in [o for p in tok.children if p.dep_ == "prep" and p.lower_ in ("in", "at")
                              for o in p.children if o.dep_ == "pobj" and o.lemma_ in TABLES]:
                    sides = [k for o in [*(x for p in talks.children if p.dep_ == "prep" and p.lower_ == "between"
                                           for x in p.children if x.dep_ == "pobj"),
                                         *(x for a in talks.children if a.dep_ == "acl" and a.lemma_ == "involve"
                                           for x in a.children if x.dep_ == "dobj")]
                             for k in self.resolve_all(doc, state, o)]
                    if len(set(sides)) >= 2:
                        return list(dict.fromkeys(sides))
            if low in PROXY_HEADS or tok.lemma_.lower() in PROXY_HEADS:
                # "officials from X", "members of X", "twenty countries, including A, B and C"
                preps = ("of", "from", "including", "at") + (("in",) if low in GOVERNING else ()) + (  # "the government in Kabul"
                    ("for",) if tok.lemma_.lower() in SPEAKING_FOR else ())  # "a spokesman for the AU"
                # ("a statement released by the ministry": who issued it)
                issued = [p for a in tok.children if a.dep_ == "acl" and a.tag_ == "VBN" and a.lemma_ in ISSUING
                          for p in a.children if p.dep_ == "agent"]
                # "senior officials representing Iran and six major powers": whom they represent
                represented = [o for a in tok.children if a.dep_ == "acl" and a.lemma_ == "represent" and a.tag_ == "VBG"
                               for o in a.children if o.dep_ == "dobj"]
                if represented and depth < 3:
                    keys = [k for o in represented for c in [o, *o.conjuncts] for k in self.resolve(doc, state, c, depth=depth + 1)]
                    if keys:
                        return list(dict.fromkeys(keys))
                for p in [*(c for c in tok.children if c.dep_ == "prep" and c.lower_ in preps), *issued]:
                    # (but "negotiators for the two sides" are the sides' of the talks, read below)
                    for obj in (x for x in p.children if x.dep_ == "pobj" and not (
                            p.lower_ == "for" and x.lemma_.lower() in ("side", "party"))):
                        keys = self.resolve_all(doc, state, obj) if depth < 3 else []
                        armed = next((c for c in tok.children if c.dep_ in ("amod", "compound") and c.i < tok.i
                                      and c.lemma_.lower() in ARMED_GROUP_NOUNS), None)
                        if keys and armed is not None and p.lower_ == "from" and all(k.startswith("country:") for k in keys):
                            return [self._armed_group_actor(state, armed)]  # "rebel factions from Congo": rebels, not the state
                        if keys:
                            return list(dict.fromkeys(keys))
            for c in tok.children:
                if c.dep_ == "appos":  # "the Contadora nations — Mexico, Colombia and Panama —"
                    r = self.resolve_all(doc, state, c) if depth < 3 else []
                    if r:
                        return r
            if low in ORG_DESCRIPTIONS and any(c.lower_ in ("the", "'s") for c in tok.children) | (tok.i > 0 and tok.nbor(-1).lower_ == "the"):
                # the latest body of that sort (an organisation is also a regional body); one the
                # lexicon does not sort may be of any sort
                sort = ORG_DESCRIPTIONS[low]
                sorts = (sort, "body") if sort == "organisation" else (sort, "movement") if sort == "group" else (sort,)
                org = next((m.key for m in state.mentions_before(tok.i, "org:")
                            if self.lexicon.categories.get(m.key, sort).endswith(sorts)), None)
                if org:
                    return [org]
            if low == "resolution" and any(c.lower_ in ("the", "this") for c in tok.children) and depth < 3 \
                    and tok.dep_ in ("nsubj", "nsubjpass"):  # (as an object it is the text: "called the resolution ...")
                # "The council voted for a resolution ... The resolution demands that Khartoum disarm":
                # the resolution named before, and whoever passed it
                before = [t for t in doc[max(0, tok.sent.start - 400):tok.i] if t.lemma_ == "resolution"]
                owner = next((o for t in reversed(before[-3:]) if (o := _passed_by(t)) is not None), None)
                keys = self.resolve_all(doc, state, owner) if owner is not None else []
                if keys:
                    return keys
            if any(c.lower_ == "the" for c in tok.children) and (low in state.heads or _armed_forces(tok) and "army" in state.heads):
                return [state.heads.get(low) or state.heads["army"]]
            mods = [c for c in tok.children if c.dep_ not in ("cc", "conj", "punct", "det")]
            if low in ("government", "authorities") and any(c.lower_ == "the" for c in tok.children) and all(
                    c.dep_ == "amod" and c.i not in state.by_token and c.lemma_.lower() not in NOT_THE_STATES for c in mods):
                # bare "the government", "the interim government", "the Saudi-backed government": the
                # state the story is about
                home = self.home_country(state)
                if home:
                    return [home]
            if _armed_forces(tok) and [c.lower_ for c in tok.children if c.dep_ not in ("cc", "conj", "punct")] == ["the"]:
                home = self.home_country(state)  # bare "the army": the state the story is about
                if home:
                    return [self.armed_forces_of(state, home, tok)]
            if tok.tag_ in ("NNPS", "NNS") and tok.text[:1].isupper() and tok.lemma_.lower() not in self.title_heads and (
                    not _sentence_initial(tok) or tok.ent_type_ == "NORP" or _proper_elsewhere(state, tok)):
                return [self._group_actor(state, tok)]
            if _armed_group(tok):
                count = next((GROUP_COUNTS[c.lower_] for c in tok.children if c.lower_ in GROUP_COUNTS), None)
                named = state.cached("armed movements", (len(state.mentions),), lambda: self._armed_movements(state))
                bare = tok.tag_ == "NNS" and all(c.lower_ == "the" for c in tok.children if c.dep_ == "det") and not any(
                    c.dep_ in ("amod", "compound", "poss", "nummod") for c in tok.children)
                if tok.tag_ == "NNS" and (count and count == len(named) or bare and 2 <= len(named) <= 3):
                    return list(named)  # "two rebel groups ... JEM and the SLA": the ones the story names
                return [self._armed_group_actor(state, tok)]
        if tok.pos_ == "PROPN" and tok.i + 1 < len(doc):
            # "the Inter-Governmental Authority on Development (IGAD)": a long name spelled in a way
            # the lexicon does not know stands for the initials bracketed after it
            bracketed = [c for c in tok.subtree if c.dep_ == "appos" and c.i > tok.i and c.i in state.by_token
                         and doc[c.i - 1].text == "(" and c.text.isupper()]
            if bracketed:
                return [state.by_token[bracketed[0].i].key]
        return []

    def _government_of_leader(self, state: DocState, tok: Token) -> str | None:
        """'the Bush administration', 'the Netanyahu government': the state its leader serves;
        a leader the text does not place, the state whose usage the noun is (titles.yaml)."""
        if tok.lower_ not in ("administration", "government", "cabinet", "regime"):
            return None
        name = next((c for c in tok.children if c.dep_ in ("compound", "poss") and (
            c.ent_type_ == "PERSON" or c.dep_ == "poss" and c.pos_ == "PROPN" and c.i not in state.by_token
            and c.text.istitle() and tok.lower_ in ("government", "regime"))), None) or next(
            (o for p in tok.children if p.dep_ == "prep" and p.lower_ == "of" for o in p.children
             if o.dep_ == "pobj" and o.ent_type_ == "PERSON"), None)  # "the government of President X"
        pronoun = next((c for c in tok.children if c.dep_ == "poss" and c.lower_ in ("his", "her")), None)
        if name is None and pronoun is not None:  # "President X announced his administration has ..."
            key = self._antecedent_person(tok.doc, state, pronoun)
            person = state.actors.get(key) if key else None
            code = self.default_aff.get(tok.lower_)
            if person is None or person.affiliations or not code:
                return None
            country = f"country:{code}"
            self._ensure_actor(state, country, None)
            person.affiliations.append(country)  # the leader whose administration it is serves its state
            return country
        if name is None:
            return None
        m = state.by_token.get(name.i)
        person = state.actors.get(m.key) if m is not None else None
        if m is not None and person is None:
            return None  # a name the gazetteer reads as a state or body: the rule above applies
        placed = [a for a in (person.affiliations if person else []) if a.startswith("country:")]
        code = self.default_aff.get(tok.lower_)
        # ("Hadi's government" of a story about Yemen: a leader the text does not place governs the
        # state the story is about)
        home = self.home_country(state) if not (placed or code) and tok.lower_ in ("government", "regime") else None
        key = placed[0] if placed else f"country:{code}" if code else home
        if key:
            self._ensure_actor(state, key, None)
        return key

    def _armed_group_actor(self, state: DocState, tok: Token) -> str:
        """'pro-Russian separatists', 'Darfur rebel groups', 'the insurgents': an armed group the
        text names by what it is, an actor under the words the text uses (the head noun alone
        too, since a reader may call it that)."""
        named = state.cached("armed movements", (len(state.mentions),), lambda: self._armed_movements(state))
        if len(named) == 1 and not any(c.lower_ in ("other", "some", "several", "many") for c in tok.children):
            return named[0]  # "the rebels" of a story about one rebel movement are that movement
        kind = _armed_kind(tok)
        earlier = state.memo.setdefault("armed groups", {})
        if kind in earlier:  # "Liberian rebels" (headline), "Liberian rebel groups" (body): one group
            return earlier[kind]
        owned = {t.i for c in tok.children if c.dep_ in ("poss", "det", "predet", "nummod") or any(
            x.dep_ == "cc" for x in c.children) for t in c.subtree}  # (not a coordination the parser hung on it)
        words = [t for t in tok.subtree if t.i <= tok.i and t.i not in owned
                 and t.lower_ not in ("other", "some", "several", "many", "all", "both", "main", "the")]
        name = "".join(t.text_with_ws for t in words).strip() or tok.text
        short = tok.text
        modifier = tok.dep_ in ("amod", "compound", "nmod") or tok.dep_ == "conj" and tok.head.dep_ in ("amod", "compound", "nmod")
        if modifier and tok.lemma_.lower() in ARMED_GROUP_NOUNS:
            # "rebel leader X": a leader of the rebels; "Darfur rebel leader", "Kurdish rebel chief": of
            # the rebels so placed ("the government and rebel negotiating teams": the rebels' team)
            short = tok.lemma_.lower() + "s"
            placed = [c for c in tok.head.children if c.i < tok.i and c.dep_ in ("amod", "compound", "nmod")
                      and (c.pos_ == "PROPN" or c.ent_type_ in ("NORP", "GPE", "LOC"))]
            name = " ".join([*(c.text for c in placed), short])
        key = self._named_group(state, name, short, "armed movement")
        earlier[kind] = key
        return key

    def _named_group(self, state: DocState, name: str, short: str, category: str | None = None) -> str:
        """A group the text names by what it is, as an actor under the text's words and, as an
        alternative label, under its head noun alone ('separatists', 'opposition')."""
        key = f"org:{slug(name.lower())}"
        actor = self._ensure_actor(state, key, name)
        actor.category = actor.category or category
        if short != name and short not in actor.aliases:
            actor.aliases.append(short)
        return key

    def _group_named_by(self, doc: Doc, state: DocState, mod: Token, placed: bool = False) -> str | None:
        """The rebels or the opposition a modifier names ("rebel leader", "opposition leader X");
        ``placed``: an opposition only where the phrase names its state."""
        return self._opposition(doc, state, mod, placed) if mod.lower_ == "opposition" else self._armed_group_actor(state, mod)

    def _opposition(self, doc: Doc, state: DocState, tok: Token, placed: bool = False) -> str | None:
        """'the opposition', 'its political opposition', 'the Venezuelan opposition': the party of
        a national dialogue with its government, under its state's demonym when the text gives
        one. It may agree and be asked; what it demands at home is home affairs (facts.py).
        ``placed``: only an opposition whose state the phrase names (None otherwise)."""
        modifier = tok.dep_ in ("amod", "compound", "nmod")  # "opposition leader X", "Zambia's opposition leader"
        head = tok.head
        while modifier and head.dep_ == "compound" and head.head.i != head.i:
            head = head.head  # ("opposition leader Michael Phiri": the name the title is on)
        owners = _owners_of(head) if modifier else _owners_of(tok)
        if modifier and head.dep_ == "nsubj":  # "Zambia's President A and opposition leader B": the parser's two subjects
            owners += [c for s in head.head.children if s.dep_ == "nsubj" and s.i < head.i
                       and any(x.dep_ == "cc" for x in s.children) for c in s.children]
        owner = next((k for c in owners if c.dep_ in ("poss", "amod", "compound") and c.i < tok.i
                      for k in self.resolve(doc, state, c) if k.startswith("country:")), None)
        if owner is None and placed:
            return None  # ("a meeting with opposition leader X" in a story of an envoy's visit: whose, unsaid)
        named = [k for k in state.memo.get("domestic groups", ()) if k != "org:opposition"]
        if owner is None and len(named) == 1:
            return named[0]  # "the Syrian opposition ... talks between Russian military and the opposition": the one named
        if owner is None and not modifier:  # "Venezuela's government invited X to mediate talks with the opposition", "Venezuela's
            # government and the opposition coalition": the opposition its government faces
            faced = [tok.head] if tok.dep_ == "conj" else [s for a in tok.ancestors for s in subjects(a)
                                                               if s.i != tok.i and not s.is_ancestor(tok)]
            owner = next((k for s in faced if s.lower_ != "opposition" for k in self.resolve(doc, state, s)
                          if k.startswith("country:")), None)
        owner = owner or self.home_country(state)
        demonym = self.lexicon.demonyms.get(owner) if owner else None
        key = self._named_group(state, f"{demonym} opposition" if demonym else "opposition", "opposition")
        state.memo.setdefault("domestic groups", set()).add(key)
        return key

    def _warring_sides(self, doc: Doc, state: DocState, tok: Token) -> list[str]:
        """The sides of a war inside one state: the state the phrase places it in ("Yemen's",
        "in South Sudan", "in the Syrian conflict") and the one armed movement or opposition the
        story names against it (nothing when it names none, or several: the story's rival leaders
        may be its sides)."""
        places = [c for c in tok.children if c.dep_ in ("poss", "amod", "compound") and c.lower_ not in WARRING]
        for p in prep_objects(tok, "in"):
            if p.lemma_ in self.lexicon.verbs["quarrels"]:  # "in the Syrian conflict"
                places += [c for c in p.children if c.dep_ in ("amod", "compound")]
            places.append(p)
        states = list(dict.fromkeys(k for p in places if p.i in state.by_token
                                     for k in self.resolve(doc, state, p) if k.startswith("country:")))
        if len(states) != 1:
            return []

        def opponents() -> list[str]:
            found = self._armed_movements(state)
            return found + [m.key for m in state.mentions if m.key.startswith("org:") and m.key not in found
                            and "opposition" in fold(state.actors[m.key].name).split()]
        against = list(dict.fromkeys(state.cached("opponents", (len(state.mentions),), opponents)))
        return states + against if len(against) == 1 else []

    def _armed_movements(self, state: DocState) -> list[str]:
        """The armed movements the story names: known as such, or named as a movement, front or
        liberation army of no state."""
        found = []
        for m in state.mentions:
            actor = state.actors.get(m.key)
            if actor is None or not m.key.startswith("org:") or m.key in found or any(
                    a.startswith("country:") for a in actor.affiliations):
                continue
            words = set(fold(actor.name).split())
            if actor.category in ARMED_CATEGORIES or words & ARMED_NAME_WORDS:
                found.append(m.key)
        return found

    def _named_together(self, doc: Doc, state: DocState, tok: Token, count: int | None) -> list[str]:
        """The states (or bodies) named together (coordinated) nearest before ``tok``, in its
        sentence or the two before: ``count`` of them exactly, or at least two when it says 'each'."""
        # (ministers, presidents and governments are states'; envoys and officials may be a body's)
        prefix = "country:" if tok.lemma_.lower() in ("country", "nation", "state", "minister", "president",
                                                       "government", "leader", "neighbour", "neighbor") else ""
        stop = _prev_sent_start(doc, _prev_sent_start(doc, tok.sent.start))
        for m in state.mentions_before(tok.i, prefix, stop):  # nearest first
            if m.key.startswith(("person:", "@")):
                continue
            root = doc[m.end - 1]  # named together: coordinated ("Colombia, Ecuador, and Venezuela")
            together = [root, *root.conjuncts]
            if root.dep_ == "conj" and root.head.i not in state.by_token:
                # "the foreign ministers of Sudan and Egypt": the parser coordinates Egypt with the
                # ministers; Sudan is the object of their "of"
                together += [o for p in root.head.children if p.dep_ == "prep" and p.lower_ in ("of", "from")
                             for o in p.children if o.dep_ == "pobj"]
            first = min(together, key=lambda t: t.i)
            if first.dep_ == "pobj" and first.head.lower_ in TOPIC_PREPS or _in_parentheses(first):
                continue  # "shared concerns over North Korea and Russia": what is spoken of, not who speaks
                # ("the G5+1 (the five permanent members of the UN Security Council plus Germany)": a gloss)
            group = [state.by_token[t.i].key for t in sorted(together, key=lambda t: t.i)
                     if t.i in state.by_token and state.by_token[t.i].key.startswith(prefix)
                     and not state.by_token[t.i].key.startswith(("person:", "@"))]
            keys = list(dict.fromkeys(group))
            if len(keys) == count or count is None and len(keys) >= 2:
                return keys
        return []

    def home_country(self, state: DocState) -> str | None:
        """The country named most often (twice at least, or alone), mediators aside."""
        return state.cached("home country", (len(state.mentions), len(state.talks.mediators)),
                            lambda: self._count_home_country(state))

    def _count_home_country(self, state: DocState) -> str | None:
        # the state the armed movement a story names fights is the home state whatever the venue
        # ("the government and the MILF" in a story told from Kuala Lumpur: the Philippines')
        fought = {self.lexicon.fights[m.key] for m in state.mentions if m.key in self.lexicon.fights}
        if len(fought) == 1 and not fought & set(state.talks.mediators):
            home = fought.pop()
            self._ensure_actor(state, home, None)
            return home
        counts = _country_mentions(state, skip=state.talks.mediators)
        # where the story was filed ("MANILA, Philippines -- The government and the MILF ...")
        # counts as one more mention
        filed = state.memo.get("dateline country")
        if filed and filed not in state.talks.mediators:
            self._ensure_actor(state, filed, None)
            counts[filed] = counts.get(filed, 0) + 1
        if not counts:
            return None
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        if len(ranked) > 1 and ranked[0][1] == ranked[1][1] or ranked[0][1] < 2 and len(ranked) > 1:
            return None
        return ranked[0][0]

    def armed_forces_of(self, state: DocState, key: str, tok: Token) -> str:
        """'the Sudanese army', 'Sudan's military': in a civil war the army is a party of its own,
        so it is an organisation that belongs to (dip:affiliatedWith) its state; a reader who
        means the state still finds it through that link."""
        if not key.startswith("country:"):
            return key
        demonym = self.lexicon.demonyms.get(key) or self.lexicon.names.get(key, key)
        name = f"{demonym} Armed Forces"
        known = [k for k, n in self.lexicon.names.items() if n == name and k.startswith("org:")]
        org = known[0] if known else f"org:armed-forces-{key.split(':', 1)[1].lower()}"
        actor = self._ensure_actor(state, org, name)
        if key not in actor.affiliations:
            actor.affiliations.append(key)
        written = " ".join(t.text for t in tok.subtree if t.dep_ != "det" and t.i <= tok.i)
        if written and written != actor.name and written not in actor.aliases:
            actor.aliases.append(written)
        state.heads.setdefault("army", org)  # later "the army"
        return org

    def _group_actor(self, state: DocState, tok: Token) -> str:
        """'Unionists', 'Houthis': a capitalised plural that acts is the organisation whose name
        it shortens ('Ulster Unionist Party'), else a group actor of its own."""
        stem = fold(tok.lemma_ if tok.lemma_.lower() != tok.lower_ else tok.text.rstrip("s"))
        words = state.cached("org name words", (len(state.actors),), lambda: _org_name_words(state))
        orgs = sorted(words.get(stem, ()))
        key = orgs[0] if len(orgs) == 1 else f"org:{slug(tok.text)}"
        actor = self._ensure_actor(state, key, tok.text)
        if not actor.category and stem.lower() in state.cached("armed by name", (), lambda: _armed_by_name(tok.doc)):
            actor.category = "armed movement"  # "Maoists" of a story that writes "Maoist rebels"
        # "Albanians in south Serbia", "the Albanians of southern Serbia": a people of a state's land
        for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("in", "of", "from")):
            for place in (x for x in prep.children if x.dep_ == "pobj"):
                m = state.by_token.get(place.i) or next((state.by_token[c.i] for c in place.children
                                                         if c.i in state.by_token), None)
                if m is not None and m.key.startswith("country:") and m.key not in actor.affiliations:
                    actor.affiliations.append(m.key)
        if tok.i not in state.by_token:
            state.add_mention(Mention(tok.i, tok.i + 1, key, "group"))
        return key

    def resolve_all(self, doc: Doc, state: DocState, tok: Token) -> list[str]:
        """Like ``resolve`` for a token and everything coordinated with it."""
        out: list[str] = []
        # "X and Y agreed": the parser sometimes hangs X under Y as a modifier instead of a conjunct
        misparsed = [d for d in tok.subtree if d.dep_ in ("nmod", "amod", "compound") and d.i < tok.i
                     and any(x.dep_ == "cc" for x in d.children) and (
                         d.i in state.by_token or d.lower_ in GOVERNING and any(c.i in state.by_token for c in d.children))]
        # ... or, first of a list, as a modifier before a comma ("mediated by the UN, EU, OSCE and US")
        misparsed += [d for d in tok.children if d.dep_ in ("nmod", "compound") and d.i + 1 < tok.i and doc[d.i + 1].text == ","
                      and d.i in state.by_token and tok.i in state.by_token and tok.conjuncts
                      and not state.by_token[d.i].key.startswith("person:")]
        # ("The Philippine government and communist rebels resumed talks": 'government' hung on 'rebels')
        # headlines coordinate with a comma ("Russia, Ukraine agree ..."), which the parser reads
        # as an apposition: a state or body in apposition to another state or body is a conjunct
        person = lambda t: t.i in state.by_token and state.by_token[t.i].key.startswith("person:")
        listed = [c for c in tok.children if c.dep_ == "appos" and (c.i in state.by_token or _armed_group(c))
                  and (tok.i in state.by_token or _armed_group(tok))
                  and (not (person(c) or person(tok))  # (a person's apposition describes them ...
                       or person(c) and person(tok) and tok.sent.start == 0 and c.pos_ == "PROPN")]  # ... but "Kerimov, Dalton agree")
        if tok.dep_ == "nsubj" and tok.head.i != tok.i:  # "Mali, northern rebels sign ...": two subjects
            listed += [c for c in tok.head.children if (c.dep_ == "nsubj" or c.dep_ == "compound" and tok.sent.start == 0)
                       and c.i > tok.i and doc[c.left_edge.i - 1].text == ","  # ("Kerimov, Dalton Agree": a compound)
                       and (c.i in state.by_token or _armed_group(c) or c.lemma_.lower() in FIGHTER_NOUNS)]
        left = tok.left_edge.i
        if tok.dep_ == "nsubj" and left - 2 == tok.sent.start and doc[left - 1].text == "," and (
                tok.i in state.by_token or _armed_group(tok)):
            first = doc[tok.sent.start]  # "Israel, Hamas agree ...", "Sudan, Darfur rebels sign ...": the
            if first.head.i == tok.head.i and first.i in state.by_token and not any(  # first of the list
                    i in state.by_token and state.by_token[i].key.startswith("person:") for i in (first.i, tok.i)):
                listed.append(first)
        # a subject the parser chained onto a fronted phrase's object ("With the help of Qatar,
        # Israel and Hamas agreed"): that object is no conjunct of it
        conjuncts = [c for c in tok.conjuncts if not (tok.dep_ == "conj" and c.dep_ == "pobj" and c.i < tok.i)]
        # "signed by government representative A and B": B hung on the name in apposition
        conjuncts += [c for a in tok.children if a.dep_ == "appos" and a.i in state.by_token
                      for c in a.conjuncts if c.i > a.i and c.i in state.by_token]
        # "The Republic of South Sudan and Kenya": the second state hung on the end of the first's name
        m = state.by_token.get(tok.i)
        if m is not None and m.end - m.start > 1:
            conjuncts += [c for i in range(m.start, m.end) if i != tok.i
                          for c in doc[i].children if c.dep_ == "conj" and c.i >= m.end]
        outside = not _in_parentheses(tok)  # "the G5+1 (the five permanent members of the UN Security
        for t in [tok, *conjuncts, *misparsed, *listed]:  # Council plus Germany)": a gloss, no more sides
            if t is not tok and outside and _in_parentheses(t):
                continue
            for k in self.resolve(doc, state, t):
                if k not in out:
                    out.append(k)
        return out

    def _antecedent_person(self, doc: Doc, state: DocState, tok: Token, depth: int = 0) -> str | None:
        best = next(state.mentions_before(tok.i, "person:"), None)
        # prefer a person that was the subject of this or the previous sentence
        window = _prev_sent_start(doc, tok.sent.start)
        # (a person in apposition to the subject is the subject: "Hamas's rival, president Mahmoud
        # Abbas, had said he would not return ...")
        as_subject = {m.start: (r.head if r.dep_ == "appos" else r) for m in state.mentions_before(tok.i, "person:", stop=window)
                      for r in [doc[m.start:m.end].root]}
        prev = [m for m in state.mentions_before(tok.i, "person:", stop=window)
                if as_subject[m.start].dep_ in ("nsubj", "nsubjpass")]
        if prev:
            # the subject of a main clause ('Odinga has said that Mugabe should be suspended')
            # over one embedded in what was said
            best = max(prev, key=lambda m: (_main_clause_subject(as_subject[m.start]), m.start))
        if depth < 3 and window < tok.sent.start and (best is None or not _main_clause_subject(doc[best.start:best.end].root)):
            # "He says President X is buying arms. '...,' he said.": the same 'he' as the main
            # subject before, not the person he spoke of
            before = doc[window].sent
            chained = next((c for c in before.root.children if c.dep_ == "nsubj" and c.lower_ == tok.lower_), None)
            if chained is not None:
                return self._antecedent_person(doc, state, chained, depth + 1) or (best.key if best else None)
        return best.key if best else None

    def _antecedent_plural(self, doc: Doc, state: DocState, tok: Token) -> list[str]:
        """'Amnesty International has urged ... They have further called upon ...': a 'they'
        that opens a clause is the body or group that was the main subject of the sentence
        before, when that subject is no single person. 'The four ministers said they ...': the
        plural subject of the clause that reports it."""
        if tok.dep_ == "poss" and tok.head.dep_ in ("nsubj", "nsubjpass"):
            tok = tok.head  # "Zapatista rebels announced that their supporters have agreed": the subject's place
        if tok.lower_ == "them" and tok.dep_ in ("dobj", "pobj", "dative"):
            return self._antecedent_of_object(doc, state, tok)
        if tok.dep_ == "poss" and tok.head.lemma_ in INTENT_NOUNS and tok.head.dep_ in ("dobj", "pobj"):
            # "The ministers of A and B submitted a letter confirming their plans to ...": the plural
            # subject of the clause that has the plans
            for clause in [tok.head.head, *tok.head.head.ancestors]:
                subs = [c for c in clause.children if c.dep_ == "nsubj" and c.i < tok.i] if clause.pos_ in ("VERB", "AUX") else []
                if subs:
                    return self._plural(doc, state, subs[0])
            return []
        if tok.dep_ not in ("nsubj", "nsubjpass"):
            return []
        for clause in tok.head.ancestors:
            if clause.pos_ not in ("VERB", "AUX"):
                continue  # ("13 demands they issued": the relative clause hangs on a noun of the clause above)
            for c in clause.children:
                if c.dep_ == "nsubj" and c.i < tok.i:
                    if keys := self._plural(doc, state, c):
                        return keys
                    persons = [k for k in self.resolve_all(doc, state, c) if k.startswith("person:")]
                    if len(persons) > 1:
                        return persons  # "Mandela and Buyoya said they had agreed": the two who said it
            if clause.dep_ not in ("ccomp", "conj", "xcomp", "advcl", "pcomp", "acl", "relcl"):
                break
        if tok.i - tok.sent.start > 2 or tok.sent.start == 0:
            return []
        prev = doc[_prev_sent_start(doc, tok.sent.start)]
        root = prev.sent.root
        for c in root.children:
            if c.dep_ in ("nsubj", "nsubjpass"):
                keys = [k for k in self.resolve_all(doc, state, c) if not k.startswith(("person:", "@"))]
                if keys and (len(keys) > 1 or c.tag_ in ("NNS", "NNPS") or keys[0].startswith("org:")
                             or c.lemma_.lower() in COLLECTIVE_HEADS):  # "The cabinet said ... They also ordered"
                    return keys
        return []

    def _plural(self, doc: Doc, state: DocState, c: Token) -> list[str]:
        """The states or bodies ``c`` names when it names more than one, or one in the plural
        ("the rebels", "the Houthis", whose plural name the tagger takes for a singular)."""
        keys = [k for k in self.resolve_all(doc, state, c) if not k.startswith(("person:", "@"))]
        named_plural = c.tag_ == "NNP" and c.text.endswith("s") and keys[:1] and keys[0].startswith("org:")
        return keys if len(keys) > 1 or keys and (c.tag_ in ("NNS", "NNPS") or named_plural) else []

    def _antecedent_of_object(self, doc: Doc, state: DocState, them: Token) -> list[str]:
        """'The Houthis have yet to accept a resolution which calls on them to quit', 'a message to
        the Houthis urging them to attend': a plural subject of a clause above the one 'them' is
        the object of, else the nearest plural named before it in the sentence, else the plural
        subject of the sentence before; never the subject of its own verb ('they urged them')."""
        own = them.head.head if them.dep_ == "pobj" else them.head
        own_subjects = {c.i for c in own.children if c.dep_ in ("nsubj", "nsubjpass")}
        plural = functools.partial(self._plural, doc, state)

        for clause in own.ancestors:
            if clause.pos_ not in ("VERB", "AUX"):
                continue
            for c in clause.children:
                if c.dep_ in ("nsubj", "nsubjpass") and c.i < them.i and (keys := plural(c)):
                    return keys
        for t in reversed(doc[them.sent.start:them.i]):
            if t.i not in own_subjects and t.i in state.by_token and (keys := plural(t)):
                return keys
        if them.sent.start > 0:  # "Israel and Hamas fought for weeks. Egypt urged them to ..."
            for c in doc[_prev_sent_start(doc, them.sent.start)].sent.root.children:
                if c.dep_ in ("nsubj", "nsubjpass") and (keys := plural(c)):
                    return keys
        return []

    def _antecedent_collective(self, doc: Doc, state: DocState, tok: Token) -> str | None:
        """'it', 'its': the state or organisation that is the subject of an enclosing clause ('Serbia
        said it would ...'), else the subject of the previous sentence ('Iran said ... It demanded
        ...'), else the latest one named in this sentence."""
        for clause in [tok.head, *tok.head.ancestors]:
            if tok.lower_ == "its" and (obj := _controlling_object(clause, tok)) is not None:
                keys = [k for k in self.resolve(doc, state, obj) if not k.startswith(("person:", "@"))]
                if keys:  # "urged Israel to halt its offensive", "thanked Oman for its role"
                    return keys[0]
            for c in clause.children:
                if c.dep_ in ("nsubj", "nsubjpass") and c.i != tok.i and not tok.is_ancestor(c) and c.i < tok.i:
                    keys = [k for k in self.resolve(doc, state, c) if not k.startswith(("person:", "@"))]
                    relative = c.lower_ in ("which", "that") and clause.dep_ == "relcl"
                    plural = (clause.head if relative else c).tag_ in ("NNS", "NNPS") or len(keys) > 1
                    if keys and not (tok.lower_ == "its" and plural):  # ("its" is not the two countries')
                        return keys[0]
                    if tok.lower_ == "its" and relative:
                        # "the meeting, which took place in Oman with its mediation": a thing
                        # that happened has no mediation; the actor the clause names before has
                        near = next((m for m in state.mentions_before(tok.i, stop=c.i)
                                     if not m.key.startswith("person:") and m.how != "capital"), None)
                        if near is not None:
                            return near.key
        sent = tok.sent
        prev = sent
        # (back over "sentences" of punctuation alone: a closing quote the parser cut off)
        while tok.i - sent.start <= 1 and prev.start > 0:
            prev = doc[prev.start - 1].sent
            if not any(t.is_alpha for t in prev):
                continue
            for c in prev.root.children:
                if c.dep_ in ("nsubj", "nsubjpass"):
                    keys = [k for k in self.resolve(doc, state, c) if not k.startswith(("person:", "@"))]
                    if keys:
                        return keys[0]
            break
        best = next((m for m in state.mentions_before(tok.i, stop=sent.start) if not m.key.startswith("person:")), None)
        return best.key if best else None


#: titles a story may give a state's holder without a name ("Mozambique's President said")
UNNAMED_TITLES = {"president", "minister", "premier", "king", "emir", "chancellor", "sultan"}

#: members a regional body is made of: "Southern African leaders", "West African states"
REGION_MEMBERS = {"leader", "minister", "nation", "state", "country", "government", "head"}

#: verbs of putting out a text: "a statement released by the ministry" is the ministry's
ISSUING = {"issue", "release", "publish", "sign", "send", "circulate", "distribute", "post", "adopt"}

#: titles of those posted abroad: "envoy to X" is sent to X, not X's ("adviser to X" is X's)
POSTED_TITLES = {"envoy", "ambassador", "emissary", "representative", "consul", "delegate", "attache", "attaché", "nuncio"}

#: what an opposition organises into ("Syria's main opposition group")
OPPOSITION_BODIES = {"group", "groups", "coalition", "alliance", "bloc", "umbrella", "movement", "front", "council"}

#: a state's own institutions, named without their state
MINISTRY_WORDS = {"ministry", "department", "cabinet"}

#: courts judge; they do not speak for their state in diplomacy
JUDICIAL = {"court", "courts", "tribunal", "judge", "judges", "prosecutor", "prosecutors", "jury"}

#: who a government faces at home: "the government and its foes"
FOES = {"foe", "opponent", "rival", "adversary", "critic"}
#: who governs where they sit ("the government in Kabul", "the junta in Niamey")
GOVERNING = {"government", "authorities", "officials", "regime", "leadership", "administration", "junta"}

#: what an armed group is called when the text does not name it
ARMED_GROUP_NOUNS = {"rebel", "insurgent", "separatist", "militant", "guerrilla", "guerilla", "militia", "jihadist",
                     "paramilitary", "insurgency", "mujahideen", "mujahedeen", "mujahedin", "mujahadeen", "warlord"}


def _in_headline(tok: Token) -> bool:
    """In a first line that a line break ends (a headline), not just the first sentence."""
    sent = tok.sent
    return sent.start == 0 and "\n" in tok.doc.text[sent.start_char:sent.end_char + 2]


def _misread_person(doc: Doc, ent: Span, taken: set[int], acts: set[str]) -> Span | None:
    """A one-word name the NER calls a people or a place, no state or body of the lexicon, that
    acts as a person does: coordinated with a person ('X and his counterpart Y') or the subject
    of a verb of saying or asking. Capitalised words just before it are the rest of the name."""
    tok = ent.root
    if len(ent) != 1 or tok.tag_ != "NNP" or ent.start in taken or not tok.text[:1].isupper() or _dateline(ent) \
            or opens_paragraph_in_capitals(tok):  # ("ISTANBUL, TURKEY | Xinhua | Delegations ... concluded")
        return None
    with_person = any(t.ent_type_ == "PERSON" for t in [*tok.conjuncts, *(c for t in tok.conjuncts for c in t.children
                                                                           if c.dep_ in ("appos", "compound"))])
    acting = tok.dep_ == "nsubj" and tok.head.pos_ == "VERB" and tok.head.lemma_ in acts
    if not (with_person or acting):
        return None
    start = ent.start
    while start > 0 and doc[start - 1].tag_ == "NNP" and doc[start - 1].text[:1].isupper() and start - 1 not in taken \
            and doc[start - 1].ent_type_ in ("", "GPE", "LOC", "NORP", "PERSON") and not doc[start - 1].is_sent_start:
        start -= 1
    return doc[start:ent.end]


def _owners_of(tok: Token) -> list[Token]:
    """A noun's modifiers, and those of the noun it is coordinated with when it has none of its own
    ("Venezuela's government and opposition": the opposition is Venezuela's too)."""
    own = list(tok.children)
    if tok.dep_ == "conj" and not any(c.dep_ in ("det", "poss", "amod", "compound") for c in own):
        own += [c for c in tok.head.children if c.dep_ in ("det", "poss", "amod", "compound") and c.i < tok.head.i]
    return own


def _passed_by(resolution: Token) -> Token | None:
    """Who passed a resolution: 'the UN resolution', 'the council adopted a resolution', 'voted
    for a resolution', 'a resolution passed by the council'."""
    named = next((c for c in resolution.children if c.dep_ in ("compound", "poss", "nmod")), None)
    if named is not None:
        return named
    verb = resolution.head.head if resolution.dep_ == "pobj" else resolution.head
    if resolution.dep_ in ("dobj", "pobj") and verb.pos_ == "VERB":
        return next((c for c in verb.children if c.dep_ == "nsubj"), None)
    acl = next((c for c in resolution.children if c.dep_ == "acl" and c.tag_ == "VBN"), None)
    agent = next((p for p in acl.children if p.dep_ == "agent"), None) if acl is not None else None
    return next((o for o in agent.children if o.dep_ == "pobj"), None) if agent is not None else None


def _controlling_object(clause: Token, tok: Token) -> Token | None:
    """The object of ``clause`` when ``tok`` sits in the clause's infinitive or prepositional
    phrase after it: the thing urged or thanked is what 'its' in that phrase belongs to."""
    if clause.pos_ not in ("VERB", "AUX"):
        return None
    branch = next((c for c in clause.children if c.is_ancestor(tok)), None)
    if branch is None or branch.dep_ not in ("xcomp", "prep"):
        return None
    return next((c for c in clause.children if c.dep_ == "dobj" and c.i < tok.i and not c.is_ancestor(tok)), None)


def _appositions(root: Token) -> list[Token]:
    """A name's appositions. 'signed by A and B, the leader of X': the parser hangs the singular
    apposition after the last conjunct on the first; it describes the last."""
    own = [c for c in root.children if c.dep_ == "appos"]
    later = [c for c in root.conjuncts if c.i > root.i]
    if later:
        last = max(c.i for c in later)
        own = [c for c in own if not (c.i > last and c.tag_ in ("NN", "NNP"))]
    if root.dep_ == "conj":
        first = min(root.conjuncts, key=lambda c: c.i)
        if root.i == max(c.i for c in [root, *root.conjuncts]):
            own += [c for c in first.children if c.dep_ == "appos" and c.i > root.i and c.tag_ in ("NN", "NNP")]
    return own


#: words that make a body's name a rebel movement's ("Justice and Equality Movement")
#: who sit at talks for their sides: "the ministers", "the leaders" of the talks the story reports
AT_TALKS = {"ministers", "leaders", "presidents", "negotiators", "envoys", "premiers", "delegates"}
#: bodies a cause or a membership may name ("rights groups", "women's organisations")
GROUP_NOUNS = {"group", "organisation", "organization", "coalition", "network", "association", "movement", "body"}
#: gatherings whose members speak as one: "the AU summit called on ...", "a meeting of Arab League ministers"
SPEAKING_GATHERINGS = {"summit", "meeting", "conference", "session", "gathering", "forum"}
#: what makes "sides" the sides of a war: "the warring sides", "rival factions"
WARRING = {"warring", "rival", "opposing", "feuding", "fighting", "belligerent"}
ARMED_NAME_WORDS = {"movement", "movements", "front", "liberation", "rebels", "militia", "brigades", "insurgents", "resistance"}
#: what the lexicon calls a body that fights a state from within (not a terror network, "armed group")
#: the last word of a party's or a movement's name, and words that make it one ("Kosovo Liberation
#: Army", "Yemen Socialist Party"; not "Afghan National Army")
PARTISAN_BODIES = {"army", "party", "alliance", "coalition", "council", "congress", "union", "league", "forces"}
PARTISAN_WORDS = {"liberation", "revolutionary", "patriotic", "democratic", "islamic", "popular", "resistance",
                  "opposition", "free", "salvation", "socialist", "communist", "people's", "peoples", "unity"}
ARMED_CATEGORIES = {"armed movement", "paramilitary group"}


#: words that make a demonym after them a region's ("Latin American", "South American", "Pan-American")
REGION_WORDS = {"south", "north", "latin", "central", "east", "west", "southeast", "northeast", "southwest",
                "northwest", "pan", "pan-", "sub-saharan"}
#: who speaks or sits at talks for the one named after "for": "a spokesman for the AU", "negotiators for Kibaki"
SPEAKING_FOR = {"spokesman", "spokeswoman", "spokesperson", "negotiator", "representative", "delegate", "envoy",
                "delegation"}
#: those who sit at talks for a side, and what they sit at
AT_THE_TABLE = {"negotiators", "delegates", "representatives", "delegations", "envoys"}
TABLES = {"talk", "talks", "process", "negotiation", "negotiations", "dialogue", "conference"}


def _in_parentheses(tok: Token) -> bool:
    """Inside an open parenthesis of its sentence."""
    for t in reversed(tok.doc[tok.sent.start:tok.i]):
        if t.text in ("(", "["):
            return True
        if t.text in (")", "]"):
            return False
    return False


def _armed_by_name(doc: Doc) -> set[str]:
    """Capitalised words that name rebels ("Maoist rebels", "Houthi insurgents"), lowercased."""
    return {fold(c.text).lower() for t in doc if t.lemma_.lower() in ARMED_GROUP_NOUNS
            for c in t.children if c.dep_ in ("amod", "compound") and c.text[:1].isupper() and c.i < t.i}


def _movement_name(ent: Span) -> bool:
    """'Rwandan Patriotic Front', 'Sudanese Liberation Movement', 'the Sudan Revolutionary Front',
    'the Kosovo Liberation Army', 'the Syrian National Coalition': a state's name or demonym, then
    capitalised words that name a movement or a party; not a state's body ('the Russian Foreign
    Ministry', 'the Afghan National Army')."""
    if len(ent) > 1 and ent[0].lower_ == "the":
        ent = ent[1:]
    rest = [t for t in ent[1:] if t.pos_ == "PROPN" or t.text[:1].isupper()]
    if not (ent[0].ent_type_ in ("NORP", "ORG") and ent[0].pos_ in ("ADJ", "PROPN") and len(rest) == len(ent) - 1 > 0):
        return False
    last, words = ent[-1].lower_, {t.lower_ for t in ent[1:-1]}
    return last in ARMED_NAME_WORDS or last in PARTISAN_BODIES and bool(words & PARTISAN_WORDS) or (
        last in ("coalition", "congress", "council") and words == {"national"})


def _armed_kind(tok: Token) -> str:
    """Which sort of armed group a noun names ('rebel' for 'rebels', 'rebel groups', 'rebel alliance')."""
    lemma = tok.lemma_.lower()
    if lemma in ARMED_GROUP_NOUNS:
        return lemma
    return next((c.lemma_.lower() for c in tok.children if c.lemma_.lower() in ARMED_GROUP_NOUNS), lemma)


def _dateline(span: Span) -> bool:
    """'MINSK:', 'BRUSSELS (Reuters) -', 'DOHA, Qatar —': a place that opens a paragraph before a
    colon or dash says where the report was filed; it is no actor."""
    doc = span.doc
    start = span.start
    if any(a <= start and span.end <= b for a, b in doc.user_data.get(DATELINES, ())):
        return True  # inside what the line-break component read as the dateline ("UNITED NATIONS (JP):")
    if start > 0 and "\n" not in doc[start - 1].text and not doc[start - 1].is_space:
        return False
    after = doc[span.end:span.end + 8]
    for t in after:
        if t.text in (":", "—", "–", "--") or t.text == "-" and doc[t.i - 1].whitespace_:  # (not "Secretary-General")
            return True
        if not (t.text in (",", "(", ")", ".") or t.pos_ == "PROPN" or t.like_num):
            return False
    return False


def _aged(doc: Doc, start: int) -> bool:
    """'43-year-old Nuch', 'Nuch, 43,': a name given with an age is a private person quoted."""
    before = doc[max(0, start - 5):start].text.lower().replace(" ", "")
    after = doc[start:min(len(doc), start + 6)].text
    return before.endswith(("year-old", "years-old", "yearold")) or bool(re.search(r"^\S+(?: \S+)?, \d{2}, ", after))


def _country_mentions(state: DocState, skip=()) -> dict[str, int]:
    """How often the story names each state (those in ``skip`` aside)."""
    counts: dict[str, int] = {}
    for m in state.mentions:
        if m.key.startswith("country:") and m.key not in skip:
            counts[m.key] = counts.get(m.key, 0) + 1
    return counts


def _partisan(tok: Token) -> bool:
    """'pro-Russian', 'anti-government': a modifier that says whose side, not who."""
    doc = tok.doc
    return tok.lower_.startswith(("pro-", "anti-")) or tok.i >= 2 and doc[tok.i - 1].text == "-" and doc[
        tok.i - 2].lower_ in ("pro", "anti")


#: what an armed movement's men are called after its name: "Tigray forces", "Houthi fighters"
FIGHTER_NOUNS = {"force", "forces", "fighter", "rebel", "militia", "militiaman", "guerrilla", "insurgent", "militant",
                 "troop", "combatant"}

#: prepositions whose object is a topic, not an actor of the story ("concerns over X and Y")
TOPIC_PREPS = {"over", "about", "against", "regarding", "concerning", "toward", "towards"}

#: what makes a government no state's own: "the rebel government", "the exiled government"
NOT_THE_STATES = {"rebel", "insurgent", "separatist", "militant", "guerrilla", "opposition", "exiled", "exile", "shadow",
                  "parallel", "rival", "breakaway", "regional", "provincial", "local", "municipal", "state", "former"}

#: what a land is called before its name: "its former province of Kosovo"
PLACE_NOUNS = {"province", "region", "republic", "enclave", "territory", "island", "kingdom", "emirate", "colony",
               "soil", "waters", "airspace", "border", "frontier"}

#: what a body is called before its name: "the Lebanese group Hezbollah", "the rival factions Hamas and Fatah"
BODY_NOUNS = {"group", "faction", "movement", "militia", "organisation", "organization", "party", "alliance",
              "coalition", "bloc"}


def _plural_title_of(doc: Doc, state: DocState, m: Mention, titles: set[str]) -> str | None:
    """The title a plural title word gives the first of coordinated names ('Presidents A and B')."""
    root = doc[m.start:m.end].root
    first = root.head if root.dep_ == "conj" else None
    if first is None or first.i not in state.by_token:
        return None
    title = next((c for c in first.subtree if c.i < first.i and c.tag_ == "NNS" and c.dep_ == "compound"
                  and c.lemma_.lower() in titles), None)
    return title.lemma_.lower() if title is not None else None


def _of_after(doc: Doc, state: DocState, m: Mention) -> str | None:
    """The state or body named by 'of' right after a person's name: 'President X of Zimbabwe'."""
    i = m.end
    if i + 1 >= len(doc) or doc[i].lower_ != "of":
        return None
    i += 1 + (doc[i + 1].lower_ == "the")
    named = state.by_token.get(i) if i < len(doc) else None
    return named.key if named is not None and not named.key.startswith("person:") else None


def _ethnic(tok: Token) -> bool:
    """'ethnic Albanian': a people's name, not its state's."""
    return tok.dep_ == "amod" and tok.i > 0 and tok.doc[tok.i - 1].lower_ == "ethnic"


def _names_a_group(mod: Token) -> bool:
    """A modifier that names the side its noun speaks for: 'rebel', 'separatist', 'opposition'."""
    return mod.lemma_.lower() in ARMED_GROUP_NOUNS or mod.lower_ == "opposition"


def _armed_group(tok: Token) -> bool:
    """'the rebels', 'rebel groups', 'separatist forces': an armed group by what it is."""
    if tok.lemma_.lower() in ARMED_GROUP_NOUNS:
        return True
    if tok.tag_ == "NNP" and tok.i == tok.sent.start and tok.lower_.endswith("s") and tok.lower_[:-1] in ARMED_GROUP_NOUNS:
        return True  # "Rebels, west African leaders and the US had all called ...": tagged as a name where it opens
    return tok.lemma_.lower() in ("group", "force", "faction", "movement", "fighter", "alliance", "coalition") and tok.tag_ in ("NNS", "NN") and any(
        c.dep_ in ("compound", "amod") and c.lemma_.lower() in ARMED_GROUP_NOUNS | {"armed", "warring"} for c in tok.children) \
        and not _armed_forces(tok)  # ("the nation's armed forces" are its military)


def _org_name_words(state: DocState) -> dict[str, set[str]]:
    """Folded word of an organisation's name -> the organisations it names."""
    words: dict[str, set[str]] = {}
    for k, a in state.actors.items():
        if a.kind == "organization":
            for w in a.name.split():
                words.setdefault(fold(w), set()).add(k)
    return words


def _armed_forces(tok: Token) -> bool:
    """'army', 'military', 'armed forces' (but not 'forces' or 'troops' alone: 'Ukrainian forces'
    withdrawing are Ukraine's, not a party of their own)."""
    low = tok.lower_
    return low in ("army", "military") or low == "forces" and any(c.lower_ == "armed" for c in tok.children)


CROWD_WORDS = {"few", "many", "several", "hundreds", "thousands", "dozens", "millions", "scores", "some"}


def _crowd(tok: Token) -> bool:
    """'a few hundred Egyptians', 'thousands of Iranians': people counted are a crowd, not a state."""
    if any(c.dep_ == "nummod" or c.lower_ in CROWD_WORDS for c in tok.children):
        return True
    return tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lower_ in CROWD_WORDS


def _people_elsewhere(state: DocState, tok: Token, own: str) -> bool:
    """'Ethnic Albanians', 'the Albanians of southern Serbia', 'a few hundred Egyptians': a people,
    a crowd, or a people living in another state's land, is not the state its name comes from."""
    if any(c.lower_ == "ethnic" for c in tok.children):
        return True
    if _crowd(tok):
        return True
    for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("in", "of")):
        for place in (x for x in prep.children if x.dep_ == "pobj"):
            m = state.by_token.get(place.i) or next((state.by_token[c.i] for c in place.children if c.i in state.by_token), None)
            if m is not None and m.key.startswith("country:") and m.key != own:
                return True
    return False


def _main_clause_subject(tok: Token) -> bool:
    head = tok.head
    while head.dep_ == "conj" and head.head.i != head.i:
        head = head.head
    return head.dep_ == "ROOT"


def _sentence_initial(tok: Token) -> bool:
    """First word of its sentence, opening quotes and brackets aside: its capital says nothing."""
    return all(t.is_punct or t.is_space for t in tok.doc[tok.sent.start:tok.i])


def _proper_elsewhere(state: DocState, tok: Token) -> bool:
    """A sentence-initial capital says nothing; the same word capitalised mid-sentence does."""
    found = state.cached("capitalised", (), lambda: _capitalised(state))
    return any(i != tok.i for i in found.get(tok.lower_.rstrip("s"), ()))


def _capitalised(state: DocState) -> dict[str, list[int]]:
    """Stem -> positions where it is written with a capital mid-sentence."""
    found: dict[str, list[int]] = {}
    for t in state.tokens:
        if t.text[:1].isupper() and not t.is_sent_start:
            found.setdefault(t.lower_.rstrip("s"), []).append(t.i)
    return found


def _org_of(state: DocState, key: str) -> str:
    """'his party' → the organisation that person belongs to."""
    if key.startswith("person:"):
        for aff in state.actors[key].affiliations:
            if aff.startswith("org:"):
                return aff
    return key


def _prev_sent_start(doc: Doc, sent_start: int) -> int:
    """Start of the sentence before, blank lines (a sentence of white space) passed over."""
    start = sent_start
    for _ in range(8):
        if start == 0:
            return 0
        start = doc[start - 1].sent.start
        if not all(t.is_space for t in doc[start:start + 3]):
            return start
    return start


def _strip_det(span: Span) -> Span | None:
    toks = [t for t in span if not (t.dep_ == "det" or t.lower_ == "the")]
    while toks and (toks[-1].tag_ == "POS" or toks[-1].is_punct):  # "Biden’s '" of "Biden’s 'pullout' demand"
        toks = toks[:-1]
    if not toks:
        return None
    return span.doc[toks[0].i: toks[-1].i + 1]
