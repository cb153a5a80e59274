"""A text written from right to left (Yiddish here) among texts written from left to right: its
direction comes from its language, the attribute `dir` is written where the direction changes
and nowhere else, and the PDF lays its lines, indents and notes out from the right."""

from __future__ import annotations

import html
import io
import itertools
import logging
import re
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from helpers import CLASSROOM, edit, font, line_of, run
from lxml import html as lxml_html

from book.config import copies_of
from book.languages import check_language_tag, text_direction
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
HEADING, AFTER_HEADING = "דער מארגן", (
    "אין דער פרי האבן די זעלנער געעפנט די טירן פון דעם פאלאץ, און די שטאט האט זיך "
    "אויפגעכאפט אין א נייער וועלט, וואס קיינער האט נאך נישט געקענט.[^2]")
NOTE = ("אזוי שרייבט דער מחבר; די צאל פון די דעלעגאטן איז נישט באקאנט, און די צייטונגען "
        "פון יענעם טאג ברענגען פארשידענע ציפערן, ווייל יעדע פארטיי האט געציילט אירע אייגענע "
        "מענטשן און נישט די אנדערע, ווי מען קען זען אין די באריכטן פון שפעטער.")
CITING = "דזשאן ריד, צען טעג, 1919, ז. 5."
TITLE = "אין פעטערבורג"
QUOTE = "25סטן אקטאבער 1917"  # in yid-1, which the chronology quotes
ASKED = "די מאכט צו די סאוועטן"  # in yid-2, which a question quotes


def add_yiddish_text(project: Path) -> None:
    """The text (two paragraphs, a heading, a third paragraph, a note of the author's and one
    citing a Yiddish book), its original, a question on it, a date the chronology quotes, its
    place in the mini edition, and a font with the Hebrew alphabet (the vendored typeface has
    none), named in css/fonts.css as the guide and the missing-glyph message say."""
    sources = project / "sources"
    body = "\n\n".join([*(f"{{#{i}}}\n{p}" for i, p in YIDDISH.items()),
                         f"{{#yid-s1}}\n## {HEADING}", f"{{#yid-3}}\n{AFTER_HEADING}"])
    (sources / "yi-test.md").write_text(
        f"---\nid: yid\nlang: yi\ntitle: {TITLE}\ntitle_editorial: false\n"
        f"original: originals/yi.txt\nremovals:\n  - kind: title\n    text: {TITLE}\n---\n\n"
        f"{body}\n\n[^1]: {NOTE}\n[^2]: {CITING}\n", encoding="utf-8")
    original = "\n".join([TITLE, *YIDDISH.values(), HEADING, AFTER_HEADING])
    (sources / "originals" / "yi.txt").write_text(
        original.replace("[^1]", "[1]").replace("[^2]", "[2]")
        + f"\n[1] {NOTE}\n[2] {CITING}\n", encoding="utf-8")
    append = {
        "bibliography.yaml": "- id: reyd1919\n  type: book\n  author:\n"
                             "    - {family: ריד, given: דזשאן}\n  title: צען טעג\n"
                             "  issued: {date-parts: [[1919]]}\n  language: yi\n",
        "citations.yaml": 'yid:\n  "2":\n    - work: reyd1919\n'
                          '      words: "דזשאן ריד, צען טעג, 1919"\n      locator: "5"\n',
        "questions.yaml": "yid:\n  - id: yid-q1\n    about: [yid-2]\n"
                          f"    en: Who cried «{ASKED}»?\n"
                          "    pl: Co postanowił zjazd?\n    ru: Что решил съезд?\n"
                          "    el: Τι αποφάσισε το συνέδριο;\n",
    }
    for name, entries in append.items():
        path = sources / name
        path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + entries,
                        encoding="utf-8")
    chronology = sources / "chronology.yaml"
    german = "         paired: 1917-11-08}\n"
    text = chronology.read_text(encoding="utf-8")
    assert text.count(german) == 1
    chronology.write_text(text.replace(german, german + (
        f'      - {{text: yid, at: yid-1, quote: "{QUOTE}", date: 1917-10-25,\n'
        "         calendar: julian, basis: assumed}\n")), encoding="utf-8")
    edition = project / "editions" / "mini.toml"
    edition.write_text(edition.read_text(encoding="utf-8").replace(
        'texts = ["gr", "rs", "pol", "de"]', 'texts = ["gr", "rs", "pol", "de", "yid"]'),
        encoding="utf-8")
    base = project / "templates" / "base"
    # The letters, and the spaces, figures and marks a run of them may be drawn with.
    font(base / "fonts" / "hebrew.ttf",
         "".join(map(chr, range(0x05D0, 0x05F5))) + " 0123456789.,;:!?-–—„“()")
    fonts = base / "css" / "fonts.css"
    families = "html { font-family: BookText, serif; }"
    assert families in fonts.read_text(encoding="utf-8")
    fonts.write_text(fonts.read_text(encoding="utf-8").replace(families, (
        "@font-face { font-family: Hebrew; src: url(../fonts/hebrew.ttf); }\n"
        "html { font-family: BookText, Hebrew, serif; }")), encoding="utf-8")


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
    assert [text_direction(t) for t in ("yi", "he", "ar", "fa", "ur", "az-Arab")] == ["rtl"] * 6
    assert [text_direction(t) for t in ("en", "ru", "el", "pl", "de", "sr-Latn", "yi-Latn")
            ] == ["ltr"] * 7
    assert text_direction("not-a-language") == "ltr"


def test_an_old_code_is_refused_with_the_new_one_and_a_tag_in_any_case_is_taken():
    assert check_language_tag("ji") == "'ji' is an old code for Yiddish: write 'yi'"
    assert check_language_tag("iw-IL") == "'iw' is an old code for Hebrew: write 'he'"
    assert [check_language_tag(t) for t in ("EL", "pt-BR", "sr-Latn", "zh-Hant", "yi")] == [
        None] * 5


def test_the_direction_is_written_where_it_changes_and_nowhere_else(made):
    html = book_html(made.book, made.env, made.search_path, made.glyph_places)
    page = lxml_html.fromstring(html.encode())
    assert page.get("dir") is None  # the apparatus is English, written from left to right
    # Each text says its direction, always; inside the Yiddish one, what is in English says
    # so again, the head of the text and its questions, and the title in the head turns back.
    assert {s.get("id"): s.get("dir") for s in page.xpath("//section[@class='text']")} == {
        "text-gr": "ltr", "text-rs": "ltr", "text-pol": "ltr", "text-de": "ltr", "text-yid": "rtl"}
    (text,) = page.xpath("//section[@id='text-yid']")
    assert {(e.tag, e.get("lang"), e.get("dir")) for e in text.iter()
            if e.get("dir") and e is not text} == {("div", "en", "ltr"), ("section", "en", "ltr"),
                                                   ("h1", "yi", "rtl"), ("span", None, "rtl")}
    # Outside the texts, what holds the Yiddish text's title, heading or the work its notes
    # cite turns right to left; a quotation keeps the sentence's direction for its marks and
    # sets its words apart inside them.
    outside = {(e.tag, e.get("lang"), e.get("dir"), e.get("class")) for e in page.iter()
               if e.get("dir") and not e.xpath("ancestor-or-self::section[@class='text']")}
    assert outside == {("span", "yi", "rtl", None), ("span", "yi", "rtl", "entry"),
                       ("span", None, "rtl", None)}
    # Every quotation of the text: the chronology's, the title moved from its head, the
    # question's; each in its marks, its words apart, and its section said once.
    quotations = page.xpath("//q[@lang='yi']")
    assert sorted("".join(q.itertext()) for q in quotations) == sorted([QUOTE, TITLE, ASKED])
    assert all(q.get("dir") is None and [s.get("dir") for s in q] == ["rtl"]
               for q in quotations)
    section_tag = re.search(r'<section class="text" id="text-yid"[^>]*>', html)[0]
    assert section_tag.count("dir=") == 1
    # The contents list the text's heading in a list of the apparatus's direction.
    (heading,) = page.xpath(f"//nav[@id='contents']//span[text()='{HEADING}']")
    assert heading.get("dir") == "rtl"
    assert not any(e.get("dir") or e.get("lang") for e in heading.iterancestors("ol", "li"))
    # The entry of the Yiddish work, in an item of the apparatus's direction.
    (entry,) = page.xpath("//li[@id='bib-reyd1919']/span[@class='entry']")
    assert entry.get("dir") == "rtl" and entry.getparent().get("dir") is None


def test_an_apparatus_written_from_right_to_left_turns_the_other_languages(made):
    env = make_environment(made.search_path, "he")
    attributes = env.from_string('{% import "macros.html" as m %}'
                                 "{{ m.lang_attrs('ru') }}|{{ m.lang_attrs('yi') }}|"
                                 "{{ m.lang_attrs('he', within='ru') }}|"
                                 "{{ m.root_dir('he') }}|{{ m.root_dir('ru') }}").render()
    assert attributes.split("|") == ['lang="ru" xml:lang="ru" dir="ltr"',
                                     'lang="yi" xml:lang="yi"',
                                     'lang="he" xml:lang="he" dir="rtl"', ' dir="rtl"', '']


def test_an_apparatus_written_from_right_to_left_sets_its_root_so(made):
    """Its texts then each say their direction, the Yiddish one as the root's."""
    book = replace(made.book, edition=replace(made.book.edition, language="he"), questions=())
    env = make_environment(made.search_path, "he", texts=book.texts)
    page = lxml_html.fromstring(book_html(book, env, made.search_path).encode())
    assert (page.get("lang"), page.get("dir")) == ("he", "rtl")
    assert {s.get("id"): s.get("dir") for s in page.xpath("//section[@class='text']")} == {
        "text-gr": "ltr", "text-rs": "ltr", "text-pol": "ltr", "text-de": "ltr", "text-yid": "rtl"}


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
    # Not even the page check's: the running heads and the contents find the Hebrew font too.
    assert code == 0 and "warning" not in printed, printed
    return out


def test_a_language_the_typography_file_lacks_is_a_note_at_the_texts_language(project):
    code, printed = run(project, "check", "--strict")
    assert code == 0, printed
    assert ("sources/yi-test.md:3: note: sources/typography.yaml has no rules for Yiddish "
            "('yi'): the text is hyphenated by WeasyPrint's own limits, its one-letter words "
            "and abbreviations may end a line, and its spacing slips are left as typed "
            "[no-typography]\n  hint: add an entry 'yi:' to sources/typography.yaml, or "
            "'yi: {}' for a language that needs none (docs/adding-a-language.md)") in printed
    assert printed.count("[no-typography]") == 1, "the file has the fixture's other languages"
    # An entry, even one without rules, says the language was thought of.
    with (project / "sources" / "typography.yaml").open("a", encoding="utf-8") as file:
        file.write("\nyi: {}\n")
    assert "[no-typography]" not in run(project, "check", "--strict")[1]


@pytest.mark.parametrize("lang", ["yi", "he"])
def test_an_emphasis_the_font_cannot_set_in_italic_is_a_warning_at_its_paragraph(
        new_fixture_project, lang):
    # The Hebrew font has no italic: an author's emphasis would be printed upright, unseen.
    # The hint's rule is written for the text's language: the same words tagged Hebrew are
    # told of :lang(he), not of Yiddish's.
    copy = new_fixture_project()
    add_yiddish_text(copy)
    source = copy / "sources" / "yi-test.md"
    word = YIDDISH["yid-2"].split()[3]
    source.write_text(source.read_text(encoding="utf-8").replace(word, f"*{word}*", 1)
                      .replace("\nlang: yi\n", f"\nlang: {lang}\n", 1), encoding="utf-8")
    line = next(n for n, text in enumerate(source.read_text(encoding="utf-8").split("\n"), 1)
                if f"*{word}*" in text)
    code, printed = run(copy, "check", "--edition", "mini")
    assert code == 0, printed
    assert re.search(rf"^sources/yi-test.md:{line}: warning: mini, page \d+: the emphasis "
                     rf"«{word}» is printed upright: the book's font for it \(Hebrew\) has no "
                     r"italic \[upright-italic\]$", printed, re.MULTILINE), printed
    hint = printed.split("[upright-italic]\n", 1)[1].split("\n", 1)[0]
    assert hint.endswith(f"as Yiddish and Hebrew books do: ':lang({lang}) em {{ font-style: "
                         "normal; letter-spacing: 0.15em; }' (a bold needs the family's bold "
                         "face)"), hint


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
    """The drawn lines of each Yiddish paragraph and of its first note, each told by the words
    that stand in it alone (and not in the quotations of it printed elsewhere)."""
    words = {i: {letters(w) for w in p.split()}
             for i, p in {**YIDDISH, "yid-3": AFTER_HEADING, "note": NOTE}.items()}
    own = {i: w - set().union(*(v for k, v in words.items() if k != i))
           - {letters(w) for w in f"{QUOTE} {ASKED}".split()} - {""}
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
    # The first paragraph is not indented, nor the one after a heading; the second is, on
    # the right.
    assert lines["yid-1"][0][1] == pytest.approx(right, abs=0.5)
    assert lines["yid-3"][0][1] == pytest.approx(right, abs=0.5)
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
    """Where its lines begin, as far from them as a left-to-right text's number is."""
    pdf = built / "classroom" / "classroom.pdf"
    lines = paragraph_lines(pdf)
    right = max(line[1] for i in YIDDISH for line in lines[i])
    # The column's left edge: where the justified lines of the other texts begin.
    left = min(line[0] for line in drawn_lines(pdf) if len(line[2]) > 3)
    numbers = [w for line in drawn_lines(pdf) for w in line[2] if w[0] in ("1", "2")]
    on_the_right = [w for w in numbers if w[1] > right]
    on_the_left = [w for w in numbers if w[2] < left]
    assert {w[0] for w in on_the_right} == {"1", "2"} and on_the_left
    gaps = {round(w[1] - right) for w in on_the_right} | {round(left - w[2]) for w in on_the_left}
    assert len(gaps) == 1, gaps


def note_rule(pdf: Path, words: str, tmp_path: Path) -> tuple[tuple[int, int], list]:
    """(left, right) in points of the short rule over the notes of the page that draws
    `words` (one of its notes), as the page's picture at 72 dpi shows it, and the page's
    drawn lines: the rule, 0.4 pt thin and grey at 72 dpi, is the only run that long."""
    from PIL import Image

    count = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
        ["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout)[1])
    page = next(n for n in range(1, count + 1) if words in subprocess.run(
        ["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"], check=True,
        capture_output=True, text=True).stdout)
    picture = tmp_path / f"page-{page}"
    subprocess.run(["pdftoppm", "-gray", "-r", "72", "-f", str(page), "-l", str(page),
                    "-singlefile", "-png", str(pdf), str(picture)], check=True)
    image = Image.open(f"{picture}.png").convert("L")
    runs = set()
    for y in range(image.height):
        dark = [x for x in range(image.width) if image.getpixel((x, y)) < 224]
        # Runs of dark pixels side by side: x less its place in `dark` is the same in a run.
        for _, side_by_side in itertools.groupby(enumerate(dark), lambda i: i[1] - i[0]):
            xs = [x for _, x in side_by_side]
            if 80 <= len(xs) <= 90:  # 30 mm: some 85 points
                runs.add((xs[0], xs[-1] + 1))
    # Smoothed over two rows of pixels, a little longer in one: one rule still.
    assert runs, "no rule over the notes"
    rule = (min(a for a, _ in runs), max(b for _, b in runs))
    assert rule[1] - rule[0] <= 90, runs
    layout = subprocess.run(["pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page),
                             str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return rule, [(float(a), float(b)) for a, b, _ in LINE.findall(layout)]


def test_the_rule_over_a_right_to_left_texts_notes_starts_on_the_right(built, tmp_path):
    pdf = built / "mini" / "mini.pdf"
    (left, right), lines = note_rule(pdf, NOTE.split()[-1].strip("."), tmp_path)
    assert right == pytest.approx(max(b for _, b in lines), abs=1.5)
    # A text written from left to right: from the left, as before.
    (left, right), lines = note_rule(pdf, "Test Press", tmp_path)
    assert left == pytest.approx(min(a for a, _ in lines), abs=1.5)


def test_the_epub_turns_the_texts_document_and_is_valid(built, epubcheck, tmp_path):
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
        faces = book.read("EPUB/css/fonts.css").decode()
        fonts = {Path(n).name: set(map(chr, TTFont(io.BytesIO(book.read(n))).getBestCmap()))
                 for n in book.namelist() if n.endswith(".ttf")}
    used = {letter for text in (*YIDDISH.values(), NOTE, TITLE) for letter in letters(text)}
    assert "hebrew.ttf" in faces and used <= fonts["hebrew.ttf"]
    assert not any(used & characters for name, characters in fonts.items()
                   if name != "hebrew.ttf")
    # The EPUB's stylesheets, as a reading system cascades them: the note's rule on the right.
    from weasyprint import HTML
    from weasyprint.formatting_structure import boxes

    zipfile.ZipFile(epub).extractall(tmp_path)
    # WeasyPrint stands in for a reading system: the one property it does not know, which
    # asks a browser to fake no italic or bold (css/epub.css), is all it may skip.
    logger, skipped = logging.getLogger("weasyprint"), []
    handler = logging.Handler()
    handler.emit = lambda record: skipped.append(record.getMessage())
    logger.addHandler(handler)
    logger.propagate = False
    try:
        laid = HTML(filename=str(tmp_path / "EPUB" / "text-yid.xhtml")).render()
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
    assert all("`font-synthesis: small-caps`" in message for message in skipped), skipped

    def walk(box):
        yield box
        for child in getattr(box, "children", ()):
            yield from walk(child)

    asides = [b for page in laid.pages for b in walk(page._page_box)
              if isinstance(b, boxes.BlockBox) and b.element_tag == "aside"]
    assert asides and all(b.style["border_right_width"] > 0 == b.style["border_left_width"]
                          for b in asides)
    assert {b.style["text_align_all"] for aside in asides for b in walk(aside)
            if b.element_tag == "p"} == {"start"}
    verdict = epubcheck(epub)
    assert verdict.valid, verdict.messages


def test_an_apparatus_language_the_typography_file_lacks_is_a_note_at_the_edition(
        fixture_project):
    from babel.messages.frontend import CommandLineInterface

    from book.make import Project, gather

    locales = fixture_project / "templates" / "locales"
    CommandLineInterface().run(["pybabel", "-q", "init", "-i", str(locales / "messages.pot"),
                                "-d", str(locales), "-l", "cs"])
    edit(fixture_project, "editions/mini.toml", 'language = "en"', 'language = "cs"')
    notes = [str(f.shown_from(fixture_project)) for f in
             gather(Project(fixture_project)).findings.items if f.code == "no-typography"]
    assert notes == [
        f"editions/mini.toml:{line_of(fixture_project, 'editions/mini.toml', 'language =')}: "
        "note: sources/typography.yaml has no rules for Czech ('cs'), the mini edition's "
        "language: its apparatus gets no quotation marks, hyphenation limits or no-break "
        "spaces of that language [no-typography]\n  hint: add an entry 'cs:' to "
        "sources/typography.yaml, or 'cs: {}' for a language that needs none "
        "(docs/adding-a-language.md)"]
