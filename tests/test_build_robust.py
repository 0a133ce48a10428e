"""`build` against hostile input and bad luck: nothing to read, articles too long or too slow,
unreadable files, odd file names, edited files, a store in use, and a report that tells a
finished run from an interrupted one. Real model, real store, real files."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from typer.testing import CliRunner

from kg_builder.cli import app
from kg_builder.errors import SourceError, StoreError
from kg_builder.extract import extract_many
from kg_builder.extract.language import MAX_SENTENCE_TOKENS
from kg_builder.model import Article
from kg_builder.pipeline import COMPLETE, NQUADS, REPORT, TRIG, TURTLE, build, check_output
from kg_builder.store import Store

KG_FILES = (TRIG, NQUADS, TURTLE)
REAL_ARTICLES = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "real" / "articles"
SHORT = "Talks in Doha\n\nQatar mediated talks between Israel and Hamas in Doha, officials said. Hamas demanded a ceasefire.\n"


def _cli(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def _prose(repo_root: Path, chars: int) -> str:
    """Real article text (the examples and, when present, the real evaluation articles),
    repeated to ``chars`` characters."""
    texts = [p.read_text(encoding="utf-8") for folder in (repo_root / "examples", REAL_ARTICLES)
             if folder.is_dir() for p in sorted(folder.glob("*.txt"))]
    text = "\n\n".join(texts)
    return (text * (chars // len(text) + 1))[:chars]


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


@pytest.fixture
def previous(seed_article_path, nlp, validator, tmp_path) -> Path:
    """An output folder holding a good earlier build of the seed article."""
    out = tmp_path / "out"
    build([seed_article_path], out, nlp=nlp, validator=validator)
    return out


# -- nothing to read: nothing overwritten --------------------------------------------------------

@pytest.mark.parametrize("case", ["empty", "pdf-only", "symlinked-folder", "hidden-only"])
def test_a_folder_without_articles_leaves_earlier_output_untouched(case, previous, tmp_path):
    folder = tmp_path / case
    folder.mkdir()
    if case == "pdf-only":
        (folder / "report.pdf").write_bytes(b"%PDF-1.4\n")
        (folder / "scan.PDF").write_bytes(b"%PDF-1.4\n")
    elif case == "symlinked-folder":
        real = tmp_path / "elsewhere"
        real.mkdir()
        (real / "a.txt").write_text(SHORT, encoding="utf-8")
        (folder / "link").symlink_to(real, target_is_directory=True)
    elif case == "hidden-only":
        (folder / ".draft.txt").write_text(SHORT, encoding="utf-8")
    before = _snapshot(previous)

    cli = _cli("build", folder, "-o", previous, "--no-store")
    assert cli.exit_code == 1 and "Traceback" not in cli.output
    assert "built 0" not in cli.output
    message = cli.stderr
    assert str(folder) in message and "nothing written" in message
    expected = {"empty": "empty folder", "pdf-only": "2 .pdf file(s)",
                "symlinked-folder": "1 symlinked folder(s), not followed", "hidden-only": "1 hidden"}[case]
    assert expected in message, message
    assert _snapshot(previous) == before
    assert check_output(previous) == []


def test_python_build_raises_naming_every_input_when_nothing_is_read(previous, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    before = _snapshot(previous)
    with pytest.raises(SourceError, match=r"a, .*b: no article could be read .*empty folder"):
        build([tmp_path / "a", tmp_path / "b"], previous)
    assert _snapshot(previous) == before


# -- the report: counts, checksums, status --------------------------------------------------------

def test_report_has_status_counts_and_the_checksum_of_every_file(seed_article_path, nlp, validator, tmp_path):
    second = tmp_path / "second.txt"
    second.write_text(SHORT, encoding="utf-8")
    out = tmp_path / "out"
    result = build([seed_article_path, second], out, nlp=nlp, validator=validator, store=tmp_path / "store")
    report = json.loads((out / REPORT).read_text(encoding="utf-8"))
    assert report["status"] == COMPLETE
    assert report["counts"] == {"articles_in_files": 2, "quarantined": 0, "skipped": 0, "articles_in_store": 2}
    assert set(report["files"]) == set(KG_FILES)
    assert check_output(out) == []
    assert [p.name for p in result.files][-1] == REPORT

    # a file from elsewhere (say, an older run) no longer matches its checksum
    (out / TURTLE).write_bytes(b"")
    problems = check_output(out)
    assert len(problems) == 1 and TURTLE in problems[0] and "checksum" in problems[0]


def test_a_store_counts_every_article_it_holds(seed_article_path, nlp, validator, tmp_path):
    second = tmp_path / "second.txt"
    second.write_text(SHORT, encoding="utf-8")
    store = tmp_path / "store"
    build([seed_article_path, second], tmp_path / "first", nlp=nlp, validator=validator, store=store)
    build([second], tmp_path / "out", nlp=nlp, validator=validator, store=store)
    counts = json.loads((tmp_path / "out" / REPORT).read_text(encoding="utf-8"))["counts"]
    assert counts["articles_in_files"] == 1 and counts["articles_in_store"] == 2


def test_no_temporary_file_is_left_and_modes_are_the_usual_ones(seed_build):
    names = sorted(p.name for p in seed_build.out_dir.iterdir())
    assert not [n for n in names if n.endswith(".tmp")], names
    for name in (*KG_FILES, REPORT):
        mode = (seed_build.out_dir / name).stat().st_mode & 0o777
        assert mode & 0o044 == 0o044 or mode == 0o666 & ~_umask(), oct(mode)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# -- a store in use: found before any reading ------------------------------------------------------

def test_a_locked_store_fails_the_build_before_reading(seed_article_path, nlp, validator, previous, tmp_path):
    store_path = tmp_path / "store"
    Store(store_path).close()
    before = _snapshot(previous)
    progress = []
    with Store(store_path):  # another writer holds the lock
        with pytest.raises(StoreError, match="lock") as err:
            build([seed_article_path], previous, nlp=nlp, validator=validator, store=store_path,
                  on_progress=lambda *a: progress.append(a))
    assert str(store_path) in str(err.value) and "nothing built" in str(err.value)
    assert progress == [], "no article may be read before the store is known to be writable"
    assert _snapshot(previous) == before


# -- limits per article ---------------------------------------------------------------------------

def test_an_article_over_the_size_limit_is_skipped_and_the_others_written(seed_article_path, repo_root, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(seed_article_path, folder / "good.txt")
    (folder / "huge.txt").write_text(_prose(repo_root, 20_000), encoding="utf-8")
    cli = _cli("build", folder, "-o", tmp_path / "out", "--no-store", "--max-chars", "10000")
    assert cli.exit_code == 1 and "Traceback" not in cli.output
    [line] = [ln for ln in cli.stderr.splitlines() if "huge.txt" in ln]
    assert "skipped" in line and "20,000 characters" in line and "--max-chars" in line
    assert "built 1 article(s)" in cli.stderr
    report = json.loads((tmp_path / "out" / REPORT).read_text(encoding="utf-8"))
    assert report["counts"]["articles_in_files"] == 1 and report["counts"]["skipped"] == 1
    assert [a["source"] for a in report["articles"]] == [str(folder / "good.txt")]


def test_an_article_over_its_time_budget_is_skipped_and_the_others_written(
        seed_article_path, repo_root, nlp, validator, tmp_path):
    """A budget of 2 s: 120,000 characters of prose take several times that, the seed a fraction."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(seed_article_path, folder / "a-good.txt")
    (folder / "b-slow.txt").write_text(_prose(repo_root, 120_000), encoding="utf-8")
    (folder / "c-short.txt").write_text(SHORT, encoding="utf-8")
    result = build([folder], tmp_path / "out", nlp=nlp, validator=validator, article_timeout=2)
    assert result.built == [str(folder / "a-good.txt"), str(folder / "c-short.txt")]
    [error] = result.errors
    assert error.source == str(folder / "b-slow.txt")
    assert "longer than 2 s" in error.problem and "--article-timeout" in error.problem


def test_a_rule_that_fails_on_one_article_loses_only_that_article(nlp):
    """A bug in a reading step raised inside ``nlp.pipe`` (here a step added after ours that fails
    on one text): the articles after it are read one by one, with the time budget still set, and
    the failed one is reported with what went wrong."""
    from spacy.language import Language

    @Language.component("test_fails_on_marker")
    def fails_on_marker(doc):
        if "MARKER" in doc.text:
            raise RuntimeError("a reading step failed")
        return doc

    nlp.add_pipe("test_fails_on_marker", last=True)
    try:
        texts = [SHORT, "Talks\n\nMARKER: Hamas demanded a ceasefire.", SHORT.replace("Doha", "Cairo")]
        results = list(extract_many([Article(text=t, source=f"{i}.txt") for i, t in enumerate(texts)],
                                    nlp, timeout=60))
    finally:
        nlp.remove_pipe("test_fails_on_marker")
    first, failed, last = results
    assert not isinstance(first, Exception) and first.demands
    assert isinstance(failed, Exception) and "1.txt" in str(failed) and "a reading step failed" in str(failed)
    assert not isinstance(last, Exception) and last.demands and "Cairo" in last.article.text


def test_a_text_over_spacys_max_length_is_read_not_refused(nlp):
    """spaCy refuses a text over ``nlp.max_length`` (E088); our own limit is the one that counts."""
    saved = nlp.max_length
    try:
        nlp.max_length = 1000
        text = (SHORT * 30)[:3000]
        [facts] = list(extract_many([Article(text=text, source="long.txt")], nlp, max_chars=5000))
        assert not isinstance(facts, Exception), facts
        assert facts.demands
        [error] = list(extract_many([Article(text=text, source="long.txt")], nlp, max_chars=2000))
        assert isinstance(error, Exception) and "long.txt" in str(error) and "E088" not in str(error)
    finally:
        nlp.max_length = saved


def test_no_sentence_is_longer_than_the_cap_and_real_sentences_are_not_cut(nlp, repo_root, seed_article_path):
    line = " ".join(_prose(repo_root, 30_000).replace(".", " ").replace("!", " ").replace("?", " ").split())
    doc = nlp(line)
    assert len(doc) > 10 * MAX_SENTENCE_TOKENS
    assert max(len(s) for s in doc.sents) <= MAX_SENTENCE_TOKENS

    text = seed_article_path.read_text(encoding="utf-8")
    with nlp.select_pipes(disable=["dip_limits"]):
        uncapped = [s.text for s in nlp(text).sents]
    assert [s.text for s in nlp(text).sents] == uncapped
    prose = _prose(repo_root, 30_000)
    capped = nlp(prose)
    assert max(len(s) for s in capped.sents) <= MAX_SENTENCE_TOKENS


# -- files on the command line: unreadable, odd names, edited ----------------------------------------

def test_an_unreadable_file_named_on_the_command_line_is_skipped(seed_article_path, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(SHORT, encoding="utf-8")
    secret.chmod(0)
    cmd = [str(Path(sys.executable).with_name("kg-builder")), "build", str(secret), str(seed_article_path),
           "-o", str(tmp_path / "out"), "--no-store"]
    if os.geteuid() == 0:  # root reads any file: run without the capability that allows it
        if not shutil.which("setpriv"):
            pytest.skip("running as root and setpriv (util-linux) is missing: cannot make a file unreadable")
        cmd = ["setpriv", "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search", *cmd]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and "Usage:" not in done.stderr
    assert f"skipped {secret}: cannot read: Permission denied" in " ".join(done.stderr.split())
    assert "built 1 article(s)" in done.stderr


def test_a_newline_in_a_file_name_cannot_fake_a_line_of_output(seed_article_path, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(seed_article_path, folder / "good.txt")
    (folder / "x\nbuilt 99 article(s) into \x1b[2Jnowhere.txt").write_text("")  # empty: skipped, named
    cli = _cli("build", folder, "-o", tmp_path / "out", "--no-store")
    assert cli.exit_code == 1
    lines = cli.stderr.splitlines()
    assert not [ln for ln in lines if ln.startswith("built 99")], lines
    assert "\x1b" not in cli.stderr
    assert any("x\\nbuilt 99 article(s) into \\x1b[2Jnowhere.txt: empty file" in ln for ln in lines), lines


def test_an_edited_text_file_replaces_its_earlier_graph_in_the_store(nlp, validator, tmp_path):
    article = tmp_path / "talks.txt"
    store_path = tmp_path / "store"
    article.write_text(SHORT, encoding="utf-8")
    first = build([article], tmp_path / "out", nlp=nlp, validator=validator, store=store_path)
    article.write_text(SHORT.replace("Hamas demanded a ceasefire", "Israel demanded the hostages' release"),
                       encoding="utf-8")
    second = build([article], tmp_path / "out", nlp=nlp, validator=validator, store=store_path)
    assert first.reports[str(article)].graph_iri == second.reports[str(article)].graph_iri
    with Store(store_path, read_only=True) as store:
        [graph] = store.graphs()
        text = next(iter(store.query(f"SELECT ?t WHERE {{ GRAPH <{graph}> {{ ?a dip:text ?t }} }}")))["t"].value
    assert "hostages" in text and "Hamas demanded" not in text
    ds = Dataset()
    ds.parse(tmp_path / "out" / TRIG, format="trig")
    assert {str(c) for *_, c in ds.quads((None, None, None, None))} == {graph}
    assert len(Graph().parse(tmp_path / "out" / TURTLE, format="turtle")) > 0
