"""The chronology as a worksheet (issue 12): the student's copy leaves blank each New Style
date it asks for, ruled to be written on, and neither a flag nor the legend gives one away;
the teacher's copy prints them, marked as the answers, and its flags date in full. Without a
worksheet both copies print the chronology alike.

Everything is the fixture project's (tests/fixture/), with the flags and events added below;
the answers are worked out by book.calendars, never written here."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from babel.dates import format_skeleton
from helpers import CLASSROOM, edit, run
from lxml import etree
from pypdf import PdfReader

from book.cli import main
from book.dates import WORD_JOINER, format_dual, format_single, row_date
from book.make import Project, gather

NS = {"x": "http://www.w3.org/1999/xhtml"}
NBSP = "\u00a0"
CHRONOLOGY = "sources/chronology.yaml"
COPIES = 'date = "2020-01-01"\ncopies = ["student", "teacher"]\n'
MM = 72 / 25.4  # points

# Flags of both kinds on rows dated while Russia kept the Old Style, each of whose dates a
# worksheet once printed: the German night a day late and paired with a wrong day (a pair's
# flag and the reference's); a Russian date a day early paired with the congress's New Style
# date itself; a Greek date that is the demonstrations' New Style date read as Old Style.
GERMAN = ("         date: 1917-10-25, night: true, calendar: julian, basis: stated,\n"
          "         paired: 1917-11-08}")
WRONG_GERMAN = ("         date: 1917-10-26, night: true, calendar: julian, basis: stated,\n"
                "         paired: 1917-11-12}\n"
                '      - {text: rs, at: rs-1, quote: "Это короткий тестовый текст.",\n'
                "         date: 1917-10-24, calendar: julian, basis: stated, paired: 1917-11-07}")
GREEK = "calendar: julian, basis: assumed}"
WRONG_GREEK = ("calendar: julian, basis: assumed}\n"
               '      - {text: gr, at: gr-1, quote: "Έπειτα συνεχίζει", date: 1917-03-08,\n'
               "         calendar: julian, basis: stated, paired: 1917-03-23}")
# An event dated in the New Style while Russia kept the Old (its reference flag would give
# its New Style date), and a range, with two lines to write on.
ARMISTICE = """
  - id: armistice
    date: 1917-12-15
    calendar: gregorian
    source: reference
    label: {en: An armistice, ru: Перемирие, el: Ανακωχή, pl: Rozejm}
    mentions:
      - {text: pol, at: pol-1, quote: "To krótki tekst próbny.", date: 1917-12-16,
         calendar: gregorian, basis: stated}
"""
STRIKE = """
  - id: strike
    date: 1917-06-03/1917-06-24
    calendar: julian
    source: reference
    label: {en: A strike, ru: Забастовка, el: Απεργία, pl: Strajk}
    mentions:
      - {text: de, at: de-2, quote: "wurde der Frieden geschlossen"}
"""


def with_flags(root: Path) -> Path:
    edit(root, CHRONOLOGY, GERMAN, WRONG_GERMAN)
    edit(root, CHRONOLOGY, GREEK, WRONG_GREEK)
    with (root / CHRONOLOGY).open("a", encoding="utf-8") as data:
        data.write(ARMISTICE + STRIKE)
    (root / "editions" / "classroom.toml").write_text(
        CLASSROOM.replace('date = "2020-01-01"\n', COPIES), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def project(new_fixture_project) -> Path:
    root = with_flags(new_fixture_project())
    # Without a worksheet, for the copies that must not differ.
    edit(root, "editions/mini.toml", 'date = "2020-01-01"\n', COPIES)
    # Room to write that takes a page: an answer that fits it must not make the copies part.
    edit(root, "sources/questions.yaml", "    en: When did the congress meet?\n",
         "    en: When did the congress meet?\n    answer: {en: On 25 October 1917.}\n"
         "    lines: 20\n")
    return root


@pytest.fixture(scope="module")
def out(project, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("worksheet")
    printed = io.StringIO()
    assert main(["--out", str(folder), "--edition", "classroom", "--edition", "mini"],
                stdout=printed, project=project) == 0, printed.getvalue()
    return folder


@pytest.fixture(scope="module")
def asked(project) -> dict:
    """Each event whose row has an Old Style date, with the New Style date it asks for, as
    the column prints it."""
    return {event.id: (event, shown.new_style.replace(NBSP, " "))
            for event in gather(Project(project)).events
            if (shown := row_date(event.when, "en")).old_style}


def days(event) -> list:
    first, last = event.when.span
    return [first + i for i in range(last - first + 1)]


def new_style_days(event) -> list[str]:
    """Each day of the event in the New Style, as an English date names it."""
    return [format_skeleton("MMMMd", date(*day.gregorian()), locale="en")
            for day in days(event)]


def gives_away(shown: str, event, answer: str) -> list[str]:
    return [words for words in (answer, *new_style_days(event))
            if re.search(rf"(?<!\w){re.escape(words)}(?!\w)", shown)]


def text(element) -> str:
    return re.sub(r"\s+", " ", "".join(element.itertext()).replace(NBSP, " ")
                  .replace(WORD_JOINER, "")).strip()


def chronology(out: Path, name: str):
    with zipfile.ZipFile(out / "classroom" / f"{name}.epub") as book:
        document = etree.fromstring(book.read("EPUB/chronology.xhtml"))
    (section,) = document.xpath("//x:section[@id='chronology']", namespaces=NS)
    return section


def only(section, xpath: str):
    (found,) = section.xpath(xpath, namespaces=NS)
    return found


def chronology_pages(out: Path, name: str) -> list:
    reader = PdfReader(out / "classroom" / f"{name}.pdf")
    start, end = (reader.get_destination_page_number(reader.named_destinations[section])
                  for section in ("chronology", "glossary"))
    return reader.pages[start:end]


def pdf_text(pages) -> str:
    joined = " ".join(page.extract_text() for page in pages)
    return re.sub(r"\s+", " ", re.sub(r"[\u2010-]\n", "", joined)).replace(NBSP, " ")


# The student's copy.

def test_the_students_copy_leaves_each_answer_blank_and_gives_none_away(out, asked):
    section = chronology(out, "classroom")
    assert len(asked) == 4
    for event_id, (event, answer) in asked.items():
        row = only(section, f".//x:tr[@id='chron-{event_id}']")
        blank = only(row, "x:td[contains(@class, 'worksheet-blank')]")
        assert text(blank) == ""
        # A line to write on; two where the answer is a night, a range or a month.
        assert len(blank.xpath("x:span[@class='rule']", namespaces=NS)) == \
            (1 if event.when.precision == "day" else 2)
        # Nowhere: not in a flag, not in the legend, not in another row.
        assert not gives_away(text(section), event, answer), event_id
    pages = chronology_pages(out, "classroom")
    for event_id, (event, answer) in asked.items():
        assert not gives_away(pdf_text(pages), event, answer), event_id
    # Each flag still stands, the dates left out.
    flags = [text(flag) for flag in section.xpath(".//x:span[@class='flag']", namespaces=NS)]
    assert sum(f.startswith("‼\ufe0e By the calendars,") for f in flags) == 3
    assert sum(f.startswith("‼\ufe0e The reference date is") for f in flags) == 3
    assert "N.S.: your answer" in text(only(section, ".//x:thead"))


def horizontal_lines(page) -> list[tuple[float, float, float]]:
    """Each horizontal line drawn on the page, (left, right, y) in points from the top left:
    a stroke, or a border as WeasyPrint fills it (a box less the box inside it, by the
    even-odd rule) where only its bottom edge is inked."""
    height = float(page.mediabox.height)
    lines, paths = [], [[]]

    def visit(op, args, cm, tm):
        def point(x, y):
            x, y = float(x), float(y)
            return cm[0] * x + cm[2] * y + cm[4], height - (cm[1] * x + cm[3] * y + cm[5])

        if op == b"m":
            paths.append([point(*args)])
        elif op == b"l":
            paths[-1].append(point(*args))
        elif op == b"re":
            x, y, w, h = (float(a) for a in args)
            paths.append([point(x, y), point(x + w, y + h)])
        elif op in (b"S", b"f", b"f*", b"F", b"n"):
            boxes = [(min(p[0] for p in ps), min(p[1] for p in ps), max(p[0] for p in ps),
                      max(p[1] for p in ps)) for ps in paths if ps]
            if op == b"S":
                lines.extend((x0, x1, y0) for x0, y0, x1, y1 in boxes if y1 - y0 < 0.5)
            elif op == b"f*" and len(boxes) == 2:
                outer, inner = sorted(boxes, key=lambda b: b[1] - b[3])
                if outer[:3] == inner[:3] and 0 < outer[3] - inner[3] < 2:
                    lines.append((outer[0], outer[2], outer[3]))
            paths[:] = [[]]

    page.extract_text(visitor_operand_before=visit)
    return lines


def test_the_students_copy_rules_each_blank_with_room_to_write_by_hand(out, asked):
    rules = []
    for page in chronology_pages(out, "classroom"):
        lines = horizontal_lines(page)
        left = min(x0 for x0, _, _ in lines)
        # A rule between rows crosses every column; the first column's gives their ys and,
        # where the header ends, where each column starts.
        row_ys = {round(y, 1) for x0, _, y in lines if abs(x0 - left) < 0.5}
        starts = sorted({round(x0, 1) for x0, _, y in lines if round(y, 1) in row_ys})
        assert len(starts) == 3, starts  # O.S., N.S., Event
        for x0, x1, y in lines:
            if round(y, 1) in row_ys:
                continue
            # In the New Style column, wide enough for a date written by hand, with room
            # above it to write at the type size: 8 mm or more from the line above.
            assert starts[1] - 0.5 <= x0 and x1 <= starts[2] + 0.5, (x0, x1)
            assert x1 - x0 >= 20 * MM
            above = max(other for _, _, other in lines if other < y - 0.5)
            assert y - above >= 8 * MM, (y, above)
            rules.append(y)
    assert len(rules) == sum(1 if event.when.precision == "day" else 2
                             for event, _ in asked.values())


def test_the_legend_says_what_to_write_and_its_rule_holds_for_every_row(out, asked):
    legend = text(only(chronology(out, "classroom"), ".//*[@class='legend']"))
    assert "write each event’s date in the New Style" in legend
    assert "From March 1900 until Russia changed calendars, the New Style date is the Old " \
           "Style date plus 13 days." in legend
    for event, _ in asked.values():
        for day in days(event):
            assert (date(*day.gregorian()) - date(*day.julian())).days == 13
            assert day.julian() >= (1900, 3, 1)


def test_a_row_before_march_1900_keeps_the_legend_true(fixture_project, tmp_path):
    with_flags(fixture_project)
    with (fixture_project / CHRONOLOGY).open("a", encoding="utf-8") as data:
        data.write(STRIKE.replace("id: strike", "id: older").replace(
            "1917-06-03/1917-06-24", "1900-02-20"))
    code, printed = run(fixture_project, "epub", "--edition", "classroom",
                        "--out", str(tmp_path / "out"))
    assert code == 0, printed
    legend = text(only(chronology(tmp_path / "out", "classroom"), ".//*[@class='legend']"))
    assert "plus 13 days" not in legend
    assert "the days by which the calendars then differed (13 days from March 1900)" in legend


# The teacher's copy.

def test_the_teachers_copy_prints_each_answer_marked_as_the_answer(out, asked):
    section = chronology(out, "classroom-teacher")
    assert not section.xpath(".//*[contains(@class, 'worksheet-blank')]", namespaces=NS)
    assert "N.S.: answer" in text(only(section, ".//x:thead"))
    assert "Teacher’s copy: the answers are in the New Style column" in \
        text(only(section, ".//*[@class='legend']"))
    for event_id, (_event, answer) in asked.items():
        cell = only(section, f".//x:tr[@id='chron-{event_id}']/x:td[contains(@class, 'ns')]")
        assert cell.get("class").split() == ["ns", "answer"]
        assert text(cell) == answer
    printed = pdf_text(chronology_pages(out, "classroom-teacher"))
    assert all(answer in printed for _, answer in asked.values())


def test_the_teachers_copy_flags_date_in_full(out, project):
    section = chronology(out, "classroom-teacher")
    flags = [text(flag) for flag in section.xpath(".//x:span[@class='flag']", namespaces=NS)]
    expected = [format_single(flag.expected, "en") if flag.kind == "pair"
                else format_dual(flag.expected, "en")
                for event in gather(Project(project)).events for text_id in ("gr", "rs", "pol",
                                                                             "de")
                for mention in event.mentions_in(text_id) for flag in mention.flags]
    assert len(flags) == len(expected) == 6
    for when in expected:
        assert any(when.replace(NBSP, " ") in shown for shown in flags), (when, flags)
    assert sum("Read as N.S." in f for f in flags) == 1
    # As an edition without a worksheet gives them.
    assert flags == [text(f) for f in mini(out).xpath(".//x:span[@class='flag']",
                                                           namespaces=NS)]


# Without a worksheet.

def mini(out: Path, copy: str = ""):
    with zipfile.ZipFile(out / "mini" / f"mini{copy}.epub") as book:
        return etree.fromstring(book.read("EPUB/chronology.xhtml"))


def test_without_a_worksheet_both_copies_print_the_new_style_alike(out, asked):
    student, teacher = mini(out), mini(out, "-teacher")
    assert etree.tostring(student) == etree.tostring(teacher)
    for event_id, (_, answer) in asked.items():
        (cell,) = student.xpath(f"//x:tr[@id='chron-{event_id}']/x:td", namespaces=NS)[:1]
        assert cell.get("class") == "ns" and text(cell) == answer


def test_both_copies_turn_their_pages_at_the_same_words(project, out):
    """A class and its teacher read the texts on the same pages: the teacher's answers stand
    over the room of the student's lines (here with an answer that fits them)."""
    copies = {pdf.stem: PdfReader(pdf) for pdf in (out / "classroom").glob("*.pdf")}
    assert len(copies) == 2, copies
    pages = [{name: reader.get_destination_page_number(destination)
              for name, destination in reader.named_destinations.items()}
             for reader in copies.values()]
    # The texts and their questions; the worksheet's rows, which differ, come after them.
    shared = {name for name in set(pages[0]) & set(pages[1])
              if pages[0][name] <= pages[0]["chronology"]}
    assert {"gr-1", "rs-1", "pol-1", "de-1", "pol-q1", "chronology"} <= shared
    assert {name: pages[0][name] for name in shared} == {name: pages[1][name] for name in shared}

