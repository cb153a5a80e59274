"""Small functions checked one by one: the file policy, the ids of notes and calls, the
characters a typeface lacks, the wordings an edition lacks, and the bounds on stylesheets,
images and time (each test here was written to fail on a mutant of the code that survived
the other tests)."""

from __future__ import annotations

import gc
import io
import os
from pathlib import Path
from types import SimpleNamespace

import pytest
from helpers import font, png

from book import anchors, files, glyphs, limits, wordings
from book.errors import BookError, ConfigError
from book.relayout import blocks_pushing_notes_away, first_block

# --- book/anchors.py: the ids of notes and calls --------------------------------------------


def test_a_call_id_is_parsed_into_its_text_and_label():
    assert anchors.parse_call("el-r12") == ("el", "12")
    assert anchors.parse_call("el-r3-r4") == ("el", "3-r4")  # a label may hold "-r"
    assert anchors.parse_call(anchors.call("el2", "3-a")) == ("el2", "3-a")


def test_a_note_id_or_a_paragraph_id_is_no_call():
    assert anchors.parse_call(anchors.note("el", "12")) is None
    assert anchors.parse_call("el-23") is None


def test_note_and_call_ids_differ_for_the_same_label():
    assert anchors.note("el", "1") == "el-n1"
    assert anchors.call("el", "1") == "el-r1"


def test_a_paragraph_number_is_the_number_its_id_ends_with():
    assert anchors.paragraph_number("el-23") == 23
    assert anchors.paragraph_number("a2-b-7") == 7


# --- book/files.py: the file policy ----------------------------------------------------------


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_a_plain_name_is_accepted():
    assert files.plain_name_problem("reader", "an edition") is None
    assert files.plain_name_problem("a" * 100, "an edition") is None


@pytest.mark.parametrize("name", ["a..b", "..", "../x", "a/b", ".hidden", "", "a" * 101])
def test_a_name_that_is_no_plain_name_is_refused_with_what_it_names(name):
    problem = files.plain_name_problem(name, "the file name")
    assert problem is not None and problem.startswith(f"the file name {name!r} must be")


@pytest.mark.parametrize("name, relative", [("css/a.css", "css/a.css"), ("a.css", "a.css"),
                                            ("./css//a.css", "css/a.css"), ("a:b/c", None)])
def test_a_relative_name_stays_inside_its_folder(name, relative):
    assert files.relative_name(name) == relative


@pytest.mark.parametrize("name", ["", "/etc/passwd", "../x", "a/../../x", "a/..", "C:x", "c:/x",
                                  "a\\b", "a\x00b"])
def test_a_name_that_could_leave_its_folder_has_no_relative_name(name):
    assert files.relative_name(name) is None


def test_inside_resolves_links(tmp_path):
    root, outside = tmp_path / "root", tmp_path / "outside"
    write(outside / "f.txt", "x")
    write(root / "g.txt", "y")
    (root / "link").symlink_to(outside)
    assert files.inside(root / "g.txt", root)
    assert files.inside(root, root)
    assert not files.inside(root / "link" / "f.txt", root)


def test_find_on_path_finds_the_first_regular_file_by_its_real_path(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    write(second / "css" / "a.css", "b")
    write(second / "css" / "b.css", "b")
    write(first / "css" / "b.css", "a")
    (first / "folder.css").mkdir()
    write(second / "folder.css", "c")
    assert files.find_on_path("css/a.css", [first, second]) == (second / "css" / "a.css").resolve()
    assert files.find_on_path("css/b.css", [first, second]) == (first / "css" / "b.css").resolve()
    # A folder is no file: the search goes on to the next folder.
    assert files.find_on_path("folder.css", [first, second]) == (second / "folder.css").resolve()
    assert files.find_on_path("none.css", [first, second]) is None
    assert files.find_on_path("../second/css/a.css", [first]) is None


def test_find_on_path_returns_the_real_path_of_a_link_inside_its_folder(tmp_path):
    folder = tmp_path / "theme"
    write(folder / "real.css", "x")
    (folder / "alias.css").symlink_to(folder / "real.css")
    assert files.find_on_path("alias.css", [folder]) == (folder / "real.css").resolve()


def test_find_on_path_refuses_a_link_that_leaves_its_folder(tmp_path):
    folder, secret = tmp_path / "theme", write(tmp_path / "secret.txt", "secret")
    folder.mkdir()
    (folder / "parts").mkdir()
    (folder / "parts" / "page.html").symlink_to(secret)
    with pytest.raises(ConfigError) as raised:
        files.find_on_path("parts/page.html", [folder, tmp_path])
    assert raised.value.message == ("theme/parts/page.html is a link that leads out of its "
                                    "template folder")
    assert raised.value.path == folder / "parts" / "page.html"
    assert raised.value.hint == "replace the link by a copy of the file"


def test_find_on_path_passes_over_a_broken_link_that_would_leave_its_folder(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    (first / "a.css").symlink_to(tmp_path / "nowhere.css")
    write(second / "a.css", "x")
    assert files.find_on_path("a.css", [first, second]) == (second / "a.css").resolve()


def themes(tmp_path: Path, **extends: str | None) -> Path:
    """A project whose templates/ holds `base` and each named theme (extending its value,
    or with no theme.toml when the value is None)."""
    (tmp_path / "templates" / "base").mkdir(parents=True)
    for name, parent in extends.items():
        folder = tmp_path / "templates" / name
        folder.mkdir(parents=True, exist_ok=True)
        if parent is not None:
            write(folder / "theme.toml", parent)
    return tmp_path


def test_a_theme_is_searched_before_the_themes_it_extends(tmp_path):
    project = themes(tmp_path, mine='extends = "middle"\n', middle=None)
    folders = files.TemplateFolders.for_theme(project, "mine")
    templates = project / "templates"
    assert list(folders) == [templates / "mine", templates / "middle", templates / "base"]
    assert folders[1] == templates / "middle"
    assert list(files.TemplateFolders.for_theme(project)) == [templates / "base"]
    assert list(folders.named("middle")) == [templates / "middle"]


def test_a_theme_toml_without_extends_extends_the_base(tmp_path):
    project = themes(tmp_path, mine="")
    assert [f.name for f in files.TemplateFolders.for_theme(project, "mine")] == ["mine", "base"]


def test_themes_that_extend_each_other_in_a_circle_are_named_in_order(tmp_path):
    project = themes(tmp_path, a='extends = "b"\n', b='extends = "a"\n')
    with pytest.raises(ConfigError) as raised:
        files.TemplateFolders.for_theme(project, "a")
    assert raised.value.message == "template folders extend each other in a circle: a -> b -> a"
    assert raised.value.path == project / "templates" / "a" / "theme.toml"


def test_a_theme_extending_a_missing_folder_is_reported_at_its_theme_toml(tmp_path):
    project = themes(tmp_path, mine='extends = "gone"\n')
    with pytest.raises(ConfigError) as raised:
        files.TemplateFolders.for_theme(project, "mine")
    assert raised.value.message == "no template folder templates/gone"
    assert raised.value.path == project / "templates" / "mine" / "theme.toml"
    with pytest.raises(ConfigError) as raised:
        files.TemplateFolders.for_theme(project, "gone")
    assert raised.value.path is None


@pytest.mark.parametrize("name", ["../base", "Base", "a/b", "", "-x"])
def test_a_theme_name_that_is_no_folder_name_is_refused(tmp_path, name):
    project = themes(tmp_path, mine=f'extends = "{name}"\n')
    with pytest.raises(ConfigError) as raised:
        files.TemplateFolders.for_theme(project, "mine")
    assert raised.value.message == f"{name!r} is not the name of a template folder"
    assert raised.value.hint.startswith("name a folder directly under templates/")
    assert raised.value.path == project / "templates" / "mine" / "theme.toml"


@pytest.mark.parametrize("toml, found", [('colour = "red"\n', "colour"),
                                         ('b = 1\na = 2\n', "a, b"),
                                         ("extends = 3\n", "a non-text extends")])
def test_a_theme_toml_holds_only_extends(tmp_path, toml, found):
    project = themes(tmp_path, mine=toml)
    with pytest.raises(ConfigError) as raised:
        files.TemplateFolders.for_theme(project, "mine")
    assert f"(found {found})" in raised.value.message
    assert raised.value.path == project / "templates" / "mine" / "theme.toml"


def test_a_theme_toml_that_does_not_parse_is_reported_at_its_line(tmp_path):
    project = themes(tmp_path, mine='# a theme\nextends = "base\n')
    with pytest.raises(ConfigError) as raised:
        files.TemplateFolders.for_theme(project, "mine")
    assert raised.value.message == "a text value is not closed on its line"
    assert raised.value.hint == 'end it with the same quote it starts with: title = "1917"'
    assert raised.value.line == 2
    assert raised.value.path == project / "templates" / "mine" / "theme.toml"


def test_a_theme_toml_that_ends_too_soon_is_reported_without_a_line(tmp_path):
    project = themes(tmp_path, mine="extends = ")
    with pytest.raises(ConfigError) as raised:
        files.TemplateFolders.for_theme(project, "mine")
    assert raised.value.message.startswith("this value is neither text in quotes")
    assert raised.value.line is None


def test_a_template_folder_that_links_outside_templates_is_refused(tmp_path):
    project = themes(tmp_path)
    (tmp_path / "elsewhere").mkdir()
    (project / "templates" / "mine").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(ConfigError) as raised:
        files.TemplateFolders.for_theme(project, "mine")
    assert "templates/mine is a link to a folder outside templates/" in raised.value.message
    assert raised.value.path == project / "templates" / "mine"
    assert raised.value.hint == "make it a real folder under templates/"


def test_find_in_template_folders(tmp_path):
    project = themes(tmp_path, mine=None)
    templates = project / "templates"
    write(templates / "base" / "css" / "a.css", "x")
    folders = files.TemplateFolders.for_theme(project, "mine")
    found = folders.find("css/a.css")
    assert found == (templates / "base" / "css" / "a.css").resolve()
    assert folders.find("css/b.css") is None


def test_read_bytes_refuses_a_file_larger_than_its_limit(tmp_path):
    path = write(tmp_path / "a.bin", b"12345")
    assert files.read_bytes(path, tmp_path, limit=5) == b"12345"
    with pytest.raises(ConfigError) as raised:
        files.read_bytes(path, tmp_path, limit=4)
    assert raised.value.message == "a.bin is 5 bytes, more than a book needs (at most 4)"
    assert raised.value.path == path


def test_read_bytes_refuses_a_link_out_of_its_root(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    secret = write(tmp_path / "secret.txt", "secret")
    (root / "link.txt").symlink_to(secret)
    for path in (root / "link.txt", secret):
        with pytest.raises(ConfigError) as raised:
            files.read_bytes(path, root)
        assert raised.value.message == f"{path.name} is a link that leads out of root/"
        assert raised.value.path == path
        assert raised.value.hint == "replace the link by a copy of the file"


def test_read_bytes_refuses_a_folder_and_a_missing_file(tmp_path):
    (tmp_path / "folder").mkdir()
    for path in (tmp_path / "folder", tmp_path / "missing.txt"):
        with pytest.raises(ConfigError) as raised:
            files.read_bytes(path, tmp_path)
        assert raised.value.message == f"{path.name} is not a file"
        assert raised.value.path == path
        assert raised.value.hint == "it may be missing, or a folder"


def test_read_text_reports_a_bad_byte_at_its_line(tmp_path):
    path = write(tmp_path / "a.css", "\na {}\n\xe9 {}\n\n".encode("latin-1"))
    with pytest.raises(ConfigError) as raised:
        files.read_text(path, tmp_path)
    assert (raised.value.message, raised.value.line) == (
        "not UTF-8 text: the byte 0xE9 (byte 1 of the line) is not valid UTF-8", 3)
    assert raised.value.path == path
    assert raised.value.hint == "save the file as UTF-8 (your editor's 'encoding' setting)"
    assert files.read_text(write(tmp_path / "b.css", "é\n"), tmp_path) == "é\n"


def test_read_text_has_the_limit_of_read_bytes(tmp_path):
    path = write(tmp_path / "a.css", "abc")
    with pytest.raises(ConfigError):
        files.read_text(path, tmp_path, limit=2)


# --- book/glyphs.py: characters the typeface lacks -------------------------------------------


def test_the_typeface_is_every_font_of_the_search_path_the_first_of_a_name_winning(tmp_path):
    theme, base = tmp_path / "templates" / "theme", tmp_path / "templates" / "base"
    font(base / "fonts" / "text.ttf", "ab")
    font(theme / "fonts" / "text.ttf", "xy")  # shadows the base's text.ttf
    font(base / "fonts" / "other.OTF", "c")  # suffixes in any case
    write(base / "fonts" / "notes.txt", "abc")
    (theme / "fonts" / "sub.ttf").mkdir()
    write(theme / "empty" / "e.ttf", b"")  # not in fonts/
    folders = files.TemplateFolders(tmp_path / "templates", [theme, base])
    assert glyphs.typeface_characters(folders) == frozenset(map(ord, "xyc"))


# fontTools leaves the file of a font it cannot read open (as the error's context holds it):
# the warning of its closing is kept to this test.
@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_a_file_that_is_no_font_is_a_located_error(tmp_path):
    base = tmp_path / "templates" / "base"
    bad = write(base / "fonts" / "bad.woff2", b"not a font")
    with pytest.raises(BookError) as raised:
        glyphs.typeface_characters(files.TemplateFolders(tmp_path / "templates", [base]))
    error = raised.value
    del raised
    assert error.message.startswith("not a font this tool can read")
    assert error.path == bad.resolve()
    del error
    gc.collect()


def test_missing_characters_are_those_of_the_body_text_no_font_has():
    have = frozenset(map(ord, "ab<>"))
    markup = ('<html><head><title>zz</title></head><body class="q">\n\t'
              "<p>a&lt;b&#x263A;</p>\r\nc c</body></html>")
    assert glyphs.missing_characters(markup, have) == [" ", "c", "\u263a"]
    assert glyphs.missing_characters("<p>ab</p>", have) == []
    assert glyphs.missing_characters("<p>abd</p>", have) == ["d"]
    assert glyphs.missing_characters("<body>d<body>ab", have) == ["d"]


def test_a_font_changed_on_disk_is_read_again(tmp_path):
    base = tmp_path / "templates" / "base"
    path = font(base / "fonts" / "text.ttf", "ab")
    folders = files.TemplateFolders(tmp_path / "templates", [base])
    assert glyphs.typeface_characters(folders) == frozenset(map(ord, "ab"))
    font(path, "xy")
    os.utime(path, (1_000_000_000, 1_000_000_000))
    assert glyphs.typeface_characters(folders) == frozenset(map(ord, "xy"))


def test_each_missing_character_is_reported_at_the_first_line_that_holds_it(tmp_path):
    base = tmp_path / "templates" / "base"
    font(base / "fonts" / "text.ttf", "ab")
    folders = files.TemplateFolders(tmp_path / "templates", [base])
    unreadable = write(tmp_path / "latin1.txt", "\u263a\ud7ff".encode("utf-8") + b"\xff")
    first = write(tmp_path / "first.md", "ab\nab\nab c\n")
    second = write(tmp_path / "second.md", "\n\ue000\nc\n\ue000\n")
    places = iter([tmp_path / "missing.md", unreadable, first, second])
    with pytest.raises(BookError) as raised:
        glyphs.check_glyphs("<body>ab c\ue000\u263a</body>", folders, places)
    found = [(e.path, e.line, e.message) for e in raised.value.errors]
    assert found == [
        (first, 3, "the typeface has no glyph for ' ' (U+0020 SPACE)"),
        (first, 3, "the typeface has no glyph for 'c' (U+0063 LATIN SMALL LETTER C)"),
        (None, None, "the typeface has no glyph for '☺' (U+263A WHITE SMILING FACE)"),
        (second, 2, "the typeface has no glyph for '\\ue000' (U+E000 an unnamed character)"),
    ]
    assert all(e.hint.startswith("replace the character") for e in raised.value.errors)


def test_a_file_in_a_script_the_typeface_lacks_is_one_error_at_its_first_letter(tmp_path):
    """More than glyphs.LISTED characters of one file: one error; as many or fewer, or
    characters no file holds (the templates' own text), one each."""
    base = tmp_path / "templates" / "base"
    font(base / "fonts" / "text.ttf", "ab ")
    folders = files.TemplateFolders(tmp_path / "templates", [base])
    text = write(tmp_path / "yi.md", "ab\nab \u05d3\u05d2\n\u05d0\u05d1\n")
    few = write(tmp_path / "few.md", "\u05d4\u05d5\u05d6\n")
    placeless = "\u0531\u0532\u0533\u0534"  # Armenian, in no file
    with pytest.raises(BookError) as raised:
        glyphs.check_glyphs(f"<body>ab \u05d0\u05d1\u05d2\u05d3\u05d4\u05d5\u05d6{placeless}"
                            "</body>", folders, [few, text])
    found = [(e.path, e.line, e.message) for e in raised.value.errors]
    assert found == [
        (None, None, "the typeface has no glyph for 'Ա' (U+0531 ARMENIAN CAPITAL LETTER AYB)"),
        (None, None, "the typeface has no glyph for 'Բ' (U+0532 ARMENIAN CAPITAL LETTER BEN)"),
        (None, None, "the typeface has no glyph for 'Գ' (U+0533 ARMENIAN CAPITAL LETTER GIM)"),
        (None, None, "the typeface has no glyph for 'Դ' (U+0534 ARMENIAN CAPITAL LETTER DA)"),
        (text, 2, "the typeface has no glyph for 4 characters of this file, such as "
         "'ג' (U+05D2 HEBREW LETTER GIMEL), 'ד' (U+05D3 HEBREW LETTER DALET), "
         "'א' (U+05D0 HEBREW LETTER ALEF)"),
        (few, 1, "the typeface has no glyph for 'ה' (U+05D4 HEBREW LETTER HE)"),
        (few, 1, "the typeface has no glyph for 'ו' (U+05D5 HEBREW LETTER VAV)"),
        (few, 1, "the typeface has no glyph for 'ז' (U+05D6 HEBREW LETTER ZAYIN)"),
    ]
    grouped = raised.value.errors[4].hint
    assert "a font for their script" in grouped and "templates/base/css/fonts.css" in grouped
    assert all("templates/base/css/fonts.css" in e.hint for e in raised.value.errors)


def test_one_missing_character_is_one_error_and_none_is_none(tmp_path):
    base = tmp_path / "templates" / "base"
    font(base / "fonts" / "text.ttf", "ab")
    folders = files.TemplateFolders(tmp_path / "templates", [base])
    assert glyphs.check_glyphs("<body>abba</body>", folders, []) is None
    place = write(tmp_path / "a.md", "x\ny\n")
    with pytest.raises(BookError) as raised:
        glyphs.check_glyphs("<body>aby</body>", folders, [place])
    assert (raised.value.path, raised.value.line) == (place, 2)


# --- book/wordings.py: wordings an edition's language lacks ---------------------------------


def wording_book(tmp_path: Path) -> SimpleNamespace:
    """A book in Russian whose data lacks a Russian wording here and there."""
    sources = tmp_path / "sources"
    write(sources / "questions.yaml",
          "# questions\n- id: q1\n  wording: {ru: a}\n- id: 'q2'\n  wording: {en: b}\n")
    write(sources / "glossary.yaml",
          "- id: both\n- id: \"form\"\n  kind: x\n  forms: {en: e}\n"
          "- {id: gloss, forms: {}, gloss: {en: e}}\n")
    write(sources / "chronology.yaml", "\n- id: e1\n- id: e2\n")
    write(sources / "text.md", "---\ntitle: a b c\n  remarks: no\nremarks:\n  - ru: a\n"
          "  - en: b\n    de: c\n---\n- en: a list of the text\n")
    write(sources / "other.md", "remarks:\n")
    ru, en = {"ru": "r"}, {"en": "e"}
    return SimpleNamespace(
        edition=SimpleNamespace(language="ru", copies=("student",)),
        questions=[SimpleNamespace(id="q1", wording=ru, answer=en, notes={}, source=None),
                   SimpleNamespace(id="q2", wording=en, answer={}, notes={}, source=None)],
        glossary=[SimpleNamespace(id="both", forms=ru, gloss=ru, source=None),
                  SimpleNamespace(id="form", forms=en, gloss=ru, source=None),
                  SimpleNamespace(id="gloss", forms=ru, gloss=en, source=None)],
        events=[SimpleNamespace(id="e1", labels=ru), SimpleNamespace(id="e2", labels=en)],
        texts=[SimpleNamespace(id="el", source=sources / "text.md", remarks=(ru, en)),
               SimpleNamespace(id="ok", source=sources / "other.md", remarks=(ru,)),
               SimpleNamespace(id="none", source=sources / "other.md", remarks=())],
        works=[SimpleNamespace(id="w1", remarks=(en,), line=7),
               SimpleNamespace(id="w2", remarks=(ru, ru), line=9)])


def test_each_entry_without_a_wording_in_the_editions_language_is_reported_at_its_line(
        tmp_path):
    book = wording_book(tmp_path)
    sources = tmp_path / "sources"
    found = [(e.message, e.path, e.line) for e in wordings.missing_wordings(book, sources)]
    assert found == [
        ("question q2 has no wording in 'ru'", sources / "questions.yaml", 4),
        # Where the wording it lacks is added: the line of its field.
        ("the form of glossary entry form has no wording in 'ru'", sources / "glossary.yaml", 4),
        ("the gloss of glossary entry gloss has no wording in 'ru'", sources / "glossary.yaml",
         5),
        ("the label of event e2 has no wording in 'ru'", sources / "chronology.yaml", 3),
        ("remark 2 on the el text has no wording in 'ru'", sources / "text.md", 6),
        ("a remark on the work w1 has no wording in 'ru'", sources / "bibliography.yaml", 7),
    ]
    hint = ("add its 'ru:' wording, or print the edition in a language it has "
            "(docs/adding-a-language.md)")
    assert {e.hint for e in wordings.missing_wordings(book, sources)} == {hint}


def test_the_teachers_copy_needs_the_answers_in_its_language_where_they_are_written(
        tmp_path):
    book = wording_book(tmp_path)
    own = tmp_path / "editions" / "c" / "questions.yaml"
    write(own, "ru:\n  - id: q1\n    ru: a\n")
    book.questions[0].source = own
    book.questions[0].notes = {"ru": "r", "en": "e"}
    assert [e.message for e in wordings.missing_wordings(book, tmp_path / "sources")
            if "question" in e.message] == ["question q2 has no wording in 'ru'"]
    # The student's copy prints no answer; the teacher's prints q1's, which lacks Russian:
    # an edition that makes one is told with the wordings, in one round.
    book.edition.copies = ("student", "teacher")
    found = [(e.message, e.path, e.line) for e in wordings.missing_wordings(
        book, tmp_path / "sources") if "question" in e.message]
    assert found == [("the answer of question q1 has no wording in 'ru'", own, 2),
                     ("question q2 has no wording in 'ru'", tmp_path / "sources" /
                      "questions.yaml", 4)]
    book.questions[0].notes = {"en": "e"}
    assert "the notes of question q1 have no wording in 'ru'" in [
        e.message for e in wordings.missing_wordings(book, tmp_path / "sources")]


def test_an_edition_in_a_language_every_entry_has_lacks_nothing(tmp_path):
    book = wording_book(tmp_path)
    book.edition.language = "xx"
    # Every entry, each remark of a text apart.
    assert len(wordings.missing_wordings(book, tmp_path / "sources")) == 15
    for entry in [*book.questions, *book.glossary, *book.events, *book.texts, *book.works]:
        for wording in ("wording", "forms", "gloss", "labels", "answer"):
            if hasattr(entry, wording):
                setattr(entry, wording, {"xx": "x"})
        if hasattr(entry, "remarks"):
            entry.remarks = tuple({"xx": "x"} for _ in entry.remarks)
    assert wordings.missing_wordings(book, tmp_path / "sources") == []


def test_an_entry_in_a_file_that_does_not_exist_has_no_line(tmp_path):
    book = wording_book(tmp_path)
    (tmp_path / "sources" / "chronology.yaml").unlink()
    found = [e for e in wordings.missing_wordings(book, tmp_path / "sources")
             if e.path.name == "chronology.yaml"]
    assert [(e.message, e.line) for e in found] == [
        ("the label of event e2 has no wording in 'ru'", None)]


def test_a_file_that_cannot_be_read_gives_no_lines(tmp_path):
    path = write(tmp_path / "bad.yaml", b"- id: a\n\xff\n")
    line = wordings.entry_lines()
    assert line(path, "a") is None
    assert wordings.header_line(path, "remarks") is None
    assert line(tmp_path / "missing.yaml", "a") is None
    # Nor does one that is no YAML: its loader says why.
    assert line(write(tmp_path / "broken.yaml", "- id: a\n  b: [c\n"), "a") is None


def test_an_entrys_line_is_that_of_the_deepest_key_it_has(tmp_path):
    path = write(tmp_path / "questions.yaml", "gr:\n  - id: q1\n    en: What?\n"
                 "    answer:\n      pl: Co?\n      en: That.\n  - {id: q2, en: Why?}\n"
                 "  - id: q1\n    en: The first of an id is the one read.\n"
                 "pl:\n  - id: q2\n    en: In the next text's list too.\n")
    line = wordings.entry_lines()
    assert [line(path, "q1"), line(path, "q1", ("en",)), line(path, "q1", ("answer",)),
            line(path, "q1", ("answer", "en")), line(path, "q1", ("answer", "de")),
            line(path, "q1", ("en", "de")), line(path, "q2", ("en",)),
            line(path, "q3")] == [2, 3, 4, 6, 4, 3, 7, None]


# --- book/limits.py: stylesheets, images and time --------------------------------------------


@pytest.mark.parametrize("css, problem", [
    ("a { ", (1, "a block opened with '{' is never closed")),
    ("@media print {\n  a {\n", (2, "a block opened with '{' is never closed")),
    ("@media print {\n  a {\n}", (1, "a block opened with '{' is never closed")),
    ("a {}\n}", (2, "a '}' closes no block")),
    ("a {}\n}\nb {", (2, "a '}' closes no block")),
    ("a {}\n\n/* open", (3, "a comment is opened with /* and never closed")),
    ("\na {}\n/* open\n/* again\n", (3, "a comment is opened with /* and never closed")),
    ("/* a comment */\nb {}\n}\n\n\n\n\n", (3, "a '}' closes no block")),
    ("/* one\ntwo */ a {}\n/* open", (3, "a comment is opened with /* and never closed")),
    ("/* a\nb */\n}", (3, "a '}' closes no block")),
    ("a {}\n\nb", (3, "the rule does not parse: EOF reached before {} block for a qualified "
                      "rule.")),
    ("a {}\nb {\n  color red\n}", (3, "a declaration does not parse: write it as "
                                     "'property: value;'")),
    ("@media print {\n a { color red } }", (2, "a declaration does not parse: write it as "
                                              "'property: value;'")),
    # A comment's opening lost (a paste inside its /*), and what its words then are.
    ("a {}\n/@page { size: A5 }* the\nreader's page */", (3, "a comment is closed with */ "
                                                            "that no /* opened")),
    ('a {}\nb { content: "x\n}', (2, "a string runs past the end of its line: close its "
                                   "quotation mark there")),
    ("a { background: url(a b) }", (1, "an address in url(…) holds a space, a quotation mark "
                                       "or a parenthesis: write it in quotation marks, "
                                       'url("…")')),
    ("a ) {}", (1, "a ')' closes no '('")), ("a {}\nb ] {}", (2, "a ']' closes no '['")),
    # EPUBCheck stops at an empty url() (found by the fuzzer, in a counter()).
    *[(f"a {{}}\np::before {{ content: counter(x, {url}) }}",
       (2, "url() names no file: write the file's name in it, or remove the declaration"))
      for url in ("url()", "url( )", 'url("")', "url('  ')")],
    ("@supports (display: grid) {\n  @layer base {\n    / a { color: red } } }",
     (3, "the selector does not parse: '/' has no place in it")),
    *[(f"@{rule} {{\n  p / a {{ color: red }} }}", (2, "the selector does not parse: '/' has "
                                                      "no place in it"))
      for rule in ("container (min-width: 1px)", "scope (main)", "document url-prefix()")],
    ("@media print {\n  / a { color: red } }", (2, "the selector does not parse: '/' has no "
                                                   "place in it")),
    ("* the chronology (parts) {}", (1, "the selector does not parse: '(parts)' has no place "
                                        "in it")),
])
def test_a_syntax_error_in_a_stylesheet_is_found_at_its_line(css, problem):
    assert limits.css_syntax_problem(css) == problem


@pytest.mark.parametrize("css", [
    "", "a { color: red }\n", "a { content: \"}\" }", "a { content: '{' }", "/* { */ a {}",
    "/* } */", "a { color: red; ; }", "@media print { a { color: red } }",
    'p:not(.a, .b) > a[href^="#"]::after, h1 + h2 ~ h3, svg|a, :lang(el) { color: red }',
    "@keyframes k { from { opacity: 0 } 50% { opacity: 1 } }",
    '@page :first { @top-center { content: "*/" } }', "li:nth-child(2n+1)::marker {}",
    'a { background: url("a.png") } b { background: url(b.png) }',
])
def test_a_sound_stylesheet_has_no_syntax_problem(css):
    assert limits.css_syntax_problem(css) is None


@pytest.mark.parametrize("css, line, problem", [
    ("a { width: 2001mm }", 1, "the length 2001mm is larger than a page (at most 2000 mm)"),
    ("a { width: 201CM }", 1, "the length 201CM is larger than a page (at most 2000 mm)"),
    ("a {\n  margin: 0 -80in }", 2, "the length -80in is larger than a page (at most 2000 mm)"),
    ("a { width: 7560.1px }", 1, "the length 7560.1px is larger than a page (at most 2000 mm)"),
    ("a { font-size: 101em }", 1, "the length 101em is larger than a page (at most 100em)"),
    ("a { width: 1001% }", 1, "the length 1001% is larger than a page (at most 1000%)"),
    ("a { width: calc(1px + 201ch) }", 1,
     "the length 201ch is larger than a page (at most 200ch)"),
    ("@media (min-width: 3000mm) {}", 1,
     "the length 3000mm is larger than a page (at most 2000 mm)"),
    ("@media print {\n a { b { width: 1001vw } } }", 2,
     "the length 1001vw is larger than a page (at most 1000vw)"),
])
def test_a_length_larger_than_a_page_is_found_at_its_line(css, line, problem):
    assert limits.css_length_problem(css) == (line, problem)


@pytest.mark.parametrize("css", [
    "a { width: 2000mm; height: 200cm; font-size: 100em; margin: -1000% }",
    "a { width: 7559px; top: 3000zz; z-index: 99999; line-height: 1e9 }",
    "a { width: calc(100% - 1999mm) } /* 9999mm */", "font-size: 12pt",
])
def test_lengths_that_fit_a_page_are_no_problem(css):
    assert limits.css_length_problem(css) is None




def test_an_image_of_at_most_the_pixels_a_book_needs_is_accepted():
    assert limits.check_resource("a.png", "image/png", png(8000, 5000)) is None
    assert limits.check_resource("a.css", "text/css", png(1, 1)) is None


def test_an_image_of_more_pixels_than_a_book_needs_is_refused_whatever_its_name():
    with pytest.raises(limits.LimitExceeded) as raised:
        limits.check_resource("a.css", "text/css", png(8001, 5000))
    assert raised.value.message == ("a.css is 8,001 × 5,000 pixels, more than a book needs "
                                    "(at most 40,000,000)")


def test_an_image_pillow_warns_of_is_refused_with_a_message():
    with pytest.raises(limits.LimitExceeded) as raised:
        limits.check_resource("a.png", "image/png", png(10_000, 10_000))
    assert raised.value.message.startswith("a.png is 10,000 × 10,000 pixels")


def test_an_image_that_does_not_read_is_refused_whatever_its_name():
    with pytest.raises(limits.LimitExceeded) as raised:
        limits.check_resource("a.css", "text/css", png(10, 10)[:20])
    assert raised.value.message.startswith("a.css is not an image this tool can read: ")


def test_an_image_declaring_billions_of_pixels_is_refused_before_it_is_read():
    with pytest.raises(limits.LimitExceeded) as raised:
        limits.check_resource("a.png", "image/png", png(100_000, 100_000))
    assert raised.value.message == ("a.png declares more pixels than a book needs (at most "
                                    "40,000,000)")


def test_a_file_of_an_image_type_that_is_no_image_is_refused():
    with pytest.raises(limits.LimitExceeded) as raised:
        limits.check_resource("a.png", "image/png", b"not an image")
    assert raised.value.message == "a.png is not an image this tool can read"
    assert raised.value.hint.startswith("the file is not the picture its name says")
    # A stylesheet or a drawing is no picture of pixels.
    assert limits.check_resource("a.svg", "image/svg+xml", b"<svg/>") is None
    assert limits.check_resource("a.css", "text/css", b"a {}") is None


def test_a_resource_larger_than_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(limits, "MAX_RESOURCE_BYTES", 4)
    assert limits.check_resource("a.css", "text/css", b"a {}") is None
    with pytest.raises(limits.LimitExceeded) as raised:
        limits.check_resource("a.css", "text/css", b"a { }")
    assert raised.value.message == "a.css is 5 bytes, more than a book needs"


@pytest.mark.parametrize("value, seconds", [(None, 600), ("1", 1), ("86400", 86400),
                                            (" 30 ", 30)])
def test_a_time_limit_is_a_whole_number_of_seconds(monkeypatch, value, seconds):
    if value is None:
        monkeypatch.delenv("BOOK_TIME_LIMIT", raising=False)
    else:
        monkeypatch.setenv("BOOK_TIME_LIMIT", value)
    assert limits.time_limit_seconds() == seconds


@pytest.mark.parametrize("value", ["0", "86401", "-5", "1.5", "", "ten", "1e3", "\u0661\u0662"])
def test_a_time_limit_that_is_no_whole_number_of_seconds_is_refused(monkeypatch, value):
    monkeypatch.setenv("BOOK_TIME_LIMIT", value)
    with pytest.raises(BookError) as raised:
        limits.time_limit_seconds()
    assert raised.value.message == f"BOOK_TIME_LIMIT={value!r} is not a time limit"
    assert raised.value.hint == ("set it to a whole number of seconds from 1 to 86400 "
                                 "(default 600), or unset it")


# book/relayout.py: which block the re-layout mends when notes are pushed off their call's page.

RELAYOUT_PAGES = ("<style>@page { size: 80mm 150pt; margin: 15pt 10mm; @top-center { content: "
                  "'Head' } } body, p { margin: 0; font: 10pt/12pt serif }</style>")


def relayout_document(body: str):
    from weasyprint import HTML

    return HTML(string=RELAYOUT_PAGES + body).render()


def page_boxes(document) -> list:
    return [page._page_box for page in document.pages]


def test_the_block_a_page_begins_with_is_blamed_for_the_notes_pushed_onto_it():
    # Notes 1 and 2 are pushed to the next page, which begins with a note in a section
    # (blamed once, the innermost block of the first line that is in `blocks`); note 3 is
    # set before its call's page, note 4 has no note: neither is pushed.
    document = relayout_document(
        '<p id="t-1">a<a id="t-r1">1</a><a id="t-r2">2</a><a id="t-r3">3</a>'
        '<a id="t-r4">4</a></p><p id="t-n3">3. Before its call.</p>'
        '<section id="s" style="break-before: page"><p id="t-n1"><em>1.</em> A note.</p>'
        '<p id="t-n2">2. A note.</p><p id="t-2">text</p></section>')
    assert blocks_pushing_notes_away(page_boxes(document), {"t-2", "s", "t-n1"}) == ["t-n1"]
    assert blocks_pushing_notes_away(page_boxes(document), {"t-2", "s"}) == ["s"]
    assert blocks_pushing_notes_away(page_boxes(document), {"t-2"}) == ["t-2"]
    assert blocks_pushing_notes_away(page_boxes(document), set()) == []
    same_page = relayout_document('<p id="t-1">a<a id="t-r1">1</a></p><p id="t-n1">1. A</p>')
    assert blocks_pushing_notes_away(page_boxes(same_page), {"t-1", "t-n1"}) == []


def test_the_first_block_of_a_page_is_in_its_main_text_never_its_notes_or_heads():
    document = relayout_document(
        '<p id="x">no block<span id="t-9" style="float: footnote">A note.</span></p>'
        '<p id="t-1" style="break-before: page">text</p>')
    assert [first_block(page._page_box, {"t-9", "t-1"}) for page in document.pages] == \
        [None, "t-1"]


def test_a_sigterm_a_library_swallowed_still_keeps_the_previous_files(tmp_path):
    # WeasyPrint draws SVG images under `except BaseException`: the Terminated raised by the
    # signal can vanish there; the flag the handler sets stops the files being moved in.
    from book import output

    target = tmp_path / "book.pdf"
    target.write_bytes(b"the previous book")
    output.TERMINATED.set()
    try:
        with pytest.raises(output.Terminated), output.staged(tmp_path) as stage:
            stage(target).write_bytes(b"half a book")
    finally:
        output.TERMINATED.clear()
    assert target.read_bytes() == b"the previous book"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.pdf"]
    # Without the flag, the same block moves the file into place.
    with output.staged(tmp_path) as stage:
        stage(target).write_bytes(b"a new book")
    assert target.read_bytes() == b"a new book"


def test_a_process_keeps_the_results_of_small_arguments_only(monkeypatch):
    """What a long-lived process (the preview) keeps for its later builds is bounded: the
    result for a stylesheet over limits.MAX_KEPT_CHARACTERS is made again each time, the
    same."""
    monkeypatch.setattr(limits, "MAX_KEPT_CHARACTERS", 40)
    limits.css_problem.cache_clear()
    small, large = "p { color: red }", "p { color: red; width: 1e9px }" + " " * 40
    assert limits.css_problem(small) is None and limits.css_problem(small) is None
    assert limits.css_problem.cache_info().currsize == 1
    assert limits.css_problem.cache_info().hits == 1
    found = limits.css_problem(large)
    assert found is not None and "larger than a page" in found[1]
    assert limits.css_problem(large) == found
    assert limits.css_problem.cache_info().currsize == 1


@pytest.mark.parametrize("name, media_type", [("a.png", "image/png"), ("a.gif", "image/gif")])
def test_an_image_named_as_another_type_is_refused_with_the_name_to_give_it(name, media_type):
    from PIL import Image

    jpeg = io.BytesIO()
    Image.new("RGB", (2, 2)).save(jpeg, "JPEG")
    assert limits.check_resource("a.jpg", "image/jpeg", jpeg.getvalue()) is None
    with pytest.raises(limits.LimitExceeded) as raised:
        limits.check_resource(name, media_type, jpeg.getvalue())
    assert raised.value.message == f"{name} is a JPEG image, which its name does not say"
    assert raised.value.hint == "name it with the extension of its type: .jpg or .jpeg"


# --- book/xhtml.py: a problem of a rendered EPUB document traced to its source --------------

def test_a_problem_found_at_a_line_is_said_once_and_one_found_nowhere_names_its_document(
        tmp_path):
    from book.xhtml import Locator, Problem

    template = tmp_path / "colophon.xhtml"
    template.write_text('<p>\n<img src="logo.png"/>\n</p>\n', encoding="utf-8")
    locator = Locator([template], [], {})
    found = locator.error(Problem("'logo.png' is refused", "rename it",
                                  markup=('<img src="logo.png"/>',)), "colophon.xhtml",
                          tmp_path / "fallback.html")
    # At its line, the words are the PDF's check's own: the same mistake, reported once.
    assert (found.path, found.line, found.message) == (template, 2, "'logo.png' is refused")
    lost = locator.error(Problem("a link leads nowhere", "mend it", markup=("<a nowhere>",)),
                         "text-el.xhtml", tmp_path / "fallback.html")
    assert (lost.path, lost.line, lost.message) == (
        tmp_path / "fallback.html", None, "a link leads nowhere (in the EPUB's text-el.xhtml)")


def test_each_page_that_pushed_notes_is_blamed_once_at_the_page_after_the_call():

    # Note 1 is two pages after its call: the page right after the call is blamed (t-2),
    # not the note's (t-3). Note 2 is pushed too, by another page: both are blamed, in order.
    document = relayout_document(
        '<p id="t-1">a<a id="t-r1">1</a></p>'
        '<p id="t-2" style="break-before: page">b</p>'
        '<p id="t-3" style="break-before: page">c</p><p id="t-n1">1. A note.</p>'
        '<p id="t-4" style="break-before: page">d<a id="t-r2">2</a></p>'
        '<p id="t-5" style="break-before: page">e</p><p id="t-n2">2. A note.</p>')
    assert blocks_pushing_notes_away(page_boxes(document), {"t-2", "t-3", "t-4", "t-5"}) == \
        ["t-2", "t-5"]


def test_a_note_begun_on_the_page_of_its_call_is_not_pushed():

    document = relayout_document(
        '<p id="t-1">a<a id="t-r1">1</a></p><p id="t-n1">1. ' + "A long note. " * 120 + "</p>"
        '<p id="t-2">b</p>')
    pages = [n for n, page in enumerate(document.pages) if "t-n1" in page.anchors]
    assert len(document.pages) > 1
    assert blocks_pushing_notes_away(page_boxes(document), {"t-1", "t-2", "t-n1"}) == [], pages


def test_a_page_beginning_outside_any_block_blames_the_first_block_on_it():

    document = relayout_document(
        '<p id="t-1">a</p><div style="break-before: page">no block</div><p id="t-2">b</p>')
    assert [first_block(page._page_box, {"t-1", "t-2"}) for page in document.pages] == \
        ["t-1", "t-2"]


def test_the_innermost_block_of_the_first_line_is_blamed():

    document = relayout_document('<section id="s"><div id="d"><p id="t-1">a</p></div></section>')
    page = document.pages[0]._page_box
    assert first_block(page, {"s", "t-1"}) == "t-1"
    assert first_block(page, {"s", "d"}) == "d"
    assert first_block(page, {"s"}) == "s"


def test_did_you_mean_names_the_nearest_known_word_or_nothing():
    from book.errors import did_you_mean

    assert did_you_mean("titel", ["title", "subtitle"]) == " (did you mean 'title'?)"
    assert did_you_mean("xyz", ["title"]) == ""
    # Case counts, unless it is told not to: 'PAPA' is no near miss of 'papa' otherwise.
    assert did_you_mean("PAPA1990", ["papa1990"]) == ""
    assert did_you_mean("PAPA1990", ["papa1990"], ignore_case=True) == \
        " (did you mean 'papa1990'?)"
