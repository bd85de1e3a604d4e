#!/usr/bin/env python3
"""The comparison across municipalities computed again, from the inputs.

Reads the synthetic extracts (gen_extract --kommune: Windows-1252, ';', one
dated line per month) and the FOLK1A file, computes everything the benchmark
tables hold by the rules of docs/regler.md -- with none of notatgen's code:
the refusion per person and month against 1/12 of the 2025 thresholds, the
particularly expensive cases (område voksen, covered, yearly spend above
t1), per municipality the cases, spend and refusion, the 18-66-year-olds,
the rates, the ranking, the mean, the median and the totals, and the counts
and shares by målgruppe, leverandørtype and age group -- and compares them
with a data.json: every cell that is not suppressed must be equal (money to
the øre, rates to 1e-9), every count below mindste_celle must be suppressed,
and the rows, values and the ranking figure must be as computed.

Usage: benchmark_check.py --folk1a FILE --thresholds FILE [--own KODE] [--min N]
                          DATA.json EXTRACT...
Exit 0 when everything agrees; 1 listing the differences.
"""
import csv
import json
import statistics
import sys
from fractions import Fraction

AAR = 2025
KOMMUNER = {"730": "Randers", "751": "Aarhus", "461": "Odense", "825": "Læsø"}
problems = []


def problem(msg):
    problems.append(msg)


def thresholds(path):
    for line in open(path, encoding="utf-8"):
        if line.startswith(str(AAR) + ";"):
            _, t1, t2, t3, _ = line.split(";", 4)
            return [int(t1) * 100, int(t2) * 100, int(t3) * 100]
    sys.exit("no thresholds for %d" % AAR)


def refusion_month(n, t):
    """25 % between t1/12 and t2/12, 50 % to t3/12, 75 % above (øre, exact)."""
    t1, t2, t3 = (Fraction(x, 12) for x in t)
    n = Fraction(n)
    part = lambda lo, hi: max(Fraction(0), min(n, hi) - lo) if hi is not None else max(Fraction(0), n - lo)
    return Fraction(1, 4) * part(t1, t2) + Fraction(1, 2) * part(t2, t3) + Fraction(3, 4) * part(t3, None)


def oere(text):
    kr, ore = text.replace(".", "").split(",")
    sign = -1 if kr.startswith("-") else 1
    return sign * (abs(int(kr)) * 100 + int(ore))


def read_cases(paths):
    cases = {}
    for path in paths:
        with open(path, encoding="cp1252", newline="") as f:
            for row in csv.DictReader(f, delimiter=";"):
                c = cases.setdefault(row["Sags-ID"], {
                    "omraade": row["Område"], "foedselsaar": int(row["Fødselsår"]),
                    "foer67": row["Før 67"], "maalgruppe": row["Målgruppe"],
                    "leverandoer": row["Leverandørtype"], "kommune": row["Kommunekode"],
                    "months": [0] * 12})
                month = int(row["Bogføringsdato"].split("-")[1])
                c["months"][month - 1] += oere(row["Beløb"])
    return cases


def fold_key(value):
    v = value.strip().lower()
    for a, b in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
        v = v.replace(a, b)
    out, gap = "", False
    for ch in v:
        if ch.isascii() and ch.isalnum():
            out += ("_" if gap and out else "") + ch
            gap = False
        else:
            gap = True
    return out or "x"


def counted(cases, t):
    """Per municipality: the cases the benchmark counts and their figures."""
    per = {}
    for c in cases.values():
        spend = sum(c["months"])
        age = AAR - c["foedselsaar"]
        covered = age < 67 or c["foer67"] == "ja"
        if c["omraade"] != "Voksen" or not covered or spend <= t[0]:
            continue
        refusion = sum(refusion_month(m, t) for m in c["months"])
        k = per.setdefault(c["kommune"], {"antal": 0, "udgift": 0, "refusion": 0, "maal": {},
                                          "lev": {}, "alder": {}})
        k["antal"] += 1
        k["udgift"] += spend
        k["refusion"] += int(refusion + Fraction(1, 2))  # half up, once per person and year
        maal = fold_key(c["maalgruppe"]) if c["maalgruppe"].strip() else "uoplyst"
        k["maal"][maal] = k["maal"].get(maal, 0) + 1
        lev = fold_key(c["leverandoer"]) if c["leverandoer"].strip() else "uoplyst"
        k["lev"][lev] = k["lev"].get(lev, 0) + 1
        g = "67_plus" if age >= 67 else "36_66" if age >= 36 else "18_35"
        k["alder"][g] = k["alder"].get(g, 0) + 1
    return per


def population(path):
    """The 18-66-year-olds per municipality in the latest quarter."""
    rows = list(csv.DictReader(open(path, encoding="utf-8-sig"), delimiter=";"))
    latest = max(r["TID"] for r in rows)
    names = {v: k for k, v in KOMMUNER.items()}
    pop = {}
    for r in rows:
        age = r["ALDER"].replace(" år", "")
        if r["TID"] != latest or r["OMRÅDE"] not in names or not age.isdigit():
            continue
        if 18 <= int(age) <= 66:
            kode = names[r["OMRÅDE"]]
            pop[kode] = pop.get(kode, 0) + int(r["INDHOLD"])
    return latest, pop


def close(a, b, money=False):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= (0.005 if money else 1e-9 * max(1.0, abs(b)))


def compare_row(table, got, want, suppressed, row_index):
    for key, value in want.items():
        if (row_index, key) in suppressed:
            if got.get(key) is not None:
                problem("%s row %d %s: suppressed but written" % (table, row_index, key))
            continue
        g = got.get(key)
        if isinstance(value, str):
            if g != value:
                problem("%s row %d %s: %r, expected %r" % (table, row_index, key, g, value))
        elif not close(g, value, key.startswith(("udgift", "refusion"))):  # kr. to the øre
            problem("%s row %d %s: %r, expected %r" % (table, row_index, key, g, value))


def check_main(data, per, pop, own, minimum):
    t = data["tables"]["benchmark"]
    sup = {(s["row"], s["column"]) for s in t["suppressed"]}
    kommuner = sorted(set(per) | {own} if own else set(per))
    rate = lambda k: 1000 * per.get(k, {}).get("antal", 0) / pop[k]
    small = sorted((k for k in kommuner if 0 < per.get(k, {}).get("antal", 0) < minimum),
                   key=lambda k: KOMMUNER[k])
    ranked = sorted((k for k in kommuner if k not in small), key=lambda k: (-rate(k), k))
    keys = ranked + small + ["gennemsnit", "median", "i_alt"]
    got_keys = [r["_key"] for r in t["rows"]]
    if got_keys != keys:
        problem("benchmark rows %r, expected %r" % (got_keys, keys))
        return ranked
    for i, k in enumerate(ranked + small):
        p = per.get(k, {"antal": 0, "udgift": 0, "refusion": 0})
        want = {"kode": k, "kommune": KOMMUNER[k], "antal": p["antal"], "indbyggere": pop[k],
                "sager_pr_1000": rate(k), "udgift": p["udgift"] / 100,
                "udgift_pr_1000": p["udgift"] / 100 * 1000 / pop[k], "refusion": p["refusion"] / 100}
        if k in small:
            for col in ("antal", "sager_pr_1000", "udgift", "udgift_pr_1000", "refusion"):
                if (i, col) not in sup:
                    problem("benchmark: %s has %d cases, but %s is shown" % (k, p["antal"], col))
        compare_row("benchmark", t["rows"][i], want, sup, i)
    n = len(ranked) + len(small)
    rates = [rate(k) for k in ranked]
    spends = [per.get(k, {}).get("udgift", 0) / 100 * 1000 / pop[k] for k in ranked]
    compare_row("benchmark", t["rows"][n], {"sager_pr_1000": statistics.mean(rates),
                                           "udgift_pr_1000": statistics.mean(spends)}, sup, n)
    compare_row("benchmark", t["rows"][n + 1], {"sager_pr_1000": statistics.median(rates),
                                               "udgift_pr_1000": statistics.median(spends)}, sup, n + 1)
    antal = sum(per.get(k, {}).get("antal", 0) for k in ranked)
    indb = sum(pop[k] for k in ranked)
    udgift = sum(per.get(k, {}).get("udgift", 0) for k in ranked) / 100
    compare_row("benchmark", t["rows"][n + 2], {
        "antal": antal, "indbyggere": indb, "sager_pr_1000": 1000 * antal / indb,
        "udgift": udgift, "udgift_pr_1000": udgift * 1000 / indb,
        "refusion": sum(per.get(k, {}).get("refusion", 0) for k in ranked) / 100}, sup, n + 2)
    formulas = {(f["row"], f["column"]): f["rule"] for f in t["formulas"]}
    for col in ("sager_pr_1000", "udgift_pr_1000"):
        if formulas.get((n, col)) != "average" or formulas.get((n + 1, col)) != "median":
            problem("benchmark: the mean and median of %s are not AVERAGE and MEDIAN rules" % col)
        if formulas.get((0, col)) != "ratio":
            problem("benchmark: %s is not a ratio rule" % col)
    # the values the memo quotes, and the figure
    v = data["values"]
    if own in ranked:
        if v["benchmark_egen_rang"]["value"] != ranked.index(own) + 1:
            problem("benchmark_egen_rang %r" % v["benchmark_egen_rang"]["value"])
        if not close(v["benchmark_egen_sager_pr_1000"]["value"], rate(own)):
            problem("benchmark_egen_sager_pr_1000 %r" % v["benchmark_egen_sager_pr_1000"]["value"])
        fig = data["figures"]["benchmark_figur"]
        if fig.get("highlight") != ranked.index(own) or fig["categories"] != [KOMMUNER[k] for k in ranked]:
            problem("benchmark_figur: categories %r, highlight %r" % (fig["categories"], fig.get("highlight")))
    if v["benchmark_antal_kommuner"]["value"] != len(ranked):
        problem("benchmark_antal_kommuner %r" % v["benchmark_antal_kommuner"]["value"])
    if not close(v["benchmark_gennemsnit_sager_pr_1000"]["value"], statistics.mean(rates)):
        problem("benchmark_gennemsnit_sager_pr_1000")
    if not close(v["benchmark_median_sager_pr_1000"]["value"], statistics.median(rates)):
        problem("benchmark_median_sager_pr_1000")
    return ranked


FIXED = {"lev": ["kommunal", "regional", "privat"], "alder": ["18_35", "36_66", "67_plus"],
         "maal": []}
TABLES = {"maal": "benchmark_maalgrupper", "lev": "benchmark_leverandoertyper",
          "alder": "benchmark_aldersgrupper"}


def check_distribution(data, per, ranked, dim, minimum):
    t = data["tables"][TABLES[dim]]
    sup = {(s["row"], s["column"]) for s in t["suppressed"]}
    found = sorted({c for k in ranked for c in per.get(k, {}).get(dim, {})} - set(FIXED[dim]) - {"uoplyst"})
    cats = FIXED[dim] + found + (["uoplyst"] if any("uoplyst" in per.get(k, {}).get(dim, {}) for k in ranked) else [])
    cols = [c["key"] for c in t["columns"]]
    want_cols = ["kode", "kommune", "antal"] + [p + c for c in cats for p in ("antal_", "andel_")]
    if cols != want_cols:
        problem("%s columns %r, expected %r" % (TABLES[dim], cols, want_cols))
        return
    if [r["_key"] for r in t["rows"]] != ranked + ["i_alt"]:
        problem("%s rows %r" % (TABLES[dim], [r["_key"] for r in t["rows"]]))
        return
    for i, k in enumerate(ranked + ["i_alt"]):
        counts = {c: (sum(per.get(x, {}).get(dim, {}).get(c, 0) for x in ranked) if k == "i_alt"
                      else per.get(k, {}).get(dim, {}).get(c, 0)) for c in cats}
        total = sum(counts.values())
        want = {"antal": total}
        for c in cats:
            want["antal_" + c] = counts[c]
            want["andel_" + c] = counts[c] / total if total else None
            if k != "i_alt" and 0 < counts[c] < minimum and (i, "antal_" + c) not in sup:
                problem("%s: %s has %d in %s, shown" % (TABLES[dim], k, counts[c], c))
        compare_row(TABLES[dim], t["rows"][i], want, sup, i)


def main(argv):
    args = argv[1:]
    opts = {"--own": None, "--min": "3", "--folk1a": None, "--thresholds": None}
    for o in list(opts):
        if o in args:
            i = args.index(o)
            opts[o] = args[i + 1]
            del args[i:i + 2]
    data_path, extracts = args[0], args[1:]
    data = json.load(open(data_path, encoding="utf-8"))
    t = thresholds(opts["--thresholds"])
    per = counted(read_cases(extracts), t)
    quarter, pop = population(opts["--folk1a"])
    if data["values"]["befolkning_kvartal"]["value"] != quarter:
        problem("quarter %r, expected %s" % (data["values"]["befolkning_kvartal"]["value"], quarter))
    minimum = int(opts["--min"])
    ranked = check_main(data, per, pop, opts["--own"], minimum)
    for dim in TABLES:
        check_distribution(data, per, ranked, dim, minimum)
    for p in problems:
        print("%s: %s" % (data_path, p))
    if not problems:
        n = sum(per.get(k, {}).get("antal", 0) for k in ranked)
        print("%s: ok (%d municipalities ranked, %d cases, quarter %s)" % (data_path, len(ranked), n, quarter))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
