"""The model every writer reads: texts, sections, paragraphs, notes and the edition."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from .anchors import paragraph_number
from .calendars import Day
from .typography import SpacingRule, Typographies


def in_language(texts: dict[str, str], lang: str) -> str:
    """Editorial text in the apparatus language, or in English where it is not written yet."""
    return texts.get(lang) or texts.get("en", "")


@dataclass(frozen=True)
class NoteCall:
    """Where the author's text calls a note; `label` is the author's own number."""

    label: str


@dataclass(frozen=True)
class Note:
    """A note as its author wrote it; `parts` is its HTML cut at the words that cite a work,
    each a Cite (empty until the citations are linked, `book/citations.py`)."""

    label: str
    html: Markup
    line: int
    parts: tuple[Markup | Cite, ...] = field(default=(), repr=False)


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of an author's text; `id` is stored in the source and never renumbered."""

    id: str
    parts: tuple[Markup | NoteCall, ...]
    line: int

    @property
    def number(self) -> int:
        return paragraph_number(self.id)

    @property
    def note_labels(self) -> tuple[str, ...]:
        return tuple(p.label for p in self.parts if isinstance(p, NoteCall))


@dataclass(frozen=True)
class Section:
    """A run of paragraphs under one heading; texts without headings have one untitled section."""

    id: str | None
    title: Markup | None
    paragraphs: tuple[Paragraph, ...]
    line: int | None = None  # of its heading in the source, if it has one


@dataclass(frozen=True)
class Removal:
    """Words of the original left out of the edited text, and why (chrome, title, imprint)."""

    kind: str
    text: str
    line: int | None = field(default=None, compare=False)  # of its text in the header


@dataclass(frozen=True)
class SpacingChange:
    """A spacing slip regularised when the text was loaded (book/spacing.py), by the rules of
    its language (sources/typography.yaml): where, by which rule, and the whitespace that stood
    there, so that the source's spacing can be given back."""

    kind: str  # the rule, as the note on the texts counts them
    place: str  # the paragraph's or section's id, or "note 3"
    line: int
    part: int  # which part of the paragraph (of a heading or a note: 0)
    at: int  # the offset in the part's HTML, as it was when the change was made
    was: str  # the whitespace the source had ("" for none)
    now: str  # the whitespace the edition has
    before: str  # the words around it, as the source has them
    after: str  # and as the edition has them


@dataclass(frozen=True)
class Text:
    id: str
    lang: str
    title: str
    title_editorial: bool
    author: str | None
    # Paths are the tool's, never shown: a template printing a Text must not print the
    # machine's folders.
    source: Path = field(repr=False)
    original: Path = field(repr=False)
    published_in: str | None
    published: str | None
    reposted: str | None
    removals: tuple[Removal, ...]
    remarks: tuple[dict[str, str], ...]
    sections: tuple[Section, ...]
    notes: tuple[Note, ...]
    spacing: tuple[SpacingChange, ...] = ()  # the slips regularised, in the text's order
    # The rules they were regularised by, its language's: a quote from the text in the data
    # is spaced by them too.
    spacing_rules: tuple[SpacingRule, ...] = ()

    @property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        return tuple(p for s in self.sections for p in s.paragraphs)

    @property
    def notes_by_label(self) -> dict[str, Note]:
        return {n.label: n for n in self.notes}

    def remarks_in(self, lang: str) -> list[str]:
        return [in_language(r, lang) for r in self.remarks]

    def spacing_by_kind(self) -> dict[str, list[SpacingChange]]:
        """The spacing changes grouped by rule, in the order each rule first applied."""
        kinds: dict[str, list[SpacingChange]] = {}
        for change in self.spacing:
            kinds.setdefault(change.kind, []).append(change)
        return kinds


@dataclass(frozen=True)
class Correction:
    """Where a note's citation differs from the work: kept in the note, listed for the reader."""

    cited: str
    correct: str
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Work:
    """An entry of the bibliography, formatted in the apparatus language."""

    id: str
    html: Markup
    language: str | None
    authors: tuple[str, ...]
    original_names: tuple[str, ...]
    part_of: str | None
    incomplete: bool
    corrections: tuple[Correction, ...]
    remarks: tuple[dict[str, str], ...]
    line: int
    # The name it files under, as printed ("Κλιφ, Τόνι"), and the original form its author's
    # name also files under, with a reference to it ("Cliff, Tony"), if any.
    filed_under: str
    see_from: str | None

    def remarks_in(self, lang: str) -> list[str]:
        return [in_language(r, lang) for r in self.remarks]


@dataclass(frozen=True)
class Citation:
    """Words of a note that cite a work; `work` is None when they resolve to nothing. `kind`
    is how the note names the work: "work" (in full), "op-cit" (by its author, «ό.π.») or
    "ibid" (the work cited last: «Ebd.», «ibid.», «там же»)."""

    text: str
    note: str
    work: str | None
    words: str
    locator: str | None
    kind: str


@dataclass(frozen=True)
class Cite:
    """The linked words of a citation, inside the note that holds them."""

    citation: Citation
    html: Markup


@dataclass(frozen=True)
class When:
    """A date as a text or the data gives it: a day, a month, a range or a night, in one
    calendar. `start` and `end` are absolute days (Julian Day Numbers)."""

    calendar: str
    start: Day
    end: Day
    precision: str  # "day", "month", "range" or "night"

    @property
    def span(self) -> tuple[Day, Day]:
        """The days it covers: a night covers its evening's day and the next morning's."""
        return (self.start, self.start + 1) if self.precision == "night" else (self.start,
                                                                                self.end)


@dataclass(frozen=True)
class Flag:
    """An editorial flag on a text's date: its pair disagrees by calendar arithmetic
    ("pair"), or it differs from the reference date ("reference")."""

    kind: str
    days: int  # how many days later (positive) or earlier the text's date is
    years: int  # how many years later or earlier, before `days`
    expected: When  # what arithmetic or the reference gives
    matches_in_other_calendar: bool = False  # the text's first date fits read in the other one


@dataclass(frozen=True)
class Mention:
    text: str
    anchor: str
    quote: str
    when: When | None
    basis: str  # "stated", "assumed" or "unknown": does the text say which calendar?
    paired: When | None
    flags: tuple[Flag, ...]
    passage: str = ""  # the id of the anchor at the quote's first word (book/passages.py)

    @property
    def place(self) -> str:
        """The id a link to the quoted words leads to: theirs, else their paragraph's."""
        return self.passage or self.anchor


@dataclass(frozen=True)
class Event:
    id: str
    when: When
    source: str  # "reference": the standard histories; "text": only as our texts date it
    labels: dict[str, str]
    mentions: tuple[Mention, ...]

    def label(self, lang: str) -> str:
        return in_language(self.labels, lang)

    def mentions_in(self, text_id: str) -> list[Mention]:
        return [m for m in self.mentions if m.text == text_id]


@dataclass(frozen=True)
class Question:
    """A reading question on a text, in each apparatus language it is written in."""

    id: str
    text: str
    about: tuple[str, ...]  # paragraph ids
    wording: dict[str, str]
    editions: tuple[str, ...] | None = None  # only in these editions; None: in all
    # For the teacher's copy only: the answer and notes on teaching it, by apparatus language.
    answer: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    lines: int | None = None  # ruled lines for the answer in the student's copy; None: the
    # edition's answer_lines
    source: Path | None = field(default=None, repr=False, compare=False)  # the file it is in
    line: int | None = field(default=None, repr=False, compare=False)  # where its entry begins
    quote: str = ""  # the first words it quotes («…») of the paragraph it asks about first
    passage: str = ""  # the id of the anchor at the quote's first word (book/passages.py)

    @property
    def place(self) -> str:
        """The id a link to the passage asked about leads to: its quote's, else its first
        paragraph's."""
        return self.passage or (self.about[0] if self.about else "")

    def in_edition(self, name: str) -> bool:
        return self.editions is None or name in self.editions

    def numbers(self) -> list[int]:
        return [paragraph_number(p) for p in self.about]


@dataclass(frozen=True)
class GlossaryEntry:
    id: str
    kind: str  # what it names: teaching.KINDS
    forms: dict[str, str]  # the name in each language
    gloss: dict[str, str]  # the explanation, by apparatus language
    texts: tuple[str, ...] = ()  # the texts that name it: an edition prints it with one of them
    source: Path | None = field(default=None, repr=False, compare=False)  # the file it is in

    def gloss_in(self, lang: str) -> str:
        return in_language(self.gloss, lang)

    def form_in(self, lang: str) -> str:
        return in_language(self.forms, lang)


CROP_MARK_GAP_MM = 3  # how far beyond the bleed the crop marks begin, clear of its artwork


@dataclass(frozen=True)
class PageSetup:
    size: str  # a CSS page size: "A5", "A4 landscape", "148mm 210mm"
    type_size: str
    mirrored: bool  # inner and outer margins swap on left pages, as in a bound book
    margins: tuple[str, str, str, str]  # top, bottom, inner, outer
    crop_marks: bool = False  # where to trim, drawn outside the bleed
    page_multiple: int = 1  # the PDF's pages are a multiple of it, blank pages added at the end
    bleed_mm: float = 0.0  # how far the pages run beyond where they are trimmed (0: not)

    @property
    def sheet_bleed_mm(self) -> float:
        """How far the PDF's sheet runs beyond the trimmed page: the bleed, and the crop marks
        beyond it. WeasyPrint draws them in the outer half of what CSS calls the bleed, which
        is this: a mark begins the gap beyond the bleed, and is as long as both."""
        return 2 * (self.bleed_mm + CROP_MARK_GAP_MM) if self.crop_marks else self.bleed_mm


@dataclass(frozen=True)
class Style:
    """An edition's [style]: what its stylesheets read as CSS custom properties."""

    accent_colour: str = ""  # "#rrggbb", or "" for the text's own colour
    heading_size: str = ""  # as the edition gives it, such as "18pt"; "" for the theme's sizes
    heading_scale: float = 0.0  # heading_size in body type sizes (rem), for both formats


@dataclass(frozen=True)
class Edition:
    name: str
    path: Path = field(repr=False)
    title: str
    subtitle: str
    language: str
    texts: tuple[str, ...]
    sections: tuple[str, ...]
    formats: tuple[str, ...]
    filename: str
    identifier: str
    templates: str
    paragraph_numbers: bool
    page: PageSetup
    worksheet: bool
    date: str | None = None  # stamped into the outputs when SOURCE_DATE_EPOCH is not set
    class_line: str = ""  # on the title page: "Class 10B, spring term"
    teacher: str = ""  # on the title page, under the class line
    style: Style = Style()
    # An edition in a folder of its own (editions/NAME/edition.toml) keeps there its questions,
    # glossary and templates; None for an edition file alone (editions/NAME.toml).
    folder: Path | None = field(default=None, repr=False)
    # What it takes of the editors' shared questions and glossary: all (True), none (False),
    # or the entries of these ids.
    shared_questions: bool | tuple[str, ...] = True
    shared_glossary: bool | tuple[str, ...] = True
    answer_lines: int = 0  # ruled lines under a question that gives no number of its own
    copies: tuple[str, ...] = ("student",)  # the copies the build makes
    copy: str = "student"  # which copy this is: "teacher" shows the answers
    publisher: str = ""  # the EPUB's dc:publisher; "" names none
    editors: tuple[str, ...] = ()  # the EPUB's contributors, as editors
    # (format, ISBN as printed), in FORMATS' order: the colophon prints them, the EPUB's is its
    # identifier. The student's copy's only: the teacher's is not the book that is sold.
    isbns: tuple[tuple[str, str], ...] = ()
    # The EPUB marks where the PDF's pages begin (book/printpages.py); it makes both.
    print_pages: bool = False

    def has(self, section: str) -> bool:
        return section in self.sections

    def isbn(self, fmt: str) -> str:
        """The ISBN of the edition's `fmt` as printed, "" if it has none."""
        return dict(self.isbns).get(fmt, "")

    @property
    def for_teacher(self) -> bool:
        """The teacher's copy: answers, teachers' notes and the worksheet's dates shown."""
        return self.copy == "teacher"

    @property
    def own_templates(self) -> Path | None:
        """The templates of an edition in a folder of its own, in front of its theme."""
        return self.folder / "templates" if self.folder else None

    def takes(self, shared: bool | tuple[str, ...], entry_id: str) -> bool:
        return shared if isinstance(shared, bool) else entry_id in shared


@dataclass(frozen=True)
class Book:
    """Everything gathered before anything is rendered."""

    edition: Edition
    texts: tuple[Text, ...] = field(default_factory=tuple)
    works: tuple[Work, ...] = field(default_factory=tuple)
    citations: tuple[Citation, ...] = field(default_factory=tuple)
    events: tuple[Event, ...] = field(default_factory=tuple)
    questions: tuple[Question, ...] = field(default_factory=tuple)
    glossary: tuple[GlossaryEntry, ...] = field(default_factory=tuple)
    typography: Typographies = field(default_factory=Typographies)  # sources/typography.yaml

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t.lang for t in self.texts))

    @property
    def written_in(self) -> tuple[str, ...]:
        """The languages of its pages: the apparatus's, the texts', the cited works'."""
        return tuple(dict.fromkeys([self.edition.language, *self.languages,
                                    *(w.language for w in self.works if w.language)]))

    def note_parts(self, text: Text, note: Note) -> tuple[Markup | Cite, ...]:
        """The note's content with the words that cite a work as Cite parts, to be linked;
        the note whole where the edition has no bibliography for them to lead to."""
        return note.parts if self.works and note.parts else (note.html,)

    def by_number(self, text: Text) -> bool:
        """Whether the apparatus points into `text` by paragraph number (¶ 3): where the
        edition numbers paragraphs and the text has more than one ("¶ 1" says nothing);
        else by page in print."""
        return self.edition.paragraph_numbers and len(text.paragraphs) > 1

    def questions_on(self, text: Text) -> list[Question]:
        return [q for q in self.questions if q.text == text.id]

    def events_at(self, paragraph_id: str) -> list[Event]:
        """The chronology's events that cite this paragraph, for links back to their rows."""
        return [e for e in self.events if any(m.anchor == paragraph_id for m in e.mentions)]

    def corrections(self) -> list[tuple[Work, Correction, Text]]:
        """Every correction of a note's citation, with the text whose notes it corrects: the
        first the book prints whose notes of those numbers cite the work (the data names the
        notes, not the text). One whose notes this book does not print is left out: another
        text's notes of the same numbers are not the ones it corrects."""
        found = []
        for work in self.works:
            cited = self.cited_in(work) if work.corrections else []
            for correction in work.corrections:
                text = next((text for text, labels in cited
                             if set(correction.notes) <= set(labels)), None)
                if text is not None:
                    found.append((work, correction, text))
        return sorted(found, key=lambda found: (
            self.texts.index(found[2]), [int(n) if n.isdigit() else 0 for n in found[1].notes]))

    def cited_in(self, work: Work) -> list[tuple[Text, list[str]]]:
        """The notes that cite `work` or a part of it, text by text, in the texts' order."""
        ids = {work.id} | {w.id for w in self.works if w.part_of == work.id}
        result = []
        for text in self.texts:
            labels = [c.note for c in self.citations if c.text == text.id and c.work in ids]
            if labels:
                result.append((text, list(dict.fromkeys(labels))))
        return result
