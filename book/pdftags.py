"""Corrections to WeasyPrint's PDF/UA structure tree, made in write_pdf's finisher.

WeasyPrint (70) tags a PDF page by page from its boxes: what a page break splits becomes two
elements, a footnote is a Span beside the page's text, links and margins are tagged loosely
and no element says its language. Each correction below names the behaviour it works around;
tests/test_pdftags.py reads the result back with pikepdf."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pydyf

# The scope of a header cell, from its HTML `scope`: PDF 1.7 knows rows and columns only, and
# a row group's header heads the rows under it.
SCOPES = {"row": "/Row", "rowgroup": "/Row", "col": "/Column", "colgroup": "/Column"}


@dataclass(frozen=True)
class Tagged:
    """A structure element WeasyPrint made, and the box it made it for."""

    element: pydyf.Dictionary
    box: object
    text: bool  # one of the Spans WeasyPrint wraps each laid-out piece of text in


def correct_tags(document, pdf, words: Callable[[object, str], str | None]) -> None:
    """Correct the structure tree WeasyPrint wrote into `pdf`. `words(a, shown)` names what
    the link of HTML element `a`, which sets the text `shown`, leads to ("Note 12"), or is None
    to name it by the element's own text."""
    tagged = _tagged(document, pdf)
    objects = _Objects(pdf)
    root = objects[pdf.catalog["StructTreeRoot"]]
    top = objects[root["K"][0]]
    of = {id(t.element): t for t in tagged}
    # The notes leave the footnote areas empty, which then no longer stand between the
    # pages of a split element.
    _notes_in_place(tagged, objects)
    _drop_empty(top, objects)
    _join_split(top, objects, of)
    tagged = [t for t in tagged if t.element.free != "f"]  # not those joined to another
    _links(tagged, objects, of, words)
    _header_scopes(tagged)
    _whole_words(tagged, objects)
    _languages(top, objects, of, str(pdf.catalog["Lang"].string))
    _rebuild_parent_tree(pdf, root, top, objects)
    _id_tree(root, top, objects)
    _nulls_for_dropped(pdf)


class _Null(pydyf.Object):
    """The null object (ISO 32000-1, 7.3.10: a reference to a free object means null too)."""

    data = b"null"


def _nulls_for_dropped(pdf) -> None:
    """Each element dropped or joined to another (marked free) made a null object in its
    place. pydyf (0.13) leaves a free object out of the object stream but not out of the
    cross-reference stream's count of its places, so every later object's index was shifted:
    readers that trust the index (poppler) read the wrong objects, lost the document's title
    and saw a tree of five elements."""
    for number, dropped in enumerate(pdf.objects):
        if number and dropped.free == "f":  # object 0 heads the list of free ones
            pdf.objects[number] = _Null()
            pdf.objects[number].number = number


class _Objects:
    """pydyf's objects by reference (b'12 0 R')."""

    def __init__(self, pdf) -> None:
        self.pdf = pdf

    def __getitem__(self, reference: bytes):
        return self.pdf.objects[int(reference.split()[0])]


def _elements(parent, objects) -> Iterator[pydyf.Dictionary]:
    """The structure elements among `parent`'s kids."""
    for kid in parent["K"]:
        if isinstance(kid, bytes) and objects[kid].get("Type") == "/StructElem":
            yield objects[kid]


def _tagged(document, pdf) -> list[Tagged]:
    """WeasyPrint's structure elements with the boxes they stand for.

    WeasyPrint keeps no link from an element to its box. It creates the elements in the order
    of weasyprint.pdf.tags._build_box_tree's walk, which _walk repeats; the tag of each pair
    is checked, so that a WeasyPrint that walks otherwise stops the build."""
    made = [o for o in pdf.objects if isinstance(o, pydyf.Dictionary)
            and o.get("Type") == "/StructElem" and o.get("S") != "/Document"]
    walked = [w for page in document.pages for w in _walk(page._page_box, "Document")]
    if len(made) != len(walked) or any(
            element["S"] != f"/{tag}" for element, (_, tag, _) in zip(made, walked,
                                                                       strict=False)):
        raise RuntimeError("WeasyPrint's structure tree is not the one book/pdftags.py "
                           "expects: its walk of the boxes has changed")
    return [Tagged(element, box, text)
            for element, (box, _, text) in zip(made, walked, strict=True)]


def _walk(box, parent_tag: str) -> Iterator[tuple[object, str, bool]]:
    """(box, tag, is text) for each element WeasyPrint 70's _build_box_tree creates, in order."""
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout.absolute import AbsolutePlaceholder
    from weasyprint.pdf.tags import _get_pdf_tag

    if isinstance(box, AbsolutePlaceholder):
        box = box._box
    element_tag = None if box.element is None else box.element_tag
    tag = _get_pdf_tag(element_tag)
    if element_tag in ("html", "body") or isinstance(box, boxes.PageBox):
        if isinstance(box, boxes.ParentBox) and not isinstance(box, boxes.LineBox):
            for child in box.children:
                yield from _walk(child, parent_tag)
            return
    elif isinstance(box, boxes.MarginBox):
        for child in box.children:
            yield from _walk(child, parent_tag)
        return
    elif tag in ("TD", "TH"):
        if parent_tag in ("TD", "TH"):
            tag = "NonStruct"
    elif tag == "LI":
        if parent_tag == "LI":
            tag = "LBody"
        elif parent_tag == "LBody":
            tag = "NonStruct"
        elif box.element_tag in ("dt", "dd") or box.element_tag == "li" and (
                "list-item" not in box.style["display"] or
                box.style["list_style_type"] == "none"):
            yield box, "LI", False
            yield from _walk(box, "LI")
            return
    yield box, tag, False
    children = box.children if isinstance(box, boxes.ParentBox) else []
    if tag == "Table" and box.is_table_wrapper:
        table = box.get_wrapped_table()
        if table:
            children = [c for child in box.children
                        for c in (child.children if child is table else [child])]
    for child in children:
        for kid in child.children if isinstance(child, boxes.LineBox) else [child]:
            if isinstance(kid, boxes.TextBox):
                if tag != "Link":  # a Link holds its text's marked content itself
                    yield kid, "Span", True
            else:
                yield from _walk(kid, tag)


def _kids_moved(element, into, objects) -> list:
    """`element`'s kids, to be kids of `into`: marked content on another page is referred to
    with its page, elements name their new parent."""
    moved = []
    for kid in element["K"]:
        if isinstance(kid, int):
            kid = kid if element["Pg"] == into["Pg"] else pydyf.Dictionary(
                {"Type": "/MCR", "Pg": element["Pg"], "MCID": kid})
        elif isinstance(kid, bytes) and objects[kid].get("Type") == "/StructElem":
            objects[kid]["P"] = into.reference
        moved.append(kid)
    return moved


def _join_split(parent, objects, of) -> None:
    """One element for what a page break splits: a section, a table, a paragraph.

    WeasyPrint builds each page's tree apart, so an element running over pages is one
    element per page, and an inline element is one per line (a link over two lines, two
    Links). Consecutive elements of one HTML element are joined, outermost first, so that
    the last kid of one and the first of the next meet and join in turn."""
    kids = parent["K"]
    i = 0
    while i < len(kids):
        # The next kid, past the link annotations a joined Link brought (OBJRs, which have
        # no place in the reading order).
        j = i + 1
        while j < len(kids) and _is_objr(kids[j], objects):
            j += 1
        if j < len(kids) and _same_element(kids[i], kids[j], objects, of):
            a, b = objects[kids[i]], objects[kids[j]]
            if a["S"] == "/Table":
                _drop_repeated_head(a, b, objects)
            a["K"].extend(_kids_moved(b, a, objects))
            del kids[j]
            b.free = "f"
            continue
        i += 1
    for kid in list(_elements(parent, objects)):
        _join_split(kid, objects, of)


def _is_objr(kid, objects) -> bool:
    return isinstance(kid, bytes) and objects[kid].get("Type") == "/OBJR"


def _same_element(first, second, objects, of) -> bool:
    """Whether two kids are elements WeasyPrint made for one HTML element (not its text)."""
    if not (isinstance(first, bytes) and isinstance(second, bytes)):
        return False
    a, b = of.get(id(objects[first])), of.get(id(objects[second]))
    return bool(a and b) and not a.text and not b.text and \
        a.element["S"] == b.element["S"] and a.box.element is not None and \
        a.box.element is b.box.element


def _drop_repeated_head(table, more, objects) -> None:
    """The head a table repeats on each page is an artifact of pagination, not a second
    head: it leaves the tree (its content becomes an Artifact with the parent tree), and the
    cells under it refer to the first head's cells, in the same places."""
    heads = [[e for e in _elements(t, objects) if e["S"] == "/THead"] for t in (table, more)]
    if not heads[0] or not heads[1]:
        return
    first, repeated = heads[0][0], heads[1][0]
    same = {r["ID"].string: f["ID"] for f, r in zip(_cells(first, objects),
                                                   _cells(repeated, objects), strict=False)
            if "ID" in f and "ID" in r}
    more["K"].remove(repeated.reference)
    for cell in _cells(more, objects):
        headers = cell.get("A", {}).get("Headers")
        if headers:
            cell["A"]["Headers"] = pydyf.Array(
                same.get(h.string, h) for h in headers)


def _cells(parent, objects) -> Iterator[pydyf.Dictionary]:
    """The header and data cells under `parent`, in order."""
    for element in _elements(parent, objects):
        if element["S"] in ("/TH", "/TD"):
            yield element
        else:
            yield from _cells(element, objects)


def _notes_in_place(tagged: list[Tagged], objects) -> None:
    """Footnotes as Note elements, each after its call, which is a Reference.

    WeasyPrint tags a footnote where it is drawn, in the page's footnote area, outside the
    text (a NonStruct of Spans), and its call and its number as NonStructs: the note goes
    back to its call's place in the paragraph, with the ID PDF/UA asks of a Note, its
    number as its label (Lbl)."""
    calls = {id(t.box.element): t.element for t in tagged
             if not t.text and t.box.element_tag == "span::footnote-call"}
    markers: dict[int, list] = {}
    for t in tagged:
        if not t.text and t.box.element_tag == "span::footnote-marker":
            markers.setdefault(id(t.box.element), []).append(t.element)
    for t in tagged:
        if t.text or t.box.element_tag != "span" or "footnote" not in \
                t.box.element.get("class", "").split():
            continue
        note, call = t.element, calls.get(id(t.box.element))
        note["S"] = "/Note"
        for marker in markers.get(id(t.box.element), ()):
            marker["S"] = "/Lbl"  # the note's number: WeasyPrint makes it a NonStruct
        note["ID"] = pydyf.String(t.box.element.get("id"))
        if call is None:  # a note whose call is on no page: cannot be, left where it is
            continue
        call["S"] = "/Reference"
        objects[note["P"]]["K"].remove(note.reference)
        siblings = objects[call["P"]]["K"]
        siblings.insert(siblings.index(call.reference) + 1, note.reference)
        note["P"] = call["P"]


def _links(tagged: list[Tagged], objects, of, words) -> None:
    """Each link annotation owned by the Link element of its <a>, and named in words.

    WeasyPrint gives each box inside a link its own annotation and tags it as a Link of its
    own (an <a>'s ::after with a page number, a <q> inside it, each line of it), tags an <a>
    with no href as an empty Link, and sets each annotation's /Contents to the target's id.
    The annotations of one <a> go to its outermost element, the others become
    Spans (WeasyPrint's issue #185, nested tags in anchors)."""
    owners: dict[int, Tagged] = {}
    for t in tagged:
        objrs = [kid for kid in t.element["K"]
                 if isinstance(kid, bytes) and objects[kid].get("Type") == "/OBJR"]
        if not objrs:
            continue
        anchor = _anchor(t, objects, of)
        owner = owners.setdefault(id(anchor.element), anchor)
        if owner is not t:
            t.element["K"] = pydyf.Array(kid for kid in t.element["K"] if kid not in objrs)
            owner.element["K"].extend(objrs)
        named = words(owner.box.element, " ".join(_text(owner.box).split())) or \
            " ".join("".join(owner.box.element.itertext()).split())
        for objr in objrs:
            objects[objects[objr]["Obj"]]["Contents"] = pydyf.String(named)
    linking = {id(owner.element) for owner in owners.values()}
    for t in tagged:
        if t.element["S"] == "/Link" and id(t.element) not in linking:
            t.element["S"] = "/Span"
        elif id(t.element) in linking:
            t.element["S"] = "/Link"


def _anchor(t: Tagged, objects, of) -> Tagged:
    """The element of the <a> that `t` is part of (itself, or a pseudo-element or a <span>
    inside it, which WeasyPrint also gives the link's annotation)."""
    element = t.element
    while element.get("S") != "/Document":
        tagged = of.get(id(element))
        if tagged and tagged.box.element_tag == "a":
            return tagged
        element = objects[element["P"]]
    return t


def _text(box) -> str:
    """The text a box sets, generated content included (a page reference's number)."""
    if hasattr(box, "text"):
        return box.text
    return "".join(_text(child) for child in getattr(box, "children", ()))


def _header_scopes(tagged: list[Tagged]) -> None:
    """Header cells with their /Scope, from their HTML `scope`: WeasyPrint writes none."""
    for t in tagged:
        if t.element["S"] == "/TH" and not t.text:
            scope = SCOPES.get(t.box.element.get("scope", "col"), "/Column")
            t.element["A"]["Scope"] = scope


def _whole_words(tagged: list[Tagged], objects) -> None:
    """A word hyphenated at a line's end reads whole.

    WeasyPrint draws the hyphen it adds as a character of the text (U+2010), so extraction
    and speech read "εκ‐ βιομηχάνιση". The piece of text ending in it says, in its marked
    content (which text extraction reads) and in its element, that it stands for the same
    text ending in a soft hyphen, which readers join with the next line."""
    properties: dict[bytes, dict] = {}  # page -> MCID -> its marked content's properties
    for t in tagged:
        if not t.text:
            continue
        hyphen = added_hyphen(t.box)
        if not hyphen:
            continue
        text = t.box.text
        page = t.element["Pg"]
        if page not in properties:
            properties[page] = {item["MCID"]: item
                                for item in objects[objects[page]["Contents"]].stream
                                if isinstance(item, pydyf.Dictionary) and "MCID" in item}
        actual = pydyf.String(text[:-len(hyphen)] + "\u00ad")
        t.element["ActualText"] = actual
        properties[page][t.element["K"][0]]["ActualText"] = actual


def added_hyphen(box) -> str:
    """The hyphen the layout added at the end of a box of text, where it broke a word at the
    line's end; "" if it added none (a hyphen of the word's own, such as "Marx-Engels", is
    the text's)."""
    hyphen = box.style["hyphenate_character"]
    return hyphen if hyphen and box.text.endswith(hyphen) and \
        hyphen not in _source_text(box) else ""


def _source_text(box) -> str:
    """The text of the HTML element a box of text belongs to."""
    return "".join(box.element.itertext()) if box.element is not None else ""


def _drop_empty(parent, objects) -> bool:
    """Remove elements with no content (what the notes left behind, an <a> with only an id,
    which WeasyPrint tags as an empty Link); True if `parent` is empty itself."""
    kept = pydyf.Array()
    for kid in parent["K"]:
        if isinstance(kid, bytes) and objects[kid].get("Type") == "/StructElem" and \
                _drop_empty(objects[kid], objects):
            objects[kid].free = "f"
            continue
        kept.append(kid)
    parent["K"] = kept
    return not kept


def _languages(parent, objects, of, inherited: str) -> None:
    """/Lang on each element whose language differs from its parent's.

    WeasyPrint writes the document's language only; the HTML's lang attributes are in each
    box's computed `lang`."""
    for element in _elements(parent, objects):
        t = of.get(id(element))
        lang = t.box.style["lang"] if t else None
        if lang and lang != inherited:
            element["Lang"] = pydyf.String(lang)
        else:
            element.pop("Lang", None)
        _languages(element, objects, of, lang or inherited)


def _rebuild_parent_tree(pdf, root, top, objects) -> None:
    """The parent tree made again from the corrected tree; marked content no element holds
    (WeasyPrint tags the running heads and folios of the page margins, then leaves their
    elements out of the tree: its issue #1836) becomes an Artifact, as PDF/UA asks of
    pagination; PDF/UA-1 allows it in the content stream, not as a node of the tree."""
    pages = {reference: number for number, reference in enumerate(pdf.page_references)}
    held: dict[int, dict[int, bytes]] = {n: {} for n in pages.values()}
    annotations: dict[int, bytes] = {}

    def walk(element):
        for kid in element["K"]:
            if isinstance(kid, int):
                held[pages[element["Pg"]]][kid] = element.reference
            elif isinstance(kid, pydyf.Dictionary):  # a marked-content reference
                held[pages[kid["Pg"]]][kid["MCID"]] = element.reference
            elif objects[kid].get("Type") == "/OBJR":
                annotation = objects[objects[kid]["Obj"]]
                annotations[annotation["StructParent"]] = element.reference
            else:
                walk(objects[kid])

    walk(top)
    page_objects = [objects[reference] for reference in pdf.page_references]
    renumbered = {n: _artifacts(objects[page["Contents"]], held[n])
                  for n, page in enumerate(page_objects)}

    def renumber(element):
        for index, kid in enumerate(element["K"]):
            if isinstance(kid, int):
                element["K"][index] = renumbered[pages[element["Pg"]]][kid]
            elif isinstance(kid, pydyf.Dictionary):
                kid["MCID"] = renumbered[pages[kid["Pg"]]][kid["MCID"]]
            elif objects[kid].get("Type") == "/StructElem":
                renumber(objects[kid])

    renumber(top)
    nums = pydyf.Array()
    for n in range(len(page_objects)):
        by_new = sorted((renumbered[n][old], reference) for old, reference in held[n].items())
        nums.extend([n, pydyf.Array(reference for _, reference in by_new)])
    for number in sorted(annotations):
        nums.extend([number, annotations[number]])
    objects[root["ParentTree"]]["Nums"] = nums


def _artifacts(stream, held: dict[int, bytes]) -> dict[int, int]:
    """Turn the marked content of `stream` that no element holds into Artifacts of
    pagination; the others are numbered again from 0, in order. Returns old -> new MCID."""
    renumbered = {}
    items = stream.stream
    for index, item in enumerate(items):
        if isinstance(item, pydyf.Dictionary) and "MCID" in item:
            old = item["MCID"]
            if old in held:
                renumbered[old] = item["MCID"] = len(renumbered)
            else:
                items[index - 1] = "/Artifact"
                items[index] = pydyf.Dictionary({"Type": "/Pagination"})
    missing = set(held) - set(renumbered)
    if missing:
        raise RuntimeError(f"marked content {sorted(missing)} is not in its page's stream")
    return renumbered


def _id_tree(root, top, objects) -> None:
    """The /IDTree the structure root needs once elements have IDs (the notes', the header
    cells' WeasyPrint gives for /Headers, without one)."""
    named = []

    def walk(element):
        if "ID" in element:
            named.append((element["ID"].string, element.reference))
        for kid in _elements(element, objects):
            walk(kid)

    walk(top)
    names = pydyf.Array()
    for name, reference in sorted(named):
        names.extend([pydyf.String(name), reference])
    root["IDTree"] = pydyf.Dictionary({"Names": names})
