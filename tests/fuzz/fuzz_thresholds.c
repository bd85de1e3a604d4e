/* fuzz_thresholds.c -- libFuzzer target for the refusion thresholds file
 * (refusion.c, data/refusion_thresholds.csv layout).
 *
 * Whatever the bytes: loading returns; accepted years have 0 < t1 < t2 < t3
 * within the limit, are sorted and unique, and the refusion arithmetic on
 * them (the largest amount a file may hold, negative months) runs without
 * overflow (UBSan); a refused file has an error. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "notatgen/refusion.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[512];
    fuzz_write("taerskler.csv", data, size, path, sizeof path);
    ng_thresholds t;
    ng_diags diags;
    ng_diags_init(&diags);
    ng_status st = ng_thresholds_load(path, NULL, &t, &diags);
    must_be_reported(st, &diags);
    for (size_t i = 0; st == NG_OK && i < t.n; i++) {
        const ng_threshold_year *y = &t.years[i];
        if (!(y->t1 > 0 && y->t1 < y->t2 && y->t2 < y->t3 && y->t3 <= 1000000000))
            abort();
        if (i > 0 && t.years[i - 1].aar >= y->aar)
            abort();
        must_be_text(y->kilde);
        /* 100 mia. kr. a year, spread and in one month, and a negative month */
        int64_t big = (int64_t)100000000000LL * 100, m12[12] = {0};
        m12[0] = 12 * big;
        m12[1] = -12 * big;
        (void)ng_refusion_year(m12, y);
        (void)ng_refusion_yearly_amount(big, y);
        (void)ng_refusion_trin(big, y);
    }
    ng_thresholds_free(&t);
    ng_diags_free(&diags);
    return 0;
}
