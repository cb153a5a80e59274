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
from helpers import edit, line_of, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
    from book.translations import load_translations

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


def test_a_catalog_no_edition_uses_is_read_all_the_same(fixture_project):
    """A translator preparing a language runs check before any edition is written in it: a
    broken line, or a folder no edition could name, is found where it is."""
    from book.make import Project, gather

    locales = fixture_project / "templates" / "locales"
    gathered = gather(Project(fixture_project))
    used = {edition.language for edition in gathered.editions}
    unused = sorted(set(LANGUAGES) - used)
    assert unused, "the fixture's editions leave a shipped catalog unused"
    assert not [f for f in gathered.findings.items if f.code == "catalog"]  # they are whole
    path = locales / unused[0] / "LC_MESSAGES" / "messages.po"
    rows = path.read_text(encoding="utf-8").split("\n")
    line = next(n for n, row in enumerate(rows, 1) if row.startswith('msgstr "') and n > 12)
    rows[line - 1] = rows[line - 1].replace('msgstr "', 'msgstr"', 1)
    path.write_text("\n".join(rows), encoding="utf-8")
    misnamed = locales / "ua" / "LC_MESSAGES"
    misnamed.mkdir(parents=True)
    (misnamed / "messages.po").write_bytes((locales / "en" / "LC_MESSAGES" /
                                           "messages.po").read_bytes())
    # A catalog an edition uses is the edition's to refuse: it stops that build instead.
    used_path = locales / sorted(used)[0] / "LC_MESSAGES" / "messages.po"
    used_path.write_text(used_path.read_text(encoding="utf-8") + "\nmsgstr\n",
                         encoding="utf-8")

    found = sorted(str(f.shown_from(fixture_project)) for f in
                    gather(Project(fixture_project)).findings.items if f.code == "catalog")
    where = f"templates/locales/{unused[0]}/LC_MESSAGES/messages.po:{line}: warning: "
    assert found == [
        f"{where}the catalog is broken: Unknown or misformatted keyword (no edition is "
        f"written in {unused[0]!r} yet, so no build reads it) [catalog]\n"
        '  hint: every msgid needs a msgstr, each followed by its words in double quotes: '
        'msgstr "…"',
        "templates/locales/ua/LC_MESSAGES/messages.po: warning: no edition can be written in "
        "this catalog's language: unknown language tag 'ua': that is the country code of "
        "Ukraine, whose language, Ukrainian, is 'uk' [catalog]\n"
        "  hint: its folder, templates/locales/<tag>, is named by the language's tag "
        "(docs/adding-a-language.md)"]


SHIPPED_CATALOG = ROOT / "templates" / "locales" / LANGUAGES[0] / "LC_MESSAGES" / "messages.po"


@pytest.mark.parametrize(("change", "line", "message"), [
    # Saved by an editor in a Windows code page: the first byte UTF-8 has no place for.
    (lambda po: po.replace(b'msgstr "', b'msgstr "\xe9', 1), "msgstr", "not UTF-8 text"),
    (lambda po: po.replace(b"charset=utf-8", b"charset=windows-1252", 1), "charset=",
     "the catalog's header names the charset 'windows-1252': the build reads every catalog "
     "as UTF-8"),
    (lambda po: po.replace(b"charset=utf-8", b"charset=klingon", 1), "charset=",
     "the charset 'klingon'"),
    (lambda po: po.replace(b'msgstr "', b'msgstr', 1), "msgstr",
     "the catalog is broken: Unknown or misformatted keyword"),
])
def test_a_catalog_in_another_encoding_is_refused_at_its_line(tmp_path, change, line, message):
    from book.errors import ConfigError
    from book.translations import read_catalog

    path = tmp_path / "messages.po"
    path.write_bytes(change(SHIPPED_CATALOG.read_bytes()))
    where = next(n for n, row in enumerate(path.read_bytes().split(b"\n"), 1)
                 if line.encode() in row)
    with pytest.raises(ConfigError) as caught:
        read_catalog(path, LANGUAGES[0], tmp_path)
    assert (caught.value.path, caught.value.line) == (path, where)
    assert message in caught.value.message


@pytest.mark.parametrize("change", [
    lambda po: b"\xef\xbb\xbf" + po,  # a byte-order mark, which some editors write first
    lambda po: po.replace(b"\n", b"\r\n"),
    lambda po: po.replace(b"charset=utf-8", b"charset=UTF8", 1),
    lambda po: po.replace(b"charset=utf-8", b"charset=utf_8", 1),
])
def test_a_catalog_saved_by_another_editor_reads_the_same(tmp_path, change):
    from book.translations import read_catalog

    path = tmp_path / "messages.po"
    path.write_bytes(SHIPPED_CATALOG.read_bytes())
    expected = {m.id: m.string for m in read_catalog(path, LANGUAGES[0], tmp_path) if m.id}
    path.write_bytes(change(SHIPPED_CATALOG.read_bytes()))
    assert {m.id: m.string for m in read_catalog(path, LANGUAGES[0], tmp_path)
            if m.id} == expected


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(min_value=0), junk=st.binary(max_size=12), drop=st.booleans())
def test_any_catalog_reads_or_is_refused_at_a_line_of_it(tmp_path, cut, junk, drop):
    """Bytes spliced into a real catalog, or a part of it dropped: read whole, or refused at a
    line of the file, never a traceback."""
    from book.errors import ConfigError
    from book.translations import read_catalog

    po = SHIPPED_CATALOG.read_bytes()
    cut %= len(po) + 1
    data = po[:cut] + junk + po[cut + (len(junk) if drop else 0):]
    path = tmp_path / "messages.po"
    path.write_bytes(data)
    try:
        read_catalog(path, LANGUAGES[0], tmp_path)
    except ConfigError as error:
        assert error.path == path
        assert error.line is None or 1 <= error.line <= data.count(b"\n") + 1, error


def test_a_line_separator_in_a_translation_is_kept(tmp_path):
    """U+2028 is no line's end in a catalog, as gettext's tools read it."""
    from book.translations import read_catalog

    rows = SHIPPED_CATALOG.read_text(encoding="utf-8").split("\n")
    line = next(n for n, row in enumerate(rows) if row.startswith('msgstr "') and n > 12)
    rows[line] = rows[line].replace('msgstr "', 'msgstr "\u2028', 1)
    path = tmp_path / "messages.po"
    path.write_text("\n".join(rows), encoding="utf-8")
    assert any(isinstance(m.string, str) and m.string.startswith("\u2028")
               for m in read_catalog(path, LANGUAGES[0], tmp_path))


RUSSIAN = ROOT / "templates" / "locales" / "ru" / "LC_MESSAGES" / "messages.po"
POLISH_RULE = ("nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? "
               "1 : 2);")


# (what is changed, the line the problem is at, what the message says): each prints the book
# wrong without a word from Babel, which reads every one of them.
@pytest.mark.parametrize(("change", "at", "message"), [
    (lambda po: re.sub(r'(msgstr\[2\] "на %\(num\)d дней раньше)"', r"\1", po), 'msgstr[2] "на',
     "the words of this line do not stand between double quotes"),
    (lambda po: po.replace('msgstr[2] "на %(num)d дней раньше"', 'msgstr[2] ""'),
     'msgid "%(num)d day earlier"', "msgstr[2] of '%(num)d day earlier' is empty: the numbers "
     "that take that form would print the English (Russian has 3 plural forms)"),
    (lambda po: re.sub(r'Plural-Forms: nplurals=3; plural=\(.*?;\\n"\n(?:".*?"\n)?',
                       f'Plural-Forms: {POLISH_RULE}\\\\n"\n', po, flags=re.DOTALL),
     '"Plural-Forms:', "the header's plural rule is not Russian's: CLDR gives Russian 3 plural "
     "forms, and this rule chooses another form for 21"),
    (lambda po: po.replace("nplurals=3", "nplurals=4"), '"Plural-Forms:',
     "and this rule gives 4"),
    (lambda po: po.replace('msgstr[1] "на %(num)d дня раньше"',
                           'msgstr[1] "на %(nm)d дня раньше"'), 'msgid "%(num)d day earlier"',
     "the translation names %(nm)…, which its msgid does not give: %(num)…"),
    (lambda po: re.sub(r'(msgid "%\(calendar\)s, assumed"\nmsgstr ")[^"]*', r"\1предположительно",
                       po), 'msgid "%(calendar)s, assumed"',
     "the translation leaves out %(calendar)…: the book would print it without"),
    (lambda po: re.sub(r'(msgid "Contents"\nmsgstr ")[^"]*', r"\1Содержание (100 %)", po),
     'msgid "Contents"', "the translation cannot be filled in: unsupported format character"),
    (lambda po: po.replace('msgid "Contents"', '#, fuzzy\nmsgid "Contents"'), 'msgid "Contents"',
     "'Contents' is marked fuzzy: a fuzzy translation is not printed"),
    (lambda po: po + '\nmsgid "Contents"\nmsgstr "Оглавление"\n', 'msgid "Contents"',
     "'Contents' is translated twice, here and at line"),
])
def test_what_babel_reads_and_the_book_would_print_wrong_is_located(tmp_path, change, at,
                                                                     message):
    from book.errors import ConfigError
    from book.translations import catalog_problems, read_catalog

    path = tmp_path / "messages.po"
    path.write_text(change(RUSSIAN.read_text(encoding="utf-8")), encoding="utf-8")
    rows = path.read_text(encoding="utf-8").split("\n")
    line = max(n for n, row in enumerate(rows, 1) if row.startswith(at)) \
        if "twice" in message else next(n for n, row in enumerate(rows, 1) if row.startswith(at))
    try:
        problems = catalog_problems(read_catalog(path, "ru", tmp_path), path, "ru")
    except ConfigError as error:
        problems = [error]
    assert [(p.path, p.line) for p in problems] == [(path, line)], [str(p) for p in problems]
    assert message in problems[0].message and problems[0].hint


def test_a_fuzzy_translation_stops_the_editions_written_in_its_language(fixture_project):
    catalog = "templates/locales/pl/LC_MESSAGES/messages.po"
    edit(fixture_project, catalog, 'msgid "Contents"', '#, fuzzy\nmsgid "Contents"')
    code, printed = run(fixture_project, "check")
    line = line_of(fixture_project, catalog, 'msgid "Contents"')
    assert code == 1
    assert f"{catalog}:{line}: 'Contents' is marked fuzzy" in printed, printed


@pytest.mark.parametrize(("edition", "language", "folder", "message", "hint"), [
    # The catalog's folder named as gettext names it; the edition's language is right.
    ("mini-pl", "pl", "pl_PL", "apparatus language 'pl' has no catalog: templates/locales/pl_PL/ "
     "holds one, but the folder of a catalog is named by its language's tag",
     "rename templates/locales/pl_PL to templates/locales/pl"),
    # The edition names a country, or no language; the catalogs are right.
    ("mini", "gb", None, "apparatus language 'gb' is not available: unknown language tag 'gb': "
     "that is the country code of United Kingdom, whose language, English, is 'en'",
     f"use one of: {', '.join(LANGUAGES)}"),
    ("mini-pl", "plk", None, "apparatus language 'plk' is not available: unknown language tag "
     "'plk'", f"use one of: {', '.join(LANGUAGES)}"),
])
def test_an_editions_language_without_its_catalog_says_which_is_meant(
        fixture_project, edition, language, folder, message, hint):
    from book.errors import ConfigError
    from book.make import Project, gather

    name = f"editions/{edition}.toml"
    locales = fixture_project / "templates" / "locales"
    if folder:
        (locales / language).rename(locales / folder)
    else:
        path = fixture_project / name
        path.write_text(re.sub(r'(?m)^language = ".*"$', f'language = "{language}"',
                               path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        gather(Project(fixture_project))
    assert (raised.value.path, raised.value.line) == (
        fixture_project / name, line_of(fixture_project, name, "language ="))
    assert raised.value.message == message and raised.value.hint.startswith(hint)
