"""The EPUB under the same lock as the PDF: every file it references is packaged from the
template folders or the build stops, and no document that EPUBCheck would reject ships."""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
from pathlib import Path

import pytest
from helpers import edit, line_of, png

from book.cli import main

COLOPHON = "templates/base/parts/colophon.html"
CUSTOM_CSS = "templates/base/css/custom.css"
GREEK = "sources/gr-test.md"


def run(project: Path, out: Path) -> tuple[int, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(stderr):
        code = main(["epub", "--edition", "mini", "--out", str(out)], stdout=stdout,
                    project=project)
    return code, stdout.getvalue() + stderr.getvalue()








# What a template (or a source) can write that no valid EPUB holds: (file, old, new, the
# line the error names, what the message says).
BREAKAGES = {
    "an absolute path": (COLOPHON, "</section>", '<img src="/etc/hostname" alt="x"/>\n</section>',
                         '<img src="/etc/hostname"', "'/etc/hostname' refers to a file outside"),
    "a path out of the package": (COLOPHON, "</section>",
                                  '<img src="../../etc/hostname" alt="x"/>\n</section>',
                                  "../../etc/hostname", "leads outside the EPUB"),
    "a remote image": (COLOPHON, "</section>",
                       '<img src="http://example.com/a.png" alt="x"/>\n</section>',
                       "http://example.com/a.png", "refers to a file outside the EPUB"),
    "a protocol-relative stylesheet": ("templates/base/epub/layout.xhtml", "</head>",
                                       '<link rel="stylesheet" href="//example.com/a.css"/>\n'
                                       "</head>", "//example.com/a.css",
                                       "refers to a file outside the EPUB"),
    "a script": (COLOPHON, "</section>", "<script>alert(1)</script>\n</section>", "<script>",
                 "<script> is not allowed"),
    "an iframe": (COLOPHON, "</section>", '<iframe src="colophon.xhtml"></iframe>\n</section>',
                  "<iframe", "<iframe> is not allowed"),
    "an event handler": (COLOPHON, '<section class="colophon" id="colophon">',
                         '<section class="colophon" id="colophon" onclick="go()">', "onclick=",
                         "the attribute onclick= is not allowed"),
    "an image missing from the templates": (COLOPHON, "</section>",
                                            '<img src="images/none.png" alt="x"/>\n</section>',
                                            "images/none.png", "is in no template folder"),
    "a CSS import from the web": (CUSTOM_CSS, "", "\n\n@import url(http://example.com/a.css);\n",
                                  "@import", "'http://example.com/a.css' refers to a file "
                                  "outside the EPUB"),
    "a CSS url() to the web": (CUSTOM_CSS, "", "\nbody { background: url(https://example.com/b"
                               ".png) }\n", "background:", "'https://example.com/b.png' refers"),
    "a CSS url() to a missing file": (CUSTOM_CSS, "", "\nbody { background: url(../images/"
                                      "none.png) }\n", "background:",
                                      "'images/none.png' is in no template folder"),
    "a remote image in a source": (GREEK, "Έπειτα συνεχίζει.",
                                   "Έπειτα ![x](http://example.com/a.png) συνεχίζει.",
                                   "![x](http", "an image cannot stand in an author's text"),
    "a data: image in a source": (GREEK, "Έπειτα συνεχίζει.",
                                  "Έπειτα ![x](data:image/gif;base64,R0lGODlhAQABAAAAACw=) "
                                  "συνεχίζει.", "![x](data:",
                                  "an image cannot stand in an author's text"),
    "markup not well-formed": (COLOPHON, "</section>", "<span></div>\n</section>",
                               "<span></div>", "<span> is never closed: the </div> around it "
                               "closes first"),
    "an image written as HTML writes it": (COLOPHON, "</section>",
                                           '<p><img src="x.png" alt="x"></p>\n</section>',
                                           '<img src="x.png"', "<img> is not closed: an "
                                           "element that holds nothing is written <img …/>"),
    "a named HTML entity": (COLOPHON, "</section>", "<p>a&nbsp;b</p>\n</section>", "&nbsp;",
                            "not well-formed XHTML"),
    "a duplicate id": (COLOPHON, "</section>", '<p id="colophon">x</p>\n</section>',
                       'id="colophon"', "the id 'colophon' is used twice"),
    "a question with a paragraph's id": ("sources/questions.yaml", "id: gr-q1", "id: gr-1",
                                         "id: gr-1", "the id 'gr-1' is used twice"),
    "a bad language tag": (COLOPHON, "</section>", '<p lang="not a language">x</p>\n</section>',
                           "not a language", "unknown language tag 'not a language'"),
    "lang and xml:lang disagreeing": (COLOPHON, "</section>",
                                      '<p lang="en" xml:lang="el">x</p>\n</section>',
                                      'xml:lang="el"', 'lang="en" and xml:lang="el" differ'),
    "a control character": (COLOPHON, "</section>", "<p>a\x01b</p>\n</section>", "<p>a",
                            "control character U+0001"),
    "a link to no id": (COLOPHON, "</section>", '<p><a href="#nowhere">x</a></p>\n</section>',
                        "#nowhere", "leads to no id 'nowhere' in colophon.xhtml"),
    "a link to no document": (COLOPHON, "</section>",
                              '<p><a href="missing.xhtml#x">x</a></p>\n</section>',
                              "missing.xhtml", "missing.xhtml, which is not a document"),
    "a link inside a link": (COLOPHON, "</section>",
                             '<p><a href="#colophon">x <a href="#colophon">y</a></a></p>\n'
                             "</section>", '<p><a href="#colophon">', "a link inside a link"),
    "a block in a paragraph": (COLOPHON, "</section>", "<p>x <div>y</div></p>\n</section>",
                               "<div>y", "<div> inside an element that holds only text"),
    "a note call in a heading": (GREEK, "## Πρώτο μέρος", "## Πρώτο μέρος[^2]",
                                 "## Πρώτο μέρος[^2]",
                                 "the note call [^2] stands in a heading or a note"),
    "a note call in a note": (GREEK, "σ. 14.", "σ. 14.[^3]", "σ. 14.[^3]",
                              "the note call [^3] stands in a heading or a note"),
}


@pytest.mark.parametrize("case", BREAKAGES, ids=list(BREAKAGES))
def test_what_no_valid_epub_holds_stops_the_build_at_its_line(fixture_project, tmp_path, case):
    name, old, new, where, message = BREAKAGES[case]
    edit(fixture_project, name, old, new)
    out = tmp_path / "out"
    code, printed = run(fixture_project, out)
    assert code == 1, printed
    assert f"{name}:{line_of(fixture_project, name, where)}: " in printed, printed
    assert message in printed, printed
    assert "hint:" in printed and "Traceback" not in printed
    assert not any(out.rglob("*.epub"))


@pytest.mark.parametrize("character", ['"', "<"])
def test_a_note_label_no_url_can_hold_is_refused_at_its_call(fixture_project, tmp_path,
                                                             character):
    label = f"a{character}1"
    for _ in range(2):  # the call and the note
        edit(fixture_project, GREEK, "[^1]", f"[^{label}]")
        edit(fixture_project, "sources/originals/gr.txt", "[1]", f"[{label}]")
    edit(fixture_project, "sources/citations.yaml", 'gr:\n  "1":', f"gr:\n  '{label}':")
    code, printed = run(fixture_project, tmp_path)
    assert code == 1
    assert f"{GREEK}:{line_of(fixture_project, GREEK, 'πόλη')}: " in printed
    assert f"holds {character!r}, which a URL may not" in printed
    assert "hint: ids and note labels" in printed and "Traceback" not in printed
    assert not any(tmp_path.rglob("*.epub"))


def test_an_image_too_large_in_the_templates_is_refused(fixture_project, tmp_path):
    images = fixture_project / "templates" / "base" / "images"
    images.mkdir()
    # A PNG that declares billions of pixels in a few bytes: refused before it is decoded.
    (images / "huge.png").write_bytes(png(100_000, 100_000))
    edit(fixture_project, COLOPHON, "</section>", '<img src="images/huge.png" alt="x"/></section>')
    code, printed = run(fixture_project, tmp_path)
    assert code == 1 and "refused" in printed and "pixels" in printed, printed
    assert "images/huge.png" in printed and "Traceback" not in printed
    assert not any(tmp_path.rglob("*.epub"))


def test_an_image_of_a_theme_is_packaged_and_the_epub_passes_epubcheck(fixture_project,
                                                                      tmp_path, epubcheck):
    images = fixture_project / "templates" / "base" / "images"
    images.mkdir()
    (images / "logo.png").write_bytes(png(4, 3, rows=True))
    (images / "rule.png").write_bytes(png(8, 1, rows=True))
    edit(fixture_project, COLOPHON, "</section>",
         '<p><img src="images/logo.png" alt="Logo"/></p></section>')
    edit(fixture_project, CUSTOM_CSS, "", "\n.colophon { background: url(../images/rule.png) }\n")
    code, printed = run(fixture_project, tmp_path)
    assert code == 0, printed
    path = tmp_path / "mini" / "mini.epub"
    book = zipfile.ZipFile(path)
    assert book.read("EPUB/images/logo.png") == png(4, 3, rows=True)
    assert book.read("EPUB/images/rule.png") == png(8, 1, rows=True)
    opf = book.read("EPUB/content.opf").decode()
    assert re.search(r'<item href="images/logo.png" id="[^"]+" media-type="image/png"', opf)
    assert re.search(r'<item href="fonts/GentiumBookPlus-Regular.ttf" id="[^"]+" '
                     r'media-type="font/ttf"', opf)
    check = epubcheck(path)
    assert check.valid and [str(m) for m in check.messages] == []


def test_web_hyperlinks_stay_links(fixture_project, tmp_path, epubcheck):
    # A link the reader may follow loads nothing by itself: EPUBCheck accepts it.
    edit(fixture_project, COLOPHON, "</section>",
         '<p><a href="https://example.org/">x</a> <a href="mailto:a@example.org">y</a></p>'
         "</section>")
    code, printed = run(fixture_project, tmp_path)
    assert code == 0, printed
    check = epubcheck(tmp_path / "mini" / "mini.epub")
    assert check.valid and [str(m) for m in check.messages] == []


def test_the_build_can_run_epubcheck_itself(fixture_project, tmp_path, monkeypatch):
    monkeypatch.setenv("BOOK_EPUBCHECK", "1")
    code, printed = run(fixture_project, tmp_path)
    assert code == 0, printed
    assert (tmp_path / "mini" / "mini.epub").exists()
