/*
 * privacy.h -- what must never be published: small cells and CPR numbers.
 *
 * Small-cell suppression (docs/regler.md, "Diskretionering"): in every
 * published table that counts persons
 * (ng_table.count_table), a person count (ng_column.persons) of
 * 0 < n < mindste_celle is suppressed, together with the money cells of that
 * row that belong to the count (a small group's spend reveals it). Then the
 * complements, chosen across tables (suppress.h): every table, rule,
 * identity and value of the dataset taken as one system of linear
 * relations, each suppressed cell proved not derivable from all published
 * numbers together, and further cells suppressed until none is -- the
 * smallest detail count first, totals only where nothing else protects.
 * (ng_suppress_table, for one table alone, uses the classic complement:
 * where a total -- a NG_RULE_SUM over rows or a NG_RULE_LINEAR over cells --
 * covers exactly one suppressed cell, the smallest other visible non-total
 * cell under it is suppressed too; a ratio of a suppressed cell is
 * suppressed.) A
 * suppressed cell keeps its value in memory (the totals are still right);
 * renderers show it as "–" and must not write its value (see
 * ng_table_format_cell). Every suppression is recorded with its reason in
 * the dataset (ng_dataset.suppressions, in data.json).
 *
 * The CPR guard: every output passes through a strict test before it is
 * written (ten digits with or without a dash after the sixth, not inside a
 * longer run of digits, and a valid DDMMYY date in the first six -- dk.h
 * ng_find_cpr strict). A hit is an error naming the output and the position,
 * never the value, and the run stops with NG_ERR_PRIVACY (exit 1).
 *
 * Where to guard which output:
 *   data.json, the rejects file's header, the log             ng_guard_file
 *   the mail: ng_mail_build guards subject, body and attachment names itself
 *     (do not run ng_guard_file over a .eml: ten digits in a row turn up by
 *     chance in base64, about once per 3 GB of attachments)
 *   the XLSX bilag: before rendering, the dataset it shows      ng_guard_dataset
 *     and after rendering, the workbook file itself             ng_guard_xlsx
 *   the PDF: its content streams are compressed, so the memo    ng_guard_memo
 *     model (every run of text, caption, footnote, table) is
 *     scanned before rendering
 * Numeric cells are not scanned in the dataset: they are amounts, and a
 * ten-digit amount in kr. (a total of 1,2 mia. kr.) is not an identifier.
 */
#ifndef NOTATGEN_PRIVACY_H
#define NOTATGEN_PRIVACY_H

#include <stdbool.h>
#include <stddef.h>

#include "notatgen/diag.h"
#include "notatgen/memo.h"
#include "notatgen/status.h"
#include "notatgen/table.h"

/* The privacy module's options: [privatliv]. */
typedef struct {
    int mindste_celle; /* cells of fewer persons are suppressed; default 3 */
} ng_privatliv_options;

/* Suppresses small cells in every count table of the dataset and across
 * tables (see above) and sets the table's note "– : Diskretioneret (færre
 * end N personer)" (appended to an existing note) on every table where
 * something was suppressed. min_persons <= 1 suppresses nothing. Adds a
 * note diagnostic per table. Returns NG_OK, NG_ERR_NOMEM, or NG_ERR_PRIVACY
 * when a small cell cannot be protected (suppress.h). */
ng_status ng_suppress_small_cells(ng_dataset *ds, int min_persons, ng_diags *diags);

/* Primary suppression and complements within one table only (whether or not
 * it is a count table), with the note. Sets *nsuppressed (may be NULL) to
 * the number of cells suppressed. */
ng_status ng_suppress_table(ng_table *t, int min_persons, int *nsuppressed, ng_diags *diags);

/* Suppresses cell (row, col) of t and records reason and why in ds (may be
 * NULL); a person count takes the money cells of its row that belong to it
 * along (reason "penge"). Returns the number of cells newly suppressed;
 * *nomem is set when a record cannot be stored. */
int ng_suppress_cell(ng_dataset *ds, ng_table *t, int row, int col, const char *reason,
                     const char *why, bool *nomem);

/* The columns of row that ng_suppress_cell(t, row, col) would suppress: col
 * and, for a person count, its money columns. Fills cols (at most max) and
 * returns how many. */
int ng_suppress_cells_with(const ng_table *t, int row, int col, int *cols, int max);

/* Adds the note "– : Diskretioneret (færre end N personer)" to t (once). */
ng_status ng_suppression_note(ng_table *t, int min_persons);

/* Scans text[0..len) for a CPR-like value. On a hit adds the error
 *   "<what>: CPR-lignende værdi ved position N — offentliggøres ikke"
 * (N = 1-based byte offset; for more than one hit, each up to 10) and
 * returns NG_ERR_PRIVACY; else NG_OK. */
ng_status ng_guard_text(const char *what, const char *text, size_t len, ng_diags *diags);

/* Scans every string of the dataset: kommune, table names, titles, sources,
 * notes, column keys/labels/groups, row keys, text cells, value names/texts/
 * descriptions, figure names and titles. `what` in the message names the
 * place, e.g. "datasæt, tabel omraader, række 2, kolonne omraade". */
ng_status ng_guard_dataset(const ng_dataset *ds, ng_diags *diags);

/* Scans a memo: title, header fields, every run, caption, footnote and the
 * tables it places. */
ng_status ng_guard_memo(const ng_memo *memo, ng_diags *diags);

/* Scans a text file (the message names the path, line and column). In a
 * file named *.json a bare number (an amount: "udgift": 1201901234) is not
 * an identifier and is skipped; a string is scanned. NG_ERR_IO when it
 * cannot be read. */
ng_status ng_guard_file(const char *path, ng_diags *diags);

/* Scans a written .xlsx: every XML part of the ZIP is inflated (zlib) and
 * scanned; numbers in cells and chart caches are skipped (amounts), text --
 * shared strings, inline strings, sheet names, titles -- is not. The message
 * names the part: "bilag.xlsx (xl/sharedStrings.xml): CPR-lignende værdi ved
 * position N — offentliggøres ikke". NG_ERR_IO when the file is not a
 * readable ZIP. */
ng_status ng_guard_xlsx(const char *path, ng_diags *diags);

/* chmod 0600: outputs are not readable by other users of the machine. */
ng_status ng_secure_file(const char *path, ng_diags *diags);

#endif
