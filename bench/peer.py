#!/usr/bin/python3
"""bench/peer.py -- the analyst's script: what notatgen run is measured against.

    /usr/bin/python3 bench/peer.py EXTRACT THRESHOLDS OUTDIR

The same work, done the way an analyst would do it with pandas, ReportLab and
XlsxWriter (Debian's python3-pandas, python3-reportlab, python3-xlsxwriter):

  - read the extract as notatgen reads it: Windows-1252, ';', amounts with
    a decimal comma and thousands dots, a booking date (dd-mm-yyyy) per line
    (a line without one is the year's in "År", spread over the months);
    rows whose amount, date or case number cannot be read are left out, as
    notatgen rejects them;
  - the year is the extract's (the date in its file name); per case the
    twelve monthly sums of that year, held as notatgen holds them (12 x the
    month's spend in øre, a line without a date or a one-off spread over
    the months), children of one household summed into one unit;
  - per unit: the yearly spend, its tier (the highest threshold it exceeds)
    and the refusion month by month (25 % of the month's spend between t1/12
    and t2/12, 50 % up to t3/12, 75 % above), rounded to the øre once a year;
    67 or older is covered only with "Før 67" = ja;
  - the tier table of the adults in the scheme (count, spend, refusion per
    tier and in all);
  - OUTDIR/peer.pdf: the table and a bar chart of the spend per tier
    (ReportLab); OUTDIR/peer.xlsx: the table with live formulas for the
    totals and shares (XlsxWriter).

Prints the tier table. See bench/README.md.
"""
import os
import re
import sys

import numpy as np
import pandas as pd
import xlsxwriter
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

COLUMNS = {
    "Sags-ID": "sag",
    "År": "aar_felt",
    "Bogføringsdato": "dato",
    "Beløb": "beloeb",
    "Område": "omraade",
    "Fødselsår": "foedselsaar",
    "Før 67": "foer67",
    "Husstand": "husstand",
    "Engangsudgift": "engang",
}
YES = {"ja", "j", "1", "true", "sand", "x"}


def thresholds(path, year):
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        cells = line.split(";")
        if cells[0] == str(year):
            return [int(c) * 100 for c in cells[1:4]]  # kr. -> øre
    sys.exit(f"peer.py: no thresholds for {year} in {path}")


def read_extract(path):
    df = pd.read_csv(
        path,
        sep=";",
        encoding="cp1252",
        decimal=",",
        thousands=".",
        usecols=list(COLUMNS),
        dtype={c: str for c in COLUMNS if c != "Beløb"},
        keep_default_na=False,
    ).rename(columns=COLUMNS)
    amount = df["beloeb"]
    if amount.dtype == object:  # some amount is not a number: those rows are left out
        amount = pd.to_numeric(
            amount.str.replace(".", "", regex=False).str.replace(",", ".", regex=False),
            errors="coerce",
        )
    dato = pd.to_datetime(df["dato"], format="%d-%m-%Y", errors="coerce")
    aar = pd.to_numeric(df["aar_felt"], errors="coerce")
    # a line without a date is the year's (År), spread over its months
    undated = df["dato"].str.strip() == ""
    year = dato.dt.year.where(~undated, aar)
    good_date = undated | (dato.notna() & (aar.isna() | (aar == dato.dt.year)))
    ok = amount.notna() & year.notna() & good_date & (df["sag"].str.strip() != "")
    df = df[ok].copy()
    df["oere"] = (amount[ok] * 100).round().astype(np.int64)
    df["aar"] = year[ok].astype(np.int64)
    df["maaned"] = dato[ok].dt.month.fillna(0).astype(np.int64)
    df["undated"] = undated[ok]
    return df


def is_yes(values):
    """ja/nej columns: yes where the (rare) non-blank value means yes."""
    out = np.zeros(len(values), dtype=bool)
    given = np.flatnonzero(values != "")
    out[given] = pd.Series(values[given]).str.strip().str.lower().isin(YES).to_numpy()
    return out


def first_of(codes, n, rows):
    """Per case 0..n-1: the first of the given row numbers (ascending) that is its, or -1."""
    first = np.full(n, -1, dtype=np.int64)
    uniq, at = np.unique(codes[rows], return_index=True)
    first[uniq] = rows[at]
    return first


def units_of(df, year):
    df = df[df["aar"] == year]
    codes, cases = pd.factorize(df["sag"])  # case number -> 0..n-1
    n = len(cases)
    spread = is_yes(df["engang"].to_numpy()) | df["undated"].to_numpy()
    oere = df["oere"].to_numpy()
    month = df["maaned"].to_numpy() - 1
    # 12 x the month's spend, per case and month (a one-off spread over the
    # year); sums of integers below 2^53, so exact in the float weights
    dated = ~spread
    m12 = np.bincount(codes[dated] * 12 + month[dated], weights=12 * oere[dated],
                      minlength=n * 12).reshape(n, 12).round().astype(np.int64)
    m12 += np.bincount(codes[spread], weights=oere[spread], minlength=n).round().astype(np.int64)[:, None]
    # a case's attributes come from its first row that has them
    rows = np.arange(len(df))
    first_row = first_of(codes, n, rows)
    attrs = pd.DataFrame({"omraade": df["omraade"].to_numpy()[first_row],
                          "foedselsaar": df["foedselsaar"].to_numpy()[first_row]}, index=cases)
    for col in ("foer67", "husstand"):
        values = df[col].to_numpy()
        first = first_of(codes, n, np.flatnonzero(values != ""))
        attrs[col] = np.where(first >= 0, values[np.maximum(first, 0)], "")
    # children of one household are one unit
    omr = attrs["omraade"].str.strip().str.lower()
    child = (omr.isin({"boern", "børn"}) & (attrs["husstand"] != "")).to_numpy()
    if not child.any():
        attrs["nsager"] = 1
        return m12, attrs
    key = np.where(child, "husstand:" + attrs["husstand"], attrs.index)
    ucodes, ukeys = pd.factorize(key)
    units = np.zeros((len(ukeys), 12), dtype=np.int64)
    np.add.at(units, ucodes, m12)
    uattrs = attrs.groupby(ucodes).first()
    uattrs.index = ukeys
    uattrs["nsager"] = np.bincount(ucodes)
    return units, uattrs


def refusion(m12, t):
    t1, t2, t3 = t
    part = (25 * np.clip(np.minimum(m12, t2) - t1, 0, None)
            + 50 * np.clip(np.minimum(m12, t3) - t2, 0, None)
            + 75 * np.clip(m12 - t3, 0, None))
    return (part.sum(axis=1) + 600) // 1200  # 1/1200 øre -> øre, rounded once


def tier_table(m12, attrs, t, year):
    total = m12.sum(axis=1)
    udgift = np.where(total >= 0, (total + 6) // 12, -((-total + 6) // 12))
    trin = np.select([udgift > t[2], udgift > t[1], udgift > t[0]], [75, 50, 25], 0)
    alder = year - pd.to_numeric(attrs["foedselsaar"], errors="coerce").fillna(0).to_numpy()
    household = (attrs["nsager"].to_numpy() > 1) | attrs.index.str.startswith("husstand:")
    foer67 = is_yes(attrs["foer67"].to_numpy())
    covered = household | (alder < 67) | foer67
    ref = np.where(covered, refusion(m12, t), 0)
    omr = attrs["omraade"].to_numpy()
    voksen = omr == "Voksen"
    other = ~voksen
    voksen[other] = pd.Series(omr[other]).str.strip().str.lower().eq("voksen").to_numpy()
    in_scheme = voksen & covered & (trin > 0)
    rows = []
    for tr in (25, 50, 75):
        sel = in_scheme & (trin == tr)
        rows.append((str(tr), int(sel.sum()), int(udgift[sel].sum()), int(ref[sel].sum())))
    rows.append(("I alt", sum(r[1] for r in rows), sum(r[2] for r in rows), sum(r[3] for r in rows)))
    return rows


def mio(oere):
    return f"{oere / 1e8:,.1f}".replace(",", "X").replace(".", ",").replace("X", ".")


def write_pdf(rows, year, path):
    styles = getSampleStyleSheet()
    data = [["Trin (%)", "Antal", "Udgift (mio. kr.)", "Refusion (mio. kr.)"]]
    data += [[r[0], str(r[1]), mio(r[2]), mio(r[3])] for r in rows]
    table = Table(data, hAlign="LEFT")
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
                               ("ALIGN", (1, 1), (-1, -1), "RIGHT")]))
    chart = Drawing(400, 200)
    bars = VerticalBarChart()
    bars.x, bars.y, bars.width, bars.height = 50, 30, 320, 150
    bars.data = [[r[2] / 1e8 for r in rows[:3]]]
    bars.categoryAxis.categoryNames = [r[0] + " %" for r in rows[:3]]
    bars.valueAxis.valueMin = 0
    chart.add(bars)
    doc = SimpleDocTemplate(path, pagesize=A4, title="Refusion pr. trin", author="peer.py")
    doc.build([Paragraph(f"Særligt dyre enkeltsager {year}: refusion pr. trin", styles["Title"]),
               Spacer(1, 12), table, Spacer(1, 24), chart])


def write_xlsx(rows, path):
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("Refusion pr. trin")
    money = wb.add_format({"num_format": "#,##0.00"})
    share = wb.add_format({"num_format": "0.0%"})
    ws.write_row(0, 0, ["Trin (%)", "Antal", "Udgift (kr.)", "Refusion (kr.)", "Andel"])
    for i, r in enumerate(rows[:3], start=1):
        ws.write_number(i, 0, int(r[0]))
        ws.write_number(i, 1, r[1])
        ws.write_number(i, 2, r[2] / 100, money)
        ws.write_number(i, 3, r[3] / 100, money)
        ws.write_formula(i, 4, f"=IF(C{i + 1}=0,0,D{i + 1}/C{i + 1})", share)
    ws.write_string(4, 0, "I alt")
    for c, col in ((1, "B"), (2, "C"), (3, "D")):
        ws.write_formula(4, c, f"=SUM({col}2:{col}4)", money if c > 1 else None)
    ws.write_formula(4, 4, "=IF(C5=0,0,D5/C5)", share)
    wb.close()


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__.strip().splitlines()[2])
    extract, thr_path, outdir = sys.argv[1:]
    date = re.search(r"(\d{4})-\d{2}-\d{2}", os.path.basename(extract))
    if not date:
        sys.exit("peer.py: the extract's file name has no date")
    year = int(date.group(1))
    t = thresholds(thr_path, year)
    m12, attrs = units_of(read_extract(extract), year)
    rows = tier_table(m12, attrs, t, year)
    os.makedirs(outdir, exist_ok=True)
    write_pdf(rows, year, os.path.join(outdir, "peer.pdf"))
    write_xlsx(rows, os.path.join(outdir, "peer.xlsx"))
    for r in rows:
        print(f"{r[0]:>6} {r[1]:>8} {mio(r[2]):>12} {mio(r[3]):>12}")


if __name__ == "__main__":
    main()
