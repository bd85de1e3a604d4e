/* fuzz_budget.c -- libFuzzer target for the budget outlook (budget.c): the
 * budget file read against the shipped model templates/budgetmodel.ini, or
 * (first byte 0x01) the bytes as a model file against the example's budget
 * file.
 *
 * Whatever the bytes: the call returns; on success the table is evaluated,
 * every number finite and every text valid UTF-8; on failure there is an
 * error. The layout (delimiter, scale, decimal mark) comes from the first
 * byte when it is not text. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "notatgen/budget.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char delims[] = {';', ',', '\t', ';'};
    unsigned pick = pick_byte(&data, &size);
    bool fuzz_model = pick == 1;
    char budget[512], model[512];
    if (fuzz_model) {
        fuzz_write("model.ini", data, size, model, sizeof model);
        snprintf(budget, sizeof budget, "%s", NG_SOURCE_DIR "/examples/budget_2023.csv");
    } else {
        fuzz_write("budget.csv", data, size, budget, sizeof budget);
        snprintf(model, sizeof model, "%s", NG_SOURCE_DIR "/templates/budgetmodel.ini");
    }
    ng_budget_options opt;
    memset(&opt, 0, sizeof opt);
    ng_input_file_init(&opt.file);
    opt.file.path = budget;
    opt.file.delimiter = fuzz_model ? ';' : delims[pick & 3];
    opt.file.scale = fuzz_model ? NG_SCALE_MIO : (ng_scale)((pick >> 2) % 3);
    opt.file.decimal = fuzz_model ? NG_DECIMAL_COMMA : (ng_decimal_mark)((pick >> 4) % 3);
    opt.gaeld_primo = 69.1e6;
    ng_dataset ds;
    ng_dataset_init(&ds);
    ng_diags diags;
    ng_diags_init(&diags);
    ng_budget_override ov = {"effekt_fingerplan", 2024, -1.5e6, NULL, 0};
    ng_status st = ng_budget_outlook(&opt, model, &ov, 1, &ds, &diags);
    const ng_table *t = ng_dataset_table(&ds, "budgetoverslag");
    if (st == NG_OK && !t)
        abort();
    must_be_reported(st, &diags);
    if (t)
        must_be_sound_table(t);
    ng_dataset_free(&ds);
    ng_diags_free(&diags);
    return 0;
}
