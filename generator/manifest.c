/*
 * manifest.c -- manifest.json, SHA-256 of inputs and outputs, the run log line.
 */
#include "notatgen/manifest.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "notatgen/publish.h"
#include "notatgen/strbuf.h"

/* ---- SHA-256 ------------------------------------------------------------ */

static void to_hex(const unsigned char *md, unsigned n, char hex[NG_SHA256_HEX])
{
    static const char digits[] = "0123456789abcdef";
    for (unsigned i = 0; i < n && i < 32; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[64] = '\0';
}

void ng_sha256_hex(const void *data, size_t len, char hex[NG_SHA256_HEX])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    if (!EVP_Digest(data, len, md, &n, EVP_sha256(), NULL)) {
        /* only on out of memory inside OpenSSL: an all-zero hash never
         * matches a real one, so a comparison reports "changed" */
        memset(md, 0, sizeof md);
        n = 32;
    }
    to_hex(md, n, hex);
}

struct ng_sha256 {
    EVP_MD_CTX *ctx;
    bool failed;
};

ng_sha256 *ng_sha256_new(void)
{
    ng_sha256 *h = calloc(1, sizeof *h);
    if (h && (!(h->ctx = EVP_MD_CTX_new()) || !EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL))) {
        EVP_MD_CTX_free(h->ctx);
        free(h);
        return NULL;
    }
    return h;
}

void ng_sha256_update(ng_sha256 *h, const void *data, size_t len)
{
    if (len && !EVP_DigestUpdate(h->ctx, data, len))
        h->failed = true;
}

void ng_sha256_final(ng_sha256 *h, char hex[NG_SHA256_HEX])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    if (h->failed || !EVP_DigestFinal_ex(h->ctx, md, &n)) {
        memset(md, 0, sizeof md); /* as ng_sha256_hex: never equal to a real hash */
        n = 32;
    }
    to_hex(md, n, hex);
}

void ng_sha256_free(ng_sha256 *h)
{
    if (!h)
        return;
    EVP_MD_CTX_free(h->ctx);
    free(h);
}

ng_status ng_sha256_file(const char *path, char hex[NG_SHA256_HEX], long long *size,
                         ng_diags *diags)
{
    ng_status st = NG_ERR_IO;
    EVP_MD_CTX *ctx = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        ng_error(diags, path, 0, 0, "kan ikke læse filen: %s", strerror(errno));
        return NG_ERR_IO;
    }
    ctx = EVP_MD_CTX_new();
    if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
        st = NG_ERR_NOMEM;
        goto cleanup;
    }
    unsigned char buf[65536];
    long long total = 0;
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        EVP_DigestUpdate(ctx, buf, n);
        total += (long long)n;
    }
    if (ferror(f)) {
        ng_error(diags, path, 0, 0, "fejl under læsning af filen");
        goto cleanup;
    }
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned mdlen = 0;
    EVP_DigestFinal_ex(ctx, md, &mdlen);
    to_hex(md, mdlen, hex);
    if (size)
        *size = total;
    st = NG_OK;
cleanup:
    EVP_MD_CTX_free(ctx);
    fclose(f);
    return st;
}

/* ---- the manifest ----------------------------------------------------- */

void ng_manifest_init(ng_manifest *m)
{
    memset(m, 0, sizeof *m);
    m->version = strdup(NG_VERSION);
}

static void free_files(ng_manifest_file *files, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(files[i].name);
    free(files);
}

void ng_manifest_free(ng_manifest *m)
{
    if (!m)
        return;
    free(m->version);
    free(m->kommune);
    free_files(m->inputs, m->ninputs);
    free_files(m->outputs, m->noutputs);
    memset(m, 0, sizeof *m);
}

ng_status ng_manifest_set_run(ng_manifest *m, const char *kommune, ng_date dato)
{
    free(m->kommune);
    m->kommune = kommune ? strdup(kommune) : NULL;
    if (kommune && !m->kommune)
        return NG_ERR_NOMEM;
    m->has_dato = dato.y != 0;
    m->dato = dato;
    return NG_OK;
}

static ng_manifest_file *append_file(ng_manifest_file **files, size_t *n, size_t *cap,
                                     const char *name)
{
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 8;
        ng_manifest_file *p = realloc(*files, ncap * sizeof *p);
        if (!p)
            return NULL;
        *files = p;
        *cap = ncap;
    }
    ng_manifest_file *f = &(*files)[*n];
    memset(f, 0, sizeof *f);
    /* a file name is masked like a value: a CPR number in an extract's
     * name never reaches the published manifest */
    f->name = ng_mask_cpr(name);
    if (!f->name)
        return NULL;
    (*n)++;
    return f;
}

static ng_status add_hashed(ng_manifest_file **files, size_t *n, size_t *cap, const char *path,
                            const char *name, ng_diags *diags)
{
    char hex[NG_SHA256_HEX];
    long long size = 0;
    ng_status st = ng_sha256_file(path, hex, &size, diags);
    if (st != NG_OK)
        return st;
    ng_manifest_file *f = append_file(files, n, cap, name);
    if (!f)
        return NG_ERR_NOMEM;
    f->size = size;
    memcpy(f->sha256, hex, sizeof hex);
    return NG_OK;
}

ng_status ng_manifest_add_input(ng_manifest *m, const char *path, const char *name, ng_diags *diags)
{
    return add_hashed(&m->inputs, &m->ninputs, &m->caps_inputs, path, name ? name : path, diags);
}

ng_status ng_manifest_add_input_hashed(ng_manifest *m, const char *name,
                                       const char hex[NG_SHA256_HEX], long long size)
{
    ng_manifest_file *f = append_file(&m->inputs, &m->ninputs, &m->caps_inputs, name);
    if (!f)
        return NG_ERR_NOMEM;
    f->size = size;
    memcpy(f->sha256, hex, NG_SHA256_HEX);
    return NG_OK;
}

ng_status ng_manifest_add_input_read(ng_manifest *m, const char *path, const ng_reconciliation *rec,
                                     ng_diags *diags)
{
    struct stat sb;
    if (rec && rec->has_sha256 && stat(path, &sb) == 0 &&
        (unsigned long long)sb.st_dev == rec->file_dev &&
        (unsigned long long)sb.st_ino == rec->file_ino && (long long)sb.st_size == rec->bytes &&
        (long long)sb.st_mtim.tv_sec == rec->file_mtime_sec &&
        (long long)sb.st_mtim.tv_nsec == rec->file_mtime_nsec)
        return ng_manifest_add_input_hashed(m, path, rec->sha256, rec->bytes);
    return ng_manifest_add_input(m, path, NULL, diags);
}

ng_status ng_manifest_add_output(ng_manifest *m, const char *path, const char *name,
                                 ng_diags *diags)
{
    return add_hashed(&m->outputs, &m->noutputs, &m->caps_outputs, path,
                      name ? name : ng_base_name(path), diags);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

ng_status ng_manifest_add_output_dir(ng_manifest *m, const char *dir, ng_diags *diags)
{
    ng_status st = NG_OK;
    char **names = NULL;
    size_t n = 0, cap = 0;
    DIR *d = opendir(dir);
    if (!d) {
        ng_error(diags, dir, 0, 0, "kan ikke læse mappen: %s", strerror(errno));
        return NG_ERR_IO;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || strcmp(e->d_name, "manifest.json") == 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char **p = realloc(names, cap * sizeof *p);
            if (!p) {
                st = NG_ERR_NOMEM;
                goto cleanup;
            }
            names = p;
        }
        if (!(names[n] = strdup(e->d_name))) {
            st = NG_ERR_NOMEM;
            goto cleanup;
        }
        n++;
    }
    qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n && st == NG_OK; i++) {
        char *path = ng_path_join(dir, names[i]);
        if (!path) {
            st = NG_ERR_NOMEM;
            break;
        }
        struct stat sb;
        if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
            st = ng_manifest_add_output(m, path, names[i], diags);
        free(path);
    }
cleanup:
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    closedir(d);
    return st;
}

void ng_manifest_set_thresholds(ng_manifest *m, const ng_threshold_year *t)
{
    m->has_thresholds = t != NULL;
    if (t) {
        m->aar = t->aar;
        m->t1 = t->t1;
        m->t2 = t->t2;
        m->t3 = t->t3;
    }
}

void ng_manifest_set_reconciliation(ng_manifest *m, const ng_reconciliation *rec)
{
    m->has_reconciliation = rec != NULL;
    if (rec)
        m->rec = *rec;
}

void ng_manifest_set_duration(ng_manifest *m, double seconds)
{
    m->has_duration = true;
    m->duration_seconds = seconds;
}

static bool is_eml(const char *name)
{
    size_t n = strlen(name);
    return n >= 4 && strcmp(name + n - 4, ".eml") == 0;
}

void ng_manifest_set_hash(const ng_manifest *m, char hex[NG_SHA256_HEX])
{
    ng_strbuf b = {0};
    for (size_t i = 0; i < m->noutputs; i++) {
        if (is_eml(m->outputs[i].name))
            continue;
        ng_strbuf_add(&b, m->outputs[i].name);
        ng_strbuf_addc(&b, '\0');
        ng_strbuf_add(&b, m->outputs[i].sha256);
        ng_strbuf_addc(&b, '\n');
    }
    if (b.oom) {
        memset(hex, '0', 64); /* never a real set's hash */
        hex[64] = '\0';
    } else {
        ng_sha256_hex(ng_strbuf_str(&b), b.len, hex);
    }
    ng_strbuf_free(&b);
}

void ng_manifest_seal(ng_manifest *m)
{
    ng_manifest_set_hash(m, m->saet);
}

static json_t *files_json(const ng_manifest_file *files, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "name", json_string(files[i].name));
        json_object_set_new(o, "size", json_integer(files[i].size));
        json_object_set_new(o, "sha256", json_string(files[i].sha256));
        json_array_append_new(arr, o);
    }
    return arr;
}

static json_t *reconciliation_json(const ng_reconciliation *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "raekker_laest", json_integer(r->rows_read));
    json_object_set_new(o, "raekker_brugt", json_integer(r->rows_used));
    json_object_set_new(o, "raekker_afvist", json_integer(r->rows_rejected));
    json_object_set_new(o, "oere_laest", json_integer(r->oere_read));
    json_object_set_new(o, "oere_brugt", json_integer(r->oere_used));
    json_object_set_new(o, "oere_afvist", json_integer(r->oere_rejected));
    json_object_set_new(o, "tegnsaet", json_string(r->encoding_used));
    return o;
}

static json_t *manifest_json(const ng_manifest *m)
{
    json_t *root = json_object();
    char date[32];
    json_object_set_new(root, "program", json_string("notatgen"));
    json_object_set_new(root, "version", json_string(m->version ? m->version : NG_VERSION));
    if (m->kommune)
        json_object_set_new(root, "kommune", json_string(m->kommune));
    if (m->has_dato)
        json_object_set_new(root, "dato", json_string(ng_fmt_date_iso(date, sizeof date, m->dato)));
    json_object_set_new(root, "inputs", files_json(m->inputs, m->ninputs));
    json_object_set_new(root, "outputs", files_json(m->outputs, m->noutputs));
    if (m->has_thresholds) {
        json_t *t = json_object();
        json_object_set_new(t, "aar", json_integer(m->aar));
        json_object_set_new(t, "t1", json_integer(m->t1));
        json_object_set_new(t, "t2", json_integer(m->t2));
        json_object_set_new(t, "t3", json_integer(m->t3));
        json_object_set_new(root, "taerskler", t);
    }
    if (m->has_reconciliation)
        json_object_set_new(root, "afstemning", reconciliation_json(&m->rec));
    if (m->saet[0])
        json_object_set_new(root, "saet", json_string(m->saet));
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (m->has_duration && !(sde && *sde))
        json_object_set_new(root, "varighed_sekunder", json_real(m->duration_seconds));
    return root;
}

ng_status ng_manifest_write(const ng_manifest *m, const char *path, ng_diags *diags)
{
    ng_status st = NG_ERR_IO;
    char *text = NULL;
    json_t *root = manifest_json(m);
    if (!root)
        return NG_ERR_NOMEM;
    text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (!text)
        return NG_ERR_NOMEM;
    int fd = ng_open_private(path, diags);
    if (fd < 0)
        goto cleanup;
    size_t len = strlen(text);
    if (write(fd, text, len) != (ssize_t)len || write(fd, "\n", 1) != 1 || fsync(fd) != 0) {
        ng_error(diags, path, 0, 0, "kan ikke skrive manifestet: %s", strerror(errno));
        close(fd);
        goto cleanup;
    }
    if (close(fd) != 0) {
        ng_error(diags, path, 0, 0, "kan ikke skrive manifestet: %s", strerror(errno));
        goto cleanup;
    }
    st = NG_OK;
cleanup:
    free(text);
    return st;
}

static ng_status read_files(json_t *arr, ng_manifest_file **files, size_t *n, size_t *cap)
{
    size_t i;
    json_t *o;
    if (!json_is_array(arr))
        return NG_ERR_INPUT;
    json_array_foreach(arr, i, o)
    {
        const char *name = json_string_value(json_object_get(o, "name"));
        const char *sha = json_string_value(json_object_get(o, "sha256"));
        json_t *size = json_object_get(o, "size");
        if (!name || !sha || strlen(sha) != 64 || !json_is_integer(size))
            return NG_ERR_INPUT;
        ng_manifest_file *f = append_file(files, n, cap, name);
        if (!f)
            return NG_ERR_NOMEM;
        f->size = json_integer_value(size);
        memcpy(f->sha256, sha, 65);
    }
    return NG_OK;
}

ng_status ng_manifest_read(const char *path, ng_manifest *m, ng_diags *diags)
{
    json_error_t err;
    ng_manifest_init(m);
    json_t *root = json_load_file(path, 0, &err);
    if (!root) {
        struct stat sb;
        bool missing = stat(path, &sb) != 0;
        ng_error(diags, path, err.line > 0 ? err.line : 0, err.column > 0 ? err.column : 0,
                 missing ? "manifestet findes ikke" : "manifestet kan ikke læses: %s", err.text);
        return missing ? NG_ERR_IO : NG_ERR_INPUT;
    }
    ng_status st =
        read_files(json_object_get(root, "inputs"), &m->inputs, &m->ninputs, &m->caps_inputs);
    if (st == NG_OK)
        st = read_files(json_object_get(root, "outputs"), &m->outputs, &m->noutputs,
                        &m->caps_outputs);
    const char *version = json_string_value(json_object_get(root, "version"));
    if (st == NG_OK && version) {
        free(m->version);
        m->version = strdup(version);
    }
    const char *kommune = json_string_value(json_object_get(root, "kommune"));
    if (st == NG_OK && kommune)
        m->kommune = strdup(kommune);
    const char *dato = json_string_value(json_object_get(root, "dato"));
    if (st == NG_OK && dato && ng_parse_date(dato, &m->dato, NULL) == NG_OK)
        m->has_dato = true;
    const char *saet = json_string_value(json_object_get(root, "saet"));
    if (st == NG_OK && saet && strlen(saet) == 64)
        memcpy(m->saet, saet, NG_SHA256_HEX);
    else if (st == NG_OK)
        ng_manifest_seal(m);
    if (st == NG_ERR_INPUT)
        ng_error(diags, path, 0, 0, "ikke et notatgen-manifest (inputs/outputs mangler)");
    json_decref(root);
    return st;
}

/* ---- the run log line ------------------------------------------------- */

char *ng_log_line(const ng_log_facts *f)
{
    ng_strbuf b = {0};
    char num[64], num2[64], num3[64];
    ng_strbuf_add(&b, "notatgen");
    if (f->dato.y) {
        ng_strbuf_add(&b, " ");
        ng_strbuf_add(&b, ng_fmt_date_iso(num, sizeof num, f->dato));
    }
    if (f->kommune) {
        ng_strbuf_add(&b, " ");
        ng_strbuf_add(&b, f->kommune);
    }
    ng_strbuf_add(&b, ":");
    const char *sep = " ";
    if (f->rec) {
        ng_strbuf_addf(&b, "%srækker %s læst, %s brugt, %s afvist", sep,
                       ng_fmt_int(num, sizeof num, (double)f->rec->rows_read),
                       ng_fmt_int(num2, sizeof num2, (double)f->rec->rows_used),
                       ng_fmt_int(num3, sizeof num3, (double)f->rec->rows_rejected));
        sep = "; ";
    }
    if (f->sager >= 0) {
        ng_strbuf_add(&b, sep);
        ng_strbuf_add(&b, ng_fmt_int(num, sizeof num, (double)f->sager));
        ng_strbuf_add(&b, f->sager == 1 ? " sag" : " sager");
        sep = "; ";
    }
    if (f->has_refusion) {
        ng_strbuf_add(&b, sep);
        ng_strbuf_add(&b, "refusion ");
        ng_strbuf_add(&b, ng_fmt_mio(num, sizeof num, f->refusion_kr));
        ng_strbuf_add(&b, " mio. kr.");
        sep = "; ";
    }
    if (f->nwritten > 0) {
        ng_strbuf_add(&b, sep);
        ng_strbuf_add(&b, "skrevet ");
        for (size_t i = 0; i < f->nwritten; i++) {
            if (i)
                ng_strbuf_add(&b, ", ");
            ng_strbuf_add(&b, f->written[i]);
        }
        sep = "; ";
    }
    const char *notes[] = {f->godkendt, f->mail};
    for (size_t i = 0; i < sizeof notes / sizeof *notes; i++) {
        if (!notes[i])
            continue;
        ng_strbuf_add(&b, sep);
        ng_strbuf_add(&b, notes[i]);
        sep = "; ";
    }
    ng_strbuf_addf(&b, "%sstatus %d", sep, f->status);
    char *line = ng_strbuf_take(&b);
    if (!line)
        return NULL;
    /* Newlines would split the line in a log; names come from the config. */
    for (char *p = line; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    char *masked = ng_mask_cpr(line);
    free(line);
    return masked;
}

void ng_log_syslog(const char *line, bool failed)
{
    char *masked = ng_mask_cpr(line ? line : "");
    if (!masked)
        return;
    openlog("notatgen", LOG_PID, LOG_USER);
    syslog(failed ? LOG_ERR : LOG_INFO, "%s", masked);
    closelog();
    free(masked);
}
