"""The mistakes a teacher makes in an edition of their own (issue 12): each is a message at
the file and line to mend, in the teacher's words, from a build and from `check`; never a book
quietly different from what was written (tests on the tests' own small project)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from helpers import edit, line_of, png, run

TITLE_PAGE = "editions/myc/templates/parts/title_page.html"
QUESTIONS = "sources/questions.yaml"


@pytest.fixture
def teacher(fixture_project) -> Path:
    """The fixture with a teacher's edition `myc`, started from `mini` as the tutorial does,
    its title page replaced by a block of the teacher's."""
    assert run(fixture_project, "new-edition", "myc", "--from", "mini")[0] == 0
    (fixture_project / TITLE_PAGE).write_text(MY_TITLE_PAGE, encoding="utf-8")
    return fixture_project


MY_TITLE_PAGE = """{#- The title page of myc. -#}
{% extends "base:parts/title_page.html" %}
{% import "macros.html" as m %}
{% block title_page %}
<section class="title-page" id="title-page">
<h1 class="book-title">{{ edition.title }}</h1>
<p class="book-subtitle">Class 3B, spring term</p>
</section>
{% endblock %}
"""


def refused(project: Path, tmp_path: Path, where: str, message: str, hint: str = "",
            *argv: str) -> str:
    """A build of `myc` and `check` both fail with `where: message` and the hint, and the
    build writes nothing."""
    out = tmp_path / "out"
    printed = ""
    for args in (argv or ("epub", "--edition", "myc", "--out", str(out)), ("check",)):
        code, printed = run(project, *args)
        assert code == 1, printed
        line = next((x for x in printed.split("\n") if x.startswith(f"{where}: ")), None)
        assert line is not None and message in line, (where, message, printed)
        assert f"hint: {hint}" in printed, printed
        assert "Traceback" not in printed
    assert not out.exists() or not any(p.is_file() for p in out.rglob("*"))
    return printed


# Template mistakes whose message Jinja words for a programmer.

def test_a_value_closed_with_one_brace_is_named(teacher, tmp_path):
    edit(teacher, TITLE_PAGE, "{{ edition.title }}", "{{ edition.title }")
    printed = refused(teacher, tmp_path, f"{TITLE_PAGE}:{line_of(teacher, TITLE_PAGE, 'title }')}",
                      "a '{{' on this line is not closed with '}}'",
                      "write a value with two braces on each side: {{ edition.title }}")
    assert "{% tag %}" not in printed


def test_a_tag_closed_with_one_brace_is_named(teacher, tmp_path):
    edit(teacher, TITLE_PAGE, "</h1>", "</h1>\n{% if edition.subtitle }<p>x</p>{% endif %}")
    refused(teacher, tmp_path, f"{TITLE_PAGE}:{line_of(teacher, TITLE_PAGE, 'subtitle }')}",
            "a '{%' on this line is not closed with '%}'",
            "write a tag as {% if edition.subtitle %}")


def test_a_block_never_closed_is_located_where_it_opens(teacher, tmp_path):
    edit(teacher, TITLE_PAGE, "{% endblock %}", "")
    line = line_of(teacher, TITLE_PAGE, "{% block title_page %}")
    assert line < len((teacher / TITLE_PAGE).read_text(encoding="utf-8").split("\n")) - 2
    refused(teacher, tmp_path, f"{TITLE_PAGE}:{line}",
            "the {% block title_page %} opened here is never closed",
            "add {% endblock %} where it ends")


def test_an_if_never_closed_inside_a_block_is_located_where_it_opens(teacher, tmp_path):
    edit(teacher, TITLE_PAGE, "</h1>", "</h1>\n{% if edition.subtitle %}<p>x</p>")
    refused(teacher, tmp_path, f"{TITLE_PAGE}:{line_of(teacher, TITLE_PAGE, '{% if')}",
            "the {% if %} opened here is not closed before the {% endblock %} on line",
            "add {% endif %} where it ends")


def test_a_comment_never_closed_is_located_where_it_opens(teacher, tmp_path):
    edit(teacher, TITLE_PAGE, "</h1>", "</h1>\n{# a note to myself\n<p>x</p>")
    refused(teacher, tmp_path, f"{TITLE_PAGE}:{line_of(teacher, TITLE_PAGE, '{# a note')}",
            "a comment opened here with {# is never closed", "close it with #}")


def test_a_stray_endblock_is_named(teacher, tmp_path):
    edit(teacher, TITLE_PAGE, "</h1>", "</h1>\n{% endif %}")
    refused(teacher, tmp_path, f"{TITLE_PAGE}:{line_of(teacher, TITLE_PAGE, '{% endif')}",
            "{% endif %} closes nothing that is open", "remove it, or add the {% if … %}")


@pytest.mark.parametrize(("written", "message"), [
    ("{% endblok %}", "{% endblok %} is not a tag templates know (did you mean 'endblock'?)"),
    ("{% iff x %}{% endif %}", "{% iff %} is not a tag templates know (did you mean 'if'?)"),
])
def test_a_misspelt_tag_is_named_with_the_one_meant(teacher, tmp_path, written, message):
    edit(teacher, TITLE_PAGE, "</h1>", f"</h1>\n{written}")
    refused(teacher, tmp_path, f"{TITLE_PAGE}:{line_of(teacher, TITLE_PAGE, written[:6])}",
            message, "a value is written {{ edition.title }}, a tag {% if … %}")


def test_a_misspelt_filter_is_named_with_the_one_meant(teacher, tmp_path):
    edit(teacher, TITLE_PAGE, "{{ edition.title }}", "{{ edition.title|upperr }}")
    refused(teacher, tmp_path, f"{TITLE_PAGE}:{line_of(teacher, TITLE_PAGE, '|upperr')}",
            "no filter is named 'upperr' (did you mean 'upper'?)",
            "the filters templates know: abs, ")


def test_a_value_an_edition_lacks_says_what_an_edition_has(teacher, tmp_path):
    edit(teacher, TITLE_PAGE, "{{ edition.title }}", "{{ edition.school }}")
    printed = refused(teacher, tmp_path,
                      f"{TITLE_PAGE}:{line_of(teacher, TITLE_PAGE, 'edition.school')}",
                      "an edition has no 'school'; it has: name, title, subtitle, language",
                      "an edition's values are the keys of its file in editions/")
    assert "book.model" not in printed and "attribute" not in printed


def test_a_misspelt_value_of_an_edition_is_suggested(teacher, tmp_path):
    edit(teacher, TITLE_PAGE, "{{ edition.title }}", "{{ edition.subtitel }}")
    refused(teacher, tmp_path, f"{TITLE_PAGE}:{line_of(teacher, TITLE_PAGE, 'subtitel')}",
            "an edition has no 'subtitel' (did you mean 'subtitle'?); it has: name,",
            "an edition's values")


@pytest.mark.parametrize("written", ["{{ edition.subtitel|quotes }}",
                                     "{{ edition.subtitel|month_year }}",
                                     "{{ edition.title|quotes(edition.subtitel) }}"])
def test_a_missing_value_given_to_a_filter_of_ours_is_named(teacher, tmp_path, written):
    # Not "expected string or bytes-like object, got 'StrictUndefined' (TypeError)".
    edit(teacher, TITLE_PAGE, "{{ edition.title }}", written)
    printed = refused(teacher, tmp_path,
                      f"{TITLE_PAGE}:{line_of(teacher, TITLE_PAGE, 'subtitel')}",
                      "an edition has no 'subtitel' (did you mean 'subtitle'?)",
                      "an edition's values")
    assert "Undefined" not in printed and "TypeError" not in printed


@pytest.mark.parametrize("command", ["check", "pdf"])
def test_an_edition_asked_for_by_a_near_name_is_suggested(teacher, tmp_path, command):
    code, printed = run(teacher, command, "--edition", "my-c", *(
        ["--out", str(tmp_path)] if command != "check" else []))
    assert code == 1
    assert "editions: no edition named my-c (did you mean 'myc'?)" in printed, printed


@pytest.mark.parametrize(("written", "shown"), [
    ("When did the <b>congress</b> meet?", "«<b>»"), ("When did the *congress* meet?",
                                                       "«*congress*»")])
def test_markup_in_a_question_is_said_to_print_as_written(teacher, written, shown):
    edit(teacher, QUESTIONS, "When did the congress meet?", written)
    code, printed = run(teacher, "check")
    line = line_of(teacher, QUESTIONS, written)
    assert f"{QUESTIONS}:{line}: warning: question pol-q1 (en) holds markup, {shown}, which " \
           "the books print as written [questions]" in printed, printed
    assert "hint: write the words plainly" in printed


def test_a_term_of_the_editions_own_that_a_shared_entry_names_is_said(teacher):
    own = "editions/myc/glossary.yaml"
    (teacher / own).write_text(
        "# The class's own words.\n- id: myc-congress\n  kind: institution\n  texts: [pol]\n"
        "  forms: {en: Congress}\n  gloss: {en: The delegates’ meeting.}\n", encoding="utf-8")
    code, printed = run(teacher, "check", "--edition", "myc")
    assert f"{own}:2: warning: glossary entry myc-congress names «Congress», as the entry " \
           "congress of sources/glossary.yaml the edition takes: the glossary would print it " \
           "twice [glossary]" in printed, printed
    assert "leave 'congress' out of [shared] glossary" in printed


# An override that replaces the whole of the theme's file, where it meant to change a part.

def test_an_empty_override_is_said_to_print_nothing(teacher):
    (teacher / TITLE_PAGE).write_text("{# to do #}\n", encoding="utf-8")
    code, printed = run(teacher, "check", "--edition", "myc")
    assert f"{TITLE_PAGE}: warning: parts/title_page.html prints nothing: it replaces the " \
           "theme's parts/title_page.html with nothing [override]" in printed, printed
    assert 'hint: to change a part of it, begin the file with {% extends "base:parts/' \
           'title_page.html" %}' in printed


def test_an_override_with_the_themes_blocks_that_extends_nothing_is_said(teacher):
    edit(teacher, TITLE_PAGE, '{% extends "base:parts/title_page.html" %}\n', "")
    code, printed = run(teacher, "check", "--edition", "myc")
    line = line_of(teacher, TITLE_PAGE, "{% block title_page %}")
    assert f"{TITLE_PAGE}:{line}: warning: {{% block title_page %}} is a block of the theme's " \
           "parts/title_page.html, but this file extends nothing: it replaces the whole of " \
           "it" in printed, printed


# What an edition is given but would print nowhere: a warning at the line that leaves it out.

def test_questions_and_a_glossary_the_sections_leave_out_are_said(teacher):
    edition = "editions/myc/edition.toml"
    edit(teacher, edition, '"questions", "chronology", "glossary", ', '"chronology", ')
    (teacher / "editions" / "myc" / "questions.yaml").write_text(
        "gr:\n  - id: myc-q1\n    about: [gr-1]\n    en: What does the paragraph say?\n",
        encoding="utf-8")
    code, printed = run(teacher, "check", "--edition", "myc")
    where = f"{edition}:{line_of(teacher, edition, 'sections =')}: warning: the "
    assert f"{where}myc/questions.yaml and [shared] questions would print nowhere: the " \
           "edition's sections leave out 'questions' [edition]" in printed, printed
    assert f"{where}[shared] glossary would print nowhere" in printed
    assert 'hint: add "questions" to sections' in printed
    assert code == 0  # a warning: --strict stops on it
    assert run(teacher, "check", "--strict", "--edition", "myc")[0] == 1


def test_a_worksheet_of_a_chronology_the_sections_leave_out_is_said(teacher):
    edition = "editions/myc/edition.toml"
    edit(teacher, edition, '"chronology", ', "")
    edit(teacher, edition, "[questions]", "[chronology]\nworksheet = true\n\n[questions]")
    code, printed = run(teacher, "check", "--edition", "myc")
    assert f"{edition}:{line_of(teacher, edition, 'worksheet =')}: warning: the chronology " \
           "is made a worksheet, but the edition's sections leave it out [edition]" in printed, \
        printed


def test_a_table_of_the_edition_file_asked_by_its_name_says_where_its_keys_are(teacher,
                                                                               tmp_path):
    from dataclasses import fields

    from book.config import SCHEMA, TEMPLATE_NAMES
    from book.model import Edition

    edit(teacher, TITLE_PAGE, "{{ edition.title }}", "{{ edition.questions.answer_lines }}")
    refused(teacher, tmp_path, f"{TITLE_PAGE}:{line_of(teacher, TITLE_PAGE, 'answer_lines')}",
            "an edition has no 'questions': a template finds the keys of the [questions] table "
            "as edition.answer_lines", "an edition's values are the keys of its file")
    # Every table named is one, and every name an edition's; the guide gives them all.
    guide = (Path(__file__).parent.parent / "docs" / "customizing.md").read_text(encoding="utf-8")
    names = {f.name for f in fields(Edition)}
    for table, found in TEMPLATE_NAMES.items():
        assert table in SCHEMA and f"`[{table}]`" in guide
        assert all(name in names and f"`{name}`" in guide for name in found), table


# YAML mistakes, said without the parser's words.

def test_a_colon_in_a_question_asks_for_quotes(teacher, tmp_path):
    edit(teacher, QUESTIONS, "en: When did the congress meet?",
         "en: Note: when did the congress meet?")
    printed = refused(teacher, tmp_path, f"{QUESTIONS}:{line_of(teacher, QUESTIONS, 'Note:')}",
                      "the value of 'en' holds a colon followed by a space",
                      'put the value in double quotes: en: "Note: when did the congress meet?"')
    assert "mapping values" not in printed


YAML_MISTAKES = {
    "a key indented one space too few": ("    pl: Kiedy zebrał", "   pl: Kiedy zebrał",
                                         "   pl: Kiedy",
                                         "this line is indented differently from the lines "
                                         "it belongs with", "each key of an entry starts"),
    "a key indented under a value": ("    pl: Kiedy zebrał", "      pl: Kiedy zebrał",
                                     "      pl: Kiedy",
                                     "this line is indented as if it belonged to the line "
                                     "above", "each key of an entry starts"),
    "a tab": ("    pl: Kiedy zebrał", "\tpl: Kiedy zebrał", "\tpl:",
              "a tab indents this line", "indent with spaces only"),
    "a quote never closed": ("en: When did the congress meet?", 'en: "When did the congress',
                             '"When did', "a quotation mark opened here is never closed",
                             "close the value"),
    "a list never closed": ("about: [pol-1]", "about: [pol-1", "about: [pol-1",
                            "a list opened with '[' here is not closed with ']'",
                            "write a list as [a, b, c]"),
    "a line with no colon": ("    en: When did the congress meet?",
                             "    en: When did the congress meet?\n    pl", "    pl\n",
                             "this line is neither 'key: value' nor a list item",
                             "add the colon"),
    "an apostrophe in single quotes": ("en: When did the congress meet?",
                                       "en: 'When did the congress's delegates meet?'",
                                       "congress's", "the text goes on after a quoted value "
                                       "ends", "a value that holds its own quotation mark"),
}


@pytest.mark.parametrize("case", YAML_MISTAKES, ids=list(YAML_MISTAKES))
def test_a_yaml_mistake_is_said_plainly_at_its_line(teacher, tmp_path, case):
    old, new, at, message, hint = YAML_MISTAKES[case]
    edit(teacher, QUESTIONS, old, new)
    line = line_of(teacher, QUESTIONS, at.rstrip("\n")) if not at.endswith("\n") else next(
        i for i, x in enumerate((teacher / QUESTIONS).read_text(encoding="utf-8").split("\n"), 1)
        if x == at.rstrip("\n"))
    printed = refused(teacher, tmp_path, f"{QUESTIONS}:{line}", message, hint)
    assert "<block" not in printed and "scalar" not in printed and "token" not in printed


# Editorial data.

@pytest.mark.expected_warnings
def test_a_quotation_not_in_the_text_is_located_at_the_quote(teacher, tmp_path):
    edit(teacher, QUESTIONS, "What does the text mean by «δύο εξουσίες»?",
         "What does the text mean by «τρεις εξουσίες»?")
    line = line_of(teacher, QUESTIONS, "«τρεις εξουσίες»")
    assert line != line_of(teacher, QUESTIONS, "id: gr-q1")
    code, printed = run(teacher, "check", "--strict")
    assert code == 1
    assert f"{QUESTIONS}:{line}: warning: question gr-q1 (en) quotes «τρεις εξουσίες», " \
        "which the texts do not say" in printed
    assert "hint: quote the text's words exactly" in printed


def test_a_glossary_id_used_twice_is_located(teacher, tmp_path):
    glossary = "sources/glossary.yaml"
    text = (teacher / glossary).read_text(encoding="utf-8")
    entry = text[text.index("- id: congress"):]
    (teacher / glossary).write_text(text + entry, encoding="utf-8")
    line = len(text.split("\n"))
    refused(teacher, tmp_path, f"{glossary}:{line}",
            "the glossary id 'congress' is also used at line "
            f"{line_of(teacher, glossary, 'id: congress')}", "give each entry an id of its own")


# What Jinja drops without a word.

@pytest.mark.parametrize("where", ["after", "before"])
def test_text_outside_the_blocks_is_located(teacher, tmp_path, where):
    if where == "after":
        edit(teacher, TITLE_PAGE, "{% endblock %}", "{% endblock %}\n<p>Class 3B</p>")
    else:
        edit(teacher, TITLE_PAGE, "{% block title_page %}",
             "<p>Class 3B</p>\n{% block title_page %}")
    refused(teacher, tmp_path, f"{TITLE_PAGE}:{line_of(teacher, TITLE_PAGE, 'Class 3B</p>')}",
            "this is outside every {% block %}, in a template that extends another: it is "
            "never printed", "move it inside a {% block %} … {% endblock %}")


def test_a_block_the_parent_lacks_is_located_with_the_right_name(teacher, tmp_path):
    edit(teacher, TITLE_PAGE, "{% block title_page %}", "{% block titlepage %}")
    refused(teacher, tmp_path, f"{TITLE_PAGE}:{line_of(teacher, TITLE_PAGE, 'titlepage')}",
            "{% block titlepage %}: base:parts/title_page.html has no block of that name, so "
            "it is never printed (did you mean title_page?)",
            "the blocks of each template are listed in docs/customizing.md; "
            "base:parts/title_page.html has: title_extra, title_page")


def test_a_file_that_replaces_nothing_is_named_with_the_right_name(teacher, tmp_path):
    (teacher / TITLE_PAGE).rename(teacher / "editions/myc/templates/parts/title-page.html")
    refused(teacher, tmp_path, "editions/myc/templates/parts/title-page.html",
            "parts/title-page.html replaces no file of the theme, and no template uses it "
            "(did you mean parts/title_page.html?)",
            "rename it parts/title_page.html; the theme's files are in templates/base/")


@pytest.mark.parametrize(("moved", "meant"), [
    # At the top of the edition's folder, not in parts/ or css/ as in the theme's: the theme's
    # templates name "parts/title_page.html", which is not this file.
    (TITLE_PAGE, "parts/title_page.html"),
    ("editions/myc/templates/css/custom.css", "css/custom.css")])
def test_an_override_outside_its_folder_is_named_with_the_place_meant(teacher, tmp_path, moved,
                                                                       meant):
    top = teacher / "editions/myc/templates" / Path(moved).name
    (teacher / moved).rename(top)
    refused(teacher, tmp_path, top.relative_to(teacher).as_posix(),
            f"{top.name} replaces no file of the theme, and no template uses it (did you mean "
            f"{meant}?)", f"rename it {meant}")


def test_a_stylesheet_of_ones_own_is_pointed_to_custom_css(teacher, tmp_path):
    # Not to theme.css, the nearest name, which would replace the theme's whole stylesheet.
    css = teacher / "editions/myc/templates/css"
    (css / "custom.css").rename(css / "style.css")
    refused(teacher, tmp_path, "editions/myc/templates/css/style.css",
            "css/style.css replaces no file of the theme, and no template uses it (did you "
            "mean css/custom.css?)", "rename it css/custom.css")


def test_a_picture_no_template_uses_is_a_warning_not_a_stop(teacher, tmp_path):
    """A logo left over when another took its place: the book does not change; under
    --strict the build stops on it, as on any warning."""
    (teacher / "editions/myc/templates/old-logo.png").write_bytes(png(4, 4, rows=True))
    out = tmp_path / "out"
    code, printed = run(teacher, "epub", "--edition", "myc", "--out", str(out))
    assert code == 0 and (out / "myc" / "myc.epub").exists(), printed
    assert ("editions/myc/templates/old-logo.png: warning: old-logo.png replaces no file of "
            "the theme, and no template uses it: it is not in the book [unused-file]\n"
            "  hint: delete it, or name it in a template") in printed, printed
    code, printed = run(teacher, "epub", "--edition", "myc", "--strict", "--out",
                        str(tmp_path / "strict"))
    assert code == 1 and "1 warning about myc's templates and stylesheets stops the build " \
        "(--strict)" in printed, printed


def test_new_files_a_template_uses_are_no_mistake(teacher, tmp_path):
    # A part of the teacher's own, included by the title page, and an image it shows.
    (teacher / "editions/myc/templates/parts/class.html").write_text("<p>Class 3B</p>\n",
                                                           encoding="utf-8")
    (teacher / "editions/myc/templates/logo.png").write_bytes(png(4, 4, rows=True))
    edit(teacher, TITLE_PAGE, "</h1>",
         '</h1>\n{% include "parts/class.html" %}\n<img src="logo.png" alt="logo"/>')
    code, printed = run(teacher, "epub", "--edition", "myc", "--out", str(tmp_path / "out"))
    assert code == 0, printed
    with zipfile.ZipFile(tmp_path / "out" / "myc" / "myc.epub") as epub:
        names = epub.namelist()
        title = next(epub.read(n) for n in names if n.endswith("title.xhtml"))
    assert b"Class 3B" in title and any(n.endswith("logo.png") for n in names)


# Words the edition would print in another language than its own.

def test_a_template_string_without_a_translation_is_located(teacher, tmp_path):
    edit(teacher, "editions/myc/edition.toml", 'language = "en"', 'language = "pl"')
    edit(teacher, TITLE_PAGE, "</section>", '<p>{{ _("For class 3B") }}</p>\n</section>')
    refused(teacher, tmp_path, f"{TITLE_PAGE}:{line_of(teacher, TITLE_PAGE, 'For class 3B')}",
            "'For class 3B' has no translation in 'pl': wherever the template prints it, the "
            "edition would print it in English",
            "write the words in 'pl' without _( ), or add their translation to "
            "templates/locales/pl/LC_MESSAGES/messages.po")


def test_strings_the_catalog_translates_and_english_ones_are_no_mistake(teacher, tmp_path):
    # The catalogs' words are English: an English edition prints a new one as written.
    edit(teacher, TITLE_PAGE, "</section>", '<p>{{ _("For class 3B") }}</p>\n</section>')
    code, printed = run(teacher, "epub", "--edition", "myc", "--out", str(tmp_path / "en"))
    assert code == 0, printed
    edit(teacher, "editions/myc/edition.toml", 'language = "en"', 'language = "pl"')
    edit(teacher, TITLE_PAGE, '_("For class 3B")', '_("Edited with the authors\' notes")')
    code, printed = run(teacher, "epub", "--edition", "myc", "--out", str(tmp_path / "pl"))
    assert code == 0, printed


# Stylesheets: what the layout would skip, in the file that says it.

CSS = "editions/myc/templates/css/custom.css"


# Each declaration, what the warning at its line says.
SKIPPED = [
    (".book-title { colr: red; }", "column 15: 'colr' is not a CSS property the book's layout "
                                   "knows (did you mean 'color'?)"),
    (".book-title { color: redd; }", "column 15: 'redd' is not a value 'color' can take"),
    ("@media print { h1 { fnt-size: 2em } }", "column 21: 'fnt-size' is not a CSS property"),
    ("h2 { font-wieght: bold; }", "column 6: 'font-wieght' is not a CSS property the book's "
                                  "layout knows (did you mean 'font-weight'?)"),
]


@pytest.mark.expected_warnings
def test_a_declaration_the_layout_skips_is_located_and_strict_fails(teacher, tmp_path):
    # All in one stylesheet, each on a line of its own: one build of each kind lays them
    # all out.
    (teacher / CSS).write_text("\n".join(["p { color: black; }", *(w for w, _ in SKIPPED)])
                               + "\n", encoding="utf-8")
    wheres = [f"{CSS}:{line}: warning: {message}"
              for line, (_, message) in enumerate(SKIPPED, start=2)]
    code, printed = run(teacher, "pdf", "--edition", "myc", "--out", str(tmp_path / "pdf"))
    assert code == 0 and all(where in printed for where in wheres), printed
    assert "hint: the layout skips this declaration" in printed
    assert "Ignored `" not in printed  # WeasyPrint's own words, without the file
    code, printed = run(teacher, "--strict", "--edition", "myc", "--out",
                        str(tmp_path / "strict"))
    assert code == 1 and all(where in printed for where in wheres), printed
    assert "(--strict)" in printed, printed
    assert not (tmp_path / "strict").exists()
    code, printed = run(teacher, "check", "--strict")
    assert code == 1 and [printed.count(where) for where in wheres] == [1] * len(wheres), \
        printed


@pytest.mark.expected_warnings
def test_a_page_size_or_margin_in_a_stylesheet_is_sent_to_the_edition_file(teacher, tmp_path):
    # The edition's [page] follows every stylesheet: an @page size or margin is not used.
    # Its margin boxes are the stylesheet's to set.
    (teacher / CSS).write_text("@page { size: A4;\n  margin: 2mm; }\n"
                               "@media print { @page :left { margin-left: 1cm } }\n"
                               "@page { @top-center { margin: 0; content: 'x' } }\n",
                               encoding="utf-8")
    code, printed = run(teacher, "check", "--edition", "myc")
    found = [line for line in printed.split("\n") if line.startswith(f"{CSS}:")]
    assert found == [
        f"{CSS}:1: warning: column 9: an @page rule's 'size' is not used: the edition's [page] "
        "sets the page's size and margins [css]",
        f"{CSS}:2: warning: column 3: an @page rule's 'margin' is not used: the edition's "
        "[page] sets the page's size and margins [css]",
        f"{CSS}:3: warning: column 30: an @page rule's 'margin-left' is not used: the "
        "edition's [page] sets the page's size and margins [css]"], printed
    assert "hint: write the page's size and margins in the edition file's [page]" in printed


@pytest.mark.expected_warnings
def test_a_font_family_the_book_lacks_is_located_at_its_declaration(teacher, tmp_path):
    # Not only, after the layout, at the edition file of the page that shows it: at the line
    # that names it, and before any layout (the EPUB's reader lacks it as well).
    (teacher / CSS).write_text("h1 { font-family: BookText, serif; }\n"
                               ".book-subtitle { font-family: 'Comic Sans MS', serif; }\n",
                               encoding="utf-8")
    code, printed = run(teacher, "check", "--edition", "myc")
    found = [line for line in printed.split("\n") if line.startswith(f"{CSS}:")]
    assert found == [f"{CSS}:2: warning: column 18: the font family 'Comic Sans MS' is no "
                     "typeface of the book: its text is set in another [css]"], printed
    assert "hint: the book's typefaces: BookText; one of your own takes an @font-face rule" \
        in printed


# What a reading system knows and WeasyPrint does not: the one property of each kind here.
BROWSERS_ONLY = "h1 { font-synthesis: none; }"
SKIPPED_THERE = "warning: column 6: 'font-synthesis' is not a CSS property the book's layout " \
                "knows [css]"  # no typo of 'font-style


@pytest.mark.expected_warnings
def test_a_stylesheet_the_epub_alone_reads_is_not_held_to_the_layouts_properties(teacher):
    # css/epub.css is linked by the EPUB's documents only: read by reading systems, which
    # know font-synthesis. The same declaration in a stylesheet the PDF links is skipped by
    # its layout, and said at its line; a family the book lacks is said in either.
    epub_css = "editions/myc/templates/css/epub.css"
    base = (teacher / "templates/base/css/epub.css").read_text(encoding="utf-8")
    (teacher / epub_css).write_text(f"{base}{BROWSERS_ONLY}\n"
                                    "h2 { font-family: 'Comic Sans MS', serif; }\n",
                                    encoding="utf-8")
    (teacher / CSS).write_text(f"p {{ color: black; }}\n{BROWSERS_ONLY}\n", encoding="utf-8")
    code, printed = run(teacher, "check", "--edition", "myc")
    found = [line for line in printed.split("\n") if line.startswith("editions/myc/")]
    at = base.count("\n") + 2
    assert found == [
        f"{CSS}:2: {SKIPPED_THERE}",
        f"{epub_css}:{at}: warning: column 6: the font family 'Comic Sans MS' is no typeface "
        "of the book: its text is set in another [css]"], printed
    assert "hint: the layout skips this declaration" in printed, printed


@pytest.mark.expected_warnings
@pytest.mark.parametrize(("block", "sheet"), [
    ('{% block style %}@import "css/answers.css";{% endblock %}', "css/answers.css"),
    # a name the template computes stands for each it may give: here the EPUB's stylesheet
    ('{% block half_title %}{% set part = "epub" %}<link rel="stylesheet" '
     'href="css/{{ part }}.css"/>{{ super() }}{% endblock %}', "css/epub.css"),
])
def test_a_stylesheet_an_editions_own_pdf_template_reads_is_held_to_the_layouts_properties(
        teacher, block, sheet):
    # The PDF's stylesheets are found in its templates as the build finds them: the
    # teacher's own pdf/book.html reads one more. The EPUB's own stylesheet, unless the PDF
    # reads it too, is not the PDF's.
    (teacher / "editions/myc/templates/pdf").mkdir()
    (teacher / "editions/myc/templates/pdf/book.html").write_text(
        f'{{% extends "base:pdf/book.html" %}}\n{block}\n', encoding="utf-8")
    for name in {sheet, "css/epub.css"}:
        (teacher / "editions/myc/templates" / name).write_text(f"{BROWSERS_ONLY}\n",
                                                                encoding="utf-8")
    code, printed = run(teacher, "check", "--edition", "myc")
    found = [line for line in printed.split("\n") if line.startswith("editions/myc/")]
    assert found == [f"editions/myc/templates/{sheet}:1: {SKIPPED_THERE}"], printed


def test_an_element_left_open_in_an_override_is_located_where_it_opens(teacher, tmp_path):
    # Not at the theme's </section>, which closed first, in a file the teacher never touched.
    edit(teacher, TITLE_PAGE, "Class 3B, spring term</p>", "Class 3B, spring term")
    refused(teacher, tmp_path, f"{TITLE_PAGE}:{line_of(teacher, TITLE_PAGE, 'Class 3B')}",
            "<p> is never closed: the </section> around it closes first",
            "close it with </p> before </section>")


@pytest.mark.parametrize(("written", "message"), [
    (":root { --accent: reddish; }", "column 9: --accent: accent colour 'reddish' is not a "
     "colour: did you mean 'red'?"),
    (":root { --accent: #ffd; }", "column 9: --accent: accent colour '#ffd' is too pale to "
     "read on a white page"),
    ("h1 { --heading-size: 1.5em; }", "column 6: --heading-size: heading size '1.5em' is not "
     "a length"),
])
def test_a_value_of_the_books_own_properties_is_held_to_the_edition_files_rule(
        teacher, tmp_path, written, message):
    # WeasyPrint drops only the declarations that use it, without the file, at their own
    # line: "Ignored `color: reddish` at 8:70", ten times over.
    (teacher / CSS).write_text(f"p {{ color: black; }}\n{written}\n", encoding="utf-8")
    code, printed = run(teacher, "pdf", "--edition", "myc", "--out", str(tmp_path / "pdf"))
    assert code == 0 and f"{CSS}:2: warning: {message}" in printed, printed
    assert "hint: the layout skips each declaration that uses it (var(--accent))" in printed
    assert "Ignored `" not in printed
    assert printed.count("warning:") == 1, printed


@pytest.mark.parametrize("fmt", ["pdf", "epub"])
def test_a_missing_image_is_located_where_a_template_names_it(teacher, tmp_path, fmt):
    edit(teacher, TITLE_PAGE, "</h1>", '</h1>\n<img src="logo.png" alt="our school"/>')
    refused(teacher, tmp_path, f"{TITLE_PAGE}:{line_of(teacher, TITLE_PAGE, 'logo.png')}",
            "'logo.png' is in no template folder",
            "put the file at that path in one of the template folders: "
            "editions/myc/templates/, templates/base/",
            fmt, "--edition", "myc", "--out", str(tmp_path / "out"))


def test_an_image_without_alt_text_is_located_where_a_template_has_it(teacher, tmp_path):
    from PIL import Image

    Image.new("RGB", (20, 20)).save(teacher / "editions/myc/templates/logo.png", "PNG")
    edit(teacher, TITLE_PAGE, "</h1>", '</h1>\n<img src="logo.png"/>')
    refused(teacher, tmp_path, f"{TITLE_PAGE}:{line_of(teacher, TITLE_PAGE, 'logo.png')}",
            "an image without alt text", 'write what it shows in alt="…", or alt=""')
    # An ornament says so with an empty one.
    edit(teacher, TITLE_PAGE, '<img src="logo.png"/>', '<img src="logo.png" alt=""/>')
    code, printed = run(teacher, "check", "--edition", "myc")
    assert code == 0, printed


def test_an_attribute_html_does_not_have_is_located_where_a_template_writes_it(teacher,
                                                                             tmp_path):
    # Found by the fuzzer: href= lost its h, and EPUBCheck refused the EPUB that was written.
    edit(teacher, TITLE_PAGE, "</h1>", '</h1>\n<p><a ref="#contents">Contents</a></p>')
    refused(teacher, tmp_path, f"{TITLE_PAGE}:{line_of(teacher, TITLE_PAGE, 'ref=')}",
            "the attribute ref= is not HTML's (did you mean 'href'?)",
            "no reading system knows it, and EPUBCheck refuses the document")
    # What a theme keeps for itself goes in data-…=.
    edit(teacher, TITLE_PAGE, 'ref="#contents"', 'data-ref="contents"')
    code, printed = run(teacher, "check", "--edition", "myc")
    assert code == 0, printed


@pytest.mark.parametrize("fmt", ["pdf", "epub"])
def test_an_image_named_as_another_type_is_located_where_a_template_names_it(teacher, tmp_path,
                                                                            fmt):
    from PIL import Image

    # A JPEG saved as .png: an EPUB would declare it a PNG, which reading systems refuse.
    Image.new("RGB", (20, 20)).save(teacher / "editions/myc/templates/logo.png", "JPEG")
    edit(teacher, TITLE_PAGE, "</h1>", '</h1>\n<img src="logo.png" alt="our school"/>')
    checked = refused(teacher, tmp_path, f"{TITLE_PAGE}:{line_of(teacher, TITLE_PAGE, 'logo.png')}",
                      "refused: 'logo.png' is a JPEG image, which its name does not say",
                      "name it with the extension of its type: .jpg or .jpeg",
                      fmt, "--edition", "myc", "--out", str(tmp_path / "out"))
    # Found by the PDF's check and the EPUB's alike, it is one mistake.
    assert checked.count("is a JPEG image") == 1, checked


def test_a_misspelt_edition_of_a_question_is_located_with_the_right_name(teacher, tmp_path):
    edit(teacher, QUESTIONS, "    about: [gr-2]", "    editions: [myk]\n    about: [gr-2]")
    refused(teacher, tmp_path, f"{QUESTIONS}:{line_of(teacher, QUESTIONS, '[myk]')}",
            "question gr-q1: no edition is named 'myk' (did you mean 'myc'?)",
            "editions: mini, mini-pl, myc")


def misnamed(project: Path) -> str:
    (project / TITLE_PAGE).rename(project / "editions/myc/templates/parts/title-page.html")
    return "editions/myc/templates/parts/title-page.html: parts/title-page.html replaces no " \
        "file of the theme"


def unclosed(project: Path) -> str:
    edit(project, TITLE_PAGE, "{{ edition.title }}", "{{ edition.title }")
    return f"{TITLE_PAGE}:{line_of(project, TITLE_PAGE, 'title }')}: a '{{{{' on this line"


@pytest.mark.parametrize("mistake", [misnamed, unclosed])
def test_check_lays_nothing_out_while_an_edition_cannot_be_made(teacher, monkeypatch, mistake):
    """As a build makes no file while one edition cannot be made (a file of its templates
    that replaces nothing, a template that does not parse), `check` names what is wrong
    before laying out any edition (seconds each)."""
    said = mistake(teacher)

    def no_layout(*args, **kwargs):
        raise AssertionError("laid out although an edition cannot be made")

    monkeypatch.setattr("book.pdf.lay_out", no_layout)
    code, printed = run(teacher, "check")
    assert code == 1 and said in printed, printed
    assert "laid out although" not in printed, printed
