#!/usr/bin/python3
"""Reads an Excel bilag back and checks it against its data.json.

Usage: xlsx_check.py BILAG.xlsx DATA.json [--cases N] [--recalc-csv DIR PREFIX]
                     [--reference DIR]

Checks, sheet by sheet, what include/notatgen/xlsx.h promises:
  - "Indhold" first, one internal hyperlink per table (in data.json order),
    the municipality and the extract date; sheet names of at most 31
    characters, without []:*?/\\, unique ignoring case;
  - per table: title, unit and source lines, the header row (and groups),
    frozen panes, print setup, every cell's cached value in the display unit
    (mio. = kr./1e6, 1.000 kr. = kr./1e3, dates as dates), "–" for
    suppressed cells, number formats, key columns (hidden in data.json)
    hidden, and every formula exactly as the rule
    in data.json prescribes (a rule that reads a suppressed cell, or a table
    the workbook leaves out: no formula), and no formula that data.json does
    not have; a term naming another table ("table") is that table's sheet
    and cell: 'Sheet name'!C7;
  - one native chart per figure, with its title; a series whose name calls
    a colour ("(gul kurve)") has that colour;
  - with --recalc-csv: the CSV files LibreOffice wrote after recalculating
    every formula (DIR/PREFIX-<sheet>.csv): every numeric cell must equal
    the value cached in the workbook. A wrong formula or a wrong cached value
    makes this fail;
  - with --reference: the XML of chosen parts equals the pretty-printed
    reference files in DIR (REFERENCES below), as libxlsxwriter's own tests
    compare files. After an intended layout change, NG_XLSX_UPDATE=1
    rewrites the references.

Exit status 0 when everything holds, 1 with one line per problem otherwise.
"""
import csv
import datetime
import difflib
import json
import math
import os
import re
import sys
import zipfile

import xml.dom.minidom

import openpyxl
from openpyxl.utils import get_column_letter

# Parts of the test fixture's bilag.xlsx compared with tests/data/xlsx/: the
# budget sheet (formulas, frozen panes, widths, print setup) and the chart
# over a non-contiguous range.
REFERENCES = {
    "xl/worksheets/sheet3.xml": "budgetoverslag_sheet.xml",
    "xl/charts/chart2.xml": "gaeld_figur_chart.xml",
}

SCALE = {"mio": 1e6, "tkr": 1e3}
FORMATS = {
    "kr": "#,##0{d};-#,##0{d}",
    "tkr": "#,##0{d};-#,##0{d}",
    "mio": "#,##0{d};-#,##0{d}",
    "antal": "#,##0{d};-#,##0{d}",
    "pct": "0{d}%",
    "aar": "0",
    "dato": "dd-mm-yyyy",
}
MONEY = ("kr", "tkr", "mio")
DASH = "\u2013"
FORBIDDEN = set("[]:*?/\\")

problems = []


def problem(msg):
    problems.append(msg)


def close(a, b):
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def scale(unit):
    return SCALE.get(unit, 1.0)


def fmt_code(col):
    code = FORMATS.get(col["unit"])
    if code is None:
        return None
    d = "." + "0" * col["decimals"] if col["decimals"] > 0 else ""
    return code.format(d=d)


# ---- the formula a rule must become (the contract in xlsx.h) ---------------


def factor_text(k):
    if k == 1:
        return ""
    inv = 1 / k
    if k < 1 and inv == round(inv):
        return "/%d" % round(inv)
    if k == round(k):
        return "*%d" % round(k)
    return "*" + ("%.17f" % k).rstrip("0")


def term_text(ref, factor, first):
    mag = abs(factor)
    sign = "-" if factor < 0 else ("" if first else "+")
    if mag == round(mag) and mag != 1:
        return "%s%d*%s" % (sign, round(mag), ref)
    return sign + ref + factor_text(mag)


class Layout:
    """Where a table landed: its sheet, columns and first data row. others
    maps every table in the workbook to its Layout (for cross-table terms)."""

    def __init__(self, table, sheet, first_row, others):
        self.cols = {c["key"]: i for i, c in enumerate(table["columns"])}
        self.units = {c["key"]: c["unit"] for c in table["columns"]}
        # a row with a unit of its own (the key figures, a spend row among counts)
        self.row_units = {i: r["_unit"] for i, r in enumerate(table["rows"]) if r.get("_unit")}
        self.suppressed = {(s["row"], s["column"]) for s in table["suppressed"]}
        self.sheet = sheet
        self.first_row = first_row
        self.others = others

    def ref(self, row, key):
        return "%s%d" % (get_column_letter(self.cols[key] + 1), self.first_row + row)

    def of(self, term):
        """The layout of the table a term reads (None: not in the workbook)."""
        return self.others.get(term["table"]) if "table" in term else self

    def term_ref(self, term):
        lay = self.of(term)
        ref = lay.ref(term["row"], term["column"])
        return ref if lay is self else quoted(lay.sheet) + "!" + ref

    def cell_unit(self, row, key):
        unit = self.units[key]
        return self.row_units.get(row, unit) if unit != "tekst" else unit

    def term_unit(self, term):
        return self.of(term).cell_unit(term["row"], term["column"])


def terms_text(layout, terms, target):
    units = {layout.term_unit(t) for t in terms}
    same = len(units) == 1
    common = scale(units.pop()) / target if same else 1.0
    parts = []
    for i, t in enumerate(terms):
        s = 1.0 if same else scale(layout.term_unit(t)) / target
        parts.append(term_text(layout.term_ref(t), t["coef"] * s, i == 0))
    text = "".join(parts)
    if common != 1:
        text = "(" + text + ")" + factor_text(common)
    return text


def constant_text(c):
    """+3 or -0.5 for a rule's constant in the shown unit (nothing for 0)."""
    if c == 0:
        return ""
    mag = abs(c)
    text = "%d" % round(mag) if mag == round(mag) else ("%.15f" % mag).rstrip("0")
    return ("-" if c < 0 else "+") + text


# rules over a range of rows of the cell's column, and their Excel function
RANGE_RULES = {"sum": "SUM", "average": "AVERAGE", "median": "MEDIAN"}


def expected_formula(layout, f):
    target = scale(layout.cell_unit(f["row"], f["column"]))
    const = constant_text(f.get("constant", 0) / target)
    if f["rule"] in RANGE_RULES:
        a, b = f["rows"]
        return "=%s(%s:%s)" % (RANGE_RULES[f["rule"]], layout.ref(a, f["column"]),
                               layout.ref(b, f["column"]))
    if f["rule"] == "linear":
        return "=" + terms_text(layout, f["terms"], target) + const
    if f["rule"] == "product":
        k = 1.0 / target
        for t in f["terms"]:
            k *= t["coef"] * scale(layout.term_unit(t))
        refs = "*".join(layout.term_ref(t) for t in f["terms"])
        return "=" + ("-" if k < 0 else "") + refs + factor_text(abs(k))
    num, den = f["num"], f["den"]
    sn = scale(layout.term_unit(num[0]))
    sd = scale(layout.term_unit(den[0]))
    n, d = terms_text(layout, num, sn), terms_text(layout, den, sd)
    if f.get("root", 1) > 1:
        return '=IF((%s)=0,"",((%s)/(%s))^(1/%d)%s)' % (d, n, d, f["root"], const)
    return '=IF((%s)=0,"",(%s)/(%s)%s%s)' % (d, n, d, factor_text(sn / (sd * target)), const)


def without_formula(layout, f):
    """A rule the workbook writes as its value: it reads a suppressed cell,
    or a table the workbook leaves out."""
    if f["rule"] in RANGE_RULES:
        a, b = f["rows"]
        return any((r, f["column"]) in layout.suppressed for r in range(a, b + 1))
    terms = f.get("terms", []) + f.get("num", []) + f.get("den", [])
    return any(layout.of(t) is None or (t["row"], t["column"]) in layout.of(t).suppressed
               for t in terms)


# ---- the workbook --------------------------------------------------------


def check_names(wb):
    seen = set()
    for name in wb.sheetnames:
        if len(name) > 31:
            problem("sheet name over 31 characters: %r" % name)
        if FORBIDDEN & set(name):
            problem("forbidden character in sheet name %r" % name)
        if name.lower() in seen:
            problem("duplicate sheet name %r" % name)
        seen.add(name.lower())
    if wb.sheetnames[0] != "Indhold":
        problem("first sheet is %r, not Indhold" % wb.sheetnames[0])


def quoted(name):
    return "'" + name.replace("'", "''") + "'"


def check_indhold(wb, wbv, data, cases):
    ws, wsv = wb["Indhold"], wbv["Indhold"]
    if data["kommune"] not in str(ws["B2"].value):
        problem("Indhold!B2 %r lacks the municipality" % ws["B2"].value)
    want = datetime.datetime.fromisoformat(data["udtraek_dato"])
    if wsv["B3"].value != want:
        problem("Indhold!B3 %r is not the extract date %s" % (wsv["B3"].value, want))
    sheets = {}
    by_location = {quoted(n) + "!A1": n for n in wb.sheetnames}
    row = 6
    for name, table in data["tables"].items():
        cell = ws.cell(row=row, column=1)
        if cell.value != table["title"]:
            problem("Indhold!A%d is %r, not the title of %s" % (row, cell.value, name))
        loc = cell.hyperlink.location if cell.hyperlink else None
        if loc not in by_location:
            problem("Indhold!A%d: link %r to no sheet" % (row, loc))
        else:
            sheets[name] = by_location[loc]
        row += 1
    if cases:
        # the internal case list: a table of the dataset that data.json leaves out
        cell = ws.cell(row=row, column=1)
        loc = cell.hyperlink.location if cell.hyperlink else ""
        if not loc.startswith("'Sager (intern"):
            problem("Indhold!A%d: no link to the case list (%r)" % (row, loc))
    return sheets


def find_header(ws, table):
    labels = [c["label"] for c in table["columns"]]
    for r in range(1, 12):
        got = [ws.cell(row=r, column=i + 1).value for i in range(len(labels))]
        # an empty label is an empty header cell
        if all((g or "").startswith(l) if not l else isinstance(g, str) and g.startswith(l)
               for g, l in zip(got, labels)) and any(got):
            return r
    return None


def shown(col, value):
    """The value a cell of this column must cache, or None for empty."""
    if value is None:
        return None
    if isinstance(value, str):
        if col["unit"] == "dato":
            return datetime.datetime.fromisoformat(value)
        return value
    return value / scale(col["unit"])


def money_close(unit, a, b):
    """data.json rounds kr. to the øre: the cached value may differ by half an
    øre, in the unit the sheet shows."""
    if unit in ("kr", "tkr", "mio"):
        return abs(a - b) <= 0.005 / scale(unit) + 1e-12
    return close(a, b)


def same_formula(a, b):
    """Formulas agree when their numbers agree to 15 significant digits (the
    precision data.json writes a coefficient with)."""
    if not isinstance(a, str) or not isinstance(b, str):
        return a == b
    num = re.compile(r"\d+\.\d+")
    norm = lambda f: num.sub(lambda m: "%.15g" % float(m.group(0)), f)
    return norm(a) == norm(b)


def check_cell(where, col, want, cell, cellv, is_total):
    got = cellv.value
    if isinstance(want, float) or isinstance(want, int):
        if not isinstance(got, (int, float)) or not money_close(col["unit"], got, want):
            problem("%s: cached %r, data.json says %r" % (where, got, want))
        code = fmt_code(col)
        if code and cell.number_format != code:
            problem("%s: number format %r, expected %r" % (where, cell.number_format, code))
    elif want is None:
        if got not in (None, ""):
            problem("%s: %r where data.json has nothing" % (where, got))
    elif got != want:
        problem("%s: %r, data.json says %r" % (where, got, want))
    if isinstance(want, str) and len(want) > 48 and not cell.alignment.wrap_text:
        problem("%s: long text not wrapped" % where)
    if is_total and got not in (None, "") and not cell.font.b:
        problem("%s: total row not bold" % where)


def check_print(ws, table, header, first):
    name = ws.title
    if ws.freeze_panes != "A%d" % first:
        problem("%s: frozen at %r, expected A%d" % (name, ws.freeze_panes, first))
    ps = ws.page_setup
    if int(ps.paperSize or 0) != 9:
        problem("%s: paper %r is not A4" % (name, ps.paperSize))
    # wider than a portrait line (95 characters of the visible columns): landscape
    width = 0
    for c, col in enumerate(table["columns"]):
        dim = ws.column_dimensions.get(get_column_letter(c + 1))
        if not col.get("hidden") and dim is not None and dim.width:
            width += int(dim.width)
    want = "landscape" if width > 95 else "portrait"
    if (ps.orientation or "portrait") != want:
        problem("%s: orientation %r, expected %s (%d characters wide)" %
                (name, ps.orientation, want, width))
    # the print area starts at A1 and covers every column of the table
    area = ws.print_area
    text = area[0] if isinstance(area, (list, tuple)) and area else (area or "")
    m = re.match(r"^(?:.*!)?\$A\$1:\$([A-Z]+)\$(\d+)$", text)
    last = get_column_letter(len(table["columns"]))
    if not m:
        problem("%s: no print area from A1 (%r)" % (name, area))
    elif len(m.group(1)) < len(last) or (len(m.group(1)) == len(last) and m.group(1) < last):
        problem("%s: print area %r ends before column %s" % (name, area, last))
    elif int(m.group(2)) < first + len(table["rows"]) - 1:
        problem("%s: print area %r ends before the table's last row" % (name, area))
    if ps.fitToWidth not in (1, None) or ps.fitToHeight != 0 or not ws.sheet_properties.pageSetUpPr.fitToPage:
        problem("%s: not fitted to one page wide" % name)
    if ws.oddFooter.center.text != "Side &P af &N":
        problem("%s: footer %r" % (name, ws.oddFooter.center.text))
    if table["title"].replace("&", "&&") not in (ws.oddHeader.center.text or ""):
        problem("%s: page header %r lacks the title" % (name, ws.oddHeader.center.text))
    top = header - 1 if any(c.get("group") for c in table["columns"]) else header
    if ws.print_title_rows != "$%d:$%d" % (top, header):
        problem("%s: print title rows %r" % (name, ws.print_title_rows))


def check_heading(ws, table, header):
    name = ws.title
    if ws["A1"].value != table["title"] or not ws["A1"].font.b:
        problem("%s: A1 %r is not the bold title" % (name, ws["A1"].value))
    money = {c["unit"] for c in table["columns"] if c["unit"] in MONEY}
    if len(money) == 1:
        label = {"kr": "kr.", "tkr": "1.000 kr.", "mio": "mio. kr."}[money.pop()]
        if ws["A2"].value != "Beløb i " + label:
            problem("%s: unit line %r" % (name, ws["A2"].value))
    if table["source"] and ws["A3"].value != table["source"]:
        problem("%s: source line %r" % (name, ws["A3"].value))
    groups = [c.get("group") for c in table["columns"]]
    if any(groups):
        for i, g in enumerate(groups):
            start = g and (i == 0 or groups[i - 1] != g)
            v = ws.cell(row=header - 1, column=i + 1).value
            if start and v != g:
                problem("%s: group header over column %d is %r, not %r" % (name, i + 1, v, g))


def plan_layouts(wb, data, sheets):
    """The Layout of every table in the workbook, by table name."""
    layouts = {}
    for name, table in data["tables"].items():
        if name not in sheets:
            continue
        header = find_header(wb[sheets[name]], table)
        if header is None:
            problem("%s: header row of %s not found" % (sheets[name], name))
            continue
        layouts[name] = Layout(table, sheets[name], header + 1, layouts)
    return layouts


def check_hidden(ws, table):
    """A key column (hidden in data.json) is hidden in the sheet; no other is."""
    for c, col in enumerate(table["columns"]):
        dim = ws.column_dimensions.get(get_column_letter(c + 1))
        hidden = bool(dim and dim.hidden)
        if hidden != bool(col.get("hidden")):
            problem("%s: column %s (%s) %s" % (ws.title, get_column_letter(c + 1), col["key"],
                                               "hidden" if hidden else "not hidden"))


def check_table(wb, wbv, name, table, layout):
    sheet = layout.sheet
    ws, wsv = wb[sheet], wbv[sheet]
    first = layout.first_row
    header = first - 1
    check_heading(ws, table, header)
    check_print(ws, table, header, first)
    check_hidden(ws, table)
    suppressed = layout.suppressed
    formulas = {(f["row"], f["column"]): f for f in table["formulas"]}
    written = 0
    for r, row in enumerate(table["rows"]):
        is_total = row.get("_total", False)
        for c, col in enumerate(table["columns"]):
            key = col["key"]
            if row.get("_unit") and col["unit"] != "tekst":
                # a row with a unit of its own (e.g. spend in mio. kr. under years of counts)
                col = dict(col, unit=row["_unit"], decimals=row.get("_decimals", 0))
            cell = ws.cell(row=first + r, column=c + 1)
            cellv = wsv.cell(row=first + r, column=c + 1)
            where = "%s!%s (%s row %d %s)" % (sheet, cell.coordinate, name, r, key)
            if (r, key) in suppressed:
                if cell.value != DASH:
                    problem("%s: suppressed cell shows %r" % (where, cell.value))
                continue
            f = formulas.get((r, key))
            if f and not without_formula(layout, f):
                want = expected_formula(layout, f)
                if not same_formula(cell.value, want):
                    problem("%s: formula %r, expected %r" % (where, cell.value, want))
                written += 1
            elif isinstance(cell.value, str) and cell.value.startswith("="):
                problem("%s: formula %r that data.json does not have" % (where, cell.value))
            check_cell(where, col, shown(col, row[key]), cell, cellv, is_total)
    count = sum(1 for row in ws.iter_rows() for c in row
                if isinstance(c.value, str) and c.value.startswith("="))
    if count != written:
        problem("%s: %d formulas in the sheet, %d from data.json" % (sheet, count, written))


def check_cases(wb, n):
    names = [s for s in wb.sheetnames if s.startswith("Sager (intern")]
    if len(names) != 1:
        problem("no single case list sheet: %r" % names)
        return
    ws = wb[names[0]]
    header = next((r for r in range(1, 12) if ws.cell(row=r, column=1).value == "Sag"), None)
    if header is None:
        problem("%s: no header row" % ws.title)
        return
    rows = [r for r in ws.iter_rows(min_row=header + 1, values_only=True) if r[0] is not None]
    if len(rows) != n:
        problem("%s: %d rows, expected %d" % (ws.title, len(rows), n))
    if ws.freeze_panes != "A%d" % (header + 1):
        problem("%s: frozen at %r" % (ws.title, ws.freeze_panes))


# The colour a word of a series name calls it (as the memo's text says:
# "den gule kurve"), checked independently of the program's palette.
COLOUR_WORDS = {"gul": {"E8A800"}, "rød": {"D12126"}, "blå": {"2154B8"},
                "grøn": {"29943D"}, "orange": {"E68521"}, "lilla": {"804799"},
                "grå": {"595959"}}


def check_series_colours(title, chart):
    for ser in re.findall(r"<c:ser>.*?</c:ser>", chart, re.S):
        names = re.findall(r"<c:v>([^<]*)</c:v>", ser)
        colours = re.findall(r'<a:srgbClr val="([0-9A-F]{6})"', ser)
        if not names:
            continue
        words = re.findall(r"[a-zæøå]+", names[0].lower())
        for w in words:
            if w in COLOUR_WORDS and (not colours or colours[0] not in COLOUR_WORDS[w]):
                problem("chart %r: series %r is %s, not %s" %
                        (title, names[0], colours[:1], w))


def check_charts(path, data, sheets):
    with zipfile.ZipFile(path) as z:
        charts = [z.read(n).decode() for n in z.namelist()
                  if re.match(r"xl/charts/chart\d+\.xml$", n)]
    figures = [f for f in data["figures"].values() if f["table"] in sheets]
    if len(charts) != len(figures):
        problem("%d charts, %d figures" % (len(charts), len(figures)))
    kinds = {"line": "<c:lineChart>", "column": '<c:grouping val="clustered"/>',
             "stacked": '<c:grouping val="stacked"/>'}
    for f in figures:
        title = f["title"].replace("&", "&amp;")
        match = [c for c in charts if "<a:t>%s</a:t>" % title in c]
        if not match:
            problem("no chart titled %r" % f["title"])
            continue
        if kinds[f["type"]] not in match[0]:
            problem("chart %r is not a %s chart" % (f["title"], f["type"]))
        if '<c:legendPos val="b"/>' not in match[0]:
            problem("chart %r: legend not at the bottom" % f["title"])
        if len(re.findall("<c:ser>", match[0])) != len(f["series"]):
            problem("chart %r: wrong number of series" % f["title"])
        check_series_colours(f["title"], match[0])
        # the highlighted category (the own municipality): a point of its own
        if "highlight" in f and not re.search(
                r'<c:dPt><c:idx val="%d"/>.*?<a:pattFill prst="trellis">' % f["highlight"],
                match[0], re.S):
            problem("chart %r: category %d not highlighted" % (f["title"], f["highlight"]))
        # Series names: literal, or cached from the sheet (no cache is
        # written in constant_memory mode).
        for ser in f["series"]:
            name = str(ser["name"]).replace("&", "&amp;")
            if "<c:strCache>" in match[0] and ">%s</c:v>" % name not in match[0]:
                problem("chart %r: no series named %r" % (f["title"], ser["name"]))


# ---- LibreOffice's recalculation ------------------------------------------


def parse_csv_number(text):
    t = text.strip()
    pct = t.endswith("%")
    if pct:
        t = t[:-1]
    try:
        v = float(t)
    except ValueError:
        return None
    return v / 100 if pct else v


def check_recalc(wb, wbv, directory, prefix):
    for sheet in wb.sheetnames:
        path = os.path.join(directory, "%s-%s.csv" % (prefix, sheet))
        if not os.path.exists(path):
            problem("LibreOffice wrote no %s" % path)
            continue
        with open(path, encoding="utf-8", newline="") as f:
            grid = list(csv.reader(f))
        ws, wsv = wb[sheet], wbv[sheet]
        for row in wsv.iter_rows():
            for cv in row:
                if isinstance(cv.value, bool) or not isinstance(cv.value, (int, float)):
                    continue
                r, c = cv.row - 1, cv.column - 1
                text = grid[r][c] if r < len(grid) and c < len(grid[r]) else ""
                got = parse_csv_number(text)
                formula = ws.cell(row=cv.row, column=cv.column).value
                if got is None or not close(got, cv.value):
                    problem("%s!%s: LibreOffice recalculates %r, the workbook caches %r%s" % (
                        sheet, cv.coordinate, text, cv.value,
                        " (formula %s)" % formula if isinstance(formula, str) else ""))


def check_reference(xlsx, refdir):
    with zipfile.ZipFile(xlsx) as z:
        for member, ref in REFERENCES.items():
            got = xml.dom.minidom.parseString(z.read(member)).toprettyxml(indent=" ")
            path = os.path.join(refdir, ref)
            if os.environ.get("NG_XLSX_UPDATE"):
                with open(path, "w", encoding="utf-8") as f:
                    f.write(got)
                continue
            with open(path, encoding="utf-8") as f:
                want = f.read()
            if got != want:
                diff = "".join(difflib.unified_diff(
                    want.splitlines(True), got.splitlines(True), ref, member))
                problem("%s differs from %s:\n%s" % (member, path, diff))


def main(argv):
    args = list(argv[1:])
    cases = 0
    recalc = None
    if "--cases" in args:
        i = args.index("--cases")
        cases = int(args[i + 1])
        del args[i:i + 2]
    if "--recalc-csv" in args:
        i = args.index("--recalc-csv")
        recalc = (args[i + 1], args[i + 2])
        del args[i:i + 3]
    reference = None
    if "--reference" in args:
        i = args.index("--reference")
        reference = args[i + 1]
        del args[i:i + 2]
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    xlsx, data_path = args
    with open(data_path, encoding="utf-8") as f:
        data = json.load(f)
    wb = openpyxl.load_workbook(xlsx)
    wbv = openpyxl.load_workbook(xlsx, data_only=True)
    check_names(wb)
    sheets = check_indhold(wb, wbv, data, cases)
    layouts = plan_layouts(wb, data, sheets)
    for name, table in data["tables"].items():
        if name in layouts:
            check_table(wb, wbv, name, table, layouts[name])
    if cases:
        check_cases(wb, cases)
    check_charts(xlsx, data, sheets)
    if recalc:
        check_recalc(wb, wbv, *recalc)
    if reference:
        check_reference(xlsx, reference)
    for p in problems:
        print("%s: %s" % (os.path.basename(xlsx), p))
    if not problems:
        print("%s: ok (%d sheets)" % (os.path.basename(xlsx), len(wb.sheetnames)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
