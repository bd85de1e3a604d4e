/* fuzz_config.c -- libFuzzer target for the INI configuration (config.c).
 *
 * The bytes are a configuration file. Loading returns; every string the
 * configuration holds is valid UTF-8 without control characters (a NUL or an
 * escape in a value is an error, never a cut or a raw byte passed on); a
 * failed load reports at least one error; freeing releases everything. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "notatgen/config.h"
#include "notatgen/module.h"
#include "notatgen/textcheck.h"

static void must_be_clean(const char *s)
{
    if (!s)
        return;
    size_t n = strlen(s), at;
    uint32_t cp;
    if (ng_utf8_invalid_at(s, n) != n || ng_text_find_unprintable(s, n, false, &at, &cp))
        abort();
}

/* Every text a module's options hold: what the module declared as a string,
 * path, e-mail, file name or list. */
static void check_options(const ng_config *cfg)
{
    size_t n = 0;
    const ng_module *const *mods = ng_modules(&n);
    for (size_t i = 0; i < n; i++) {
        const char *opt = ng_module_options(cfg, mods[i]);
        for (size_t k = 0; opt && k < mods[i]->nkeys; k++) {
            const ng_config_key *key = &mods[i]->keys[k];
            const char *at = opt + key->offset;
            switch (key->kind) {
            case NG_KEY_STRING:
            case NG_KEY_PATH:
            case NG_KEY_KOMMUNEKODE:
            case NG_KEY_FILENAME:
            case NG_KEY_EMAIL:
                must_be_clean(*(char *const *)at);
                break;
            case NG_KEY_EMAIL_LIST:
            case NG_KEY_NAME_LIST: {
                char *const *list = *(char *const *const *)at;
                size_t count = *(const size_t *)(opt + key->aux);
                for (size_t j = 0; list && j < count; j++)
                    must_be_clean(list[j]);
                break;
            }
            default:
                break;
            }
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[512];
    fuzz_write("fuzz.ini", data, size, path, sizeof path);
    ng_config cfg;
    ng_diags diags;
    ng_diags_init(&diags);
    ng_status st = ng_config_load(path, &cfg, &diags);
    must_be_reported(st, &diags);
    if (st == NG_OK)
        check_options(&cfg);
    ng_config_free(&cfg);
    ng_diags_free(&diags);
    return 0;
}
