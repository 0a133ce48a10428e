"""Reading: article text in, ``ArticleFacts`` out. spaCy objects never leave this package.

    nlp = load_nlp()
    facts = extract(article, nlp)
    for facts in extract_many(articles, nlp): ...
"""
from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterable, Iterator

from kg_builder.errors import ExtractionError
from kg_builder.model import Article, ArticleFacts

__all__ = ["ARTICLE_TIMEOUT", "MAX_CHARS", "extract", "extract_many", "load_nlp", "release"]


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


#: Default limits per article: its length in characters, and seconds its reading may take.
MAX_CHARS = 5_000_000
ARTICLE_TIMEOUT = 60.0
#: Articles are read in runs of at most this many characters (a long article alone), so the
#: time an article is charged for is its own reading plus at most this much of its neighbours'.
#: Without ``batch_size`` a run is one ``nlp.pipe`` batch, so it also bounds spaCy's memory.
RUN_CHARS = 100_000


def extract_many(articles: Iterable[Article], nlp=None, *, batch_size: int | None = None,
                 max_chars: int = MAX_CHARS, timeout: float | None = None, run_chars: int = RUN_CHARS,
                 ) -> Iterator[ArticleFacts | ExtractionError]:
    """Facts per article in input order; an article the language layer fails on is yielded as
    an ``ExtractionError`` so one bad article never loses the others.

    An article longer than ``max_chars`` characters is not read (an ``ExtractionError`` saying
    so; ``nlp.max_length`` is raised to ``max_chars`` when lower, so spaCy's own limit never
    fires first). With ``timeout`` (seconds), an article whose reading takes longer is given up
    and yielded as an ``ExtractionError``; the process goes on. The budget is checked between
    reading steps; a long article (read alone) run from a main thread on a POSIX system also gets
    a timer (``SIGALRM``) that interrupts spaCy's own stages, which no check between steps reaches.
    """
    nlp = nlp or load_nlp()
    articles = list(articles)
    nlp.max_length = max(nlp.max_length, max_chars)
    cfg = {"dip_limits": {"timeout": timeout}} if timeout is not None and "dip_limits" in nlp.pipe_names else {}
    run: list[Article] = []
    chars = 0
    for article in articles:
        if len(article.text) > max_chars:
            yield from _read_timed(run, nlp, cfg, batch_size, timeout)
            run, chars = [], 0
            yield ExtractionError(article.source or article.id, (
                f"{len(article.text):,} characters, over the limit of {max_chars:,} per article "
                "(--max-chars); skipped"))
            continue
        if run and chars + len(article.text) > run_chars:
            yield from _read_timed(run, nlp, cfg, batch_size, timeout)
            run, chars = [], 0
        run.append(article)
        chars += len(article.text)
    yield from _read_timed(run, nlp, cfg, batch_size, timeout)


def _read_timed(run: list[Article], nlp, cfg: dict, batch_size: int | None,
                timeout: float | None) -> Iterator[ArticleFacts | ExtractionError]:
    """:func:`_read_run`, with a timer when one article is read alone (see ``extract_many``)."""
    if len(run) != 1 or timeout is None or not _timer_usable():
        yield from _read_run(run, nlp, cfg, batch_size)
        return
    from kg_builder.extract.language import ArticleTimeout

    try:
        with _timer(run[0].text, timeout):
            results = list(_read_run(run, nlp, cfg, batch_size))  # all of it before the timer stops
    except ArticleTimeout as exc:
        results = [_timeout_error(run[0], exc)]
    yield from results


def _timer_usable() -> bool:
    return (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None)
            and signal.getitimer(signal.ITIMER_REAL)[0] == 0)


@contextlib.contextmanager
def _timer(text: str, seconds: float) -> Iterator[None]:
    """Raise ``ArticleTimeout`` in this (main) thread when ``seconds`` have passed."""
    from kg_builder.extract.language import ArticleTimeout

    armed = [True]

    def ring(signum, frame):
        if armed[0]:
            raise ArticleTimeout(text, seconds)

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        armed[0] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _read_run(run: list[Article], nlp, cfg: dict, batch_size: int | None) -> Iterator[ArticleFacts | ExtractionError]:
    """``nlp.pipe`` over a run of articles. An article over its time budget is skipped and the
    pipe restarted after it; any other failure inside spaCy: the rest one by one."""
    from kg_builder.extract.language import ArticleTimeout

    skipped: dict[int, ExtractionError] = {}
    done = 0
    while done < len(run):
        todo = [n for n in range(done, len(run)) if n not in skipped]
        docs = iter(nlp.pipe((run[n].text for n in todo), batch_size=batch_size or max(len(todo), 1),
                             component_cfg=_fresh(cfg)))
        try:
            while done < len(run):
                if done in skipped:
                    yield skipped.pop(done)
                else:
                    yield _facts_or_error(run[done], lambda doc=next(docs): doc)
                done += 1
        except ArticleTimeout as exc:  # raised inside spaCy for one of the docs being piped
            hit = next((n for n in todo if n >= done and run[n].text == exc.text), done)
            skipped[hit] = _timeout_error(run[hit], exc)
        except Exception:  # noqa: BLE001 - the batch failed inside spaCy: go one by one from there
            for n in range(done, len(run)):
                yield skipped.pop(n) if n in skipped else _facts_or_error(
                    run[n], lambda article=run[n]: nlp(article.text, component_cfg=_fresh(cfg)))
            return


def _fresh(cfg: dict) -> dict:
    """A copy of the components' settings for one spaCy call: ``nlp.pipe`` writes its
    ``batch_size`` into them, which ``nlp(text)`` would then hand to components that take none."""
    return {name: dict(settings) for name, settings in cfg.items()}


def _timeout_error(article: Article, exc) -> ExtractionError:
    return ExtractionError(article.source or article.id, (
        f"reading took longer than {exc.seconds:g} s, the time budget per article "
        f"(--article-timeout); skipped ({len(article.text):,} characters)"))


def _facts_or_error(article: Article, doc_of) -> ArticleFacts | ExtractionError:
    from kg_builder.extract.facts import to_facts
    from kg_builder.extract.language import ArticleTimeout, check_time

    doc = None
    try:
        doc = doc_of()
        facts = to_facts(article, doc)
        check_time(doc)
        return facts
    except ArticleTimeout as exc:
        return _timeout_error(article, exc)
    except Exception as exc:  # noqa: BLE001 - a rule bug on one article must not sink the others
        return ExtractionError(article.source or article.id, f"reading failed: {exc!r}")
    finally:
        if doc is not None:
            release(doc)


def release(doc) -> None:
    """Drop what the rule components left on ``doc`` once its facts are read: the state on
    ``doc._.dip`` holds the doc's tokens and sentences, which point back to the doc, so without
    this every Doc waits for the cycle collector (measured: memory grew with the corpus)."""
    state = doc._.dip
    if state is not None:
        state.tokens.clear()
        state.sentences.clear()
        state.mentions.clear()
        state.by_token.clear()
        doc._.dip = None
