"""Which faces of the EPUB's @font-face rules its documents print with, and the characters
each prints: the stylesheets' font properties cascaded over each document as a reading system
cascades them, so that the EPUB packages no face nobody sees and each font only the glyphs
its text needs (book/subset.py)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import cssselect2
import tinycss2
from lxml import etree

from .cssparse import stylesheet_rules
from .xhtml import Refused, resolve

# What a reading system's own stylesheet gives the elements our documents use (the HTML
# standard's rendering section), below every rule of ours.
USER_AGENT_CSS = """
b, strong, th, optgroup { font-weight: bolder }
h1, h2, h3, h4, h5, h6 { font-weight: bold }
i, em, cite, var, dfn, address { font-style: italic }
code, kbd, samp, pre, tt, listing, xmp, plaintext { font-family: monospace }
ul, menu, dir { list-style-type: disc }
ol { list-style-type: decimal }
q::before { content: open-quote }
q::after { content: close-quote }
"""
# What a reading system may print in a face besides the text: a hyphen where it breaks a
# word, the spaces it lays out.
ALWAYS = frozenset(" \u00a0-\u2010")
# A list's markers, bullets or numbers.
MARKERS = frozenset("0123456789.•◦▪")
# Quotation marks where no `quotes` of ours applies: the reading system's, by language.
ANY_QUOTES = frozenset("“”‘’«»„‚‹›\"'")
# The OpenType features a font-variant value asks for, kept in the subset fonts.
VARIANT_FEATURES = {
    "small-caps": ("smcp",), "all-small-caps": ("smcp", "c2sc"), "petite-caps": ("pcap",),
    "all-petite-caps": ("pcap", "c2pc"), "unicase": ("unic",), "titling-caps": ("titl",),
    "lining-nums": ("lnum",), "oldstyle-nums": ("onum",), "proportional-nums": ("pnum",),
    "tabular-nums": ("tnum",), "diagonal-fractions": ("frac",),
    "stacked-fractions": ("afrc",), "ordinal": ("ordn",), "slashed-zero": ("zero",),
    "discretionary-ligatures": ("dlig",), "historical-ligatures": ("hlig",),
    "contextual": ("calt",), "common-ligatures": ("liga", "clig"), "historical-forms": ("hist",),
}
SMALL_CAPS = {"small-caps", "all-small-caps", "petite-caps", "all-petite-caps", "unicase"}
FONT_SIZES = {"xx-small", "x-small", "small", "medium", "large", "x-large", "xx-large",
              "xxx-large", "larger", "smaller"}
WEIGHTS = {"normal": 400, "bold": 700}
INHERITED = ("family", "style", "weight", "transform", "caps", "quotes", "list")
UNKNOWN = object()  # a value only the reading system can resolve (var()): every face may print


@dataclass(frozen=True)
class Face:
    family: str  # casefolded
    style: str  # normal, italic or oblique
    weight: int
    files: tuple[str, ...]  # the package names its src loads
    stylesheet: str  # the package name of the stylesheet that declares it
    top_level: bool  # a rule of its own at the top of the stylesheet, which can be removed


@dataclass
class FontUse:
    faces: list[Face]
    characters: dict[Face, set[str]] = field(default_factory=dict)  # the faces printed with
    features: set[str] = field(default_factory=set)
    # Fonts a stylesheet loads other than from a top-level @font-face: kept whole.
    other_references: set[str] = field(default_factory=set)


def font_use(documents: dict[str, str], stylesheets: dict[str, str],
             covers: Callable[[Face], frozenset[int]] | None = None) -> FontUse:
    """The faces the documents (package name: XHTML) print with and their characters, from
    the stylesheets (package name: CSS) the documents link. A character goes to the first
    family of the font-family list whose face `covers` it, as a reading system falls back
    from family to family (CSS Fonts, 5.3); without `covers`, to the first family."""
    use = FontUse([])
    sheets = {name: stylesheet_rules(css) for name, css in stylesheets.items()}
    for name, css in stylesheets.items():
        faces, others = _declared(name, css)
        use.faces += faces
        use.other_references |= others
    by_family: dict[str, list[Face]] = {}
    for face in use.faces:
        by_family.setdefault(face.family, []).append(face)
    chosen: dict[tuple, list[list[Face]]] = {}
    for document_name, markup in documents.items():
        root = etree.fromstring(markup.encode("utf-8"),
                                etree.XMLParser(resolve_entities=False, no_network=True))
        # A document's own <style> comes after the stylesheets it links.
        linked = tuple(stylesheets[n] for n in _linked(document_name, root, sheets)) + \
            tuple(s.text or "" for s in root.iter("{*}style"))
        matcher, features = _matcher(linked)
        use.features |= features
        _walk(cssselect2.ElementWrapper.from_xml_root(root), _INITIAL, matcher,
              lambda computed: _chosen(computed, by_family, chosen), use, covers)
    return use


_INITIAL = {"family": (), "style": "normal", "weight": 400, "transform": "none",
            "caps": False, "quotes": None, "list": "none"}


def _chosen(computed: dict, by_family: dict[str, list[Face]],
            chosen: dict[tuple, list[list[Face]]]) -> list[list[Face]]:
    key = (computed["family"], computed["style"], computed["weight"])
    if key not in chosen:
        chosen[key] = _faces(computed, by_family)
    return chosen[key]


def _walk(element, parent: dict, matcher, faces_of, use: FontUse, covers) -> None:
    node = element.etree_element
    if not isinstance(node.tag, str) or node.tag.endswith("}head"):
        return  # a comment, a processing instruction, or what is not shown
    own, pseudo = _cascade(element, matcher, use)
    computed = _compute(parent, own)
    faces = faces_of(computed)
    text = node.text or ""
    if node.tag.endswith("}li") and computed["list"] not in ("none", None):
        text += "".join(MARKERS)
    for where in ("before", "after"):
        if where in pseudo:
            extra = _compute(computed, pseudo[where])
            _add(_content(extra, pseudo[where].get("content"), node), extra,
                 faces_of(extra), use, covers)
    for where in ("first-letter", "first-line"):
        if where in pseudo:  # some of the element's text, in a face of its own
            extra = _compute(computed, pseudo[where])
            _add("".join(node.itertext()), extra, faces_of(extra), use, covers)
    _add(text, computed, faces, use, covers)
    for child in element.iter_children():
        _walk(child, computed, matcher, faces_of, use, covers)
        _add(child.etree_element.tail or "", computed, faces, use, covers)


def _add(text: str, computed: dict, stacks: list[list[Face]], use: FontUse,
         covers: Callable[[Face], frozenset[int]] | None) -> None:
    if not text or not stacks:
        return
    characters = set(text) - {"\n", "\r", "\t"}
    if not characters:
        return
    transform = computed["transform"]
    if computed["caps"] or transform in ("uppercase", "capitalize") or transform is UNKNOWN:
        # Small capitals a font lacks are drawn from its capitals.
        characters |= set("".join(c.upper() for c in characters))
    if transform in ("lowercase", UNKNOWN):
        characters |= set("".join(c.lower() for c in characters))
    shares: dict[int, set[str]] = {}
    for character in characters:
        shares.setdefault(_first_covering(stacks, character, covers), set()).add(character)
    for index, share in shares.items():
        for face in stacks[index]:
            use.characters.setdefault(face, set(ALWAYS)).update(share)


def _first_covering(stacks: list[list[Face]], character: str,
                    covers: Callable[[Face], frozenset[int]] | None) -> int:
    """Which family of the list prints `character`: the first one a face of which has it. Or
    the first family, if none has it: its font, subset, keeps no glyph for it, and a reading
    system draws it with a font of its own. (A space goes with every face anyway.)"""
    if covers is not None and character not in ALWAYS:
        for index, faces in enumerate(stacks):
            if any(ord(character) in covers(face) for face in faces):
                return index
    return 0


def _content(computed: dict, value, node) -> str:
    """The text a ::before or ::after prints: its strings, attributes and quotation marks."""
    if value is None or value is UNKNOWN:
        return ""
    text = []
    for token in value:
        if token.type == "string":
            text.append(token.value)
        elif token.type == "function" and token.lower_name == "attr":
            names = [t.value for t in token.arguments if t.type == "ident"]
            if names:
                text.append(node.get(names[0]) or "")
        elif token.type == "ident" and token.lower_value in ("open-quote", "close-quote"):
            quotes = computed["quotes"]
            text.append("".join(ANY_QUOTES) if quotes in (None, UNKNOWN) else "".join(quotes))
    return "".join(text)


def _faces(computed: dict, by_family: dict[str, list[Face]]) -> list[list[Face]]:
    """The faces of ours a reading system takes for the computed font, family by family of
    the list (those that have faces), each matched by style and then weight as CSS matches
    them (CSS Fonts, 5.2)."""
    families = computed["family"]
    if families is UNKNOWN:
        return [[face for faces in by_family.values() for face in faces]]
    return [chosen for family in families
            if (chosen := _family_faces(computed, by_family.get(family)))]


def _family_faces(computed: dict, faces: list[Face] | None) -> list[Face]:
    if not faces:
        return []
    style, weight = computed["style"], computed["weight"]
    if style is UNKNOWN or weight is UNKNOWN:
        return list(faces)
    order = {"italic": ("italic", "oblique", "normal"),
             "oblique": ("oblique", "italic", "normal")}.get(style, ("normal", "oblique", "italic"))
    styled = next([f for f in faces if f.style == s] for s in order
                  if any(f.style == s for f in faces))
    chosen = _by_weight(styled, weight)
    # Faces of one style and weight split by unicode-range each take their share.
    return [f for f in styled if f.weight == chosen]


def _by_weight(faces: list[Face], weight: int) -> int:
    weights = sorted({f.weight for f in faces})
    if weight in weights:
        chosen = weight
    else:
        above, below = [w for w in weights if w > weight], [w for w in weights if w < weight]
        if 400 <= weight <= 500:
            near = [w for w in above if w <= 500]
            chosen = near[0] if near else below[-1] if below else above[0]
        elif weight < 400:
            chosen = below[-1] if below else above[0]
        else:
            chosen = above[0] if above else below[-1]
    return chosen


def _compute(parent: dict, own: dict) -> dict:
    computed = dict(parent)
    for name, value in own.items():
        if name == "content":
            continue
        if value == "inherit":
            continue
        if value == "initial":
            computed[name] = _INITIAL[name]
        elif name == "weight" and value in ("bolder", "lighter"):
            inherited = parent["weight"]
            computed[name] = UNKNOWN if inherited is UNKNOWN else _relative(inherited, value)
        else:
            computed[name] = value
    return computed


def _relative(weight: int, direction: str) -> int:
    if direction == "bolder":
        return 400 if weight < 350 else 700 if weight < 550 else max(weight, 900)
    return weight if weight < 100 else 100 if weight < 550 else 400 if weight < 750 else 700


def _cascade(element, matcher, use: FontUse) -> tuple[dict, dict[str, dict]]:
    """The winning declarations for the element and for its ::before and ::after."""
    found: dict[str | None, list] = {}
    for specificity, order, pseudo, (origin, declarations) in matcher.match(element):
        for important, name, value in declarations:
            found.setdefault(pseudo, []).append(
                ((important, origin, specificity, order), name, value))
    style = element.etree_element.get("style")
    if style:
        for important, name, value in _declarations(tinycss2.parse_blocks_contents(style),
                                                    use.features):
            found.setdefault(None, []).append(((important, 1, (1000, 0, 0), 0), name, value))
    result: dict[str | None, dict] = {}
    for pseudo, declared in found.items():
        values: dict = {}
        for _, name, value in sorted(declared, key=lambda d: d[0]):
            values[name] = value
        result[pseudo] = values
    return result.pop(None, {}), result


@lru_cache(maxsize=8)
def _matcher(stylesheets: tuple[str, ...]) -> tuple[cssselect2.Matcher, frozenset[str]]:
    """The rules of the reading system and of the stylesheets, in their order, and the
    OpenType features they ask for (the same for the documents of every edition)."""
    matcher, features = cssselect2.Matcher(), set()
    for origin, css in enumerate((USER_AGENT_CSS, *stylesheets)):
        for rule in _style_rules(stylesheet_rules(css)):
            declarations = _declarations(tinycss2.parse_blocks_contents(rule.content),
                                         features)
            if not declarations:
                continue
            try:
                selectors = cssselect2.compile_selector_list(rule.prelude)
            except cssselect2.SelectorError:
                continue  # a reading system skips the rule too
            for selector in selectors:
                matcher.add_selector(selector, (min(origin, 1), declarations))
    return matcher, frozenset(features)


def _style_rules(rules: Iterable) -> Iterable:
    """The style rules that may apply on a screen, those inside @media and @supports too."""
    for rule in rules:
        if rule.type == "qualified-rule":
            yield rule
        elif rule.type == "at-rule" and rule.content is not None and \
                rule.lower_at_keyword in ("media", "supports"):
            if rule.lower_at_keyword == "media" and _print_only(rule.prelude):
                continue
            yield from _style_rules(tinycss2.parse_rule_list(rule.content, skip_comments=True,
                                                             skip_whitespace=True))


def _print_only(prelude: list) -> bool:
    words = {t.lower_value for t in prelude if t.type == "ident"}
    return "print" in words and not words & {"screen", "all"}


def _linked(document: str, root, sheets: dict) -> Iterable[str]:
    """The stylesheets a document links, each after those it imports."""
    seen: set[str] = set()

    def visit(name: str) -> Iterable[str]:
        if name in seen or name not in sheets:
            return
        seen.add(name)
        for rule in sheets[name]:
            if rule.type == "at-rule" and rule.lower_at_keyword == "import":
                url = next((t.value for t in rule.prelude if t.type in ("string", "url")), None)
                target = _target(name, url)
                if target:
                    yield from visit(target)
        yield name

    for link in root.iter("{*}link"):
        if "stylesheet" in (link.get("rel") or "").split():
            target = _target(document, link.get("href"))
            if target:
                yield from visit(target)


def _target(base: str, url: str | None) -> str | None:
    if not url:
        return None
    try:
        found = resolve(base, url, resource=True)
    except Refused:
        return None
    return found[0] if found else None


@lru_cache(maxsize=32)
def _declared(name: str, css: str) -> tuple[tuple[Face, ...], frozenset[str]]:
    found = FontUse([])
    _gather_faces(name, stylesheet_rules(css), found, top_level=True)
    return tuple(found.faces), frozenset(found.other_references)


def _gather_faces(name: str, rules: Iterable, use: FontUse, top_level: bool) -> None:
    """The @font-face rules of a stylesheet, and every other font it loads."""
    for rule in rules:
        if rule.type == "at-rule" and rule.lower_at_keyword == "font-face" and rule.content:
            declared = {d.lower_name: d.value for d in tinycss2.parse_blocks_contents(
                rule.content, skip_comments=True, skip_whitespace=True)
                if d.type == "declaration"}
            families = _families(declared.get("font-family", []))
            files = tuple(t for t in (_target(name, url) for url, _ in _src_urls(
                declared.get("src", []))) if t)
            if not families or families is UNKNOWN or not files:
                continue
            style = next((t.lower_value for t in declared.get("font-style", [])
                          if t.type == "ident"), "normal")
            weight = _weight(declared.get("font-weight", []))
            use.faces.append(Face(families[0], style if style in ("italic", "oblique")
                                  else "normal",
                                  weight if isinstance(weight, int) else 400, files, name,
                                  top_level))
        elif rule.type == "at-rule" and rule.content is not None and \
                rule.lower_at_keyword in ("media", "supports"):
            nested = FontUse([])
            _gather_faces(name, tinycss2.parse_rule_list(rule.content, skip_comments=True,
                                                         skip_whitespace=True), nested, False)
            # A rule inside another is not removed alone: its fonts are packaged whole.
            use.faces += nested.faces
            use.other_references |= nested.other_references | {
                file for face in nested.faces for file in face.files}
        elif rule.type in ("qualified-rule", "at-rule"):
            for url, _ in _src_urls((rule.prelude or []) + (rule.content or [])):
                target = _target(name, url)
                if target:
                    use.other_references.add(target)


def _src_urls(tokens: list) -> Iterable[tuple[str, int]]:
    from .xhtml import _urls

    return _urls(tokens)


def _declarations(nodes: list, features: set[str]) -> list[tuple[bool, str, object]]:
    """(important, property, value) for the font properties among the declarations; the
    OpenType features they ask for are noted on the way."""
    found: list[tuple[bool, str, object]] = []
    for node in nodes:
        if node.type != "declaration":
            continue
        tokens = [t for t in node.value if t.type not in ("whitespace", "comment")]
        name, important = node.lower_name, node.important
        idents = {t.lower_value for t in tokens if t.type == "ident"}
        if name in ("font-variant", "font-variant-caps", "font-variant-numeric",
                    "font-variant-ligatures", "font-variant-alternates", "font"):
            for ident in idents:
                features.update(VARIANT_FEATURES.get(ident, ()))
        if name == "font-feature-settings":
            features.update(t.value for t in tokens
                                if t.type == "string" and re.fullmatch(r"[ -~]{4}", t.value))
        if any(t.type == "function" and t.lower_name in ("var", "env") for t in tokens):
            if name in ("font", "font-family", "font-style", "font-weight", "text-transform",
                        "font-variant", "font-variant-caps", "quotes", "content"):
                for own in _PROPERTY_OF.get(name, (name,)):
                    found.append((important, own, UNKNOWN))
            continue
        keyword = tokens[0].lower_value if len(tokens) == 1 and tokens[0].type == "ident" \
            else None
        if keyword in ("inherit", "initial", "unset", "revert"):
            for own in _PROPERTY_OF.get(name, ()):
                found.append((important, own, "initial" if keyword == "initial" else
                              "inherit"))
            continue
        if name == "font-family":
            found.append((important, "family", _families(node.value)))
        elif name == "font-style" and keyword:
            found.append((important, "style", keyword if keyword in ("italic", "oblique")
                          else "normal"))
        elif name == "font-style" and tokens and tokens[0].type == "ident":
            found.append((important, "style", "oblique"))  # oblique with its angle
        elif name == "font-weight":
            weight = _weight(tokens)
            if weight is not None:
                found.append((important, "weight", weight))
        elif name == "text-transform" and keyword:
            found.append((important, "transform", keyword))
        elif name in ("font-variant", "font-variant-caps"):
            found.append((important, "caps", bool(idents & SMALL_CAPS)))
        elif name == "quotes":
            strings = [t.value for t in tokens if t.type == "string"]
            found.append((important, "quotes", strings if strings else None))
        elif name in ("list-style", "list-style-type"):
            found.append((important, "list", "none" if "none" in idents and len(idents) == 1
                          or keyword == "none" else "marker"))
        elif name == "content":
            found.append((important, "content", tokens))
        elif name == "font":
            found += [(important, own, value) for own, value in _font_shorthand(node.value)]
    return found


_PROPERTY_OF = {"font": ("family", "style", "weight", "caps"), "font-family": ("family",),
                "font-style": ("style",), "font-weight": ("weight",),
                "text-transform": ("transform",), "font-variant": ("caps",),
                "font-variant-caps": ("caps",), "quotes": ("quotes",), "content": ("content",),
                "list-style": ("list",), "list-style-type": ("list",)}


def _font_shorthand(value: list) -> list[tuple[str, object]]:
    """The `font` shorthand: style, variant and weight before the size, the families after."""
    tokens = [t for t in value if t.type != "comment"]
    style, weight, caps = "normal", 400, False
    for at, token in enumerate(tokens):
        if token.type == "whitespace":
            continue
        if token.type == "ident" and token.lower_value not in FONT_SIZES:
            word = token.lower_value
            if word in ("italic", "oblique"):
                style = word
            elif word in ("bold", "bolder", "lighter"):
                weight = 700 if word == "bold" else word  # type: ignore[assignment]
            elif word in SMALL_CAPS:
                caps = True
            elif word not in ("normal",) and at == 0:
                return []  # a system font (caption, menu…): the reading system's own
            continue
        if token.type == "number" and token.is_integer and 1 <= token.int_value <= 1000 and \
                any(t.type in ("dimension", "percentage") or
                    (t.type == "ident" and t.lower_value in FONT_SIZES) for t in tokens[at + 1:]):
            weight = token.int_value
            continue
        # The size, then perhaps "/ line height", then the families.
        rest = tokens[at + 1:]
        slash = next((i for i, t in enumerate(rest) if t.type == "literal" and t.value == "/"),
                     None)
        if slash is not None:
            rest = rest[slash + 1:]
            rest = rest[next((i for i, t in enumerate(rest) if t.type != "whitespace"),
                             len(rest)) + 1:]
        return [("style", style), ("weight", weight), ("caps", caps),
                ("family", _families(rest))]
    return []


def _families(value: list) -> tuple[str, ...]:
    """The family names of a font-family value, casefolded."""
    names, current = [], []
    for token in list(value) + [None]:
        if token is None or (token.type == "literal" and token.value == ","):
            if current:
                names.append(" ".join(current).casefold())
            current = []
        elif token.type == "string":
            current.append(token.value)
        elif token.type == "ident":
            current.append(token.value)
    return tuple(names)


def _weight(tokens: list) -> int | str | None:
    tokens = [t for t in tokens if t.type not in ("whitespace", "comment")]
    if not tokens:
        return None
    first = tokens[0]
    if first.type == "ident":
        word = first.lower_value
        return WEIGHTS.get(word, word if word in ("bolder", "lighter") else None)
    if first.type == "number" and 1 <= first.value <= 1000:
        return int(first.value)
    return None
