"""Reading: article text in, ``ArticleFacts`` out. spaCy objects never leave this package.

    nlp = load_nlp()
    facts = extract(article, nlp)
    for facts in extract_many(articles, nlp): ...
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from kg_builder.errors import ExtractionError
from kg_builder.model import Article, ArticleFacts

__all__ = ["extract", "extract_many", "load_nlp"]


def load_nlp(model: str | None = None, lexicon: str | None = None):
    """The spaCy pipeline with our components (see ``kg_builder.extract.language``)."""
    from kg_builder.extract.language import load_nlp as _load

    return _load(model, lexicon)


def extract(article: Article, nlp=None) -> ArticleFacts:
    """Facts of one article. Pass ``nlp`` when reading many (loading the model takes a while)."""
    result = next(iter(extract_many([article], nlp)))
    if isinstance(result, ExtractionError):
        raise result
    return result


def extract_many(articles: Iterable[Article], nlp=None, *, batch_size: int | None = None) -> Iterator[ArticleFacts | ExtractionError]:
    """Facts per article in input order; an article the language layer fails on is yielded as
    an ``ExtractionError`` so one bad article never loses the others."""
    nlp = nlp or load_nlp()
    articles = list(articles)
    done = 0
    try:
        for article, doc in zip(articles, nlp.pipe((a.text for a in articles), batch_size=batch_size)):
            done += 1
            yield _facts_or_error(article, lambda doc=doc: doc)
    except Exception:  # noqa: BLE001 - the batch failed inside spaCy: go one by one from there
        for article in articles[done:]:
            yield _facts_or_error(article, lambda article=article: nlp(article.text))


def _facts_or_error(article: Article, doc_of) -> ArticleFacts | ExtractionError:
    from kg_builder.extract.facts import to_facts

    try:
        return to_facts(article, doc_of())
    except Exception as exc:  # noqa: BLE001 - a rule bug on one article must not sink the others
        return ExtractionError(article.source or article.id, f"reading failed: {exc!r}")
