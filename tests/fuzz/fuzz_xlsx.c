/* fuzz_xlsx.c -- libFuzzer target for the bilag writer (xlsx.c) fed with
 * hostile strings: the input's lines become the municipality, table titles
 * (a page header each), an initiative's name, column and row labels, a
 * source, a note and a figure title (fuzz_dataset.h) -- '&' codes such as
 * &G and &[Picture], 255+ character titles, quotes, brackets, æøå.
 *
 * Whatever the strings: the workbook is written (NG_OK: nothing a reader
 * can hand on may make it fail), it is a ZIP the CPR guard can read, and
 * libxlsxwriter never corrupts its heap (ASan). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_dataset.h"
#include "fuzz_util.h"
#include "notatgen/privacy.h"
#include "notatgen/xlsx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *texts[FUZZ_TEXTS];
    fuzz_texts(data, size, texts);
    ng_dataset ds;
    fuzz_dataset(&ds, (const char *const *)texts);
    char path[512];
    fuzz_path("bilag.xlsx", path, sizeof path);
    ng_diags diags;
    ng_diags_init(&diags);
    ng_xlsx_options xo = {.created_epoch = 1761868800, .title = texts[0], .author = texts[1]};
    ng_status st = ng_xlsx_write(&ds, &xo, path, &diags);
    if (st != NG_OK) {
        ng_diags_print(&diags, stderr);
        abort();
    }
    ng_status g = ng_guard_xlsx(path, &diags);
    if (g != NG_OK && g != NG_ERR_PRIVACY)
        abort();
    ng_dataset_free(&ds);
    ng_diags_free(&diags);
    for (int i = 0; i < FUZZ_TEXTS; i++)
        free(texts[i]);
    return 0;
}
