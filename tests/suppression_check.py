#!/usr/bin/env python3
"""suppression_check.py DATA.JSON -- is any suppressed number derivable from
everything data.json publishes?

Independent of the C code's audit (suppress.c): it reads only data.json and
builds the linear system itself, in exact rationals (fractions.Fraction):

  * every table's formulas: a sum of rows, a mean of rows (n times it is
    their sum), a linear combination (also of another table's cells), a
    published ratio r = N/D (also under a root, with a constant): with its
    denominator published it gives the numerator, otherwise N - r D = 0; a
    suppressed ratio without a root over a published denominator D:
    N - D r = 0; a published product with one unknown factor gives it; a
    median relates nothing (it is suppressed with any cell it reads);
  * the identities data.json lists ("identities"), and the ones this checker
    knows on its own about the SDE tables (one population counted in
    several ways; the values that are cells);
  * the unknowns are the cells in each table's "suppressed" list and the
    values marked "suppressed"; every other number is known.

A suppressed count or amount is derivable when its unit vector lies in the
row space of the relations restricted to the unknowns. Exit 0 and "ok:
..." when none is;
exit 1 listing what is; exit 2 when the file is not what it should be.
"""
import json
import sys
from fractions import Fraction

# What the checker knows about the SDE tables without asking the C code:
# (table, row key, column) terms with coefficients that sum to zero, or to a
# named value.
def domain_identities():
    ids = []
    for col in ("antal", "udgift", "refusion"):
        ids.append((None, [("aldersgrupper", "i_alt", col, 1), ("omraader", "voksen", col, -1),
                           ("omraader", "aeldre", col, -1)]))
        for t in ("maalgrupper", "leverandoertyper"):
            ids.append((None, [(t, "i_alt", col, 1), ("omraader", "i_alt", col, -1)]))
    for a, b in (("antal", "antal"), ("udgift", "udgift")):
        ids.append((None, [("andel_50_75", "voksen", a + "_50_75", 1),
                           ("refusion_per_trin", "50", b, -1), ("refusion_per_trin", "75", b, -1)]))
        ids.append((None, [("andel_50_75", "voksen", a + "_i_alt", 1),
                           ("refusion_per_trin", "i_alt", b, -1)]))
    for value, t, r, c in (("antal_i_alt", "omraader", "i_alt", "antal"),
                           ("udgift_i_alt", "omraader", "i_alt", "udgift"),
                           ("refusion_i_alt", "omraader", "i_alt", "refusion"),
                           ("andel_antal_50_75", "andel_50_75", "voksen", "andel_antal"),
                           ("andel_udgift_50_75", "andel_50_75", "voksen", "andel_udgift")):
        ids.append((value, [(t, r, c, 1)]))
    return ids


def history_identities(data):
    """The current follow-up's row of the tier tables is refusion_per_trin."""
    ids = []
    date = data.get("udtraek_dato") or ""
    aar = (data["values"].get("aar") or {}).get("value")
    keys = {"opfoelgning_maaned": date[:7], "refusion_aar": "%04d" % aar if aar else None}
    for table, key in keys.items():
        if not key:
            continue
        for k, tier in enumerate(("25", "50", "75")):
            for a, b in (("antal_%s" % tier, "antal"), ("udgift_%s" % tier, "udgift")):
                ids.append((None, [(table, key, a, 1), ("refusion_per_trin", tier, b, -1)]))
    # The development since the last follow-up counts the adults covered
    # with a tier: tilgang and the cases in both follow-ups are the cases
    # now, afgang and the cases in both the cases then (the previous
    # follow-up's month row, when it is another month), and the change in
    # all is the spend now less the spend then.
    prev = (data["values"].get("forrige_opfoelgning_dato") or {}).get("value") or ""
    if "udvikling" in data.get("tables", {}):
        now = ("refusion_per_trin", "i_alt")
        ids.append((None, [("udvikling", "tilgang", "antal", 1),
                           ("udvikling", "eksisterende", "antal", 1), now + ("antal", -1)]))
        if prev[:7] and prev[:7] != date[:7]:
            then = ("opfoelgning_maaned", prev[:7])
            ids.append((None, [("udvikling", "afgang", "antal", 1),
                               ("udvikling", "eksisterende", "antal", 1),
                               then + ("antal_total", -1)]))
            ids.append((None, [("udvikling", "i_alt", "udgift", 1), now + ("udgift", -1),
                               then + ("udgift_total", 1)]))
    return ids


class Data:
    def __init__(self, data):
        self.data = data
        self.tables = data["tables"]
        self.values = data["values"]
        self.unknown = {}  # ("cell", table, row, col) / ("value", name) -> index
        for name, t in self.tables.items():
            for s in t["suppressed"]:
                self.unknown[("cell", name, s["row"], s["column"])] = len(self.unknown)
        for name, v in self.values.items():
            if v.get("suppressed") and v["unit"] != "tekst":
                self.unknown[("value", name)] = len(self.unknown)

    def row_index(self, table, key):
        for i, r in enumerate(self.tables[table]["rows"]):
            if r["_key"] == key:
                return i
        return None

    def known(self, ref):
        """The published value of a reference, or None when it is unknown."""
        if ref in self.unknown:
            return None
        if ref[0] == "value":
            v = self.values[ref[1]]["value"]
        else:
            v = self.tables[ref[1]]["rows"][ref[2]].get(ref[3])
        if v is None or isinstance(v, str):
            return Fraction(0)  # an empty cell; a text is no number
        return Fraction(str(v))


def cell_ref(table, term):
    return ("cell", term.get("table", table), term["row"], term["column"])


def relations(d):
    """Each relation: a dict ref -> Fraction coefficient (sum = 0)."""
    rels, ratios = [], []

    def add(terms):
        rel = {}
        for ref, coef in terms:
            rel[ref] = rel.get(ref, 0) + coef
        rels.append(rel)

    for name, t in d.tables.items():
        for f in t["formulas"]:
            me = ("cell", name, f["row"], f["column"])
            if f["rule"] == "sum":
                lo, hi = f["rows"]
                add([(me, 1)] + [(("cell", name, r, f["column"]), -1)
                                 for r in range(lo, hi + 1) if r != f["row"]])
            elif f["rule"] == "average":
                # n times the mean is the sum of its n numbers (a suppressed
                # cell was a number; an empty one is left out)
                lo, hi = f["rows"]
                cells = [("cell", name, r, f["column"]) for r in range(lo, hi + 1)
                         if r != f["row"] and (("cell", name, r, f["column"]) in d.unknown or
                                               isinstance(t["rows"][r].get(f["column"]),
                                                          (int, float)))]
                if cells:
                    add([(me, len(cells))] + [(c, -1) for c in cells])
            elif f["rule"] == "median":
                pass  # not linear: a median over a suppressed cell is suppressed itself
            elif f["rule"] == "linear":
                add([(me, 1)] + [(cell_ref(name, x), -Fraction(str(x["coef"])))
                                 for x in f["terms"]])
            elif f["rule"] == "ratio":
                num = [(cell_ref(name, x), Fraction(str(x["coef"]))) for x in f["num"]]
                den = [(cell_ref(name, x), Fraction(str(x["coef"]))) for x in f["den"]]
                if me in d.unknown:
                    ratios.append((me, num, den))
                    # suppressed, no root, D known: N - D r = 0 is linear (a
                    # mean of rates that gives r back gives N)
                    if f.get("root", 1) in (0, 1) and all(d.known(ref) is not None
                                                            for ref, _ in den):
                        dv = sum(c * d.known(ref) for ref, c in den)
                        add(num + [(me, -dv)])
                    continue
                r = t["rows"][f["row"]].get(f["column"])
                if r is None:
                    continue  # an empty ratio (zero denominator) publishes nothing
                # published: (N / D) ** (1 / root) + constant, so N / D = (r - constant) ** root
                r = (Fraction(str(r)) - Fraction(str(f.get("constant", 0)))) ** f.get("root", 1)
                if all(d.known(ref) is not None for ref, _ in den):
                    dv = sum(c * d.known(ref) for ref, c in den)
                    add(num + [(("const",), -r * dv)])  # N = r D with D known
                else:
                    add(num + [(ref, -r * c) for ref, c in den])
            elif f["rule"] == "product":
                # published, with one unknown factor and the others known and not zero
                if me in d.unknown:
                    continue
                factors = [cell_ref(name, x) for x in f["terms"]]
                unknown = [ref for ref in factors if ref in d.unknown]
                if len(unknown) == 1 and all(d.known(ref) != 0 for ref in factors
                                             if ref not in d.unknown):
                    add([(unknown[0], 1)])
    declared = [(i.get("value"), [(x["table"], x["row"], x["column"], x["coef"])
                                  for x in i["terms"]]) for i in d.data.get("identities", [])]
    own = []
    for value, terms in domain_identities() + history_identities(d.data):
        resolved = []
        for table, key, col, coef in terms:
            row = d.row_index(table, key) if table in d.tables else None
            if row is None or col not in [c["key"] for c in d.tables[table]["columns"]]:
                break
            resolved.append((table, row, col, coef))
        else:
            if value is None or value in d.values:
                own.append((value, resolved))
    for value, terms in declared + own:
        if value and d.values.get(value, {}).get("unit") == "tekst":
            continue
        add([(("cell", t, r, c), Fraction(str(k))) for t, r, c, k in terms] +
            ([(("value", value), -1)] if value else []))
    return rels, ratios


def is_target(d, ref):
    """What must not be derivable: a suppressed count or amount of a table.
    A suppressed value (and its row in the key-figures table "noegletal")
    reads a suppressed cell, and a suppressed ratio or product is hidden
    with what it is computed from: neither gives away more than its parts,
    which are checked themselves."""
    if ref[0] != "cell" or ref[1] == "noegletal":
        return False
    for f in d.tables[ref[1]]["formulas"]:
        if f["row"] == ref[2] and f["column"] == ref[3] and f["rule"] in ("ratio", "product",
                                                                          "median"):
            return False
    return True


def row_vector(d, terms):
    vec = [Fraction(0)] * len(d.unknown)
    for ref, coef in terms:
        if ref in d.unknown:
            vec[d.unknown[ref]] += coef
    return vec


def rref(rows, n):
    rows = [r[:] for r in rows if any(r)]
    pivots, rank = [], 0
    for col in range(n):
        p = next((i for i in range(rank, len(rows)) if rows[i][col] != 0), None)
        if p is None:
            continue
        rows[rank], rows[p] = rows[p], rows[rank]
        piv = rows[rank][col]
        rows[rank] = [x / piv for x in rows[rank]]
        for i in range(len(rows)):
            if i != rank and rows[i][col] != 0:
                f = rows[i][col]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[rank])]
        pivots.append(col)
        rank += 1
    return rows[:rank], pivots


def in_rowspace(basis, pivots, vec):
    vec = vec[:]
    for row, col in zip(basis, pivots):
        if vec[col] != 0:
            f = vec[col]
            vec = [a - f * b for a, b in zip(vec, row)]
    return not any(vec)


def main():
    data = json.load(open(sys.argv[1], encoding="utf-8"))
    d = Data(data)
    rels, ratios = relations(d)
    n = len(d.unknown)
    basis, pivots = rref([row_vector(d, r.items()) for r in rels], n)
    derivable = []
    for ref, i in d.unknown.items():
        if not is_target(d, ref):
            continue
        e = [Fraction(0)] * n
        e[i] = Fraction(1)
        if in_rowspace(basis, pivots, e):
            derivable.append(ref)
    if derivable:
        for ref in derivable:
            print("derivable:", ref)
        sys.exit(1)
    print("ok: %d suppressed numbers, %d relations, none derivable" % (n, len(rels)))


if __name__ == "__main__":
    main()
