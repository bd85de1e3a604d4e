/*
 * mail.c -- building the MIME message by hand and sending it with libcurl.
 *
 * Why by hand and not curl_mime: the --dry-run .eml must be exactly the bytes
 * that would be sent, and the same inputs must give the same bytes (curl_mime
 * draws a random boundary). The message is therefore built once into memory
 * and uploaded as is; libcurl does the SMTP dot-stuffing.
 */
#include "notatgen/mail.h"

#include "notatgen/module.h"
#include "notatgen/modules.h"
#include "notatgen/publish.h"

#include <curl/curl.h>
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "notatgen/dk.h"
#include "notatgen/fault.h"
#include "notatgen/history.h"
#include "notatgen/manifest.h"
#include "notatgen/privacy.h"
#include "notatgen/publish.h"
#include "notatgen/strbuf.h"
#include "notatgen/template.h"
#include "notatgen/textcheck.h"

/* ---- encodings -------------------------------------------------------- */

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Base64 without line breaks. */
static void put_base64_raw(ng_strbuf *b, const unsigned char *d, size_t n)
{
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)d[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)d[i + 1] << 8;
        if (i + 2 < n)
            v |= d[i + 2];
        char q[4] = {B64[(v >> 18) & 63], B64[(v >> 12) & 63], i + 1 < n ? B64[(v >> 6) & 63] : '=',
                     i + 2 < n ? B64[v & 63] : '='};
        ng_strbuf_add_len(b, q, 4);
    }
}

/* Base64 in lines of 76 characters, each ended by CRLF (RFC 2045). */
static void put_base64_lines(ng_strbuf *b, const unsigned char *d, size_t n)
{
    for (size_t i = 0; i < n; i += 57) {
        put_base64_raw(b, d + i, n - i < 57 ? n - i : 57);
        ng_strbuf_add(b, "\r\n");
    }
}

static bool is_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return false;
    return true;
}

/* A header text (from, to, subject) must hold no line break, no other
 * control character (ESC, NUL...) and no invisible character: such a
 * character would pass raw into the header (a CR or LF even starts a new
 * header) or hide in what the recipient reads. Invalid UTF-8 is refused too. */
static bool unsafe_header_text(const char *s)
{
    size_t at, len = s ? strlen(s) : 0;
    uint32_t cp;
    return s &&
           (ng_utf8_invalid_at(s, len) < len || ng_text_find_unprintable(s, len, false, &at, &cp));
}

/* Length of the UTF-8 sequence starting with byte c (1 for a stray byte). */
static size_t utf8_len(unsigned char c)
{
    return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

/* A header text as RFC 2047 encoded words when it is not ASCII; each word
 * holds at most 45 bytes (60 base64 characters, 72 with the wrapping) and
 * never splits a UTF-8 sequence; words are folded onto continuation lines. */
static void put_header_text(ng_strbuf *b, const char *s)
{
    if (is_ascii(s)) {
        ng_strbuf_add(b, s);
        return;
    }
    size_t len = strlen(s), i = 0;
    bool first = true;
    while (i < len) {
        size_t n = 0;
        while (i + n < len) {
            size_t k = utf8_len((unsigned char)s[i + n]);
            if (n + k > 45)
                break;
            n += k;
        }
        if (n == 0)
            n = len - i < 4 ? len - i : 4;
        if (!first)
            ng_strbuf_add(b, "\r\n ");
        ng_strbuf_add(b, "=?UTF-8?B?");
        put_base64_raw(b, (const unsigned char *)s + i, n);
        ng_strbuf_add(b, "?=");
        first = false;
        i += n;
    }
}

/* "Navn <adr@x.dk>" or "adr@x.dk": the address part, trimmed, into out. */
static void address_part(const char *s, char *out, size_t size)
{
    const char *lt = strrchr(s, '<');
    const char *start = lt ? lt + 1 : s;
    const char *end = lt ? strchr(start, '>') : s + strlen(s);
    if (!end)
        end = start + strlen(start);
    while (start < end && (*start == ' ' || *start == '\t'))
        start++;
    while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    size_t n = (size_t)(end - start) < size - 1 ? (size_t)(end - start) : size - 1;
    memcpy(out, start, n);
    out[n] = '\0';
}

/* An address for a header: a non-ASCII display name is RFC 2047 encoded. */
static void put_address(ng_strbuf *b, const char *s)
{
    const char *lt = strrchr(s, '<');
    char addr[320];
    address_part(s, addr, sizeof addr);
    if (!lt) {
        ng_strbuf_add(b, addr);
        return;
    }
    const char *name = s, *name_end = lt;
    while (*name == ' ')
        name++;
    while (name_end > name && name_end[-1] == ' ')
        name_end--;
    if (name_end > name) {
        char *display = strndup(name, (size_t)(name_end - name));
        if (!display) {
            b->oom = true;
            return;
        }
        if (is_ascii(display)) {
            ng_strbuf_add(b, display);
        } else {
            put_header_text(b, display);
        }
        free(display);
        ng_strbuf_add(b, " ");
    }
    ng_strbuf_add(b, "<");
    ng_strbuf_add(b, addr);
    ng_strbuf_add(b, ">");
}

/* Quoted-printable (RFC 2045 §6.7) of UTF-8 text with "\n" line ends: output
 * lines of at most 76 characters, soft breaks "=", CRLF line ends. */
static void put_quoted_printable(ng_strbuf *b, const char *text)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t col = 0;
    for (const char *p = text; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '\r')
            continue;
        if (c == '\n') {
            ng_strbuf_add(b, "\r\n");
            col = 0;
            continue;
        }
        bool at_line_end = p[1] == '\n' || p[1] == '\0' || (p[1] == '\r' && p[2] == '\n');
        char tok[4];
        size_t n;
        if ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !at_line_end)) {
            tok[0] = (char)c;
            n = 1;
        } else {
            tok[0] = '=';
            tok[1] = hex[c >> 4];
            tok[2] = hex[c & 15];
            n = 3;
        }
        /* keep an encoded UTF-8 sequence on one line: readers cope either
         * way, but a person reading the source is helped */
        size_t need = n;
        if (c >= 0xC0)
            need = 3 * utf8_len(c);
        if (col + need > 75) {
            ng_strbuf_add(b, "=\r\n");
            col = 0;
        }
        ng_strbuf_add_len(b, tok, n);
        col += n;
    }
}

/* ASCII fallback of a file name: æøå -> ae oe aa, other non-ASCII and
 * quote characters -> '_'. */
static void put_ascii_fallback(ng_strbuf *b, const char *name)
{
    static const struct {
        const char *utf8, *ascii;
    } map[] = {{"æ", "ae"}, {"ø", "oe"}, {"å", "aa"}, {"Æ", "Ae"}, {"Ø", "Oe"},
               {"Å", "Aa"}, {"é", "e"},  {"ü", "u"},  {"ö", "o"},  {"ä", "a"}};
    for (const char *p = name; *p;) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x80) {
            ng_strbuf_addc(b, (c == '"' || c == '\\' || c < 0x20) ? '_' : (char)c);
            p++;
            continue;
        }
        size_t k = utf8_len(c);
        const char *rep = "_";
        for (size_t i = 0; i < sizeof map / sizeof *map; i++)
            if (strncmp(p, map[i].utf8, strlen(map[i].utf8)) == 0)
                rep = map[i].ascii;
        ng_strbuf_add(b, rep);
        for (size_t i = 0; i < k && *p; i++)
            p++;
    }
}

/* RFC 2231 / RFC 5987 value: attr-chars kept, everything else %XX. */
static void put_percent_encoded(ng_strbuf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            strchr("!#$&+-.^_`|~", *p)) {
            ng_strbuf_addc(b, (char)*p);
        } else {
            char t[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            ng_strbuf_add_len(b, t, 3);
        }
    }
}

/* ---- dates ------------------------------------------------------------ */

/* RFC 5322 date in UTC, independent of the locale: "Fri, 31 Oct 2025 02:30:00 +0000". */
static void format_rfc5322_date(long long epoch, char *out, size_t size)
{
    static const char *days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t t = (time_t)epoch;
    struct tm tm;
    if (epoch < 0 || epoch > 253402300799LL || !gmtime_r(&t, &tm)) {
        /* never from a checked SOURCE_DATE_EPOCH or the clock: the epoch */
        t = 0;
        gmtime_r(&t, &tm);
    }
    snprintf(out, size, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
             months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* ---- attachments ------------------------------------------------------ */

typedef struct {
    const char *path;
    const char *location; /* where the body says the file lies when too large */
    const char *name;
    const char *type;
    unsigned char *data; /* NULL when too large */
    size_t size;
    bool too_large;
} loaded_attachment;

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

static const char *type_for(const char *name)
{
    if (ends_with(name, ".xlsx"))
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    if (ends_with(name, ".pdf"))
        return "application/pdf";
    if (ends_with(name, ".json"))
        return "application/json";
    if (ends_with(name, ".csv"))
        return "text/csv";
    if (ends_with(name, ".txt"))
        return "text/plain";
    return "application/octet-stream";
}

static ng_status load_attachment(const ng_mail_attachment *a, long max_bytes,
                                 loaded_attachment *out, ng_diags *diags)
{
    memset(out, 0, sizeof *out);
    out->path = a->path;
    out->location = a->location ? a->location : a->path;
    out->name = a->name ? a->name : ng_base_name(a->path);
    out->type = a->content_type ? a->content_type : type_for(out->name);
    FILE *f = fopen(a->path, "rb");
    struct stat sb;
    if (!f || fstat(fileno(f), &sb) != 0) {
        ng_error(diags, a->path, 0, 0, "kan ikke læse vedhæftningen: %s", strerror(errno));
        if (f)
            fclose(f);
        return NG_ERR_IO;
    }
    out->size = (size_t)sb.st_size;
    if (max_bytes > 0 && sb.st_size > max_bytes) {
        out->too_large = true;
        fclose(f);
        return NG_OK;
    }
    out->data = malloc(out->size ? out->size : 1);
    if (!out->data) {
        fclose(f);
        return NG_ERR_NOMEM;
    }
    if (fread(out->data, 1, out->size, f) != out->size) {
        ng_error(diags, a->path, 0, 0, "fejl under læsning af vedhæftningen");
        fclose(f);
        return NG_ERR_IO;
    }
    fclose(f);
    return NG_OK;
}

/* "12,3 MB" */
static void format_size(size_t bytes, char *out, size_t size)
{
    char num[32];
    if (bytes >= 1000000)
        snprintf(out, size, "%s MB", ng_fmt_dec(num, sizeof num, (double)bytes / 1e6, 1));
    else
        snprintf(out, size, "%s kB", ng_fmt_dec(num, sizeof num, ceil((double)bytes / 1e3), 0));
}

/* ---- building the message -------------------------------------------- */

const char *ng_mail_default_subject(void)
{
    return "Særligt dyre enkeltsager – bilag";
}

static ng_status check_config(const ng_mail_config *mc, const char *subject, ng_diags *diags)
{
    if (!mc->from || !*mc->from || mc->nto == 0) {
        ng_error(diags, NULL, 0, 0, "[mail]: fra og til skal være udfyldt");
        return NG_ERR_CONFIG;
    }
    bool bad = unsafe_header_text(mc->from) || unsafe_header_text(subject);
    for (size_t i = 0; i < mc->nto; i++)
        bad = bad || !mc->to[i] || unsafe_header_text(mc->to[i]);
    if (bad) {
        ng_error(diags, NULL, 0, 0,
                 "[mail]: linjeskift, styretegn og usynlige tegn i fra, til eller emne er ikke "
                 "tilladt");
        return NG_ERR_CONFIG;
    }
    return NG_OK;
}

/* The body the recipient reads: the caller's text plus a line for every
 * attachment that was too large to send. */
static char *full_body(const char *body, const loaded_attachment *att, size_t n)
{
    ng_strbuf b = {0};
    ng_strbuf_add(&b, body ? body : "");
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        if (!att[i].too_large)
            continue;
        char size[48];
        format_size(att[i].size, size, sizeof size);
        if (!any && b.len > 0 && b.s[b.len - 1] != '\n')
            ng_strbuf_add(&b, "\n");
        if (!any)
            ng_strbuf_add(&b, "\n");
        any = true;
        ng_strbuf_add(&b, "Filen ");
        ng_strbuf_add(&b, att[i].name);
        ng_strbuf_add(&b, " (");
        ng_strbuf_add(&b, size);
        ng_strbuf_add(&b, ") er for stor til at blive sendt med mail. Den ligger her: ");
        ng_strbuf_add(&b, att[i].location);
        ng_strbuf_add(&b, "\n");
    }
    return ng_strbuf_take(&b);
}

static ng_status guard_message(const char *subject, const char *body, const loaded_attachment *att,
                               size_t n, ng_diags *diags)
{
    ng_status st = ng_guard_text("mail, emne", subject, strlen(subject), diags);
    ng_status st2 = ng_guard_text("mail, tekst", body, strlen(body), diags);
    if (st == NG_OK)
        st = st2;
    for (size_t i = 0; i < n; i++) {
        st2 = ng_guard_text("mail, vedhæftningens navn", att[i].name, strlen(att[i].name), diags);
        if (st == NG_OK)
            st = st2;
    }
    return st;
}

/* A boundary that cannot occur in the parts: "=_" never appears in
 * quoted-printable or base64 text. Derived from the content, so that the
 * same message has the same bytes. */
static void make_boundary(const char *body, const loaded_attachment *att, size_t n, char out[48])
{
    ng_strbuf b = {0};
    char hex[NG_SHA256_HEX];
    ng_strbuf_add(&b, body);
    for (size_t i = 0; i < n; i++) {
        ng_strbuf_addc(&b, '\0');
        ng_strbuf_add(&b, att[i].name);
        if (att[i].data) {
            char h[NG_SHA256_HEX];
            ng_sha256_hex(att[i].data, att[i].size, h);
            ng_strbuf_add(&b, h);
        }
    }
    ng_sha256_hex(ng_strbuf_str(&b), b.len, hex);
    ng_strbuf_free(&b);
    snprintf(out, 48, "=_notatgen_%.24s", hex);
}

static void put_attachment_part(ng_strbuf *b, const loaded_attachment *a, const char *boundary)
{
    ng_strbuf_add(b, "--");
    ng_strbuf_add(b, boundary);
    ng_strbuf_add(b, "\r\nContent-Type: ");
    ng_strbuf_add(b, a->type);
    ng_strbuf_add(b, ";\r\n name=\"");
    put_ascii_fallback(b, a->name);
    ng_strbuf_add(b, "\"\r\nContent-Disposition: attachment;\r\n ");
    /* filename* first: readers that know RFC 2231 take it, and some simple
     * ones (Python's email package) take the first filename they see */
    if (!is_ascii(a->name)) {
        ng_strbuf_add(b, "filename*=UTF-8''");
        put_percent_encoded(b, a->name);
        ng_strbuf_add(b, ";\r\n ");
    }
    ng_strbuf_add(b, "filename=\"");
    put_ascii_fallback(b, a->name);
    ng_strbuf_add(b, "\"\r\nContent-Transfer-Encoding: base64\r\n\r\n");
    put_base64_lines(b, a->data, a->size);
}

static void put_headers(ng_strbuf *b, const ng_mail_config *mc, const char *subject, long long date)
{
    char datebuf[64];
    ng_strbuf_add(b, "From: ");
    put_address(b, mc->from);
    ng_strbuf_add(b, "\r\nTo: ");
    for (size_t i = 0; i < mc->nto; i++) {
        if (i)
            ng_strbuf_add(b, ",\r\n ");
        put_address(b, mc->to[i]);
    }
    ng_strbuf_add(b, "\r\nSubject: ");
    put_header_text(b, subject);
    format_rfc5322_date(date, datebuf, sizeof datebuf);
    ng_strbuf_add(b, "\r\nDate: ");
    ng_strbuf_add(b, datebuf);
    ng_strbuf_add(b, "\r\n");
}

ng_status ng_mail_build(const ng_mail_config *mc, const ng_mail_message *msg, char **out,
                        size_t *len, ng_diags *diags)
{
    ng_status st = NG_OK;
    size_t n = msg->nattachments;
    loaded_attachment *att = calloc(n ? n : 1, sizeof *att);
    char *body = NULL;
    ng_strbuf head = {0}, mime = {0}, all = {0};
    const char *subject = msg->subject  ? msg->subject
                          : mc->subject ? mc->subject
                                        : ng_mail_default_subject();
    *out = NULL;
    *len = 0;
    if (!att)
        return NG_ERR_NOMEM;
    if ((st = check_config(mc, subject, diags)) != NG_OK)
        goto cleanup;
    for (size_t i = 0; i < n && st == NG_OK; i++)
        st = load_attachment(&msg->attachments[i], mc->max_attachment_bytes, &att[i], diags);
    if (st != NG_OK)
        goto cleanup;
    if (!(body = full_body(msg->body, att, n))) {
        st = NG_ERR_NOMEM;
        goto cleanup;
    }
    if ((st = guard_message(subject, body, att, n, diags)) != NG_OK)
        goto cleanup;

    char boundary[48];
    make_boundary(body, att, n, boundary);
    ng_strbuf_add(&mime, "MIME-Version: 1.0\r\nContent-Type: multipart/mixed;\r\n boundary=\"");
    ng_strbuf_add(&mime, boundary);
    ng_strbuf_add(&mime, "\"\r\n\r\nThis is a multi-part message in MIME format.\r\n\r\n--");
    ng_strbuf_add(&mime, boundary);
    ng_strbuf_add(&mime, "\r\nContent-Type: text/plain; charset=utf-8\r\n"
                         "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
    put_quoted_printable(&mime, body);
    ng_strbuf_add(&mime, "\r\n");
    for (size_t i = 0; i < n; i++)
        if (!att[i].too_large)
            put_attachment_part(&mime, &att[i], boundary);
    ng_strbuf_add(&mime, "--");
    ng_strbuf_add(&mime, boundary);
    ng_strbuf_add(&mime, "--\r\n");

    put_headers(&head, mc, subject, msg->date);

    /* Message-ID: a hash of everything else, at the From address's domain */
    char hex[NG_SHA256_HEX], addr[320];
    ng_strbuf id_input = {0};
    ng_strbuf_add(&id_input, ng_strbuf_str(&head));
    ng_strbuf_add(&id_input, ng_strbuf_str(&mime));
    ng_sha256_hex(ng_strbuf_str(&id_input), id_input.len, hex);
    bool id_oom = id_input.oom;
    ng_strbuf_free(&id_input);
    address_part(mc->from, addr, sizeof addr);
    const char *at = strrchr(addr, '@');
    ng_strbuf_add(&all, ng_strbuf_str(&head));
    ng_strbuf_add(&all, "Message-ID: <");
    ng_strbuf_add_len(&all, hex, 32);
    ng_strbuf_add(&all, ".notatgen@");
    ng_strbuf_add(&all, at && at[1] ? at + 1 : "localhost");
    ng_strbuf_add(&all, ">\r\n");
    ng_strbuf_add(&all, ng_strbuf_str(&mime));
    if (head.oom || mime.oom || all.oom || id_oom) {
        st = NG_ERR_NOMEM;
        goto cleanup;
    }
    *len = all.len;
    *out = ng_strbuf_take(&all);
cleanup:
    for (size_t i = 0; i < n; i++)
        free(att[i].data);
    free(att);
    free(body);
    ng_strbuf_free(&head);
    ng_strbuf_free(&mime);
    ng_strbuf_free(&all);
    return st;
}

ng_status ng_mail_write_eml(const ng_mail_config *mc, const ng_mail_message *msg, const char *path,
                            ng_diags *diags)
{
    char *text = NULL;
    size_t len = 0;
    ng_status st = ng_mail_build(mc, msg, &text, &len, diags);
    if (st != NG_OK)
        return st;
    int fd = ng_open_private(path, diags);
    if (fd < 0) {
        st = NG_ERR_IO;
    } else if (write(fd, text, len) != (ssize_t)len || fsync(fd) != 0) {
        ng_error(diags, path, 0, 0, "kan ikke skrive mailen: %s", strerror(errno));
        st = NG_ERR_IO;
    }
    if (fd >= 0 && close(fd) != 0 && st == NG_OK) {
        ng_error(diags, path, 0, 0, "kan ikke skrive mailen: %s", strerror(errno));
        st = NG_ERR_IO;
    }
    free(text);
    return st;
}

/* ---- sending ---------------------------------------------------------- */

static int cmp_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct {
    const char *data;
    size_t len, off;
} upload_t;

static size_t read_upload(char *dst, size_t size, size_t nmemb, void *userp)
{
    upload_t *u = userp;
    size_t n = size * nmemb;
    if (n > u->len - u->off)
        n = u->len - u->off;
    memcpy(dst, u->data + u->off, n);
    u->off += n;
    return n;
}

/* The password from the first line of password_file, else from the
 * environment variable password_env. NULL with a diagnostic when neither. */
static char *read_password(const ng_mail_config *mc, ng_diags *diags)
{
    if (mc->password_file) {
        FILE *f = fopen(mc->password_file, "r");
        if (!f) {
            ng_error(diags, mc->password_file, 0, 0, "kan ikke læse adgangskodefilen: %s",
                     strerror(errno));
            return NULL;
        }
        struct stat sb;
        if (fstat(fileno(f), &sb) == 0 && (sb.st_mode & 077))
            ng_warning(diags, mc->password_file, 0, 0,
                       "adgangskodefilen kan læses af andre brugere (chmod 600 anbefales)");
        char line[1024];
        char *got = fgets(line, sizeof line, f);
        fclose(f);
        if (got) {
            line[strcspn(line, "\r\n")] = '\0';
            if (*line)
                return strdup(line);
        }
        ng_error(diags, mc->password_file, 1, 0, "adgangskodefilen er tom");
        return NULL;
    }
    if (mc->password_env) {
        const char *v = getenv(mc->password_env);
        if (v && *v)
            return strdup(v);
        ng_error(diags, NULL, 0, 0, "[mail]: miljøvariablen %s er ikke sat", mc->password_env);
        return NULL;
    }
    ng_error(diags, NULL, 0, 0,
             "[mail]: bruger er sat, men hverken adgangskode_fil eller adgangskode_env");
    return NULL;
}

static bool temporary_failure(CURLcode rc, long code)
{
    if (code >= 400 && code < 500)
        return true;
    if (code >= 500)
        return false;
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
        return true;
    default:
        return false;
    }
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* The server's replies as libcurl sees them (CURLOPT_DEBUGFUNCTION, only
 * the lines the server sends): the reply to the message itself is the last
 * one before libcurl says QUIT. What the client sends is never looked at
 * (it holds the login). */
typedef struct {
    char last[160];
    char final[160];
} smtp_replies;

static int on_debug(CURL *h, curl_infotype type, char *data, size_t size, void *userp)
{
    smtp_replies *r = userp;
    (void)h;
    if (type == CURLINFO_HEADER_IN) {
        size_t n = size < sizeof r->last - 1 ? size : sizeof r->last - 1;
        memcpy(r->last, data, n);
        r->last[n] = '\0';
        r->last[strcspn(r->last, "\r\n")] = '\0';
    } else if (type == CURLINFO_HEADER_OUT && size >= 4 && !strncasecmp(data, "QUIT", 4) &&
               !r->final[0]) {
        memcpy(r->final, r->last, sizeof r->final);
    }
    return 0;
}

static ng_status curl_setup(CURL *h, const ng_mail_config *mc, const ng_mail_options *opts,
                            const char *url, const char *password, struct curl_slist *rcpt,
                            const char *from, upload_t *up, smtp_replies *replies, char *errbuf)
{
    long timeout = opts && opts->timeout_s > 0 ? opts->timeout_s : 60;
    bool ok =
        curl_easy_setopt(h, CURLOPT_URL, url) == CURLE_OK &&
        curl_easy_setopt(h, CURLOPT_MAIL_FROM, from) == CURLE_OK &&
        curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt) == CURLE_OK &&
        curl_easy_setopt(h, CURLOPT_READFUNCTION, read_upload) == CURLE_OK &&
        curl_easy_setopt(h, CURLOPT_READDATA, up) == CURLE_OK &&
        curl_easy_setopt(h, CURLOPT_UPLOAD, 1L) == CURLE_OK &&
        curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)up->len) == CURLE_OK &&
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf) == CURLE_OK &&
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&
        curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout) == CURLE_OK &&
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, timeout < 30 ? timeout : 30L) == CURLE_OK &&
        curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, on_debug) == CURLE_OK &&
        curl_easy_setopt(h, CURLOPT_DEBUGDATA, replies) == CURLE_OK &&
        curl_easy_setopt(h, CURLOPT_VERBOSE, 1L) == CURLE_OK;
    if (ok && mc->starttls)
        ok = curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL) == CURLE_OK;
    if (ok && opts && opts->ca_file)
        ok = curl_easy_setopt(h, CURLOPT_CAINFO, opts->ca_file) == CURLE_OK;
    if (ok && mc->user)
        ok = curl_easy_setopt(h, CURLOPT_USERNAME, mc->user) == CURLE_OK &&
             curl_easy_setopt(h, CURLOPT_PASSWORD, password) == CURLE_OK;
    return ok ? NG_OK : NG_ERR_INTERNAL;
}

/* One attempt. Sets *code to the last SMTP reply code (0 when none) and
 * reply to the server's answer to the message. */
static CURLcode send_once(const ng_mail_config *mc, const ng_mail_options *opts, const char *url,
                          const char *password, struct curl_slist *rcpt, const char *from,
                          const char *text, size_t len, long *code, char *reply, size_t reply_size,
                          char *errbuf)
{
    upload_t up = {text, len, 0};
    smtp_replies replies = {"", ""};
    CURL *h = curl_easy_init();
    CURLcode rc = CURLE_FAILED_INIT;
    *code = 0;
    errbuf[0] = '\0';
    if (!h)
        return rc;
    if (curl_setup(h, mc, opts, url, password, rcpt, from, &up, &replies, errbuf) == NG_OK)
        rc = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, code);
    curl_easy_cleanup(h);
    snprintf(reply, reply_size, "%s", replies.final[0] ? replies.final : replies.last);
    return rc;
}

static ng_status deliver(const ng_mail_config *mc, const ng_mail_options *opts, const char *url,
                         const char *password, struct curl_slist *rcpt, const char *from,
                         const char *text, size_t len, char *reply, size_t reply_size,
                         ng_diags *diags)
{
    int attempts = mc->retries > 0 ? mc->retries : 1;
    long wait = opts && opts->backoff_ms > 0 ? opts->backoff_ms : 1000;
    char errbuf[CURL_ERROR_SIZE];
    for (int i = 1; i <= attempts; i++) {
        long code = 0;
        CURLcode rc = send_once(mc, opts, url, password, rcpt, from, text, len, &code, reply,
                                reply_size, errbuf);
        if (opts && opts->attempts_made)
            *opts->attempts_made = i;
        if (rc == CURLE_OK) {
            if (!reply[0])
                snprintf(reply, reply_size, "250");
            return NG_OK;
        }
        const char *why = errbuf[0] ? errbuf : curl_easy_strerror(rc);
        bool temporary = temporary_failure(rc, code);
        /* a reply code says something only when it is the refusal itself */
        char code_text[48] = "";
        if (code >= 400)
            snprintf(code_text, sizeof code_text, "SMTP-svar %ld, ", code);
        if (temporary && i < attempts) {
            ng_warning(diags, url, 0, 0,
                       "forsøg %d af %d mislykkedes: %s (%smidlertidig fejl); prøver igen om "
                       "%ld ms",
                       i, attempts, why, code_text, wait);
            sleep_ms(wait);
            wait *= 2;
            continue;
        }
        ng_error(diags, url, 0, 0, "mailen blev ikke sendt: %s (%s%s fejl%s)", why, code_text,
                 temporary ? "midlertidig" : "permanent",
                 temporary ? ", opgivet efter alle forsøg" : "");
        snprintf(reply, reply_size, "%s%s fejl: %.96s", code_text,
                 temporary ? "midlertidig" : "permanent", why);
        return NG_ERR_DELIVERY;
    }
    return NG_ERR_DELIVERY;
}

ng_status ng_mail_send_raw(const ng_mail_config *mc, const char *text, size_t len,
                           const ng_mail_options *opts, char *reply, size_t reply_size,
                           ng_diags *diags)
{
    ng_status st = NG_OK;
    char *password = NULL;
    struct curl_slist *rcpt = NULL;
    char url[512], from[330], addr[320];
    reply[0] = '\0';
    if (!mc->host || !*mc->host) {
        ng_error(diags, NULL, 0, 0, "[mail]: server skal være udfyldt");
        snprintf(reply, reply_size, "ingen server");
        return NG_ERR_CONFIG;
    }
    if (mc->user && !(password = read_password(mc, diags))) {
        snprintf(reply, reply_size, "ingen adgangskode");
        return NG_ERR_CONFIG;
    }
    int port = mc->port > 0 ? mc->port : (mc->starttls ? 587 : 25);
    snprintf(url, sizeof url, "%s://%s:%d", (port == 465 && !mc->starttls) ? "smtps" : "smtp",
             mc->host, port);
    address_part(mc->from, addr, sizeof addr);
    snprintf(from, sizeof from, "<%s>", addr);
    for (size_t i = 0; i < mc->nto; i++) {
        char to[330];
        address_part(mc->to[i], addr, sizeof addr);
        snprintf(to, sizeof to, "<%s>", addr);
        struct curl_slist *p = curl_slist_append(rcpt, to);
        if (!p) {
            st = NG_ERR_NOMEM;
            goto cleanup;
        }
        rcpt = p;
    }
    st = deliver(mc, opts, url, password, rcpt, from, text, len, reply, reply_size, diags);
cleanup:
    if (password) {
        memset(password, 0, strlen(password));
        free(password);
    }
    curl_slist_free_all(rcpt);
    return st;
}

ng_status ng_mail_send(const ng_mail_config *mc, const ng_mail_message *msg,
                       const ng_mail_options *opts, ng_diags *diags)
{
    char *text = NULL, reply[160];
    size_t len = 0;
    if (!mc->host || !*mc->host) {
        ng_error(diags, NULL, 0, 0, "[mail]: server skal være udfyldt");
        return NG_ERR_CONFIG;
    }
    ng_status st = ng_mail_build(mc, msg, &text, &len, diags);
    if (st == NG_OK)
        st = ng_mail_send_raw(mc, text, len, opts, reply, sizeof reply, diags);
    free(text);
    return st;
}

/* "a@x.dk, b@y.dk": the addresses of To, lower-cased and sorted, as the
 * store keys a delivery by them. */
char *ng_mail_recipients(const ng_mail_config *mc)
{
    char **addrs = calloc(mc->nto ? mc->nto : 1, sizeof *addrs);
    ng_strbuf b = {0};
    if (!addrs)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < mc->nto; i++) {
        char addr[320];
        address_part(mc->to[i], addr, sizeof addr);
        for (char *c = addr; *c; c++)
            if (*c >= 'A' && *c <= 'Z')
                *c = (char)(*c - 'A' + 'a');
        if ((addrs[n] = strdup(addr)))
            n++;
        else
            b.oom = true;
    }
    qsort(addrs, n, sizeof *addrs, cmp_text);
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || strcmp(addrs[i], addrs[i - 1])) {
            if (b.len)
                ng_strbuf_add(&b, ", ");
            ng_strbuf_add(&b, addrs[i]);
        }
    }
    for (size_t i = 0; i < n; i++)
        free(addrs[i]);
    free(addrs);
    return ng_strbuf_take(&b);
}

/* ---- the body template ------------------------------------------------ */

const char *ng_mail_default_template(void)
{
    /* the status memo's figures (its table refusion_per_trin: adults in a
     * refusion tier), and the refusion of all areas said to be that */
    return "Hermed bilag om særligt dyre enkeltsager pr. {{ udtraek_dato | dato }}.\n"
           "\n"
           "På voksenområdet er der {{ antal_voksen | antal }} sager inden for "
           "refusionssatserne (som i notatets tabel).\n"
           "Udgift til sagerne: {{ udgift_voksen | mio }} mio. kr.\n"
           "Refusion af sagerne: {{ refusion_voksen | mio }} mio. kr.\n"
           "Refusion i alt for alle områder (voksne, børn og unge, ældre): "
           "{{ refusion_i_alt | mio }} mio. kr.\n"
           "\n"
           "Bilaget er dannet automatisk af notatgen.\n"
           "\n"
           "Venlig hilsen\n"
           "{{ kommune }}\n";
}

/* Fills one line of the body template; false when it names something the
 * dataset lacks (reported to diags when report is set). */
static bool fill_line(ng_strbuf *b, const ng_dataset *ds, const char *line, size_t len, long lineno,
                      bool report, ng_diags *diags)
{
    char *text = strndup(line, len);
    if (!text) {
        b->oom = true;
        return false;
    }
    ng_diags scratch;
    ng_diags_init(&scratch);
    char *filled = NULL;
    ng_status st =
        ng_template_fill_text("mailtekst", lineno, text, ds, &filled, report ? diags : &scratch);
    ng_diags_free(&scratch);
    free(text);
    if (st == NG_OK)
        ng_strbuf_add(b, filled);
    free(filled);
    return st == NG_OK;
}

char *ng_mail_body(const ng_dataset *ds, const char *template_text, ng_diags *diags)
{
    bool is_default = template_text == NULL;
    const char *text = is_default ? ng_mail_default_template() : template_text;
    ng_strbuf b = {0};
    bool ok = true;
    long lineno = 0;
    for (const char *p = text; *p && ok;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        lineno++;
        size_t mark = b.len;
        if (fill_line(&b, ds, p, len, lineno, !is_default, diags)) {
            if (nl)
                ng_strbuf_add(&b, "\n");
        } else if (is_default) {
            /* the default text leaves out a figure the run did not compute */
            ng_strbuf_truncate(&b, mark);
        } else {
            ok = false;
        }
        p = nl ? nl + 1 : p + len;
    }
    if (!ok) {
        ng_strbuf_free(&b);
        return NULL;
    }
    return ng_strbuf_take(&b);
}

/* ---- the module ---------------------------------------------------------- */

typedef ng_mail_config opts;

static const ng_config_key keys[] = {
    NG_KEY_REQ(opts, "mail", "server", NG_KEY_STRING, host, NG_REQUIRED_IN_SECTION),
    NG_KEY_RANGE(opts, "mail", "port", NG_KEY_INT, port, 1, 65535),
    NG_KEY(opts, "mail", "starttls", NG_KEY_BOOL, starttls),
    NG_KEY(opts, "mail", "bruger", NG_KEY_STRING, user),
    NG_KEY(opts, "mail", "adgangskode_fil", NG_KEY_PATH, password_file),
    NG_KEY(opts, "mail", "adgangskode_env", NG_KEY_STRING, password_env),
    NG_KEY_REQ(opts, "mail", "fra", NG_KEY_EMAIL, from, NG_REQUIRED_IN_SECTION),
    {"mail", "til", NG_KEY_EMAIL_LIST, offsetof(opts, to), NG_REQUIRED_IN_SECTION, 0, 0,
     offsetof(opts, nto)},
    NG_KEY(opts, "mail", "emne", NG_KEY_STRING, subject),
    NG_KEY(opts, "mail", "tekst", NG_KEY_PATH, body_template),
    NG_KEY(opts, "mail", "vedhaeft_pdf", NG_KEY_BOOL, attach_pdf),
    NG_KEY_RANGE(opts, "mail", "max_vedhaeftning", NG_KEY_LONG, max_attachment_bytes, 0, LONG_MAX),
    NG_KEY_RANGE(opts, "mail", "forsoeg", NG_KEY_INT, retries, 1, 10),
    NG_KEY(opts, "mail", "login_uden_tls", NG_KEY_BOOL, login_without_tls),
};

static void options_init(void *p)
{
    opts *o = p;
    o->starttls = true;
    o->retries = 3;
    o->max_attachment_bytes = 10L * 1024 * 1024;
}

static void options_free(void *p)
{
    opts *o = p;
    free(o->host);
    free(o->user);
    free(o->password_file);
    free(o->password_env);
    free(o->from);
    for (size_t i = 0; i < o->nto; i++)
        free(o->to[i]);
    free(o->to);
    free(o->subject);
    free(o->body_template);
}

static void options_finish(void *p, ng_config_ctx *c)
{
    opts *o = p;
    long line = ng_config_section_line(c, "mail");
    o->configured = line > 0;
    if (!o->configured)
        return;
    if (o->port == 0)
        o->port = o->starttls ? 587 : 25;
    if (o->password_file && o->password_env)
        ng_config_error(c, line, "angiv kun én af 'adgangskode_fil' og 'adgangskode_env' i [mail]");
    if (o->user && !o->password_file && !o->password_env)
        ng_config_error(c, line,
                        "'bruger' kræver 'adgangskode_fil' eller 'adgangskode_env' i [mail]");
    /* smtps on 465 is TLS from the first byte; anything else without
     * starttls would send the password in the clear */
    bool tls = o->starttls || o->port == 465;
    if (o->user && !tls && !o->login_without_tls)
        ng_config_error(c,
                        ng_config_key_line(c, "mail", "starttls")
                            ? ng_config_key_line(c, "mail", "starttls")
                            : line,
                        "'bruger' uden 'starttls' sender adgangskoden ukrypteret til serveren; "
                        "brug starttls = ja (eller port 465), eller skriv login_uden_tls = ja i "
                        "[mail], hvis forbindelsen er beskyttet på anden vis");
}

static bool configured(const void *opt)
{
    return ((const opts *)opt)->configured;
}

/* The body template file is an input of the run; the password file is a
 * secret and stays out of the manifest. */
static void inputs(const void *opt, const ng_pipeline *p, ng_input_list *out)
{
    (void)p;
    ng_input_list_add(out, ((const opts *)opt)->body_template);
}

static char *read_body_template(const opts *o, ng_diags *diags)
{
    FILE *f = fopen(o->body_template, "rb");
    if (!f) {
        ng_error(diags, o->body_template, 0, 0, "mailteksten kan ikke læses: %s", strerror(errno));
        return NULL;
    }
    ng_strbuf b = {0};
    ng_strbuf_add_stream(&b, f);
    fclose(f);
    if (b.oom || memchr(b.s ? b.s : "", '\0', b.len)) {
        ng_error(diags, o->body_template, 0, 0, "mailteksten er ikke en tekstfil");
        ng_strbuf_free(&b);
        return NULL;
    }
    return ng_strbuf_take(&b);
}

/* The message with the bilag (and the memos when configured) of the
 * staging folder, written as eml_path; the body tells where a file too
 * large to attach lies once published (final_dir). */
static ng_status write_message(const opts *o, ng_pipeline *p, const char *eml_path)
{
    enum { MAX_ATTACHMENTS = 64 };
    ng_mail_attachment att[MAX_ATTACHMENTS];
    char *paths[MAX_ATTACHMENTS] = {0}, *locations[MAX_ATTACHMENTS] = {0};
    size_t n = 0;
    ng_status st = NG_OK;
    for (size_t i = 0; i < p->nwritten && st == NG_OK; i++) {
        const char *name = p->written[i];
        bool xlsx = ends_with(name, ".xlsx"), pdf = ends_with(name, ".pdf");
        if (!(xlsx || (pdf && o->attach_pdf)))
            continue;
        if (n == MAX_ATTACHMENTS) {
            ng_error(p->diags, NULL, 0, 0, "mailen kan højst have %d vedhæftninger",
                     MAX_ATTACHMENTS);
            st = NG_ERR_CONFIG;
            break;
        }
        paths[n] = ng_path_join(p->stage_dir, name);
        locations[n] = ng_path_join(p->final_dir, name);
        att[n] = (ng_mail_attachment){.path = paths[n], .location = locations[n]};
        st = paths[n] && locations[n] ? NG_OK : NG_ERR_NOMEM;
        n++;
    }
    char *tpl = st == NG_OK && o->body_template ? read_body_template(o, p->diags) : NULL;
    if (o->body_template && !tpl && st == NG_OK)
        st = NG_ERR_IO;
    char *body = st == NG_OK ? ng_mail_body(&p->ds, tpl, p->diags) : NULL;
    if (st == NG_OK && !body)
        st = NG_ERR_TEMPLATE;
    ng_mail_message msg = {.body = body,
                           .attachments = att,
                           .nattachments = n,
                           .date = p->has_epoch ? p->epoch : (long long)time(NULL)};
    if (st == NG_OK)
        st = ng_mail_write_eml(o, &msg, eml_path, p->diags);
    for (size_t i = 0; i < n; i++) {
        free(paths[i]);
        free(locations[i]);
    }
    free(tpl);
    free(body);
    return st;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    ng_strbuf b = {0};
    ng_strbuf_add_stream(&b, f);
    fclose(f);
    *len = b.len;
    return ng_strbuf_take(&b);
}

/* The header line starting at s (up to its CRLF) is one that names the
 * moment the message was made. */
static bool moment_header(const char *s)
{
    return !strncmp(s, "Date: ", 6) || !strncmp(s, "Message-ID: ", 12);
}

/* a and b are the same message but for the moment it was made. */
static bool same_message(const char *a, const char *b)
{
    bool in_header = true;
    while (*a && *b) {
        const char *ea = strstr(a, "\r\n"), *eb = strstr(b, "\r\n");
        size_t la = ea ? (size_t)(ea - a) : strlen(a), lb = eb ? (size_t)(eb - b) : strlen(b);
        bool skip = in_header && moment_header(a) && moment_header(b);
        if (!skip && (la != lb || memcmp(a, b, la)))
            return false;
        if (la == 0)
            in_header = false;
        a += la + (ea ? 2 : 0);
        b += lb + (eb ? 2 : 0);
    }
    return !*a && !*b;
}

/* A date published again with the same message (its bilag, body and
 * headers) keeps the message it has, moment and all: the copy a server got
 * and the copy in the folder stay the same bytes. */
static ng_status keep_published_message(const ng_pipeline *p, const char *eml)
{
    char *published = ng_path_join(p->final_dir, NG_MAIL_FILE);
    size_t now_len = 0, old_len = 0;
    char *now = read_all(eml, &now_len);
    char *old = published ? read_all(published, &old_len) : NULL;
    ng_status st = NG_OK;
    if (now && old && strlen(old) == old_len && same_message(now, old)) {
        FILE *f = fopen(eml, "wb");
        if (!f || fwrite(old, 1, old_len, f) != old_len)
            st = NG_ERR_IO;
        if (f && fclose(f) != 0)
            st = NG_ERR_IO;
        if (st != NG_OK)
            ng_error(p->diags, eml, 0, 0, "kan ikke skrive mailen: %s", strerror(errno));
    }
    free(now);
    free(old);
    free(published);
    return st;
}

/* The message is one of the outputs (mail.eml): made while nothing is
 * published, so a bad [mail] value or body template stops the run (and
 * `check`) before publishing; delivery later sends exactly these bytes. */
static ng_status render(const void *opt, ng_pipeline *p)
{
    char *eml = ng_path_join(p->stage_dir, NG_MAIL_FILE);
    ng_status st = eml ? write_message(opt, p, eml) : NG_ERR_NOMEM;
    if (st == NG_OK)
        st = keep_published_message(p, eml);
    free(eml);
    if (st == NG_OK)
        ng_pipeline_wrote(p, NG_MAIL_FILE);
    if (st == NG_OK && p->dry_run)
        p->mail_note = "mail skrevet som mail.eml (--dry-run)";
    return st;
}

/* The run's entry: its set is to be mailed to today's recipients (not
 * under --dry-run). */
static ng_status record(const void *opt, ng_pipeline *p)
{
    if (p->dry_run)
        return NG_OK;
    char *to = ng_mail_recipients(opt);
    ng_status st = to ? ng_history_entry_delivery(p->entry, to) : NG_ERR_NOMEM;
    free(to);
    return st;
}

/* ---- delivering what is due ------------------------------------------------ */

/* "sendt 2025-10-31 (250 Message accepted)" appended to the report. */
static void report_add(ng_delivery_report *rep, const char *what, const char *dato,
                       const char *reply)
{
    size_t n = strlen(rep->text);
    snprintf(rep->text + n, sizeof rep->text - n, "%s%s %s%s%.80s%s", n ? "; " : "", what, dato,
             reply[0] ? " (" : "", reply, reply[0] ? ")" : "");
}

/* The published message of a delivery's date, when the folder still holds
 * its set. *superseded when it holds another. */
static ng_status published_message(const char *output_dir, const ng_delivery *d, char **text,
                                   size_t *len, bool *superseded, ng_diags *diags)
{
    char *folder = ng_path_join(output_dir, d->dato);
    char *mpath = folder ? ng_path_join(folder, "manifest.json") : NULL;
    char *epath = folder ? ng_path_join(folder, NG_MAIL_FILE) : NULL;
    ng_manifest m;
    ng_diags quiet;
    ng_diags_init(&quiet);
    ng_status st = mpath && epath ? ng_manifest_read(mpath, &m, &quiet) : NG_ERR_NOMEM;
    *superseded = st != NG_ERR_NOMEM && (st != NG_OK || strcmp(m.saet, d->saet) != 0);
    if (mpath)
        ng_manifest_free(&m);
    st = st == NG_ERR_NOMEM ? st : NG_OK;
    if (st == NG_OK && !*superseded && !(*text = read_all(epath, len))) {
        ng_error(diags, epath, 0, 0, "den publicerede mail kan ikke læses: %s", strerror(errno));
        st = NG_ERR_IO;
    }
    ng_diags_free(&quiet);
    free(folder);
    free(mpath);
    free(epath);
    return st;
}

/* One delivery: counted as an attempt, sent, and recorded as sent the
 * moment the server has accepted it (the only window in which a kill can
 * make the next run send it again: fault.h's smtp-after). */
static ng_status deliver_one(const ng_mail_config *mc, ng_history *h, const char *output_dir,
                             const ng_delivery *d, const ng_mail_options *mo,
                             ng_delivery_report *rep, ng_diags *diags)
{
    char *text = NULL, reply[160] = "";
    size_t len = 0;
    bool superseded = false;
    ng_status st = published_message(output_dir, d, &text, &len, &superseded, diags);
    if (st == NG_OK && superseded) {
        rep->superseded++;
        return ng_history_set_delivery(h, d->dato, d->saet, d->modtagere, NG_DELIVERY_SUPERSEDED,
                                       "erstattet af nyere output", false, diags);
    }
    if (st == NG_OK)
        st = ng_history_set_delivery(h, d->dato, d->saet, d->modtagere, NG_DELIVERY_PENDING, NULL,
                                     true, diags);
    if (st == NG_OK) {
        ng_fault_point("smtp-before");
        ng_status sent = ng_mail_send_raw(mc, text, len, mo, reply, sizeof reply, diags);
        if (sent == NG_OK)
            ng_fault_point("smtp-after");
        st = ng_history_set_delivery(h, d->dato, d->saet, d->modtagere,
                                     sent == NG_OK ? NG_DELIVERY_SENT : NG_DELIVERY_FAILED, reply,
                                     false, diags);
        if (st == NG_OK && sent == NG_OK)
            ng_fault_point("delivered");
        if (st == NG_OK)
            st = sent;
    } else if (st == NG_ERR_IO) {
        ng_history_set_delivery(h, d->dato, d->saet, d->modtagere, NG_DELIVERY_FAILED,
                                "mail.eml kan ikke læses", true, diags);
    }
    if (st == NG_OK) {
        rep->sent++;
        report_add(rep, "sendt", d->dato, reply);
    } else {
        rep->failed++;
        report_add(rep, "IKKE sendt", d->dato, reply);
    }
    free(text);
    return st;
}

ng_status ng_mail_deliver_due(const ng_mail_config *mc, ng_history *h, const char *output_dir,
                              const ng_mail_options *mo, ng_delivery_report *rep, ng_diags *diags)
{
    memset(rep, 0, sizeof *rep);
    char *to = ng_mail_recipients(mc);
    ng_delivery_list due = {0};
    ng_status st = to ? ng_history_deliveries(h, to, true, &due, diags) : NG_ERR_NOMEM;
    ng_status worst = st;
    for (size_t i = 0; st == NG_OK && i < due.n; i++) {
        ng_status one = deliver_one(mc, h, output_dir, &due.items[i], mo, rep, diags);
        worst = worst == NG_OK ? one : worst;
        if (one != NG_OK && one != NG_ERR_DELIVERY && one != NG_ERR_IO)
            st = one; /* the store itself failed: stop */
    }
    ng_delivery_list_free(&due);
    free(to);
    return st != NG_OK ? st : worst;
}

ng_status ng_mail_resend(const ng_mail_config *mc, ng_history *h, const char *output_dir,
                         const char *dato, const ng_mail_options *mo, ng_delivery_report *rep,
                         ng_diags *diags)
{
    memset(rep, 0, sizeof *rep);
    char *folder = ng_path_join(output_dir, dato);
    char *mpath = folder ? ng_path_join(folder, "manifest.json") : NULL;
    char *to = ng_mail_recipients(mc);
    ng_manifest m;
    ng_status st = mpath && to ? ng_manifest_read(mpath, &m, diags) : NG_ERR_NOMEM;
    if (st == NG_OK) {
        ng_delivery d = {.state = NG_DELIVERY_PENDING, .modtagere = to};
        snprintf(d.dato, sizeof d.dato, "%s", dato);
        snprintf(d.saet, sizeof d.saet, "%s", m.saet);
        st = deliver_one(mc, h, output_dir, &d, mo, rep, diags);
    } else if (st != NG_ERR_NOMEM) {
        ng_error(diags, folder, 0, 0, "ingen publicerede output for %s at sende", dato);
    }
    if (mpath)
        ng_manifest_free(&m);
    free(folder);
    free(mpath);
    free(to);
    return st;
}

typedef struct {
    ng_delivery_report rep;
    char note[sizeof((ng_delivery_report *)0)->text + 32];
} mail_state;

static void release(ng_pipeline *p, void *state)
{
    (void)p;
    free(state);
}

/* After committing: every set due to today's recipients, this night's and
 * any earlier one whose mail failed or was interrupted. A failure is exit 3;
 * the outputs stay published and the next run (or `notatgen mail`) tries
 * again. */
static ng_status deliver_outputs(const void *opt, ng_pipeline *p)
{
    if (p->dry_run)
        return NG_OK;
    mail_state *ms = calloc(1, sizeof *ms);
    if (!ms)
        return NG_ERR_NOMEM;
    p->state[ng_module_index(&ng_module_mail)] = ms;
    ng_status st = ng_mail_deliver_due(opt, p->history, p->output_dir, NULL, &ms->rep, p->diags);
    if (ms->rep.text[0])
        snprintf(ms->note, sizeof ms->note, "mail %s", ms->rep.text);
    else
        snprintf(ms->note, sizeof ms->note, "mail ikke sendt: samme output er sendt før");
    p->mail_note = ms->note;
    return st;
}

const ng_module ng_module_mail = {
    .name = "mail",
    .summary = "Bilaget (og evt. notaterne) til udvalget med SMTP",
    .keys = keys,
    .nkeys = sizeof keys / sizeof *keys,
    .options_size = sizeof(opts),
    .options_init = options_init,
    .options_finish = options_finish,
    .options_free = options_free,
    .configured = configured,
    .inputs = inputs,
    .render = render,
    .record = record,
    .deliver = deliver_outputs,
    .release = release,
};
