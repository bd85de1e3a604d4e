/*
 * json.h -- data.json: a machine-readable dump of a whole ng_dataset.
 *
 * In:  an evaluated ng_dataset (table.h). Out: one UTF-8 JSON file, written
 * with jansson (never hand-written escaping), keys in a fixed order, two
 * spaces of indentation, file mode 0600. The same dataset gives the same
 * bytes.
 *
 * Layout (every key always present unless marked "optional"):
 *
 *   {
 *     "kommune": "Randers",
 *     "kommunekode": "730",                  (null when unknown)
 *     "udtraek_dato": "2025-10-31",
 *     "values": {
 *       "refusion_i_alt": {"unit": "kr", "value": 31214000,
 *                          "description": "..."},   (description optional)
 *       "prognose_metode": {"unit": "tekst", "value": "Metode: ..."}
 *     },
 *     "tables": {
 *       "refusion_per_trin": {
 *         "title": "...", "source": "Kilde: ..." (or null),
 *         "note": "..." (optional),
 *         "columns": [{"key": "trin", "label": "Refusionstrin",
 *                      "unit": "tekst", "decimals": 0,
 *                      "group": "25 pct. refusion" (optional),
 *                      "hidden": true (optional: a key column the PDF
 *                                      leaves out)}, ...],
 *         "rows": [{"_key": "25", "trin": 25, "antal": 169,
 *                   "udgift": 214100000, ...},
 *                  {"_key": "i_alt", "_total": true, "trin": "I alt", ...}],
 *         "formulas": [
 *           {"row": 3, "column": "antal", "rule": "sum", "rows": [0, 2]},
 *           {"row": 4, "column": "2024", "rule": "linear",
 *            "terms": [{"row": 4, "column": "2023", "coef": 1},
 *                      {"row": 3, "column": "2024", "coef": 1}]},
 *           {"row": 5, "column": "andel", "rule": "ratio",
 *            "num": [terms...], "den": [terms...]},
 *           {"row": 6, "column": "pr_1000", "rule": "average" (or "median"),
 *            "rows": [0, 4]}],
 *         "suppressed": [{"row": 1, "column": "antal"}]
 *       }
 *     },
 *     "identities": [                          (relations across tables)
 *       {"value": "antal_i_alt" (optional),
 *        "terms": [{"table": "omraader", "row": 3, "column": "antal",
 *                   "coef": 1}, ...]}],        (sum to 0, or to the value)
 *     "suppression": [                         (what was suppressed, why)
 *       {"table": "omraader", "row": 2, "column": "antal" | "value": "...",
 *        "reason": "primaer", "why": "færre end 3 personer"}],
 *     "figures": {
 *       "refusion_aar_figur": {
 *         "title": "...", "table": "refusion_aar", "type": "stacked",
 *         "y_title": "mio. kr.", "series_from": "columns",
 *         "highlight": 3 (optional: the index in "categories" of the
 *                         category drawn apart, the own municipality),
 *         "categories": ["2022", "2023", ...],
 *         "series": [{"key": "udgift_25", "name": "Udgift",
 *                     "values": [12000000, ...]}, ...]
 *       }
 *     }
 *   }
 *
 * Rows: "_key" is the row key (null when the row has none); "_total" and
 * "_subtotal" appear (true) only on such rows; "_unit" and "_decimals" on a
 * row whose numbers have a unit of their own (ng_row.unit: a row of spend
 * in mio. kr. under year columns of counts); column keys starting with "_"
 * are therefore reserved. Rows and formulas refer to rows by their 0-based
 * index in "rows" and to columns by key.
 *
 * Numbers are in the model's units, never the display unit: money in kr.
 * (also for "mio" and "tkr" columns; the unit only says how it is shown),
 * rounded to 2 decimals and written as an integer when whole; "pct" as a
 * fraction (0.47); "aar" as an integer; "dato" as a "YYYY-MM-DD" string.
 * An empty cell is null; a suppressed cell (privacy) is null AND listed in
 * the table's "suppressed" list — its value never reaches the file; a
 * suppressed value has "value": null and "suppressed": true. The reasons of
 * "suppression": primaer (fewer persons than mindste_celle), penge (the
 * money of a suppressed count), komplement (a total would give it back),
 * forhold (a ratio of a suppressed cell), revision (the audit across tables
 * found it derivable), vaerdi (a text quoting a suppressed number).
 */
#ifndef NOTATGEN_JSON_H
#define NOTATGEN_JSON_H

#include "notatgen/diag.h"
#include "notatgen/status.h"
#include "notatgen/table.h"

/* Writes ds as data.json to path (created or truncated, mode 0600).
 * Returns NG_OK, NG_ERR_NOMEM, or NG_ERR_IO with a diagnostic naming path. */
ng_status ng_json_write(const ng_dataset *ds, const char *path, ng_diags *diags);

#endif
