"""docs/customizing.md, followed step by step; overrides, template errors and the sandbox."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from helpers import CLASSROOM
from pypdf import PdfReader

from book.cli import main

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "customizing.md").read_text(encoding="utf-8")


def snippet(text: str) -> str:
    """A passage the tutorial shows, so that this test does what the page says."""
    assert text in DOC, f"the tutorial no longer shows {text!r}"
    return text


def build(project: Path, out: Path, *args: str) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    import contextlib

    with contextlib.redirect_stderr(stderr):
        code = main(["--edition", "my-class", "--out", str(out), *args], stdout=stdout,
                    project=project)
    return code, stdout.getvalue(), stderr.getvalue()


# The fixture project's stand-in for the shipped classroom edition the tutorial starts from.


@pytest.fixture
def project_copy(fixture_project):
    """The fixture project, with a classroom edition as the project ships one."""
    (fixture_project / "editions" / "classroom.toml").write_text(CLASSROOM, encoding="utf-8")
    return fixture_project


def test_the_tutorial(project_copy, tmp_path):
    out = tmp_path / "dist"
    # 1. Start the edition: one folder holds all of it.
    snippet("python build.py new-edition my-class --from classroom")
    assert main(["new-edition", "my-class", "--from", "classroom"], stdout=io.StringIO(),
                project=project_copy) == 0
    folder = project_copy / "editions" / "my-class"
    for name in ("edition.toml", "questions.yaml", "glossary.yaml", "templates/"):
        snippet(f"| `{name}` |")
        assert (folder / name).exists(), name
    edition, title_page = folder / "edition.toml", title_page_of(project_copy)
    snippet("python build.py --edition my-class")
    code, printed, errors = build(project_copy, out)
    assert code == 0, errors
    names = ("my-class.pdf", "my-class.epub", "my-class-teacher.pdf", "my-class-teacher.epub")
    for name in names:
        snippet(f"`{name}`")
    assert sorted(p.name for p in (out / "my-class").iterdir()) == sorted(names)

    # 2. Name the class: three lines under the title.
    lines = snippet('subtitle = "Three texts on 1917, for class 3B"\n'
                    'class_line = "Class 3B, spring term"\nteacher = "Ms Anna Nowak"\n')
    edition.write_text(re.sub(r"^subtitle = .*\n", lines, edition.read_text(), count=1,
                              flags=re.MULTILINE))

    # 3. Add a question, with its answer, in the edition's own questions.yaml.
    question = snippet("""el:
  - id: my-class-1
    about: [el-19]
    en: Why did the demonstrations of 23 February 1917 begin on that day, in the text?
    answer:
      en: The text says that it was the international day of the working woman.
    notes:
      en: Ask in which calendar the date is, and find it in the chronology.
    lines: 4
""")
    # The tutorial's question is on a paragraph of the real book; here, on the fixture's.
    (folder / "questions.yaml").write_text(
        question.replace("el:", "gr:").replace("el-19", "gr-1"), encoding="utf-8")

    # 4. Set the page and the type size.
    text = edition.read_text()
    text = re.sub(r'^size = .*$', snippet('size = "A5"'), text, count=1, flags=re.MULTILINE)
    text = re.sub(r'^type_size = .*$', snippet('type_size = "11pt"'), text, count=1,
                  flags=re.MULTILINE)
    snippet("delete\nthe `margins` line")
    text = re.sub(r"^margins = .*\n", "", text, count=1, flags=re.MULTILINE)
    edition.write_text(text)

    # 5. Build again.
    code, printed, errors = build(project_copy, out)
    assert code == 0, errors
    pdf = PdfReader(out / "my-class" / "my-class.pdf")
    box = pdf.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == \
        (148, 210)
    front = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages[:4])
    for words in ("Test book", "Three texts on 1917, for class 3B", "Class 3B, spring term",
                  "Teacher: Ms Anna Nowak"):
        assert words in front, words
    student = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pdf.pages))
    assert "Why did the demonstrations of 23 February 1917 begin on that day, in the text?" \
        in student
    assert "international day of the working woman" not in student
    teacher = re.sub(r"\s+", " ", " ".join(
        p.extract_text() for p in PdfReader(out / "my-class" / "my-class-teacher.pdf").pages))
    assert "international day of the working woman" in teacher
    assert "find it in the chronology" in teacher
    sizes = set()

    def visit(text, cm, tm, font, size):
        if text.strip():
            sizes.add(round(size * cm[0], 1))

    pdf.pages[page_of(pdf, "gr-1")].extract_text(visitor_text=visit)
    assert 11.0 in sizes
    epub = zipfile.ZipFile(out / "my-class" / "my-class.epub")
    assert "Class 3B, spring term" in epub.read("EPUB/title.xhtml").decode()

    # The question stays out of the other editions.
    assert main(["epub", "--edition", "classroom", "--out", str(out)], stdout=io.StringIO(),
                project=project_copy) == 0
    classroom = zipfile.ZipFile(out / "classroom" / "classroom.epub")
    assert "my-class-1" not in classroom.read("EPUB/text-gr.xhtml").decode()
    assert "my-class-1" in epub.read("EPUB/text-gr.xhtml").decode()

    # 6. Add to the title page: delete the comment lines around the block.
    page = title_page.read_text()
    assert snippet('<p class="school">Lyceum No. 3, room 12</p>') in page
    lines = [line for line in page.split("\n") if line not in ("{#", "#}")]
    assert len(lines) == len(page.split("\n")) - 2
    title_page.write_text("\n".join(lines))
    code, printed, errors = build(project_copy, out, "epub")
    assert code == 0, errors
    title = zipfile.ZipFile(out / "my-class" / "my-class.epub").read("EPUB/title.xhtml").decode()
    # (The typography binds "No." to its number with a no-break space.) The block adds a
    # line and takes nothing away.
    for words in ("Lyceum No.\u00a03, room 12", "Class 3B, spring term", "Ms Anna Nowak",
                  "Test book"):
        assert words in title, words

    # A mistake in a template is named, as the tutorial says, and changes nothing.
    before = {p: p.read_bytes() for p in (out / "my-class").iterdir()}
    mistake = snippet("{{ edition.techer }}")
    title_page.write_text(title_page.read_text().replace("room 12", "room 12, " + mistake))
    line = next(i for i, t in enumerate(title_page.read_text().split("\n"), 1) if "techer" in t)
    snippet(f"title_page.html:{line}: an edition has\nno 'techer' (did you mean 'teacher'?)")
    code, printed, errors = build(project_copy, out)
    assert code == 1
    assert (f"editions/my-class/templates/parts/title_page.html:{line}: an edition has no "
            "'techer' (did you mean 'teacher'?)") in errors
    assert {p: p.read_bytes() for p in (out / "my-class").iterdir()} == before


def title_page_of(project: Path) -> Path:
    return project / "editions" / "my-class" / "templates" / "parts" / "title_page.html"


def page_of(pdf: PdfReader, name: str) -> int:
    return pdf.get_destination_page_number(pdf.named_destinations[name])


@pytest.fixture
def my_class(project_copy):
    assert main(["new-edition", "my-class", "--from", "classroom"], stdout=io.StringIO(),
                project=project_copy) == 0
    return project_copy


def test_a_one_block_override_changes_only_that_block(my_class, tmp_path):
    out = tmp_path / "dist"
    title_page = title_page_of(my_class)
    title_page.write_text("\n".join(line for line in title_page.read_text().split("\n")
                                    if line not in ("{#", "#}")))
    assert build(my_class, out, "epub")[0] == 0
    assert main(["epub", "--edition", "classroom", "--out", str(out)], stdout=io.StringIO(),
                project=my_class) == 0
    mine = zipfile.ZipFile(out / "my-class" / "my-class.epub")
    theirs = zipfile.ZipFile(out / "classroom" / "classroom.epub")
    # The colophon names each edition's own PDF, whose pages its EPUB carries; and, as no
    # check has seen the teacher's own block, mine claims no conformance to WCAG.
    pdf = re.compile(rb"[\w-]+\.pdf")
    claim = re.compile(rb"This EPUB is made to meet WCAG[^.]*\.[^.]*\. ")
    differ = [n for n in theirs.namelist() if n.endswith(".xhtml")
              and pdf.sub(b"", mine.read(n)) != claim.sub(b"", pdf.sub(b"", theirs.read(n)))]
    assert claim.search(theirs.read("EPUB/colophon.xhtml"))
    # The title page changed, and nothing else.
    assert differ == ["EPUB/title.xhtml"]
    section = re.compile(r'<section class="title-page".*?</section>', re.DOTALL)
    mine_title, theirs_title = (z.read("EPUB/title.xhtml").decode() for z in (mine, theirs))
    assert section.sub("", mine_title) == section.sub("", theirs_title)
    assert "Lyceum No.\u00a03, room 12" in mine_title
    assert "Lyceum" not in theirs_title


@pytest.mark.parametrize(
    "attempt",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ edition.path.read_text() }}",
        "{{ book.texts[0].original.read_text() }}",
        "{{ lipsum.__globals__ }}",
    ],
)
def test_a_sandbox_escape_is_refused(my_class, tmp_path, attempt, capsys):
    title_page = title_page_of(my_class)
    title_page.write_text(title_page.read_text() + "\n{% block title_page %}" + attempt
                          + "{% endblock %}\n")
    code, printed, errors = build(my_class, tmp_path / "dist", "epub")
    assert code == 1
    assert "editions/my-class/templates/parts/title_page.html" in errors
    assert "refused" in errors or "undefined" in errors
    assert not (tmp_path / "dist" / "my-class").exists()


def test_a_broken_template_names_its_line(my_class, tmp_path):
    title_page = title_page_of(my_class)
    title_page.write_text(title_page.read_text() + "\n{% block title_page %}{% if %}\n")
    line = len(title_page.read_text().split("\n")) - 1
    code, printed, errors = build(my_class, tmp_path / "dist", "pdf")
    assert code == 1
    assert f"editions/my-class/templates/parts/title_page.html:{line}: syntax error" in errors
