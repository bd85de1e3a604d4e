/* fuzz_util.h -- shared helpers of the libFuzzer targets (test code, not the
 * library: a target may keep a scratch directory for its process).
 *
 * Readers that take a path get the input through a file in a scratch
 * directory under /dev/shm (or TMPDIR), made once per process and rewritten
 * for every input. pick_byte() takes the first input byte as a choice (mode,
 * delimiter, encoding) when the input starts with a non-printable byte, so
 * that plain text seeds are read as they are. */
#ifndef NG_FUZZ_UTIL_H
#define NG_FUZZ_UTIL_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char fuzz_scratch[256];

/* Removes the scratch directory and the files in it at exit. */
static inline void fuzz_cleanup(void)
{
    DIR *d = opendir(fuzz_scratch);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", fuzz_scratch, e->d_name);
        if (e->d_name[0] != '.')
            unlink(path);
    }
    if (d)
        closedir(d);
    rmdir(fuzz_scratch);
}

static inline const char *fuzz_dir(void)
{
    if (!fuzz_scratch[0]) {
        const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        snprintf(fuzz_scratch, sizeof fuzz_scratch, "%s/ngfuzz-XXXXXX", base);
        if (!mkdtemp(fuzz_scratch))
            abort();
        atexit(fuzz_cleanup);
    }
    return fuzz_scratch;
}

/* The path of name in the scratch directory (a static buffer per call site
 * is not needed: the caller copies or uses it at once). */
static inline void fuzz_path(const char *name, char *out, size_t size)
{
    snprintf(out, size, "%s/%s", fuzz_dir(), name);
}

/* Writes data[0..size) to the scratch file name and puts its path in out. */
static inline void fuzz_write(const char *name, const void *data, size_t size, char *out,
                              size_t outsize)
{
    fuzz_path(name, out, outsize);
    FILE *f = fopen(out, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
        abort();
}

/* A choice from the first byte when it is not printable text. */
static inline unsigned pick_byte(const unsigned char **data, size_t *size)
{
    if (*size == 0 || (*data)[0] >= 0x20 || (*data)[0] == '\t' || (*data)[0] == '\n' ||
        (*data)[0] == '\r')
        return 0;
    unsigned b = (*data)[0];
    (*data)++;
    (*size)--;
    return b;
}

/* Aborts unless s[0..n) is valid UTF-8 without a NUL: what every reader
 * promises for the strings it hands on. */
#include "notatgen/textcheck.h"
static inline void must_be_text(const char *s)
{
    if (!s)
        return;
    size_t n = strlen(s);
    if (ng_utf8_invalid_at(s, n) != n)
        abort();
}

/* Every table of ds: finite numbers and valid UTF-8 texts; values too. */
#include <math.h>
#include "notatgen/table.h"
static inline void must_be_sound_table(const ng_table *t)
{
    must_be_text(t->title);
    for (int r = 0; r < t->nrows; r++)
        for (int c = 0; c < t->ncols; c++) {
            const ng_cell *cell = &t->rows[r].cells[c];
            if (cell->type == NG_CELL_NUM && !isfinite(cell->num))
                abort();
            if (cell->type == NG_CELL_TEXT)
                must_be_text(cell->text);
        }
}

static inline void must_be_sound(const ng_dataset *ds)
{
    for (size_t i = 0; i < ds->ntables; i++)
        must_be_sound_table(ds->tables[i]);
    for (size_t i = 0; i < ds->nvalues; i++)
        if (!ds->values[i].is_text && !isfinite(ds->values[i].num))
            abort();
}

/* A reader's status and messages: a refusal (other than for memory) has an
 * error, and no message carries invalid UTF-8. */
#include "notatgen/diag.h"
static inline void must_be_reported(ng_status st, const ng_diags *diags)
{
    if (st != NG_OK && st != NG_ERR_NOMEM && diags->errors == 0)
        abort();
    for (size_t i = 0; i < diags->count; i++)
        must_be_text(diags->items[i].message);
}

#endif
