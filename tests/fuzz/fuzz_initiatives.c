/* fuzz_initiatives.c -- libFuzzer target for the initiatives file and the
 * fingerplan (initiatives.c): read, and when the file is accepted, published
 * into a dataset (tables evaluated, live overview rules across tables).
 * First byte (when not text): bit 0 fingerplan instead of initiatives, the
 * others the delimiter, scale and decimal mark.
 *
 * Whatever the bytes: the calls return, an accepted file publishes without
 * error, every published number is finite and every text valid UTF-8, a
 * refused file has an error, and everything is freed. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "notatgen/initiatives.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char delims[] = {';', ',', '\t', ';'};
    unsigned pick = pick_byte(&data, &size);
    char path[512];
    fuzz_write("initiativer.csv", data, size, path, sizeof path);
    ng_input_file file = {.path = path,
                          .delimiter = delims[(pick >> 1) & 3],
                          .encoding = NG_ENC_AUTO,
                          .scale = (ng_scale)((pick >> 3) % 3),
                          .decimal = (ng_decimal_mark)((pick >> 5) % 3)};
    ng_dataset ds;
    ng_dataset_init(&ds);
    ng_diags diags;
    ng_diags_init(&diags);
    ng_status st;
    if (pick & 1) {
        ng_fingerplan fp;
        st = ng_fingerplan_read(&file, &fp, &diags);
        if (st == NG_OK) {
            if (ng_fingerplan_publish(&fp, &ds, &diags) != NG_OK)
                abort();
        }
        ng_fingerplan_free(&fp);
    } else {
        ng_initiatives in;
        st = ng_initiatives_read(&file, &in, &diags);
        if (st == NG_OK) {
            if (ng_initiatives_publish(&in, &ds, &diags) != NG_OK)
                abort();
        }
        ng_initiatives_free(&in);
    }
    must_be_reported(st, &diags);
    must_be_sound(&ds);
    ng_dataset_free(&ds);
    ng_diags_free(&diags);
    return 0;
}
