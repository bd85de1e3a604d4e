/* fuzz_history.c -- libFuzzer target for the history import (history.c):
 * the bytes as an aggregate file (refusion_monthly / refusion_yearly
 * layout) imported into a store in the scratch directory, then the store
 * listed and its follow-up tables built.
 *
 * Whatever the bytes: the calls return; a refused file has an error and
 * leaves the store as it was (the listing is unchanged); an accepted one
 * lists only valid periods and counts >= 0. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "bridge.h"
#include "notatgen/history.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[512], db[512];
    fuzz_write("historik.csv", data, size, path, sizeof path);
    fuzz_path("historik.sqlite", db, sizeof db);
    unlink(db);
    ng_diags diags;
    ng_diags_init(&diags);
    ng_history *h = NULL;
    if (ng_history_open(db, &h, &diags) != NG_OK)
        abort();
    ng_status st = ng_history_import(h, path, &diags);
    must_be_reported(st, &diags);
    ng_history_listing l;
    if (ng_history_list(h, &l, &diags) != NG_OK)
        abort();
    if (st != NG_OK && l.naggregates != 0)
        abort(); /* a refused file stored nothing */
    for (size_t i = 0; i < l.naggregates; i++) {
        if (l.aggregates[i].antal < 0)
            abort();
        must_be_text(l.aggregates[i].source);
    }
    ng_history_listing_free(&l);
    /* the follow-up tables from what was imported */
    ng_refusion_result r;
    memset(&r, 0, sizeof r);
    r.aar = 2025;
    ng_dataset ds;
    ng_dataset_init(&ds);
    ng_date dato = {2025, 10, 31};
    ng_history_tables(h, dato, &r, &ds, &diags);
    ng_dataset_free(&ds);
    ng_history_close(h);
    ng_diags_free(&diags);
    return 0;
}
