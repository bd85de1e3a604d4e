/*
 * test_mail.c -- building the mail message, byte for byte, and the body
 * template. Expected encodings were computed independently with Python
 * (base64.b64encode, urllib.parse.quote) and are written out literally.
 *
 * With NG_SMTP_PORT set, this program is instead the driver of
 * tests/e2e_mail.sh: it sends one message to 127.0.0.1:$NG_SMTP_PORT with
 * the attachment $NG_SMTP_ATTACH and prints "status=NAME attempts=N".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "notatgen/mail.h"

static char tmpdir[128];

static char *tmp_path(const char *name)
{
    static char paths[4][256];
    static int i;
    i = (i + 1) % 4;
    snprintf(paths[i], sizeof paths[i], "%s/%s", tmpdir, name);
    return paths[i];
}

static void write_bytes(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/ng_test_mail_XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static char *to_list[] = {"udvalg@randers.dk", "Økonomi <oek@randers.dk>"};

static ng_mail_config base_config(void)
{
    ng_mail_config mc;
    memset(&mc, 0, sizeof mc);
    mc.host = "127.0.0.1";
    mc.from = "notatgen@randers.dk";
    mc.to = to_list;
    mc.nto = 2;
    mc.retries = 3;
    mc.max_attachment_bytes = 10 * 1024 * 1024;
    return mc;
}

/* ---- independent decoders for checking -------------------------------- */

static int b64_value(char c)
{
    const char *alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *p = strchr(alphabet, c);
    return c && p ? (int)(p - alphabet) : -1;
}

/* Decodes base64, skipping CR/LF; returns the length. */
static size_t b64_decode(const char *in, size_t len, unsigned char *out)
{
    unsigned acc = 0;
    int bits = 0;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        int v = b64_value(in[i]);
        if (v < 0)
            continue;
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[n++] = (unsigned char)(acc >> bits);
        }
    }
    return n;
}

/* Decodes quoted-printable (soft breaks, =XX, CRLF -> LF). */
static char *qp_decode(const char *in, size_t len)
{
    char *out = malloc(len + 1);
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (in[i] == '=' && i + 2 < len + 1 && in[i + 1] == '\r' && in[i + 2] == '\n') {
            i += 2;
        } else if (in[i] == '=') {
            char hex[3] = {in[i + 1], in[i + 2], 0};
            out[n++] = (char)strtol(hex, NULL, 16);
            i += 2;
        } else if (in[i] == '\r') {
            continue;
        } else {
            out[n++] = in[i];
        }
    }
    out[n] = '\0';
    return out;
}

/* The text between the first occurrence of start and the next of end. */
static char *between(const char *s, const char *start, const char *end)
{
    const char *a = strstr(s, start);
    if (!a)
        return NULL;
    a += strlen(start);
    const char *b = strstr(a, end);
    if (!b)
        return NULL;
    return strndup(a, (size_t)(b - a));
}

static char *build(const ng_mail_config *mc, const ng_mail_message *msg, ng_status expect)
{
    char *text = NULL;
    size_t len = 0;
    ng_diags d;
    ng_diags_init(&d);
    ng_status st = ng_mail_build(mc, msg, &text, &len, &d);
    if (st != expect)
        ng_diags_print(&d, stdout);
    assert_int_equal(st, expect);
    if (expect == NG_OK)
        assert_int_equal(strlen(text), len);
    ng_diags_free(&d);
    return text;
}

/* Every line ends in CRLF and is at most 998 characters (RFC 5322). */
static void assert_crlf_lines(const char *text)
{
    size_t col = 0;
    for (const char *p = text; *p; p++) {
        if (*p == '\n') {
            assert_true(p > text && p[-1] == '\r');
            col = 0;
        } else {
            assert_true(++col <= 998);
        }
    }
}

/* ---- tests -------------------------------------------------------------- */

static void test_headers_exact(void **state)
{
    (void)state;
    ng_mail_config mc = base_config();
    ng_mail_message msg = {.body = "Hej.\n", .date = 1761877800};
    char *text = build(&mc, &msg, NG_OK);
    const char *expected_head =
        "From: notatgen@randers.dk\r\n"
        "To: udvalg@randers.dk,\r\n"
        " =?UTF-8?B?w5hrb25vbWk=?= <oek@randers.dk>\r\n"
        "Subject: =?UTF-8?B?U8OmcmxpZ3QgZHlyZSBlbmtlbHRzYWdlciDigJMgYmlsYWc=?=\r\n"
        "Date: Fri, 31 Oct 2025 02:30:00 +0000\r\n"
        "Message-ID: <";
    assert_memory_equal(text, expected_head, strlen(expected_head));
    /* Message-ID: 32 hex digits at the sender's domain */
    const char *id = text + strlen(expected_head);
    for (int i = 0; i < 32; i++)
        assert_non_null(strchr("0123456789abcdef", id[i]));
    assert_memory_equal(id + 32, ".notatgen@randers.dk>\r\nMIME-Version: 1.0\r\n", 41);
    assert_non_null(strstr(text, "Content-Type: text/plain; charset=utf-8\r\n"
                                 "Content-Transfer-Encoding: quoted-printable\r\n\r\nHej.\r\n"));
    assert_crlf_lines(text);
    free(text);

    /* an ASCII subject is left as it is */
    msg.subject = "Bilag oktober";
    text = build(&mc, &msg, NG_OK);
    assert_non_null(strstr(text, "\r\nSubject: Bilag oktober\r\n"));
    free(text);
}

static void test_long_subject_split_into_words(void **state)
{
    (void)state;
    ng_mail_config mc = base_config();
    const char *subject = "Status på særligt dyre enkeltsager på voksen-, børne- og "
                          "ældreområdet – økonomiopfølgning for Randers Kommune";
    ng_mail_message msg = {.subject = subject, .body = "x\n", .date = 0};
    char *text = build(&mc, &msg, NG_OK);
    char *header = between(text, "Subject: ", "\r\nDate:");
    assert_non_null(header);
    /* decode every encoded word and glue the words together */
    unsigned char decoded[512];
    size_t n = 0;
    int words = 0;
    for (char *p = header; (p = strstr(p, "=?UTF-8?B?")) != NULL; words++) {
        p += 10;
        char *end = strstr(p, "?=");
        assert_non_null(end);
        assert_true(end - p + 12 <= 75); /* RFC 2047: a word is at most 75 chars */
        n += b64_decode(p, (size_t)(end - p), decoded + n);
        p = end + 2;
    }
    decoded[n] = '\0';
    assert_true(words >= 3);
    assert_string_equal((char *)decoded, subject);
    free(header);
    free(text);
}

static void test_attachment_base64_and_names(void **state)
{
    (void)state;
    ng_mail_config mc = base_config();
    write_bytes(tmp_path("hello.txt"), "Hello, world!\n", 14);
    /* 1000 bytes of every byte value, to check the line wrapping and decoding */
    unsigned char bin[1000];
    for (int i = 0; i < 1000; i++)
        bin[i] = (unsigned char)(i * 7 + 3);
    write_bytes(tmp_path("bin.xlsx"), bin, sizeof bin);
    ng_mail_attachment att[] = {{.path = tmp_path("hello.txt"), .name = "hello.txt"},
                                {.path = tmp_path("bin.xlsx"), .name = "Bilag æøå.xlsx"}};
    ng_mail_message msg = {.body = "Se bilag.\n", .attachments = att, .nattachments = 2};
    char *text = build(&mc, &msg, NG_OK);
    assert_non_null(strstr(text, "Content-Type: text/plain;\r\n name=\"hello.txt\"\r\n"
                                 "Content-Disposition: attachment;\r\n filename=\"hello.txt\"\r\n"
                                 "Content-Transfer-Encoding: base64\r\n\r\n"
                                 "SGVsbG8sIHdvcmxkIQo=\r\n"));
    assert_non_null(strstr(
        text, "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;\r\n"
              " name=\"Bilag aeoeaa.xlsx\"\r\n"
              "Content-Disposition: attachment;\r\n"
              " filename*=UTF-8''Bilag%20%C3%A6%C3%B8%C3%A5.xlsx;\r\n"
              " filename=\"Bilag aeoeaa.xlsx\"\r\n"
              "Content-Transfer-Encoding: base64\r\n\r\n"));
    char *b64 = between(text,
                        "filename=\"Bilag aeoeaa.xlsx\"\r\n"
                        "Content-Transfer-Encoding: base64\r\n\r\n",
                        "\r\n--");
    assert_non_null(b64);
    /* 76 characters a line: 1000 bytes = 1336 characters = 17 full lines + 44 */
    for (char *line = b64; line; line = strstr(line, "\r\n") ? strstr(line, "\r\n") + 2 : NULL) {
        char *end = strstr(line, "\r\n");
        size_t len = end ? (size_t)(end - line) : strlen(line);
        assert_true(len == 76 || (!end && len == 1336 % 76));
    }
    unsigned char back[1100];
    assert_int_equal(b64_decode(b64, strlen(b64), back), 1000);
    assert_memory_equal(back, bin, 1000);
    free(b64);
    assert_crlf_lines(text);
    /* the message closes its multipart */
    size_t len = strlen(text);
    assert_string_equal(text + len - 2, "\r\n");
    assert_non_null(strstr(text, "--\r\n"));
    char *boundary = between(text, "boundary=\"", "\"");
    char closing[128];
    snprintf(closing, sizeof closing, "--%s--\r\n", boundary);
    assert_string_equal(text + len - strlen(closing), closing);
    free(boundary);
    free(text);
}

static void test_size_limit_replaces_attachment(void **state)
{
    (void)state;
    ng_mail_config mc = base_config();
    mc.max_attachment_bytes = 1000;
    unsigned char big[1500] = {0};
    write_bytes(tmp_path("bilag.xlsx"), big, sizeof big);
    write_bytes(tmp_path("small.pdf"), "%PDF-1.4\n", 9);
    ng_mail_attachment att[] = {{.path = tmp_path("bilag.xlsx")}, {.path = tmp_path("small.pdf")}};
    ng_mail_message msg = {.body = "Hermed bilag.", .attachments = att, .nattachments = 2};
    char *text = build(&mc, &msg, NG_OK);
    assert_null(strstr(text, "name=\"bilag.xlsx\""));
    assert_non_null(strstr(text, "Content-Type: application/pdf;\r\n name=\"small.pdf\""));
    char *qp = between(text, "quoted-printable\r\n\r\n", "\r\n--");
    char *body = qp_decode(qp, strlen(qp));
    char expect[512];
    snprintf(expect, sizeof expect,
             "Hermed bilag.\n\nFilen bilag.xlsx (2 kB) er for stor til at blive sendt med mail. "
             "Den ligger her: %s\n",
             tmp_path("bilag.xlsx"));
    assert_string_equal(body, expect);
    /* quoted-printable lines are at most 76 characters */
    for (char *p = qp; *p;) {
        char *e = strstr(p, "\r\n");
        size_t n = e ? (size_t)(e - p) : strlen(p);
        assert_true(n <= 76);
        p = e ? e + 2 : p + n;
    }
    free(body);
    free(qp);
    free(text);
}

static void test_quoted_printable_body(void **state)
{
    (void)state;
    ng_mail_config mc = base_config();
    ng_mail_message msg = {.body = "Æble = 1 \nslut"};
    char *text = build(&mc, &msg, NG_OK);
    /* Æ = C3 86, '=' encoded, a space before a line end encoded */
    assert_non_null(strstr(text, "\r\n\r\n=C3=86ble =3D 1=20\r\nslut\r\n--"));
    free(text);
}

static void test_deterministic(void **state)
{
    (void)state;
    ng_mail_config mc = base_config();
    write_bytes(tmp_path("bilag.xlsx"), "PK\003\004data", 8);
    ng_mail_attachment att[] = {{.path = tmp_path("bilag.xlsx")}};
    ng_mail_message msg = {
        .body = "Tekst.\n", .attachments = att, .nattachments = 1, .date = 1761877800};
    char *a = build(&mc, &msg, NG_OK);
    char *b = build(&mc, &msg, NG_OK);
    assert_string_equal(a, b);
    /* another attachment content: another boundary and Message-ID */
    write_bytes(tmp_path("bilag.xlsx"), "PK\003\004date", 8);
    char *c = build(&mc, &msg, NG_OK);
    char *id_a = between(a, "Message-ID: <", ">"), *id_c = between(c, "Message-ID: <", ">");
    assert_string_not_equal(id_a, id_c);
    /* the dry-run file holds exactly the built bytes, mode 0600 */
    ng_diags d;
    ng_diags_init(&d);
    assert_int_equal(ng_mail_write_eml(&mc, &msg, tmp_path("mail.eml"), &d), NG_OK);
    FILE *f = fopen(tmp_path("mail.eml"), "rb");
    char buf[8192];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    assert_string_equal(buf, c);
    struct stat sb;
    stat(tmp_path("mail.eml"), &sb);
    assert_int_equal(sb.st_mode & 0777, 0600);
    free(id_a);
    free(id_c);
    free(a);
    free(b);
    free(c);
    ng_diags_free(&d);
}

static void test_refusals(void **state)
{
    (void)state;
    ng_mail_config mc = base_config();
    /* a CPR number in the body */
    ng_mail_message msg = {.body = "Borger 010190-1234.\n"};
    char *text = build(&mc, &msg, NG_ERR_PRIVACY);
    assert_null(text);
    /* header injection through the config */
    char *evil[] = {"a@b.dk\r\nBcc: x@y.dk"};
    mc.to = evil;
    mc.nto = 1;
    msg.body = "ok";
    assert_null(build(&mc, &msg, NG_ERR_CONFIG));
    mc.nto = 0;
    assert_null(build(&mc, &msg, NG_ERR_CONFIG));
    /* control characters never pass raw into the Subject: an escape
     * sequence, a bell, a lone CR, a zero-width space, a stray byte */
    mc = base_config();
    const char *bad_subjects[] = {"Bilag \x1b[31mrødt", "Bilag\x07",  "Bilag\rBcc: x@y.dk",
                                  "Bilag\xE2\x80\x8B",  "Bilag \xE6", "Bilag\x7F"};
    for (size_t i = 0; i < sizeof bad_subjects / sizeof *bad_subjects; i++) {
        msg.subject = bad_subjects[i];
        assert_null(build(&mc, &msg, NG_ERR_CONFIG));
    }
    msg.subject = "Bilag med æøå og – tankestreg"; /* plain text passes */
    char *fine = build(&mc, &msg, NG_OK);
    assert_non_null(fine);
    free(fine);
    msg.subject = NULL;
    /* a missing attachment */
    mc = base_config();
    ng_mail_attachment att[] = {{.path = "/nonexistent/bilag.xlsx"}};
    msg.attachments = att;
    msg.nattachments = 1;
    assert_null(build(&mc, &msg, NG_ERR_IO));
    /* login configured without a password source */
    ng_diags d;
    ng_diags_init(&d);
    mc.user = "notatgen";
    msg.nattachments = 0;
    assert_int_equal(ng_mail_send(&mc, &msg, NULL, &d), NG_ERR_CONFIG);
    ng_diags_free(&d);
}

static void test_body_template(void **state)
{
    (void)state;
    ng_dataset ds;
    ng_dataset_init(&ds);
    ds.kommune = strdup("Randers Kommune");
    ds.udtraek_dato = (ng_date){2025, 10, 31};
    ng_dataset_set_num(&ds, "refusion_i_alt", NG_UNIT_KR, 123449999.0);
    ng_dataset_set_num(&ds, "udgift_i_alt", NG_UNIT_KR, 278640000.0);
    ng_dataset_set_num(&ds, "antal_i_alt", NG_UNIT_ANTAL, 1527);
    ng_dataset_set_num(&ds, "antal_voksen", NG_UNIT_ANTAL, 240);
    ng_dataset_set_num(&ds, "udgift_voksen", NG_UNIT_KR, 402240000.0);
    ng_dataset_set_num(&ds, "refusion_voksen", NG_UNIT_KR, 70050000.0);
    ng_diags d;
    ng_diags_init(&d);
    char *body = ng_mail_body(&ds, NULL, &d);
    assert_string_equal(body, "Hermed bilag om særligt dyre enkeltsager pr. 31. oktober 2025.\n"
                              "\n"
                              "På voksenområdet er der 240 sager inden for "
                              "refusionssatserne (som i notatets tabel).\n"
                              "Udgift til sagerne: 402,2 mio. kr.\n"
                              "Refusion af sagerne: 70,1 mio. kr.\n"
                              "Refusion i alt for alle områder (voksne, børn og unge, ældre): "
                              "123,4 mio. kr.\n"
                              "\n"
                              "Bilaget er dannet automatisk af notatgen.\n"
                              "\n"
                              "Venlig hilsen\n"
                              "Randers Kommune\n");
    free(body);

    /* the default text leaves out what the run did not compute */
    ng_dataset bare;
    ng_dataset_init(&bare);
    bare.udtraek_dato = (ng_date){2025, 10, 31};
    body = ng_mail_body(&bare, NULL, &d);
    assert_string_equal(body, "Hermed bilag om særligt dyre enkeltsager pr. 31. oktober 2025.\n"
                              "\n"
                              "\n"
                              "Bilaget er dannet automatisk af notatgen.\n"
                              "\n"
                              "Venlig hilsen\n");
    free(body);
    assert_int_equal(d.errors, 0);

    /* an own template: filters, and an unknown name is an error with its line */
    body = ng_mail_body(&ds,
                        "Kære udvalg\n{{ refusion_i_alt|kr }} kr. pr. "
                        "{{udtraek_dato | dato_kort}}",
                        &d);
    assert_string_equal(body, "Kære udvalg\n123.449.999 kr. pr. 31-10-2025");
    free(body);
    assert_null(ng_mail_body(&ds, "Linje 1\nHer {{ ukendt_navn }}\n", &d));
    assert_int_equal(d.errors, 1);
    char buf[512];
    ng_diag_format(&d.items[0], buf, sizeof buf);
    /* the same names and messages as a memo template */
    assert_string_equal(buf, "mailtekst:2: ukendt værdi 'ukendt_navn'");
    assert_null(ng_mail_body(&ds, "{{ antal_i_alt | tusind }}", &d));
    assert_int_equal(d.errors, 2);
    ng_dataset_free(&ds);
    ng_dataset_free(&bare);
    ng_diags_free(&d);
}

/* ---- the e2e driver --------------------------------------------------- */

static int drive_smtp(const char *port)
{
    ng_mail_config mc = base_config();
    mc.port = atoi(port);
    mc.starttls = getenv("NG_SMTP_STARTTLS") != NULL;
    const char *retries = getenv("NG_SMTP_RETRIES");
    mc.retries = retries ? atoi(retries) : 3;
    mc.user = getenv("NG_SMTP_USER");
    mc.password_env = "NG_SMTP_PASSWORD";
    const char *attach = getenv("NG_SMTP_ATTACH");
    ng_mail_attachment att[] = {{.path = attach}};
    /* a line starting with "." checks libcurl's SMTP dot-stuffing */
    ng_mail_message msg = {.body = "Hermed bilag om særligt dyre enkeltsager.\n.punktum\n",
                           .attachments = att,
                           .nattachments = attach ? 1 : 0,
                           .date = 1761877800};
    int attempts = 0;
    ng_mail_options opts = {.backoff_ms = 100,
                            .timeout_s = 20,
                            .ca_file = getenv("NG_SMTP_CA"),
                            .attempts_made = &attempts};
    ng_diags d;
    ng_diags_init(&d);
    ng_status st = ng_mail_send(&mc, &msg, &opts, &d);
    const char *eml = getenv("NG_SMTP_EML");
    if (eml && st == NG_OK)
        st = ng_mail_write_eml(&mc, &msg, eml, &d);
    ng_diags_print(&d, stdout);
    printf("status=%s attempts=%d\n",
           st == NG_OK             ? "ok"
           : st == NG_ERR_DELIVERY ? "delivery"
           : st == NG_ERR_CONFIG   ? "config"
                                   : ng_strerror(st),
           attempts);
    ng_diags_free(&d);
    return ng_exit_code(st);
}

int main(void)
{
    const char *port = getenv("NG_SMTP_PORT");
    if (port && *port)
        return drive_smtp(port);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_headers_exact),
        cmocka_unit_test(test_long_subject_split_into_words),
        cmocka_unit_test_setup_teardown(test_attachment_base64_and_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_size_limit_replaces_attachment, setup, teardown),
        cmocka_unit_test(test_quoted_printable_body),
        cmocka_unit_test_setup_teardown(test_deterministic, setup, teardown),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_body_template),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
