/* fuzz_pdf.c -- libFuzzer target for the PDF renderer (pdf/) on what a
 * template gives (fuzz_template.c fuzzes the template language alone).
 *
 * The bytes are a memo template rendered against a small dataset
 * (fuzz_dataset.h): hostile headings, paragraphs, lists, tables and
 * figures. Whatever the bytes: rendering returns; a refused template has an
 * error; an accepted one gives a memo whose every run of text is valid
 * UTF-8, and that memo renders to a PDF without a crash (a character the
 * font lacks is an error, not a box). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_dataset.h"
#include "fuzz_util.h"
#include "notatgen/pdf.h"
#include "notatgen/template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[512], pdf[512];
    fuzz_write("notat.md", data, size, path, sizeof path);
    const char *none[FUZZ_TEXTS] = {0};
    ng_dataset ds;
    fuzz_dataset(&ds, none);
    ng_memo memo;
    ng_memo_init(&memo);
    ng_memo_meta meta = {.sagsnavn = "Status", .sagsnummer = "00.22.00-P35-3-24"};
    ng_diags diags;
    ng_diags_init(&diags);
    ng_status st = ng_template_render(path, &ds, &meta, &memo, &diags);
    must_be_reported(st, &diags);
    if (st == NG_OK) {
        must_be_text(memo.title);
        for (size_t b = 0; b < memo.nblocks; b++)
            for (size_t r = 0; r < memo.blocks[b].nruns; r++)
                must_be_text(memo.blocks[b].runs[r].text);
        fuzz_path("notat.pdf", pdf, sizeof pdf);
        ng_pdf_options po = {.has_date = true, .date_epoch = 1761868800};
        ng_pdf_write(&memo, &po, pdf, &diags);
    }
    ng_memo_free(&memo);
    ng_dataset_free(&ds);
    ng_diags_free(&diags);
    return 0;
}
