#!/usr/bin/python3
"""Independent checker of a synthetic cost extract (tools/gen_extract.c).

Reads an extract as a Danish export writes it (Windows-1252 or UTF-8 with
BOM, ';' between fields, decimal comma with thousands dots, dd-mm-yyyy or
dd.mm.yyyy dates) and prints the adult cases (Område Voksen) per refusion
tier of one year: a case's spend is the sum of its lines of that year; its
tier is the highest threshold the spend exceeds. Stdlib only, shares no code
with the C program. Never prints a CPR-like value.

  check_example.py FILE                     per-tier table
  check_example.py FILE --expect-month 2025-10 --reference refusion_monthly_2025.csv
                                            exit 1 unless the tiers equal that row
  check_example.py --bridge OLD NEW         tilgang / afgang / changes between two extracts
  check_example.py FILE --bands             cases per cost band (1,0-1,5 / 1,5-2,0 / 2,0+
                                            mio. kr.), each person by his own yearly spend
  check_example.py --shape FILE             structural checks (fields, CRLF, quoting, CPR dates)
"""
import argparse
import csv
import datetime
import io
import re
import sys
from decimal import Decimal

THRESHOLDS = {2025: (940000, 1840000, 2330000)}
HEADER = {
    "sag_id": "Sags-ID", "cpr": "CPR-nr", "aar": "År", "dato": "Bogføringsdato",
    "beloeb": "Beløb", "omraade": "Område", "foedselsaar": "Fødselsår", "foer67": "Før 67",
    "husstand": "Husstand", "engangsudgift": "Engangsudgift", "maalgruppe": "Målgruppe",
    "leverandoertype": "Leverandørtype", "tilbud": "Tilbud", "paragraf": "Paragraf",
    "kommune": "Kommunekode",
}
AMOUNT = re.compile(r"^-?\d{1,3}(\.\d{3})*,\d{2}$")
DATE = re.compile(r"^(\d{2})([-.])(\d{2})\2(\d{4})$")


def read_text(path):
    raw = open(path, "rb").read()
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8"), raw
    return raw.decode("cp1252"), raw


def read_rows(path):
    text, _ = read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"')
    header = next(reader)
    col = {}
    for key, name in HEADER.items():
        if name not in header:
            sys.exit(f"{path}: column {name!r} missing")
        col[key] = header.index(name)
    rows = []
    for row in reader:
        if len(row) != len(header):
            sys.exit(f"{path}:{reader.line_num}: {len(row)} fields, expected {len(header)}")
        rows.append({k: row[i] for k, i in col.items()})
    return rows


def amount_oere(s):
    if not AMOUNT.match(s):
        raise ValueError(f"not a Danish amount: {s!r}")
    return int(Decimal(s.replace(".", "").replace(",", ".")) * 100)


def line_year(r):
    if r["aar"]:
        return int(r["aar"])
    m = DATE.match(r["dato"])
    return int(m.group(4))


def case_spend(rows, year):
    """sag_id -> (område, spend in øre) over the lines of the year."""
    spend = {}
    for r in rows:
        if line_year(r) != year:
            continue
        omr, total = spend.get(r["sag_id"], (r["omraade"], 0))
        spend[r["sag_id"]] = (omr, total + amount_oere(r["beloeb"]))
    return spend


def tier_of(oere, year):
    t1, t2, t3 = THRESHOLDS[year]
    kr = Decimal(oere) / 100
    if kr > t3:
        return 75
    if kr > t2:
        return 50
    if kr > t1:
        return 25
    return 0


def adult_tiers(rows, year):
    out = {25: [0, 0], 50: [0, 0], 75: [0, 0]}
    for omr, oere in case_spend(rows, year).values():
        if omr.lower() != "voksen":
            continue
        t = tier_of(oere, year)
        if t:
            out[t][0] += 1
            out[t][1] += oere
    return out


def cost_bands(rows, year, bounds=(1000000, 1500000, 2000000)):
    """Cases per cost band: every person (sag_id) by his own spend, in every
    area; a household's children are never summed here."""
    out = {b: [0, 0] for b in bounds}
    for _, oere in case_spend(rows, year).values():
        band = [b for b in bounds if oere >= b * 100]
        if band:
            out[band[-1]][0] += 1
            out[band[-1]][1] += oere
    return out


def print_tiers(path, tiers):
    print(f"# {path.split('/')[-1]}: adult cases per refusion tier (kr.)")
    print("trin;antal;udgift")
    for t in (25, 50, 75):
        n, oere = tiers[t]
        print(f"{t};{n};{Decimal(oere) / 100:.2f}")


def reference_row(path, month):
    with open(path, encoding="utf-8") as f:
        lines = [l for l in f if not l.startswith("#")]
    for row in csv.DictReader(lines, delimiter=";"):
        if row["maaned"] == month:
            def kr(s):
                return int(Decimal(s.replace(",", ".")) * 1000000) * 100
            return {t: [int(row[f"antal_{t}"]), kr(row[f"udgift_{t}"])] for t in (25, 50, 75)}
    sys.exit(f"{path}: no row for {month}")


def bridge(old_path, new_path, year=2025):
    old = {k: v for k, v in case_spend(read_rows(old_path), year).items()
           if v[0].lower() == "voksen" and tier_of(v[1], year)}
    new = {k: v for k, v in case_spend(read_rows(new_path), year).items()
           if v[0].lower() == "voksen" and tier_of(v[1], year)}
    tilgang = [k for k in new if k not in old]
    afgang = [k for k in old if k not in new]
    stay = [k for k in new if k in old]
    moved = sum(1 for k in stay if tier_of(old[k][1], year) != tier_of(new[k][1], year))
    change = {25: 0, 50: 0, 75: 0}
    for k in stay:
        change[tier_of(new[k][1], year)] += new[k][1] - old[k][1]
    kr = lambda o: f"{Decimal(o) / 100:.2f}"
    print(f"tilgang;{len(tilgang)};{kr(sum(new[k][1] for k in tilgang))}")
    print(f"afgang;{len(afgang)};{kr(sum(old[k][1] for k in afgang))}")
    print(f"skiftet_trin;{moved}")
    for t in (25, 50, 75):
        print(f"aendring_{t};{kr(change[t])}")
    print(f"aendring_i_alt;{kr(sum(v[1] for v in new.values()) - sum(v[1] for v in old.values()))}")


def shape(path):
    """Structural promises of the generator; prints counts, never values."""
    text, raw = read_text(path)
    problems = []
    body = raw.replace(b"\r\n", b"")
    if b"\n" in body or b"\r" in body:
        problems.append("a line end that is not CRLF")
    rows = read_rows(path)
    cpr_re = re.compile(r"^(\d{2})(\d{2})(\d{2})-(\d{4})$")
    by_case = {}
    stats = {"rows": len(rows), "dated": 0, "undated": 0, "engangs": 0, "negative": 0,
             "quoted_semicolon": text.count('";') > 0, "aar_2024": 0}
    for r in rows:
        m = cpr_re.match(r["cpr"])
        if not m:
            problems.append("a CPR-nr that is not DDMMYY-NNNN")
        else:
            d, mo, yy = int(m.group(1)), int(m.group(2)), int(m.group(3))
            try:
                datetime.date(1900 + yy, mo, d) if yy > 30 else datetime.date(2000 + yy, mo, d)
            except ValueError:
                problems.append("a CPR-nr without a valid date")
            if int(r["foedselsaar"]) % 100 != yy:
                problems.append("a CPR-nr that does not match Fødselsår")
        if by_case.setdefault(r["sag_id"], r["cpr"]) != r["cpr"]:
            problems.append("one Sags-ID with two CPR-nr")
        if r["dato"]:
            stats["dated"] += 1
            dm = DATE.match(r["dato"])
            if not dm:
                problems.append("a date not dd-mm-yyyy")
            else:
                datetime.date(int(dm.group(4)), int(dm.group(3)), int(dm.group(1)))
        else:
            stats["undated"] += 1
        stats["engangs"] += r["engangsudgift"] == "ja"
        stats["negative"] += r["beloeb"].startswith("-")
        stats["aar_2024"] += r["aar"] == "2024"
        amount_oere(r["beloeb"])
    stats["cases"] = len(by_case)
    for k, v in stats.items():
        print(f"{k};{int(v)}")
    for p in sorted(set(problems)):
        print(f"PROBLEM: {p}")
    return not problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file", nargs="?")
    ap.add_argument("--year", type=int, default=2025)
    ap.add_argument("--expect-month")
    ap.add_argument("--reference")
    ap.add_argument("--bridge", nargs=2, metavar=("OLD", "NEW"))
    ap.add_argument("--shape", action="store_true")
    ap.add_argument("--bands", action="store_true")
    a = ap.parse_args()
    if a.bridge:
        bridge(*a.bridge, a.year)
        return 0
    if not a.file:
        ap.error("FILE missing")
    if a.shape:
        return 0 if shape(a.file) else 1
    if a.bands:
        print("interval;antal;udgift_oere")
        for b, (n, oere) in cost_bands(read_rows(a.file), a.year).items():
            print(f"{b};{n};{oere}")
        return 0
    tiers = adult_tiers(read_rows(a.file), a.year)
    print_tiers(a.file, tiers)
    if a.expect_month:
        want = reference_row(a.reference, a.expect_month)
        if want != tiers:
            print(f"MISMATCH with {a.expect_month}: expected "
                  + ", ".join(f"{t}: {n} / {Decimal(o) / 100:.2f}" for t, (n, o) in want.items()))
            return 1
        print(f"OK: equals {a.expect_month} of {a.reference.split('/')[-1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
