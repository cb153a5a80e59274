"""docs/reference.md, written from the declarations the loaders validate with: a key the tool
accepts is a key this page describes. `python -m book.reference` rewrites the page;
tests/test_reference.py fails while it is out of date."""

from __future__ import annotations

import sys
from pathlib import Path

from .bibliography import CUSTOM_KEYS, DATE_FIELDS, NAME_FIELDS, NUMBER_FIELDS, TEXT_FIELDS
from .chronology import EVENT_KEYS, MENTION_KEYS, PAIRED_KEYS
from .citations import CITATION_TYPES
from .config import SCHEMA
from .files import THEME_KEYS
from .keys import Key, kinds_text
from .sources import HEADER_KEYS, REMOVAL_KINDS
from .teaching import GLOSSARY_KEYS, QUESTION_KEYS
from .typography import SPACING, TYPOGRAPHY_KEYS

PAGE = Path(__file__).resolve().parent.parent / "docs" / "reference.md"

# (heading, where the keys stand, what the file is, its keys)
FILES: list[tuple[str, str, str, dict[str, Key]]] = [
    ("Edition files", "`editions/NAME.toml` or `editions/NAME/edition.toml`, top level",
     "One file per edition; its name (a plain name) is the edition's. An edition in a folder "
     "of its own keeps there its own `questions.yaml` and `glossary.yaml` (as the shared "
     "files below, without `editions`) and its `templates/`, searched before its theme's; "
     "`python build.py new-edition NAME` starts one.", SCHEMA[None]),
    ("Edition files: `[page]`", "`editions/NAME.toml`, table `[page]`",
     "The page of the PDF.", SCHEMA["page"]),
    ("Edition files: `[style]`", "`editions/NAME.toml`, table `[style]`",
     "The look of both formats; each key sets a CSS custom property a stylesheet may set "
     "too (docs/customizing.md).", SCHEMA["style"]),
    ("Edition files: `[chronology]`", "`editions/NAME.toml`, table `[chronology]`",
     "The comparative chronology.", SCHEMA["chronology"]),
    ("Edition files: `[questions]`", "`editions/NAME.toml`, table `[questions]`",
     "The reading questions after each text.", SCHEMA["questions"]),
    ("Edition files: `[shared]`", "`editions/NAME.toml`, table `[shared]`",
     "What the edition takes of the editors' shared questions and glossary.",
     SCHEMA["shared"]),
    ("Edition files: `[isbn]`", "`editions/NAME.toml`, table `[isbn]`",
     "The ISBNs the ISBN agency assigned to the edition's formats, for a publisher; an "
     "edition without them is identified by a UUID of its own.", SCHEMA["isbn"]),
    ("Theme files", "`templates/THEME/theme.toml`",
     "A template folder's theme.toml; without one, a theme extends `base`.", THEME_KEYS),
    ("Source headers", "the YAML header of `sources/*.md`",
     "What an edited text is and what the edition changed; removal kinds: "
     + ", ".join(REMOVAL_KINDS) + " (docs/adding-a-text.md).", HEADER_KEYS),
    ("Citations", "`sources/citations.yaml`, each citation of a note",
     "Keyed by text id, then note label; a citation has `words` and one of `work`, `op-cit`, "
     "`ibid`.", CITATION_TYPES),
    ("Bibliography: our fields", "`sources/bibliography.yaml`, an entry's `custom`",
     "Entries are CSL-YAML (the CSL fields are listed below); ours stand under `custom`.",
     CUSTOM_KEYS),
    ("Chronology: events", "`sources/chronology.yaml`, each item of `events`",
     "Each event's reference date is entered once, in its own calendar.", EVENT_KEYS),
    ("Chronology: mentions", "`sources/chronology.yaml`, each item of an event's `mentions`",
     "How one text names and dates the event.", MENTION_KEYS),
    ("Chronology: a paired date as a mapping", "a mention's `paired`, written as a mapping",
     "For a night: `{date: 1917-11-07, night: true}`.", PAIRED_KEYS),
    ("Questions", "`sources/questions.yaml` and an edition's own `questions.yaml`, each "
     "question under its text's id",
     "Beside these keys, the wording in each apparatus language, keyed by its tag (en:, "
     "pl:…).", QUESTION_KEYS),
    ("Glossary", "`sources/glossary.yaml` and an edition's own `glossary.yaml`, each entry",
     "Every key is required.",
     GLOSSARY_KEYS),
    ("Typography", "`sources/typography.yaml`, each language's entry",
     "Keyed by the language's primary subtag (`el:` serves `el-polyton`), for its texts and "
     "an apparatus in it alike; a language without an entry gets no rules, and `el: {}` says "
     "it needs none (docs/adding-a-language.md).", TYPOGRAPHY_KEYS),
]


def reference() -> str:
    out = ["# Reference of every key", "",
           "Written by `python -m book.reference` from the declarations the tool checks each "
           "file against; do not edit it by hand.", ""]
    for heading, where, about, keys in FILES:
        out += [f"## {heading}", "", f"Where: {where}. {about}", "",
                "| key | value | required | default | what it is |",
                "| --- | --- | --- | --- | --- |"]
        for name, key in keys.items():
            value = kinds_text(key) + (f": {', '.join(key.allowed)}" if key.allowed else "")
            out.append(f"| `{name}` | {value} | {'yes' if key.required else 'no'} | "
                       f"{key.default or ''} | {key.doc} |")
        out.append("")
    out += ["## Typography: the spacing rules", "",
            "What each rule a language's `spacing` may name mends in the authors' texts. A rule "
            "changes only spaces, never a word; each change is recorded and shown in the note on "
            "the edition. Addresses (URLs) are left alone.", ""]
    out += [f"- `{rule.kind}`: {rule.doc}" for rule in SPACING]
    out += ["", "## Bibliography: CSL fields", "",
            "The CSL variables citeproc-py reads, by the form of their value; any other key of "
            "an entry is refused.", ""]
    for form, fields in (("text", TEXT_FIELDS), ("number", NUMBER_FIELDS),
                         ("names, [{family, given}]", NAME_FIELDS),
                         ("date, {date-parts: [[year, month, day]]}", DATE_FIELDS)):
        out += [f"- {form}: " + ", ".join(f"`{f}`" for f in sorted(fields, key=str.lower))]
    return "\n".join(out) + "\n"


def main() -> None:
    PAGE.write_text(reference(), encoding="utf-8")
    print(f"wrote {PAGE.relative_to(PAGE.parent.parent)}", file=sys.stdout)


if __name__ == "__main__":
    main()
