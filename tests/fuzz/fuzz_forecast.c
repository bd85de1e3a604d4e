/* fuzz_forecast.c -- libFuzzer target for the forecast inputs (forecast.c):
 * the SDE history (read, published, both forecast methods, published), the
 * price index, and an earlier forecast.
 * The first byte (when not text) picks the reader: 0x01 price index, 0x02
 * earlier forecast, anything else the history.
 *
 * Whatever the bytes: the calls return; an accepted history publishes and
 * forecasts without crashing and with finite numbers; a refused file has an
 * error; everything is freed. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "notatgen/forecast.h"

static ng_status history(const char *path, ng_dataset *ds, ng_diags *diags)
{
    ng_sde_history h;
    ng_status st = ng_sde_history_read(path, &h, diags);
    if (st == NG_OK) {
        ng_series s;
        ng_sde_history_series(&h, &s);
        if (ng_sde_history_publish(&h, ds, diags) != NG_OK)
            abort();
        ng_forecast g, t;
        ng_status sg = ng_forecast_growth(&s, 3, 5, NULL, 0, &g, diags);
        ng_status stt = ng_forecast_trend(&s, 3, 5, NULL, 0, &t, diags);
        if (sg == NG_OK)
            ng_forecast_publish(&g, stt == NG_OK ? &t : NULL, ds);
    }
    ng_sde_history_free(&h);
    return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned pick = pick_byte(&data, &size);
    char path[512];
    fuzz_write("prognose.csv", data, size, path, sizeof path);
    ng_dataset ds;
    ng_dataset_init(&ds);
    ng_diags diags;
    ng_diags_init(&diags);
    ng_status st;
    if (pick == 1) {
        ng_price_index idx;
        st = ng_price_index_read(path, &idx, &diags);
        for (size_t i = 0; st == NG_OK && i < idx.n; i++)
            if (!(idx.indeks[i] > 0) || !isfinite(idx.indeks[i]))
                abort();
    } else if (pick == 2) {
        ng_stored_forecast f;
        st = ng_forecast_read_csv(path, "2021", &f, &diags);
        for (int i = 0; st == NG_OK && i < f.npoints; i++)
            must_be_text(f.assumptions);
    } else {
        st = history(path, &ds, &diags);
    }
    must_be_reported(st, &diags);
    must_be_sound(&ds);
    ng_dataset_free(&ds);
    ng_diags_free(&diags);
    return 0;
}
