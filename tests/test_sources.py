"""Sources stage: real files in tests/data/sources/ read through the public ``read_articles``."""
from __future__ import annotations

import datetime as dt
import html
import json
import shutil
from pathlib import Path

import pytest

from kg_builder import read_articles
from kg_builder.errors import SourceError
from kg_builder.model import Article
from kg_builder.sources._common import dateline_date

DATA = Path(__file__).parent / "data" / "sources"


def read_all(*inputs: str | Path) -> list[Article | SourceError]:
    return list(read_articles(list(inputs)))


def sources(items: list[Article | SourceError]) -> list[str]:
    return [item.source for item in items]


# --- plain text ------------------------------------------------------------------------------


def test_text_headline_dateline_and_whole_text():
    path = DATA / "dateline.txt"
    [article] = read_all(path)
    assert isinstance(article, Article)
    assert article.title == "Estmark brokers prisoner swap between Valdoria and rebels"
    assert article.date == dt.date(2021, 10, 3)
    assert article.text == path.read_text(encoding="utf-8")  # headline included, nothing rewritten
    assert article.source == str(path)
    assert article.url is None


def test_text_bom_is_stripped_so_offsets_match_the_words():
    [article] = read_all(DATA / "mixed" / "b-truce.txt")
    assert not article.text.startswith("\ufeff")
    assert article.title == "Truce holds in the valley"
    assert article.date == dt.date(2020, 3, 2)
    start = article.text.index("BRELLIN")
    assert article.text[start:start + 7] == "BRELLIN"


def test_invalid_utf8_names_file_and_byte_offset_and_the_rest_is_read():
    bad, good = DATA / "bad_utf8.txt", DATA / "dateline.txt"
    error, article = read_all(bad, good)
    assert isinstance(error, SourceError)
    assert error.source == str(bad)
    assert "UTF-8" in error.problem
    # "Talks stall\n\nThe café meeting ended early " is 43 bytes, then the stray 0xFF
    assert "byte offset 43" in error.problem
    assert str(bad) in str(error)
    assert isinstance(article, Article) and article.source == str(good)


def test_empty_file_is_an_error():
    [error] = read_all(DATA / "empty.txt")
    assert isinstance(error, SourceError)
    assert error.source == str(DATA / "empty.txt")
    assert "empty" in error.problem


# --- HTML ------------------------------------------------------------------------------------


def test_html_keeps_the_article_and_drops_the_boilerplate():
    [article] = read_all(DATA / "page.html")
    assert isinstance(article, Article)
    assert article.title == "Ceasefire talks resume in Valdoria"
    assert article.url == "https://courier.example.org/2023/03/14/valdoria-talks"
    assert article.date == dt.date(2023, 3, 14)
    assert "chief negotiator, Ilse Varga" in article.text
    assert article.text.startswith("Negotiators from the Republic of Valdoria")  # body only
    for boilerplate in ("Subscribe", "Sport pages", "Most read", "recipes", "Copyright", "Privacy"):
        assert boilerplate not in article.text
    paragraphs = article.text.split("\n\n")
    assert len(paragraphs) == 4
    assert paragraphs[-1].startswith("Both delegations agreed")


def test_html_page_without_an_article_is_an_error(tmp_path):
    blank = tmp_path / "blank.html"
    blank.write_text("<html><head><title>Nothing</title></head><body></body></html>", "utf-8")
    menu_only = DATA / "boilerplate_only.html"
    items = read_all(menu_only, blank, DATA / "page.html")
    assert [type(item) for item in items] == [SourceError, SourceError, Article]
    assert sources(items) == [str(menu_only), str(blank), str(DATA / "page.html")]
    assert "no article text" in items[0].problem


def test_html_title_from_title_tag_and_uppercase_suffix(tmp_path):
    page = tmp_path / "PAGE.HTML"
    page.write_text(
        "<html><head><title>Envoys return to Brellin</title></head><body><div>"
        "<p>Envoys from both councils returned to Brellin on Friday to resume the talks that "
        "broke down last month over the question of shared fishing grounds.</p>"
        "<p>The councils said a draft text on joint patrols was ready for their leaders.</p>"
        "</div></body></html>",
        encoding="utf-8",
    )
    [article] = read_all(page)
    assert isinstance(article, Article)
    assert article.title == "Envoys return to Brellin"
    assert "joint patrols" in article.text
    assert "\n\n" in article.text


# --- JSON Lines ------------------------------------------------------------------------------


def test_jsonl_bad_lines_are_errors_and_good_lines_are_read():
    path = DATA / "articles.jsonl"
    items = read_all(path)
    assert sources(items) == [f"{path}:{n}" for n in (1, 2, 3, 5, 6)]  # line 4 is blank
    first, malformed, no_text, second, third = items
    assert isinstance(first, Article)
    assert first.title == "Lorvan and Ceddia open border talks"
    assert first.url == "https://wire.example.net/lorvan-ceddia"
    assert first.date == dt.date(2024, 5, 6)
    assert first.text.startswith("Lorvan and Ceddia opened talks")
    assert isinstance(malformed, SourceError) and "JSON" in malformed.problem
    assert isinstance(no_text, SourceError) and "text" in no_text.problem
    assert str(no_text).startswith(f"{path}:3: ")
    assert second.date == dt.date(2024, 5, 7)  # the date as written, not shifted to UTC
    assert second.url is None
    assert third.title is None
    assert third.date == dt.date(2024, 5, 9)  # from the dateline, the line gives no date


def test_jsonl_wrong_shapes(tmp_path):
    path = tmp_path / "odd.ndjson"
    path.write_bytes(
        b'["not", "an", "object"]\n'
        b'{"text": "Talks resumed.", "date": "last Tuesday"}\n'
        b'{"text": 42}\n'
        b'{"text": "Bad \xff byte"}\n'
        b'{"text": "Talks resumed.", "date": "2021-06-01T08:00:00Z", "title": "  "}\n'
    )
    items = read_all(path)
    assert sources(items) == [f"{path}:{n}" for n in range(1, 6)]
    assert [type(item) for item in items] == [SourceError] * 4 + [Article]
    assert "object" in items[0].problem
    assert "date" in items[1].problem
    assert "text" in items[2].problem
    assert "byte offset" in items[3].problem and "UTF-8" in items[3].problem
    assert items[4].date == dt.date(2021, 6, 1)
    assert items[4].title is None


# --- RSS / Atom ------------------------------------------------------------------------------


def test_rss_entries_prefer_full_content_and_strip_html():
    path = DATA / "feed.rss"
    first, second = read_all(path)
    assert sources([first, second]) == [f"{path}#entry-1", f"{path}#entry-2"]
    assert first.title == "Estmark offers to host Valdoria talks"
    assert first.url == "https://courier.example.org/2023/02/01/estmark-offer"
    assert first.date == dt.date(2023, 2, 1)  # 23:30 -0500 is still Feb 1 where it was written
    assert first.text.split("\n\n") == [
        "Estmark offered on Wednesday to host direct talks between Valdoria and the Northern"
        " Alliance.",
        "The Alliance said it would attend only if observers from the Coastal League were present.",
    ]
    assert "teaser" not in first.text
    assert second.text == (
        "The Coastal League named Marta Oyelaran as its special envoy for the Valdoria conflict."
    )
    assert second.date == dt.date(2023, 2, 3)


def test_atom_entries_content_summary_and_dates():
    path = DATA / "feed.atom"
    first, second = read_all(path)
    assert first.source == f"{path}#entry-1"
    assert first.title == "Islanders and mainland agree fishing truce"
    assert first.url == "https://gazette.example.com/fishing-truce"
    assert first.date == dt.date(2022, 11, 19)  # published wins over updated
    assert first.text.split("\n\n") == [
        "Island and mainland fishing councils agreed a ninety-day truce.",
        "Inspectors from both sides will patrol the shared grounds together.",
    ]
    assert second.text == (
        "The two port authorities asked a retired judge to arbitrate their dispute."
    )
    assert second.date == dt.date(2022, 11, 18)  # no published: updated


def test_feed_entry_without_text_is_an_error_and_the_next_entry_is_read():
    path = DATA / "entry_without_text.rss"
    error, article = read_all(path)
    assert isinstance(error, SourceError) and error.source == f"{path}#entry-1"
    assert isinstance(article, Article) and article.title == "Envoys meet in Brellin"


def test_file_that_is_not_a_feed_is_an_error():
    [error] = read_all(DATA / "not_a_feed.xml")
    assert isinstance(error, SourceError)
    assert error.source == str(DATA / "not_a_feed.xml")
    assert "feed" in error.problem


# --- folders, order, bad inputs --------------------------------------------------------------


def test_folder_is_walked_in_path_order_skipping_hidden_and_unknown_files():
    folder = DATA / "mixed"
    items = read_all(folder)
    gazette, wire = folder / "nested" / "deep" / "gazette.xml", folder / "nested" / "wire.jsonl"
    assert sources(items) == [
        str(folder / "a-page.htm"),
        str(folder / "b-truce.txt"),
        str(folder / "c-broken.txt"),  # an error in the middle does not stop the walk
        f"{gazette}#entry-1",
        f"{gazette}#entry-2",
        *(f"{wire}:{n}" for n in (1, 2, 3, 5, 6)),
    ]
    assert isinstance(items[2], SourceError)
    assert not any(".draft" in s or ".cache" in s or "notes.md" in s for s in sources(items))
    assert sources(read_all(folder)) == sources(items)


def test_order_does_not_depend_on_creation_order(tmp_path):
    for name in ("z.txt", "sub/b.txt", "a.txt", "sub/a.txt", "m.txt"):
        target = tmp_path / name
        target.parent.mkdir(exist_ok=True)
        target.write_text(f"Headline {name}\n\nBody.\n", encoding="utf-8")
    got = [Path(s).relative_to(tmp_path).as_posix() for s in sources(read_all(tmp_path))]
    assert got == ["a.txt", "m.txt", "sub/a.txt", "sub/b.txt", "z.txt"]


def test_missing_path_and_unknown_type_named_directly_do_not_stop_reading(tmp_path):
    missing = tmp_path / "nowhere.txt"
    unknown = DATA / "settings.toml"
    items = read_all(missing, unknown, DATA / "dateline.txt")
    assert sources(items) == [str(missing), str(unknown), str(DATA / "dateline.txt")]
    assert isinstance(items[0], SourceError) and "no such" in items[0].problem
    assert isinstance(items[1], SourceError) and ".toml" in items[1].problem
    assert isinstance(items[2], Article)


def test_unknown_types_inside_folders_are_skipped_silently(tmp_path):
    shutil.copy(DATA / "settings.toml", tmp_path)
    shutil.copy(DATA / "dateline.txt", tmp_path)
    assert sources(read_all(tmp_path)) == [str(tmp_path / "dateline.txt")]


def test_a_single_path_is_accepted_and_read_lazily():
    items = read_articles(str(DATA / "dateline.txt"))  # not iterated character by character
    assert iter(items) is items
    assert sources(list(items)) == [str(DATA / "dateline.txt")]


# --- the dateline helper ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opening", "expected"),
    [
        ("ISTANBUL, July 22, 2022 - Talks opened", dt.date(2022, 7, 22)),
        ("WASHINGTON, Sept. 17, 1978 - Leaders met", dt.date(1978, 9, 17)),
        ("DOHA, Qatar, Feb. 29, 2020 - A deal", dt.date(2020, 2, 29)),
        ("KYIV, 22 July 2022 — Envoys said", dt.date(2022, 7, 22)),
        ("NEW YORK, March 3, 2021 (Wire) - Diplomats", dt.date(2021, 3, 3)),
        ("ST. PETERSBURG, Russia, Dec 1, 2019 – Talks", dt.date(2019, 12, 1)),
        ("GENEVA (Wire) - No date here", None),
        ("PARIS, Feb. 30, 2020 - Not a real day", None),
        ("The talks, July 22, 2022 - not a dateline", None),
    ],
)
def test_dateline_date(opening, expected):
    assert dateline_date(f"Some headline\n\n{opening} and more text.\n") == expected


def test_dateline_only_near_the_start():
    far = "Headline\n\n" + "Filler sentence. " * 100 + "\nOSLO, May 2, 2001 - Late.\n"
    assert dateline_date(far) is None


# --- hostile characters: cleaned at the boundary, for every reader ---------------------------

#: A form feed, NUL, a CSI colour, an OSC that retitles a terminal, U+FFFE, a C1 CSI, an RTL override.
HOSTILE = "\x0c\x00\x1b[31m\x1b]0;owned\x07\ufffe\x9b\u202e"
UNSAFE_CHARS = set("\x00\x0c\x1b\x07\ufffe\x9b\u202e")


def _hostile_files(folder: Path) -> list[Path]:
    body = f"Turkey hosted talks{HOSTILE}between Russia and Ukraine in Istanbul on Friday."
    title = f"Talks{HOSTILE}resume"
    (folder / "a.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    (folder / "b.jsonl").write_text(json.dumps({"text": body, "title": title, "url": f"https://ex.org/a{HOSTILE}"})
                                    + "\n", encoding="utf-8")
    esc = html.escape
    (folder / "c.html").write_text(
        f"<html><head><title>{esc(title)}</title></head><body><article><h1>{esc(title)}</h1>"
        f"<p>{esc(body)} The ministers met for six hours and agreed to meet again.</p></article></body></html>",
        encoding="utf-8")
    (folder / "d.rss").write_text(
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>x</title>'
        f"<item><title>{esc(title)}</title><link>https://ex.org/d</link>"
        f"<description>{esc(esc(body))}</description></item></channel></rss>", encoding="utf-8")
    return sorted(folder.iterdir())


def test_every_reader_blanks_control_characters_in_every_field(tmp_path):
    """XML-illegal characters and terminal controls never leave sources/, whatever the reader;
    each becomes a space, so words on either side stay apart."""
    items = read_all(*_hostile_files(tmp_path))
    articles = [a for a in items if isinstance(a, Article)]
    # feedparser reads the feed although XML forbids some of its characters
    assert [Path(a.source).name for a in articles] == ["a.txt", "b.jsonl:1", "c.html", "d.rss#entry-1"]
    for a in articles:
        for value in (a.text, a.title, a.url, a.source):
            assert not UNSAFE_CHARS & set(value or ""), (a.source, value)
        assert "hosted talks" in a.text and "between Russia" in a.text
        assert "talks " in a.text and " between" in a.text
        assert a.title.startswith("Talks ") and a.title.endswith(" resume")
    for e in items:
        if isinstance(e, SourceError):
            assert not UNSAFE_CHARS & set(str(e))


def test_text_keeps_its_length_so_offsets_still_index_the_file(tmp_path):
    raw = f"Headline\n\nRussia{HOSTILE}demanded a ceasefire.\n"
    (tmp_path / "a.txt").write_text(raw, encoding="utf-8")
    [article] = read_all(tmp_path / "a.txt")
    assert len(article.text) == len(raw)
    start = raw.index("demanded")
    assert article.text[start:start + 8] == "demanded"
    assert article.text.startswith("Headline\n\nRussia ")


def test_a_file_of_control_characters_only_is_empty(tmp_path):
    (tmp_path / "a.txt").write_text("\x00\x0c\x1b[2J\x7f\n", encoding="utf-8")
    [error] = read_all(tmp_path / "a.txt")
    assert isinstance(error, SourceError) and "empty" in error.problem


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)",
                                 "data:text/html,<script>alert(1)</script>", "vbscript:msgbox", "file:///etc/passwd"])
def test_non_http_urls_are_dropped_and_identity_comes_from_the_text(tmp_path, url):
    (tmp_path / "a.jsonl").write_text(json.dumps({"text": "Russia and Ukraine met.", "url": url}) + "\n",
                                      encoding="utf-8")
    [article] = read_all(tmp_path / "a.jsonl")
    assert article.url is None
    assert article.id == Article(text="Russia and Ukraine met.").id


@pytest.mark.parametrize("url", ["https://example.org/a?b=1", "http://example.org/", "/news/relative"])
def test_http_and_relative_urls_are_kept(tmp_path, url):
    (tmp_path / "a.jsonl").write_text(json.dumps({"text": "Russia and Ukraine met.", "url": url}) + "\n",
                                      encoding="utf-8")
    [article] = read_all(tmp_path / "a.jsonl")
    assert article.url == url


def test_feed_link_with_a_script_url_is_dropped(tmp_path):
    (tmp_path / "f.rss").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>Talks</title>'
        "<link>javascript:alert(document.domain)</link><description>Turkey hosted talks between Russia and "
        "Ukraine.</description></item></channel></rss>", encoding="utf-8")
    [article] = read_all(tmp_path / "f.rss")
    assert isinstance(article, Article) and article.url is None


def test_empty_feed_file_is_an_error_not_a_crash(tmp_path):
    """Found by tests/test_properties.py: feedparser's result for b"" has no "version" key."""
    (tmp_path / "empty.rss").write_bytes(b"")
    [error] = read_all(tmp_path / "empty.rss")
    assert isinstance(error, SourceError) and "not an RSS/Atom feed" in error.problem
