"""A text written from right to left (Yiddish here) among texts written from left to right: its
direction comes from its language, the attribute `dir` is written where the direction changes
and nowhere else, and the PDF lays its lines, indents and notes out from the right."""

from __future__ import annotations

import html
import io
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from helpers import CLASSROOM, font, run
from lxml import html as lxml_html

from book.config import copies_of
from book.languages import text_direction
from book.make import Project, gather, prepare
from book.pdf import book_html
from book.render import make_environment

# Long enough for several lines on the fixture's A5 page; the note is the author's own words.
YIDDISH = {
    "yid-1": "דער צווייטער קאנגרעס פון די סאוועטן האט זיך געעפנט אין סמאלנע אין דער נאכט "
             "פון 25סטן אקטאבער 1917. די באלשעוויקעס האבן געהאט די מערהייט, און די אנדערע "
             "פארטייען זענען ארויסגעגאנגען פון זאל מיט א פראטעסט.[^1] די נאכט איז געווען "
             "לאנג און קאלט, און אין די גאסן האבן געשטאנען זעלנער און ארבעטער ביי פייערן.",
    "yid-2": "אין דער פרי האט דער קאנגרעס אנגענומען די דעקרעטן וועגן שלום און וועגן ערד. "
             "„די מאכט צו די סאוועטן!“ — האט מען געשריגן אויף די גאסן, און די צייטונגען "
             "האבן געדרוקט די נייעס אויף דער ערשטער זייט. פילע האבן נאך נישט געגלייבט, אז "
             "די אלטע וועלט איז אוועק.",
}
NOTE = ("אזוי שרייבט דער מחבר; די צאל פון די דעלעגאטן איז נישט באקאנט, און די צייטונגען "
        "פון יענעם טאג ברענגען פארשידענע ציפערן, ווייל יעדע פארטיי האט געציילט אירע אייגענע "
        "מענטשן און נישט די אנדערע, ווי מען קען זען אין די באריכטן פון שפעטער.")
TITLE = "אין פעטערבורג"


def add_yiddish_text(project: Path) -> None:
    """The text, its original, its place in the mini edition, and a font with the Hebrew
    alphabet (the vendored typeface has none), named in the theme's stylesheet as the guide
    and the missing-glyph message say."""
    body = "\n\n".join(f"{{#{i}}}\n{p}" for i, p in YIDDISH.items())
    (project / "sources" / "yi-test.md").write_text(
        f"---\nid: yid\nlang: yi\ntitle: {TITLE}\ntitle_editorial: false\n"
        f"original: originals/yi.txt\nremovals:\n  - kind: title\n    text: {TITLE}\n---\n\n"
        f"{body}\n\n[^1]: {NOTE}\n", encoding="utf-8")
    original = "\n".join([TITLE, *YIDDISH.values()]).replace("[^1]", "[1]")
    (project / "sources" / "originals" / "yi.txt").write_text(
        f"{original}\n[1] {NOTE}\n", encoding="utf-8")
    edition = project / "editions" / "mini.toml"
    edition.write_text(edition.read_text(encoding="utf-8").replace(
        'texts = ["gr", "rs", "pol", "de"]', 'texts = ["gr", "rs", "pol", "de", "yid"]'),
        encoding="utf-8")
    base = project / "templates" / "base"
    font(base / "fonts" / "hebrew.ttf", "".join(map(chr, range(0x05D0, 0x05F5))))
    theme = base / "css" / "theme.css"
    theme.write_text(theme.read_text(encoding="utf-8") + (
        "@font-face { font-family: Hebrew; src: url(../fonts/hebrew.ttf); }\n"
        "html { font-family: BookText, Hebrew, serif; }\n"), encoding="utf-8")


@pytest.fixture(scope="module")
def project(new_fixture_project) -> Path:
    copy = new_fixture_project()
    add_yiddish_text(copy)
    return copy


@pytest.fixture(scope="module")
def made(project):
    gathered = gather(Project(project))
    edition = next(e for e in gathered.editions if e.name == "mini")
    return prepare(Project(project), copies_of(edition)[0], gathered, css_warnings=False)


def test_a_languages_direction_is_the_one_cldr_gives_it():
    assert [text_direction(t) for t in ("yi", "he", "ar", "fa", "ur")] == ["rtl"] * 5
    assert [text_direction(t) for t in ("en", "ru", "el", "pl", "de", "sr-Latn")] == ["ltr"] * 6
    assert text_direction("not-a-language") == "ltr"


def test_the_direction_is_written_where_it_changes_and_nowhere_else(made):
    page = lxml_html.fromstring(book_html(made.book, made.env, made.search_path,
                                          made.glyph_places).encode())
    directed = {(e.tag, e.get("lang"), e.get("dir")) for e in page.iter() if e.get("dir")}
    assert page.get("dir") is None  # the apparatus is English, written from left to right
    (section,) = page.xpath("//section[@id='text-yid']")
    assert section.get("dir") == "rtl"
    # Inside it, what is in English again: the head of the text and its questions.
    assert section.xpath("./div")[0].get("dir") == "ltr"
    # Elsewhere, what holds the text's title or words turns right to left.
    assert {d for d in directed if d[1] == "yi"} == {("section", "yi", "rtl"), ("h1", "yi", "rtl"),
                                                     ("span", "yi", "rtl"), ("q", "yi", "rtl")}
    assert {d for d in directed if d[1] != "yi"} == {("div", "en", "ltr")}
    assert page.xpath("//section[@id='text-de']")[0].get("dir") is None


def test_an_apparatus_written_from_right_to_left_turns_the_other_languages(made):
    env = make_environment(made.search_path, "he")
    attributes = env.from_string('{% import "macros.html" as m %}'
                                 "{{ m.lang_attrs('ru') }}|{{ m.lang_attrs('yi') }}|"
                                 "{{ m.lang_attrs('he', within='ru') }}").render()
    assert attributes.split("|") == ['lang="ru" xml:lang="ru" dir="ltr"',
                                     'lang="yi" xml:lang="yi"',
                                     'lang="he" xml:lang="he" dir="rtl"']


@pytest.fixture(scope="module")
def built(project, tmp_path_factory) -> Path:
    """The mini edition, PDF and EPUB, and a classroom edition's PDF, which numbers paragraphs
    in the margin."""
    (project / "editions" / "classroom.toml").write_text(
        CLASSROOM.replace('"de"]', '"de", "yid"]').replace(
            'filename = "classroom"\n', 'filename = "classroom"\nformats = ["pdf"]\n'),
        encoding="utf-8")
    out = tmp_path_factory.mktemp("directions")
    code, printed = run(project, "--edition", "mini", "--edition", "classroom", "--out", str(out))
    assert code == 0, printed
    return out


def letters(word: str) -> str:
    return "".join(c for c in word if "\u05d0" <= c <= "\u05ea")


LINE = re.compile(r'<line xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>(.*?)</line>',
                  re.DOTALL)
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)</word>')


def drawn_lines(pdf: Path) -> list[tuple[float, float, list[tuple[str, float, float]]]]:
    """(left, right, words) of each line the PDF draws, each word (text, left, right), in
    points, as poppler reads them from the drawing. A word written from right to left comes
    in the order its letters are drawn, from the left."""
    layout = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True,
                            capture_output=True, text=True).stdout
    return [(float(left), float(right), [(html.unescape(text), float(a), float(b))
                                         for a, b, text in WORD.findall(words)])
            for left, right, words in LINE.findall(layout)]


def paragraph_lines(pdf: Path) -> dict[str, list[tuple[float, float, list]]]:
    """The drawn lines of each Yiddish paragraph and of its note, each told by the words
    that stand in it alone."""
    words = {i: {letters(w) for w in p.split()} for i, p in {**YIDDISH, "note": NOTE}.items()}
    own = {i: w - set().union(*(v for k, v in words.items() if k != i)) - {""}
           for i, w in words.items()}
    return {i: [line for line in drawn_lines(pdf)
                if unique & {letters(w[0])[::-1] for w in line[2]}]
            for i, unique in own.items()}


def test_a_right_to_left_paragraph_begins_its_lines_on_the_right(built):
    lines = paragraph_lines(built / "mini" / "mini.pdf")
    right = max(line[1] for i in YIDDISH for line in lines[i])
    left = min(line[0] for i in YIDDISH for line in lines[i])
    for i in YIDDISH:
        assert len(lines[i]) >= 3, lines[i]
        # Every line but an indented first one ends on the right; the last is short.
        assert all(line[1] == pytest.approx(right, abs=0.5) for line in lines[i][1:])
        assert lines[i][-1][0] > left + 40
    # The first paragraph is not indented; the second is, on the right.
    assert lines["yid-1"][0][1] == pytest.approx(right, abs=0.5)
    assert lines["yid-2"][0][1] < right - 5
    # The note hangs its number on the right, where its lines begin, within the column, and
    # its lines after the first align after the number, not under it.
    first, *others = lines["note"]
    assert others, "the note should run over more than one line"
    number = next(w for w in first[2] if w[0].strip(".") == "1")
    words_right = max(w[2] for w in first[2] if w is not number)
    assert number[1] >= words_right and number[2] == pytest.approx(right, abs=0.5)
    assert all(line[1] == pytest.approx(words_right, abs=0.5) for line in others[:-1])
    assert others[-1][1] == pytest.approx(words_right, abs=0.5)


def test_a_right_to_left_paragraph_has_its_number_in_the_right_margin(built):
    lines = paragraph_lines(built / "classroom" / "classroom.pdf")
    right = max(line[1] for i in YIDDISH for line in lines[i])
    numbers = [(w, line) for line in drawn_lines(built / "classroom" / "classroom.pdf")
               for w in line[2] if w[0] in ("1", "2") and w[1] > right]
    assert {w[0] for w, _ in numbers} >= {"1", "2"}


def test_the_epub_turns_the_texts_document_and_is_valid(built, epubcheck):
    epub = built / "mini" / "mini.epub"
    with zipfile.ZipFile(epub) as book:
        documents = {name: lxml_html.fromstring(book.read(name)) for name in book.namelist()
                     if name.endswith(".xhtml")}
    roots = {Path(name).name: page.get("dir") for name, page in documents.items()}
    assert roots.pop("text-yid.xhtml") == "rtl"
    assert set(roots.values()) == {None}
    yiddish = documents[next(n for n in documents if n.endswith("text-yid.xhtml"))]
    assert {e.get("dir") for e in yiddish.iter() if e.get("lang") == "en"} == {"ltr"}
    # The font added for the Hebrew alphabet is packaged, with the letters the text uses, and
    # the book's own keeps none of them.
    with zipfile.ZipFile(epub) as book:
        theme = book.read("EPUB/css/theme.css").decode()
        fonts = {Path(n).name: set(map(chr, TTFont(io.BytesIO(book.read(n))).getBestCmap()))
                 for n in book.namelist() if n.endswith(".ttf")}
    used = {letter for text in (*YIDDISH.values(), NOTE, TITLE) for letter in letters(text)}
    assert "hebrew.ttf" in theme and used <= fonts["hebrew.ttf"]
    assert not any(used & characters for name, characters in fonts.items()
                   if name != "hebrew.ttf")
    verdict = epubcheck(epub)
    assert verdict.valid, verdict.messages
