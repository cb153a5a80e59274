"""The apparatus in every language with a catalog: every template string translated, the
plural forms the language's own (CLDR's, through Babel)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from book.languages import apparatus_languages

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = apparatus_languages(ROOT / "templates" / "locales")


def template_messages() -> set:
    with open(ROOT / "babel.cfg") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = set()
    for _, _, message, _, _ in extract_from_dir(ROOT, method_map, options_map):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


@pytest.fixture(scope="module")
def messages():
    found = template_messages()
    assert len(found) > 50
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_template_string_is_translated(messages, lang):
    with open(ROOT / "templates" / "locales" / lang / "LC_MESSAGES" / "messages.po", "rb") as po:
        catalog = read_po(po, locale=lang)
    assert catalog.num_plurals == get_plural(lang).num_plurals
    for message in messages:
        key = message if isinstance(message, str) else message[0]
        entry = catalog.get(key)
        assert entry is not None, f"{lang}: missing {message!r}"
        assert not entry.fuzzy, f"{lang}: fuzzy {message!r}"
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        assert len(strings) == (catalog.num_plurals if isinstance(message, tuple) else 1), message
        assert all(strings), f"{lang}: untranslated {message!r}"
        # Placeholders survive translation.
        for placeholder in ("%(num)d", "%(date)s", "%(days)s", "%(years)s", "%(notes)s",
                            "%(first)s", "%(calendar)s", "%(other)s"):
            if placeholder in key:
                assert all(placeholder in s for s in strings), (lang, message)
    assert not catalog.check() or all(not errors for _, errors in catalog.check())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_apostrophe_in_a_translation_is_typographic(lang):
    """The book's apostrophes are ’, as its quotation marks are typographic: a straight one
    between letters is a typing slip."""
    with open(ROOT / "templates" / "locales" / lang / "LC_MESSAGES" / "messages.po", "rb") as po:
        catalog = read_po(po, locale=lang)
    straight = [s for m in catalog if m.id
                for s in (m.string if isinstance(m.string, tuple) else (m.string,))
                if re.search(r"\w'\w", s or "")]
    assert not straight, straight


def test_the_template_file_lists_every_string(messages):
    with open(ROOT / "templates" / "locales" / "messages.pot", "rb") as pot:
        catalog = read_po(pot)
    listed = {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalog if m.id}
    assert listed == messages


def test_plural_forms_choose_by_number():
    from book.render import load_translations

    ru = load_translations(ROOT / "templates" / "locales", "ru")
    forms = [ru.ngettext("%(num)d day later", "%(num)d days later", n) % {"num": n}
             for n in (1, 3, 5, 21)]
    assert forms == ["на 1 день позже", "на 3 дня позже", "на 5 дней позже", "на 21 день позже"]
    pl = load_translations(ROOT / "templates" / "locales", "pl")
    assert [pl.ngettext("Cited in note", "Cited in notes", n) for n in (1, 2, 5)] == [
        "Cytowane w przypisie", "Cytowane w przypisach", "Cytowane w przypisach"]


def test_a_new_string_reaches_every_catalog_whose_header_stays_as_written(fixture_project):
    from book.catalogs import header, update_catalogs

    colophon = fixture_project / "templates" / "base" / "parts" / "colophon.html"
    colophon.write_text(colophon.read_text(encoding="utf-8").replace(
        "</section>", '<p>{{ _("Set in Noto Serif Hebrew too.") }}</p>\n</section>'),
        encoding="utf-8")
    catalogs = sorted((fixture_project / "templates" / "locales").glob("*/*/messages.po"))
    before = {path: path.read_text(encoding="utf-8") for path in catalogs}
    assert update_catalogs(fixture_project) == catalogs
    for path in catalogs:
        text = path.read_text(encoding="utf-8")
        assert header(text) == header(before[path]), path  # no date, no version, no field
        with path.open("rb") as handle:
            catalog = read_po(handle)
        assert catalog["Set in Noto Serif Hebrew too."].string == "", path
        # Nothing else changed: the new string is the only difference.
        assert len(catalog) == len(read_po(iter(before[path].splitlines(True)))) + 1
    pot = fixture_project / "templates" / "locales" / "messages.pot"
    assert 'msgid "Set in Noto Serif Hebrew too."' in pot.read_text(encoding="utf-8")
    # A second run changes nothing.
    after = {path: path.read_text(encoding="utf-8") for path in catalogs}
    update_catalogs(fixture_project)
    assert {path: path.read_text(encoding="utf-8") for path in catalogs} == after


def test_a_broken_catalog_stops_the_update_at_its_line_and_loses_no_translation(
        fixture_project):
    from book.catalogs import update_catalogs
    from book.errors import BookError

    path = fixture_project / "templates" / "locales" / "pl" / "LC_MESSAGES" / "messages.po"
    text = path.read_text(encoding="utf-8")
    line = next(n for n, row in enumerate(text.split("\n"), 1) if row.startswith('msgstr "'))
    rows = text.split("\n")
    rows[line - 1] = rows[line - 1].replace('msgstr "', 'msgstr"', 1)
    path.write_text("\n".join(rows), encoding="utf-8")
    broken = path.read_text(encoding="utf-8")
    with pytest.raises(BookError) as caught:
        update_catalogs(fixture_project)
    assert (caught.value.path, caught.value.line) == (path, line)
    assert "the catalog is broken" in str(caught.value) and 'msgstr "…"' in caught.value.hint
    assert path.read_text(encoding="utf-8") == broken  # pybabel's update would drop the line
