#!/usr/bin/env python3
"""make_corpus.py -- the bad-input corpus of the small input files.

Every class of bad input (empty, header only, a missing or duplicated column,
a wrong delimiter, UTF-16, NUL bytes, invalid and mixed encodings, a 10 MB
field, an absurd line count, out-of-range numbers, impossible dates, invisible
characters in keys, year columns that are not years, CR-only line ends, an
unterminated quote) made from each input kind's valid file: the budget, the
initiatives, the fingerplan, the SDE history, the price index, an earlier
forecast, the history import, the population file (FOLK1A), the thresholds
file and the configuration.

    make_corpus.py DIR          writes the small cases into DIR/KIND/CASE
    make_corpus.py --big DIR    writes the two big ones of every kind
                                (10 MB field, 10^6 lines) into DIR/KIND/CASE
    make_corpus.py --base DIR   writes the valid file of every kind into DIR
                                (under its name in base.ini)

The small cases are committed (tests/data/badinput/KIND/); the big ones are
made by the test at run time. expected.tsv holds the message each case must
give; tests/e2e_badinput.sh checks it for `check`, `run` (and `history
import`), test_refusion.c for the thresholds file.
"""
import os
import sys

BASE = {
    "budget": (
        "budget.csv",
        "post;tekst;2023;2024;2025\n"
        "korrigeret_budget;Korrigeret budget (service);625,3;641,7;640,9\n"
        "merindtaegt_sdes;Forventet merindtægt vedr. refusion (SDES);33,2;18,0;20,0\n"
        "demografi;Forventet demografi;0;9,6;11,5\n"
        "udgift_foer_soep;Forventet udgift før SØP;703,4;716,4;737,9\n"
        "effekt_soep;Effekt af SØP;-7,0;-11,5;-25,8\n"
        "effekt_boligplan;Effekt af boligplan;0;0;0\n"
        "effekt_fingerplan;Effekt af fingerplansinitiativer;0;0,4;-3,95\n",
    ),
    "initiativer": (
        "initiativer.csv",
        "initiativ;linje;type;2022;2023;2024\n"
        "Flere plejefamilier;Investering i rekruttering;investering;0,5;0,5;0,5\n"
        "Flere plejefamilier;Færre anbringelser på institution;effekt;-0,2;-1,4;-2,6\n"
        "Børnehandicap;Investering i rådgivning;investering;1,2;1,2;1,2\n"
        "Børnehandicap;Effekt af rådgivning;effekt;-0,5;-4,1;-5,2\n",
    ),
    "fingerplan": (
        "fingerplan.csv",
        "nr;titel;2024;2025;2026\n"
        "1;Digital først/virtuel støtte;50;-425;-525\n"
        "2;Tabt arbejdsfortjeneste;-250;-1.500;-1.500\n"
        "3;Team God Arbejdsplads;-600;-2.000;-2.000\n"
        ";I alt;-800;-3.925;-4.025\n",
    ),
    "historik": (
        "sde_udvikling.csv",
        "post;2019;2020;2021;2022;2023\n"
        "1,0-1,5 mio. kr.;80;83;95;108;117\n"
        "1,5-2,0 mio. kr.;26;30;29;29;39\n"
        "2,0 mio. kr. +;6;8;16;25;23\n"
        "I alt (antal);112;121;140;162;179\n"
        "Udgifter mio. kr. (løbende priser);157,2;172,7;204,9;249,9;278,6\n",
    ),
    "prisindeks": (
        "prisindeks.csv",
        "aar;indeks\n2019;97,9\n2020;100\n2021;102,4\n2022;110,3\n2023;115,0\n",
    ),
    "prognose": (
        "prognose.csv",
        "aar;prognose_antal;faktisk_antal;prognose_udgift;faktisk_udgift\n"
        "2021;142;140;213;205\n2022;153;162;231;250\n2023;166;179;249;279\n",
    ),
    "import": (
        "import.csv",
        "maaned;antal_25;udgift_25;antal_50;udgift_50;antal_75;udgift_75;antal_total;udgift_total\n"
        "2025-02;179;221,7;35;70,9;26;89,5;240;382,1\n"
        "2025-03;183;227,7;35;70,4;28;96,4;246;394,5\n",
    ),
    "befolkning": (
        "befolkning.csv",
        "OMRÅDE;ALDER;TID;INDHOLD\n"
        + "".join("730 Randers;%d år;2026K1;%d\n" % (a, 1000 + a) for a in range(18, 67)),
    ),
    "taerskler": (
        "taerskler.csv",
        "aar;t1;t2;t3;kilde\n"
        "2021;850000;1660000;2090000;svar på SOU alm. del spm. 582\n"
        "2025;940000;1840000;2330000;socialudvalget 05-11-2025\n",
    ),
}

# The column each kind's cases break, and a key to hide an invisible
# character in.
MISSING = {"budget": "post", "initiativer": "type", "fingerplan": "titel",
           "historik": None, "prisindeks": "indeks", "prognose": "prognose_udgift",
           "import": "udgift_50", "befolkning": "INDHOLD", "taerskler": "t3"}
KEY_ROW = {"budget": ("korrigeret_budget", "korrigeret_budget\u200b"),
           "initiativer": ("Børnehandicap;Effekt", "Børnehandicap\u200b;Effekt"),
           "fingerplan": ("2;Tabt", "2\u200b;Tabt"),
           "historik": ("1,5-2,0 mio. kr.;26", "1,5-2,0\u00ad mio. kr.;26"),
           "prisindeks": ("2021;", "2021\ufeff;"),
           "prognose": ("2022;", "2022\u200b;"),
           "import": ("2025-03;", "2025-03\u200b;"),
           "befolkning": ("730 Randers;19 år", "730 Randers\u200b;19 år"),
           "taerskler": ("2025;", "2025\u2060;")}
# A number far outside what the field can hold.
OUT_OF_RANGE = {"budget": ("640,9", "640.000.000.000,9"),
                "initiativer": ("-5,2", "-5.200.000,2"),
                "fingerplan": ("-2.000\n", "-2.000.000.000.000\n"),
                "historik": ("117", "99999999"),
                "prisindeks": ("110,3", "-3"),
                "prognose": ("249;", "249.000.000;"),
                "import": ("246;", "2460000;"),
                "befolkning": (";1020\n", ";99.999.999.999\n"),
                "taerskler": ("2330000", "9223372036854775807")}
# A column of numbers the reader uses.
NUMBER_COL = {"budget": 2, "initiativer": 3, "fingerplan": 2, "historik": 1, "prisindeks": 1,
              "prognose": 1, "import": 1, "befolkning": 3, "taerskler": 1}
# Where a year is written: a header (year columns) or a field.
YEAR_AT = {"budget": "2025", "initiativer": "2024", "fingerplan": "2026",
           "historik": "2021", "prisindeks": "2022", "prognose": "2022",
           "import": None, "befolkning": "2026", "taerskler": "2025"}


def map_rows(text, change):
    """Applies change to the fields of every line of text."""
    out = []
    for line in text.split("\n"):
        if line:
            f = line.split(";")
            change(f)
            line = ";".join(f)
        out.append(line)
    return "\n".join(out)


def drop_column(text, name):
    k = text.split("\n")[0].split(";").index(name)
    return map_rows(text, lambda f: f.pop(k))


def duplicate_column(text):
    return map_rows(text, lambda f: f.insert(2, f[1]))


def replace_once(text, old, new):
    assert old in text, (old, text)
    return text.replace(old, new, 1)


def cases(kind):
    name, base = BASE[kind]
    ext = os.path.splitext(name)[1]
    b = base.encode()
    lines = base.split("\n")
    header = lines[0]
    c = {}
    c["tom" + ext] = b""
    c["kun_overskrift" + ext] = ("# kommentar\n" + header + "\n").encode()
    if MISSING[kind]:
        c["mangler_kolonne" + ext] = drop_column(base, MISSING[kind]).encode()
    c["dobbelt_kolonne" + ext] = duplicate_column(base).encode()
    c["forkert_skilletegn" + ext] = base.replace(";", "\t").encode()
    c["utf16" + ext] = base.encode("utf-16")
    second = lines[1]
    cut = second.index(";") + 2
    c["nul" + ext] = (header + "\n" + second[:cut] + "\0" + second[cut:] + "\n"
                      + "\n".join(lines[2:])).encode()
    # a byte at the end of the second field of the first data row
    at = second.index(";", second.index(";") + 1) if second.count(";") > 1 else len(second)
    def with_byte(byte, comment=b""):
        row = second[:at].encode() + byte + second[at:].encode()
        return comment + (header + "\n").encode() + row + ("\n" + "\n".join(lines[2:])).encode()
    c["ugyldigt_tegnsaet" + ext] = with_byte(b"\x81")  # no character in Windows-1252
    # UTF-8 in a comment, a Windows-1252 "æ" in a field: two encodings in one file
    c["blandet_tegnsaet" + ext] = with_byte(b"\xe6", "# tegnsæt – UTF-8\n".encode())
    old, new = OUT_OF_RANGE[kind]
    c["udenfor_graense" + ext] = replace_once(base, old, new).encode()
    old, new = KEY_ROW[kind]
    c["usynligt_tegn" + ext] = replace_once(base, old, new).encode()
    year = YEAR_AT[kind]
    if year:
        c["aar_med_bogstav" + ext] = replace_once(base, year, year[:1] + "O" + year[2:]).encode()
        c["aar_0000" + ext] = replace_once(base, year, "0000").encode()
        c["aar_9999" + ext] = replace_once(base, year, "9999").encode()
    if kind == "import":
        c["umulig_dato" + ext] = replace_once(base, "2025-03", "2025-13").encode()
        c["aar_med_bogstav" + ext] = replace_once(base, "2025-03", "2O25-03").encode()
        c["aar_0000" + ext] = replace_once(base, "2025-03", "0000-03").encode()
        c["aar_9999" + ext] = replace_once(base, "2025-03", "9999-03").encode()
    if kind == "taerskler":  # within what a number holds, above what a threshold may be
        c["taerskel_for_stor" + ext] = replace_once(base, "2330000", "1.500.000.000").encode()
    c["kun_cr" + ext] = base.replace("\n", "\r").encode()
    # CR-only line ends count lines like LF: the error names line 3
    bad = base.split("\n")
    f = bad[2].split(";")
    f[NUMBER_COL[kind]] = "12x"
    bad[2] = ";".join(f)
    c["kun_cr_fejl" + ext] = "\r".join(bad).encode()
    third = lines[2]
    k = third.index(";") + 1
    c["uafsluttet_citat" + ext] = (header + "\n" + lines[1] + "\n" + third[:k] + '"' + third[k:]
                                   + "\n" + "\n".join(lines[3:])).encode()
    return c


CONFIG = (
    "[kommune]\nnavn = Testkommune\nkode = 730\n"
    "[udtraek]\nfil = sager_2026-10-31.csv\nafvis = fil\n"
    "[output]\nmappe = ud\n"
)


def config_cases():
    c = {}
    c["tom.ini"] = b""
    c["nul.ini"] = CONFIG.replace("Testkommune", "Test\0kommune").encode()
    c["kun_cr.ini"] = CONFIG.replace("\n", "\r").encode()
    c["utf16.ini"] = CONFIG.encode("utf-16")
    c["ugyldigt_tegnsaet.ini"] = CONFIG.replace("Testkommune", "Testkommune \xe6").encode("latin-1")
    c["usynligt_tegn.ini"] = CONFIG.replace("kode", "kode\u200b").encode()
    c["styretegn.ini"] = CONFIG.replace("Testkommune", "Test\x1b[2Jkommune").encode()
    c["dobbelt_noegle.ini"] = (CONFIG + "[kommune]\nnavn = Andet\n").encode()
    c["mangler_noegle.ini"] = CONFIG.replace("mappe = ud\n", "").encode()
    c["udenfor_graense.ini"] = (CONFIG + "[privatliv]\nmindste_celle = 0\n").encode()
    c["umulig_dato.ini"] = CONFIG.replace("afvis = fil\n", "afvis = fil\ndato = 31-02-2026\n").encode()
    c["aar_med_bogstav.ini"] = (CONFIG + "[taerskler]\n2O26 = 960.000 1.880.000 2.380.000\n").encode()
    c["aar_0000.ini"] = (CONFIG + "[taerskler]\n0000 = 960.000 1.880.000 2.380.000\n").encode()
    c["taerskel_for_stor.ini"] = (CONFIG + "[taerskler]\n2026 = 960.000 1.880.000 "
                                  "9.000.000.000.000.000\n").encode()
    return c


def big_cases(kind):
    name, base = BASE[kind] if kind != "konfiguration" else ("notatgen.ini", CONFIG)
    ext = os.path.splitext(name)[1]
    lines = base.split("\n")
    c = {}
    if kind == "konfiguration":
        c["felt_10mb.ini"] = (CONFIG + "[notat]\nsagsnavn = " + "x" * (10 << 20) + "\n").encode()
        c["mange_linjer.ini"] = (CONFIG + "# kommentar\n" * 1000000).encode()
        return c
    second = lines[1]
    k = second.index(";") + 1
    rest = second[second.index(";", k):] if ";" in second[k:] else ""
    c["felt_10mb" + ext] = (lines[0] + "\n" + second[:k] + '"' + "x" * (10 << 20) + '"'
                            + rest + "\n").encode()
    # 10^6 short rows (an empty field per column, under the size limit:
    # the row limit stops the reading) and 10^6 long ones (over it)
    short = ";" * lines[0].count(";") + "\n"
    c["mange_linjer" + ext] = (base + short * 1000000).encode()
    c["mange_lange_linjer" + ext] = (base + (lines[-2] + "\n") * 1000000).encode()
    return c


def write(root, kind, files):
    os.makedirs(os.path.join(root, kind), exist_ok=True)
    for fname, data in files.items():
        with open(os.path.join(root, kind, fname), "wb") as f:
            f.write(data)


def main():
    if sys.argv[1] == "--base":
        for name, text in BASE.values():
            with open(os.path.join(sys.argv[2], name), "w", encoding="utf-8") as f:
                f.write(text)
        return
    big = sys.argv[1] == "--big"
    root = sys.argv[2] if big else sys.argv[1]
    for kind in list(BASE) + ["konfiguration"]:
        if big and kind == "taerskler":
            continue  # the same reader as the others; test_refusion.c reads the committed ones
        if big:
            write(root, kind, big_cases(kind))
        elif kind == "konfiguration":
            write(root, kind, config_cases())
        else:
            write(root, kind, cases(kind))


if __name__ == "__main__":
    main()
