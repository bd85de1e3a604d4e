#!/usr/bin/python3
"""pdf_check.py -- checks that memos are tagged PDF/UA-1 and PDF/A-2 as
notatgen writes them (see docs/pdf.md for what is and is not covered).

    pdf_check.py [--twin DIR] [--logo] PDF...
    pdf_check.py --self-test PDF

For every PDF: the header version, no encryption, the trailer /ID (two equal
16-byte strings, the SHA-256 of the file with the /ID zeroed); the catalog
(MarkInfo Marked, Lang da-DK, ViewerPreferences DisplayDocTitle, the
structure tree, XMP metadata, an output intent with an sRGB ICC profile,
bookmarks from the headings, no JavaScript or embedded files); every page's
StructParents and Tabs /S; every text-showing and path-painting operator in
marked content that the structure tree references, or in an artifact, never
one inside the other; the parent tree; standard structure types, heading
levels without skips, Figures with a non-empty Alt, every TH with a Scope,
the same number of cells in every row of a table (ColSpan/RowSpan counted),
lists as L/LI/Lbl/LBody, Notes with unique IDs on the page of their
reference; XMP against the Info dictionary; every font embedded with a
ToUnicode CMap of bfchar/bfrange entries that maps every code drawn to its
character; poppler (pdftotext, pdffonts) silent on stderr and pdfinfo
"Tagged: yes"; the text in structure-tree order equal to the text in the
order the pages draw it, and the pages' text as we decode it equal to
poppler's. With --twin DIR, the file of the same name in DIR (a second run)
must have the same bytes. With --logo, the first page must carry a Figure
drawing an image.

--self-test breaks a good PDF in ways the checker must notice and fails
unless it notices each of them.

Exit status 0 when every check passes, 1 otherwise (each failure printed).
"""
import hashlib
import io
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

import pikepdf
from pikepdf import Name

STANDARD_TYPES = {
    "Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC", "TOCI",
    "Index", "NonStruct", "Private", "P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "L",
    "LI", "Lbl", "LBody", "Table", "TR", "TH", "TD", "THead", "TBody", "TFoot", "Span",
    "Quote", "Note", "Reference", "BibEntry", "Code", "Link", "Annot", "Ruby", "RB",
    "RT", "RP", "Warichu", "WT", "WP", "Figure", "Formula", "Form",
}
TEXT_OPS = {"Tj", "TJ", "'", '"'}
PAINT_OPS = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do", "INLINE IMAGE"}
SOFT_HYPHEN = "\u00ad"
NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
}


class Report:
    def __init__(self, name):
        self.name = name
        self.failures = []

    def fail(self, msg):
        self.failures.append(msg)

    def check(self, cond, msg):
        if not cond:
            self.fail(msg)
        return cond


def name_of(obj):
    return str(obj)[1:] if isinstance(obj, Name) else None


def key(obj):
    return obj.objgen if obj.is_indirect else id(obj)


def text_of(obj):
    try:
        return str(obj)
    except Exception:
        return None


# ---- fonts and ToUnicode -------------------------------------------------

def parse_cmap(data, rep, where):
    """The code -> text map of a ToUnicode CMap (2-byte codes)."""
    text = data.decode("latin-1")
    rep.check("begincidrange" not in text and "begincidchar" not in text,
              f"{where}: ToUnicode uses cidrange/cidchar, not bfchar/bfrange")
    m = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            m[int(src, 16)] = bytes.fromhex(dst).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>",
                                      block):
            base = int(dst, 16)
            for i, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                m[code] = chr(base + i)
    rep.check(m or "bfchar" in text or "bfrange" in text,
              f"{where}: ToUnicode CMap has no mappings")
    return m


class Fonts:
    """Decodes shown strings through each font's ToUnicode map and records
    which codes every font drew."""

    def __init__(self, rep):
        self.rep = rep
        self.maps = {}
        self.used = {}

    def font_map(self, font):
        k = key(font)
        if k not in self.maps:
            where = f"font {text_of(font.get('/BaseFont'))}"
            self.check_embedded(font, where)
            tu = font.get("/ToUnicode")
            if tu is None:
                self.rep.fail(f"{where}: no ToUnicode")
                self.maps[k] = {}
            else:
                self.maps[k] = parse_cmap(tu.read_bytes(), self.rep, where)
            self.used[k] = (where, set())
        return self.maps[k]

    def check_embedded(self, font, where):
        desc = font.get("/FontDescriptor")
        if desc is None and "/DescendantFonts" in font:
            desc = font.DescendantFonts[0].get("/FontDescriptor")
        self.rep.check(desc is not None and any(f in desc for f in
                                                ("/FontFile", "/FontFile2", "/FontFile3")),
                       f"{where}: not embedded")

    def decode(self, font, data):
        m = self.font_map(font)
        out = []
        for i in range(0, len(data) - 1, 2):
            code = data[i] << 8 | data[i + 1]
            self.used[key(font)][1].add(code)
            out.append(m.get(code, "\ufffd"))
        return "".join(out)

    def finish(self):
        for k, (where, codes) in self.used.items():
            m = self.maps[k]
            missing = sorted(c for c in codes if c not in m)
            self.rep.check(not missing, f"{where}: codes without ToUnicode: "
                           + " ".join(f"{c:04X}" for c in missing[:10]))
            # libharu's UTF-8 encoding draws each character with its code point
            wrong = sorted(c for c in codes if c in m and m[c] != chr(c))
            self.rep.check(not wrong, f"{where}: ToUnicode maps codes to other characters: "
                           + " ".join(f"{c:04X}->{m[c]!r}" for c in wrong[:10]))


# ---- content streams -----------------------------------------------------

class Content:
    """What the pages draw: the marked-content sequences in drawing order."""

    def __init__(self):
        self.sequence = []   # (page, mcid) in drawing order (first occurrence)
        self.text = {}       # (page, mcid) -> text
        self.page_text = []  # per page: all text drawn, artifacts included
        self.images = {}     # (page, mcid) -> number of images painted
        self.untagged = []


def shown_text(operands, op, font, fonts):
    if font is None:
        return ""
    if op == "TJ":
        return "".join(fonts.decode(font, bytes(x)) for x in operands[0]
                       if isinstance(x, pikepdf.String))
    return fonts.decode(font, bytes(operands[-1]))


def scan_page(pdf, index, page, fonts, content, rep):
    resources = page.obj.get("/Resources", pikepdf.Dictionary())
    font_res = resources.get("/Font", pikepdf.Dictionary())
    stack = []  # per BDC/BMC: ("artifact"|"mcid"|"other", mcid)
    font = None
    drawn = []
    for ins in pikepdf.parse_content_stream(page):
        if isinstance(ins, pikepdf.ContentStreamInlineImage):
            operands, op = [], "INLINE IMAGE"
        else:
            operands, op = ins
            op = str(op)
        if op in ("BDC", "BMC"):
            tag = name_of(operands[0])
            props = operands[1] if op == "BDC" else None
            if isinstance(props, Name):
                props = resources.get("/Properties", {}).get(str(props))
            mcid = int(props.MCID) if isinstance(props, pikepdf.Dictionary) and "/MCID" in props else None
            kind = "artifact" if tag == "Artifact" else "mcid" if mcid is not None else "other"
            kinds = [k for k, _ in stack]
            if kind == "artifact" and "mcid" in kinds:
                rep.fail(f"page {index + 1}: an artifact inside tagged content")
            if kind == "mcid" and ("artifact" in kinds or "mcid" in kinds):
                rep.fail(f"page {index + 1}: MCID {mcid} inside an artifact or another MCID")
            stack.append((kind, mcid))
            if kind == "mcid" and (index, mcid) not in content.text:
                content.sequence.append((index, mcid))
                content.text[(index, mcid)] = ""
            continue
        if op == "EMC":
            if not rep.check(stack, f"page {index + 1}: EMC without BDC"):
                continue
            stack.pop()
            continue
        if op == "Tf":
            font = font_res.get(str(operands[0]))
            continue
        if op not in TEXT_OPS and op not in PAINT_OPS:
            continue
        owner = None
        artifact = False
        for kind, mcid in reversed(stack):
            if kind == "artifact":
                artifact = True
                break
            if kind == "mcid":
                owner = (index, mcid)
                break
        if not artifact and owner is None:
            content.untagged.append((index, op))
        text = shown_text(operands, op, font, fonts) if op in TEXT_OPS else ""
        drawn.append(text)
        if owner is not None:
            content.text[owner] += text
            if op in ("Do", "INLINE IMAGE"):
                content.images[owner] = content.images.get(owner, 0) + 1
    rep.check(not stack, f"page {index + 1}: {len(stack)} marked-content sequences not closed")
    content.page_text.append("".join(drawn))


# ---- the structure tree --------------------------------------------------

class Elem:
    def __init__(self, obj, parent):
        self.obj = obj
        self.parent = parent
        self.type = name_of(obj.get("/S"))
        self.kids = []       # Elem or ("mc", page, mcid)
        self.page = None


class Tree:
    def __init__(self, pdf, rep):
        self.rep = rep
        self.page_index = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}
        self.mcids = []      # (page, mcid, elem) in tree order
        self.elems = []
        self.seen = set()
        root = pdf.Root.get("/StructTreeRoot")
        self.root = root
        self.top = []
        if not rep.check(root is not None, "no StructTreeRoot"):
            return
        for kid in self.as_list(root.get("/K")):
            e = self.walk(kid, None, None)
            if e is not None:
                self.top.append(e)

    @staticmethod
    def as_list(k):
        if k is None:
            return []
        return list(k) if isinstance(k, pikepdf.Array) else [k]

    def page_of(self, obj, inherited):
        pg = obj.get("/Pg") if isinstance(obj, pikepdf.Dictionary) else None
        if pg is not None:
            return self.page_index.get(pg.objgen)
        return inherited

    def walk(self, obj, parent, page):
        if not isinstance(obj, pikepdf.Dictionary):
            return None
        if key(obj) in self.seen:
            self.rep.fail("a structure element appears twice in the tree")
            return None
        self.seen.add(key(obj))
        e = Elem(obj, parent)
        self.elems.append(e)
        e.page = self.page_of(obj, page)
        self.rep.check(e.type in STANDARD_TYPES, f"structure type {e.type} is not standard")
        for kid in self.as_list(obj.get("/K")):
            if isinstance(kid, int):
                self.add_mc(e, e.page, int(kid))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == Name.MCR:
                self.add_mc(e, self.page_of(kid, e.page), int(kid.MCID))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == Name.OBJR:
                self.rep.fail("an object reference in the tree (no annotations expected)")
            else:
                child = self.walk(kid, e, e.page)
                if child is not None:
                    e.kids.append(child)
        return e

    def add_mc(self, e, page, mcid):
        if not self.rep.check(page is not None, f"MCID {mcid} of {e.type} without a page"):
            return
        e.kids.append(("mc", page, mcid))
        self.mcids.append((page, mcid, e))


def in_note(e):
    while e is not None:
        if e.type == "Note":
            return True
        e = e.parent
    return False


def elem_text(e, content):
    out = []
    for k in e.kids:
        if isinstance(k, tuple):
            out.append(content.text.get((k[1], k[2]), ""))
        else:
            out.append(elem_text(k, content))
    return "".join(out)


def attributes(e):
    a = e.obj.get("/A")
    if a is None:
        return {}
    out = {}
    for d in (a if isinstance(a, pikepdf.Array) else [a]):
        if isinstance(d, pikepdf.Dictionary):
            for k, v in d.items():
                out[k] = v
    return out


def check_headings(tree, rep):
    last = 0
    for e in tree.elems:
        if e.type and re.fullmatch(r"H[1-6]", e.type):
            level = int(e.type[1])
            rep.check(level <= last + 1, f"heading level skips: {e.type} after H{last}")
            last = level


def check_figures(tree, content, rep):
    for e in tree.elems:
        if e.type == "Figure":
            alt = text_of(e.obj.get("/Alt")) if "/Alt" in e.obj else None
            rep.check(alt and alt.strip(), "a Figure without alternative text (/Alt)")


def table_rows(e):
    rows = []
    for k in e.kids:
        if isinstance(k, tuple):
            continue
        if k.type == "TR":
            rows.append(k)
        elif k.type in ("THead", "TBody", "TFoot"):
            rows.extend(table_rows(k))
    return rows


def check_table(e, rep):
    rows = table_rows(e)
    if not rep.check(rows, "a Table without rows"):
        return
    occupied = {}  # (row, col)
    widths = []
    for r, row in enumerate(rows):
        col = 0
        for cell in [k for k in row.kids if not isinstance(k, tuple)]:
            if not rep.check(cell.type in ("TH", "TD"), f"a {cell.type} in a TR"):
                continue
            a = attributes(cell)
            if cell.type == "TH":
                scope = name_of(a.get("/Scope"))
                rep.check(scope in ("Row", "Column", "Both"),
                          f"a TH without Scope ({elem_text_plain(cell)!r})")
            cs, rs = int(a.get("/ColSpan", 1)), int(a.get("/RowSpan", 1))
            while (r, col) in occupied:
                col += 1
            for dr in range(rs):
                for dc in range(cs):
                    occupied[(r + dr, col + dc)] = True
            col += cs
        widths.append(len([1 for (rr, _) in occupied if rr == r]))
    rep.check(len(set(widths)) == 1, f"table rows have different numbers of cells: {widths}")


TEXTS = {}


def elem_text_plain(e):
    return TEXTS.get(id(e), "")


def check_structure(tree, content, rep):
    for e in tree.elems:
        TEXTS[id(e)] = elem_text(e, content)
    check_headings(tree, rep)
    check_figures(tree, content, rep)
    ids = set()
    for e in tree.elems:
        kid_types = [k.type for k in e.kids if not isinstance(k, tuple)]
        if e.type == "Table":
            check_table(e, rep)
        elif e.type == "L":
            rep.check(all(t in ("LI", "L", "Caption") for t in kid_types),
                      f"an L with {kid_types}")
            # one list is numbered or has bullets, not both
            labels = [elem_text_plain(lbl).strip() for li in e.kids if not isinstance(li, tuple)
                      for lbl in li.kids if not isinstance(lbl, tuple) and lbl.type == "Lbl"]
            kinds = {"number" if re.fullmatch(r"\d+[.)]", x) else x for x in labels}
            rep.check(len(kinds) <= 1, f"an L mixes list labels {sorted(kinds)}")
        elif e.type == "LI":
            rep.check(all(t in ("Lbl", "LBody", "L") for t in kid_types),
                      f"an LI with {kid_types}")
        elif e.type == "Note":
            nid = bytes(e.obj.ID) if "/ID" in e.obj else None
            rep.check(nid and nid not in ids, "a Note without a unique /ID")
            ids.add(nid)
        elif e.type == "Document":
            rep.check(not any(isinstance(k, tuple) for k in e.kids),
                      "content directly in the Document element")
    rep.check(len(tree.top) == 1 and tree.top[0].type == "Document",
              "the tree's root is not one Document element")


def check_notes(tree, rep):
    """A Note after its Reference: on the Reference's page."""
    for e in tree.elems:
        if e.type != "Note" or e.parent is None:
            continue
        sibs = [k for k in e.parent.kids if not isinstance(k, tuple)]
        i = sibs.index(e)
        refs = [s for s in sibs[:i] if s.type == "Reference"]
        if not refs:
            continue
        ref_pages = {k[1] for k in refs[-1].kids if isinstance(k, tuple)}
        note_pages = {k[1] for k in e.kids if isinstance(k, tuple)}
        for k in e.kids:
            if not isinstance(k, tuple):
                note_pages |= {kk[1] for kk in k.kids if isinstance(kk, tuple)}
        rep.check(note_pages <= ref_pages, f"a Note on page(s) {sorted(note_pages)}, its "
                  f"reference on {sorted(ref_pages)}")


def parent_tree_map(root):
    m = {}

    def walk(node):
        nums = node.get("/Nums")
        if nums is not None:
            for i in range(0, len(nums) - 1, 2):
                m[int(nums[i])] = nums[i + 1]
        for kid in node.get("/Kids", []):
            walk(kid)
    walk(root)
    return m


def check_parent_tree(pdf, tree, content, rep):
    pt = tree.root.get("/ParentTree") if tree.root is not None else None
    if not rep.check(pt is not None, "no ParentTree"):
        return
    m = parent_tree_map(pt)
    owner = {(p, mcid): e for p, mcid, e in tree.mcids}
    rep.check(len(owner) == len(tree.mcids), "an MCID is referenced twice by the tree")
    for i, page in enumerate(pdf.pages):
        sp = page.obj.get("/StructParents")
        if not rep.check(sp is not None, f"page {i + 1}: no /StructParents"):
            continue
        rep.check(page.obj.get("/Tabs") == Name.S, f"page {i + 1}: /Tabs is not /S")
        arr = m.get(int(sp))
        mcids = [mc for (p, mc) in content.sequence if p == i]
        for mc in mcids:
            e = owner.get((i, mc))
            if not rep.check(e is not None, f"page {i + 1}: MCID {mc} is not in the tree"):
                continue
            ok = arr is not None and mc < len(arr) and key(arr[mc]) == key(e.obj)
            rep.check(ok, f"page {i + 1}: the parent tree does not give MCID {mc}'s element")
    for (p, mc) in owner:
        rep.check((p, mc) in content.text, f"the tree references MCID {mc} on page {p + 1}, "
                  "which the page does not draw")


def normal(s):
    return re.sub(r"\s+", "", s.replace(SOFT_HYPHEN, ""))


def check_reading_order(tree, content, rep):
    in_notes = {(p, mc) for p, mc, e in tree.mcids if in_note(e)}
    tree_seq = [(p, mc) for p, mc, _ in tree.mcids if (p, mc) not in in_notes]
    page_seq = [x for x in content.sequence if x not in in_notes]
    tree_text = normal("".join(content.text.get(x, "") for x in tree_seq))
    page_text = normal("".join(content.text.get(x, "") for x in page_seq))
    if tree_text != page_text:
        i = next((k for k in range(min(len(tree_text), len(page_text)))
                  if tree_text[k] != page_text[k]), min(len(tree_text), len(page_text)))
        rep.fail("text in structure-tree order differs from the pages' order at "
                 f"{tree_text[max(0, i - 30):i + 30]!r} / {page_text[max(0, i - 30):i + 30]!r}")
    rep.check(tree_seq == page_seq or tree_text != page_text,
              "marked content in the tree is not in the order the pages draw it")


def check_untagged(content, rep):
    for page, op in content.untagged[:5]:
        rep.fail(f"page {page + 1}: '{op}' outside tagged content and artifacts")


# ---- catalog, metadata, output intent, /ID --------------------------------

def pdf_date_to_iso(d):
    m = re.fullmatch(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)([+-])(\d\d)'(\d\d)'?", d or "")
    if not m:
        return None
    y, mo, da, h, mi, s, sign, oh, om = m.groups()
    return f"{y}-{mo}-{da}T{h}:{mi}:{s}{sign}{oh}:{om}"


def xmp_value(root, path):
    node = root.find(path, NS)
    if node is None:
        return None
    li = node.find(".//rdf:li", NS)
    return (li if li is not None else node).text


def check_xmp(pdf, rep):
    meta = pdf.Root.get("/Metadata")
    if not rep.check(meta is not None, "no XMP metadata"):
        return
    rep.check("/Filter" not in meta, "the metadata stream is compressed")
    rep.check(meta.get("/Subtype") == Name.XML and meta.get("/Type") == Name.Metadata,
              "the metadata stream is not /Type /Metadata /Subtype /XML")
    try:
        root = ET.fromstring(meta.read_bytes())
    except ET.ParseError as e:
        rep.fail(f"XMP is not well-formed: {e}")
        return
    desc = ".//rdf:Description/"
    info = pdf.trailer.get("/Info", pikepdf.Dictionary())
    pairs = [("/Title", "dc:title"), ("/Author", "dc:creator"), ("/Subject", "dc:description"),
             ("/Creator", "xmp:CreatorTool"), ("/Producer", "pdf:Producer")]
    for ikey, xkey in pairs:
        iv = text_of(info[ikey]) if ikey in info else None
        xv = xmp_value(root, desc + xkey)
        rep.check(iv == xv, f"Info {ikey} {iv!r} and XMP {xkey} {xv!r} differ")
    for ikey, xkey in (("/CreationDate", "xmp:CreateDate"), ("/ModDate", "xmp:ModifyDate")):
        iv = pdf_date_to_iso(text_of(info[ikey])) if ikey in info else None
        xv = xmp_value(root, desc + xkey)
        rep.check(iv == xv, f"Info {ikey} {iv!r} and XMP {xkey} {xv!r} differ")
    rep.check(xmp_value(root, desc + "dc:title"), "XMP has no dc:title")
    rep.check(xmp_value(root, desc + "pdfaid:part") == "2", "XMP pdfaid:part is not 2")
    rep.check(xmp_value(root, desc + "pdfaid:conformance") in ("A", "B"),
              "XMP pdfaid:conformance is not A or B")
    rep.check(xmp_value(root, desc + "pdfuaid:part") == "1", "XMP pdfuaid:part is not 1")
    ns = [n.text for n in root.iter("{%s}namespaceURI" % NS["pdfaSchema"])]
    rep.check(NS["pdfuaid"] in ns, "XMP lacks the PDF/A extension schema for pdfuaid")


def check_icc(profile, rep):
    data = profile.read_bytes()
    ok = (len(data) >= 132 and int.from_bytes(data[0:4], "big") == len(data)
          and data[36:40] == b"acsp" and data[16:20] == b"RGB " and data[12:16] == b"mntr")
    rep.check(ok, "the output intent's ICC profile has no valid RGB display header")
    rep.check(int(profile.get("/N", 0)) == 3, "the ICC profile's /N is not 3")
    desc = data.find(b"sRGB")
    rep.check(desc > 0, "the ICC profile is not sRGB")


def check_catalog(pdf, rep):
    root = pdf.Root
    mark = root.get("/MarkInfo")
    rep.check(mark is not None and bool(mark.get("/Marked", False)), "MarkInfo Marked is not true")
    rep.check(text_of(root.get("/Lang")) == "da-DK", f"Lang is {text_of(root.get('/Lang'))!r}")
    vp = root.get("/ViewerPreferences")
    rep.check(vp is not None and bool(vp.get("/DisplayDocTitle", False)),
              "ViewerPreferences DisplayDocTitle is not true")
    for bad in ("/OpenAction", "/AA"):
        rep.check(bad not in root, f"the catalog has {bad}")
    names = root.get("/Names", pikepdf.Dictionary())
    for bad in ("/JavaScript", "/EmbeddedFiles"):
        rep.check(bad not in names, f"the catalog's Names have {bad}")
    intents = root.get("/OutputIntents")
    gts = [i for i in (intents or []) if i.get("/S") == Name.GTS_PDFA1]
    if rep.check(len(gts) == 1, "not one /GTS_PDFA1 output intent"):
        prof = gts[0].get("/DestOutputProfile")
        if rep.check(prof is not None, "the output intent has no DestOutputProfile"):
            check_icc(prof, rep)
        rep.check(text_of(gts[0].get("/OutputConditionIdentifier")),
                  "the output intent has no OutputConditionIdentifier")


def check_version_id(path, pdf, rep):
    with open(path, "rb") as f:
        data = f.read()
    m = re.match(rb"%PDF-1\.(\d)\r?\n%([\x80-\xff]{4})", data)
    rep.check(m and int(m.group(1)) >= 4, "the header is not %PDF-1.4 or later with a binary "
              "comment")
    rep.check("/Encrypt" not in pdf.trailer, "the file is encrypted")
    ident = pdf.trailer.get("/ID")
    if not rep.check(ident is not None and len(ident) == 2, "no trailer /ID"):
        return
    a, b = bytes(ident[0]), bytes(ident[1])
    rep.check(len(a) == 16 and a == b, "the /ID is not two equal 16-byte strings")
    pos = data.rfind(b"trailer")
    tail = re.sub(re.escape(a.hex()).encode(), b"0" * 32, data[pos:], flags=re.I)
    zeroed = data[:pos] + tail
    rep.check(hashlib.sha256(zeroed).digest()[:16] == a,
              "the /ID is not the SHA-256 of the file's bytes")


def check_outline(pdf, tree, rep):
    headings = [elem_text_plain(e).strip() for e in tree.elems
                if e.type and re.fullmatch(r"H[1-6]", e.type) and elem_text_plain(e).strip()]
    titles = []

    def walk(item):
        while item is not None:
            titles.append(text_of(item.get("/Title")).strip())
            walk(item.get("/First"))
            item = item.get("/Next")
    out = pdf.Root.get("/Outlines")
    if out is not None:
        walk(out.get("/First"))
    rep.check([normal(t) for t in titles] == [normal(h) for h in headings],
              f"bookmarks {titles[:4]}... are not the headings {headings[:4]}...")


# ---- poppler --------------------------------------------------------------

def run(cmd):
    return subprocess.run(cmd, capture_output=True)


def check_poppler(path, content, rep):
    for cmd in (["pdftotext", path, "/dev/null"], ["pdffonts", path]):
        r = run(cmd)
        rep.check(r.returncode == 0 and not r.stderr.strip(),
                  f"{cmd[0]} says: {r.stderr.decode(errors='replace').strip()[:200]}")
    info = run(["pdfinfo", path]).stdout.decode()
    rep.check(re.search(r"^Tagged:\s+yes$", info, re.M), "pdfinfo does not say Tagged: yes")
    for i, ours in enumerate(content.page_text):
        r = run(["pdftotext", "-raw", "-f", str(i + 1), "-l", str(i + 1), path, "-"])
        theirs = normal(r.stdout.decode())
        rep.check(theirs == normal(ours), f"page {i + 1}: poppler reads other text than the "
                  f"content streams draw ({normal(ours)[:60]!r} / {theirs[:60]!r})")


def check_logo(pdf, tree, content, rep):
    figs = [e for e in tree.elems if e.type == "Figure"
            and any(isinstance(k, tuple) and k[1] == 0 and content.images.get((k[1], k[2]))
                    for k in e.kids)]
    rep.check(figs, "no Figure drawing an image (the logo) on page 1")


# ---- one file -------------------------------------------------------------

def check_file(path, twin_dir=None, logo=False):
    rep = Report(path)
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PdfError as e:
        rep.fail(f"cannot be opened: {e}")
        return rep
    with pdf:
        check_version_id(path, pdf, rep)
        check_catalog(pdf, rep)
        check_xmp(pdf, rep)
        fonts = Fonts(rep)
        content = Content()
        for i, page in enumerate(pdf.pages):
            scan_page(pdf, i, page, fonts, content, rep)
        fonts.finish()
        check_untagged(content, rep)
        tree = Tree(pdf, rep)
        check_structure(tree, content, rep)
        check_notes(tree, rep)
        check_parent_tree(pdf, tree, content, rep)
        check_reading_order(tree, content, rep)
        check_outline(pdf, tree, rep)
        if logo:
            check_logo(pdf, tree, content, rep)
    check_poppler(path, content, rep)
    if twin_dir:
        other = os.path.join(twin_dir, os.path.basename(path))
        with open(path, "rb") as a, open(other, "rb") as b:
            rep.check(a.read() == b.read(), f"{other} (a second run) has other bytes")
    return rep


# ---- self-test: the checker notices broken files --------------------------

def broken_variants(path):
    """(what, function that breaks an open pikepdf.Pdf) for the self-test."""
    def no_markinfo(pdf):
        del pdf.Root.MarkInfo

    def wrong_lang(pdf):
        pdf.Root.Lang = pikepdf.String("en-US")

    def no_alt(pdf):
        for e in walk_tree(pdf):
            if e.get("/S") == Name.Figure:
                del e.Alt
                return

    def no_scope(pdf):
        for e in walk_tree(pdf):
            if e.get("/S") == Name.TH:
                del e.A
                return

    def skipped_heading(pdf):
        for e in walk_tree(pdf):
            if re.fullmatch(r"/H[1-6]", str(e.get("/S"))):
                e.S = Name.H3
                return

    def untagged_text(pdf):
        page = pdf.pages[0]
        page.contents_add(pikepdf.Stream(pdf, b"BT /F1 10 Tf 100 100 Td <0041> Tj ET"), prepend=False)

    def xmp_title(pdf):
        info = pdf.trailer.Info
        info.Title = pikepdf.String("En anden titel")

    def no_intent(pdf):
        del pdf.Root.OutputIntents

    def no_tabs(pdf):
        del pdf.pages[0].obj.Tabs

    def cid_cmap(pdf):
        fonts = pdf.pages[0].obj.Resources.Font
        for name in fonts.keys():
            fonts[name].ToUnicode.write(b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
                                        b"1 begincidrange <0000> <FFFF> 0 endcidrange\n")
            return

    def uneven_table(pdf):
        for e in walk_tree(pdf):
            if e.get("/S") == Name.TR:
                kids = e.K if isinstance(e.K, pikepdf.Array) else None
                if kids is not None and len(kids) > 1:
                    del kids[len(kids) - 1]
                    return

    def reordered(pdf):
        doc = pdf.Root.StructTreeRoot.K
        kids = doc.K
        if len(kids) > 3:
            first = kids[1]
            del kids[1]
            kids.append(first)

    return [("MarkInfo", no_markinfo), ("Lang", wrong_lang), ("Figure without Alt", no_alt),
            ("TH without Scope", no_scope), ("skipped heading level", skipped_heading),
            ("untagged text", untagged_text), ("XMP vs Info", xmp_title),
            ("no output intent", no_intent), ("no /Tabs", no_tabs),
            ("cidrange ToUnicode", cid_cmap), ("uneven table row", uneven_table),
            ("reading order", reordered)]


def walk_tree(pdf):
    out = []

    def walk(k):
        if isinstance(k, pikepdf.Array):
            for x in k:
                walk(x)
        elif isinstance(k, pikepdf.Dictionary) and "/S" in k:
            out.append(k)
            walk(k.get("/K"))
    walk(pdf.Root.StructTreeRoot.K)
    return out


def resaved(path, out, breaker=None):
    with pikepdf.open(path) as pdf:
        if breaker:
            breaker(pdf)
        pdf.save(out, static_id=True)
    return check_file(out)


def self_test(path):
    good = check_file(path)
    if good.failures:
        print(f"self-test: the good file fails: {good.failures}")
        return 1
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "resaved.pdf")
        # saving through pikepdf alone gives a new /ID, nothing else
        baseline = set(resaved(path, out).failures)
        if not baseline:
            print("self-test: a file with another /ID passes")
            bad += 1
        for what, breaker in broken_variants(path):
            new = [f for f in resaved(path, out, breaker).failures if f not in baseline]
            if not new:
                print(f"self-test: the checker does not notice: {what}")
                bad += 1
            else:
                print(f"self-test: noticed {what}: {new[0]}")
    return 1 if bad else 0


def main(argv):
    args = argv[1:]
    if args and args[0] == "--self-test":
        return self_test(args[1])
    twin = None
    logo = False
    files = []
    while args:
        a = args.pop(0)
        if a == "--twin":
            twin = args.pop(0)
        elif a == "--logo":
            logo = True
        else:
            files.append(a)
    failed = 0
    for f in files:
        rep = check_file(f, twin, logo)
        for msg in rep.failures:
            print(f"FAIL {f}: {msg}")
        failed += bool(rep.failures)
        if not rep.failures:
            print(f"ok {f}")
    return 1 if failed or not files else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
