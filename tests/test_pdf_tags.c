/* test_pdf_tags.c -- the tagging module's pure parts: the ToUnicode CMap
 * (every code maps to its own code point, in valid bfchar/bfrange blocks)
 * and the XMP packet (the fields PDF/A-2 and PDF/UA-1 need, escaped). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../generator/pdf/tags.h"

/* ---- a small reader of the CMap text ------------------------------------- */

typedef struct {
    uint32_t map[0x10000]; /* code -> code point + 1; 0 = not mapped */
    int blocks, entries;
    bool bad; /* a block's count disagrees with its entries, or a bad line */
} cmap;

static unsigned hex4(const char *s)
{
    unsigned v = 0;
    assert_int_equal(s[0], '<');
    for (int i = 1; i <= 4; i++) {
        char c = s[i];
        v = v * 16 + (unsigned)(c <= '9' ? c - '0' : c - 'A' + 10);
    }
    assert_int_equal(s[5], '>');
    return v;
}

static void read_cmap(const char *text, cmap *m)
{
    memset(m, 0, sizeof *m);
    const char *p = text;
    while ((p = strstr(p, " begin")) != NULL) {
        const char *line = p;
        while (line > text && line[-1] != '\n')
            line--;
        int count = atoi(line);
        bool range = strncmp(p, " beginbfrange", 13) == 0;
        bool chars = strncmp(p, " beginbfchar", 12) == 0;
        p = strchr(p, '\n') + 1;
        if (!range && !chars)
            continue; /* codespacerange */
        m->blocks++;
        int n = 0;
        while (strncmp(p, "end", 3) != 0) {
            unsigned lo = hex4(p), hi = lo, dst;
            if (range) {
                hi = hex4(p + 7);
                dst = hex4(p + 14);
                m->bad |= (lo >> 8) != (hi >> 8) || hi < lo;
            } else {
                dst = hex4(p + 7);
            }
            for (unsigned c = lo; c <= hi; c++)
                m->map[c] = dst + (c - lo) + 1;
            n++;
            p = strchr(p, '\n') + 1;
        }
        m->bad |= n != count || n > 100;
        m->entries += n;
    }
}

static void check_maps(const uint32_t *codes, size_t n)
{
    ng_strbuf b = {0};
    ng_pdf_cmap_text(codes, n, &b);
    assert_false(b.oom);
    const char *text = ng_strbuf_str(&b);
    assert_null(strstr(text, "cidrange"));
    assert_null(strstr(text, "cidchar"));
    assert_non_null(strstr(text, "/CMapType 2 def"));
    assert_non_null(strstr(text, "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"));
    static cmap m;
    read_cmap(text, &m);
    assert_false(m.bad);
    size_t mapped = 0;
    for (uint32_t c = 0; c < 0x10000; c++)
        if (m.map[c])
            mapped++;
    assert_int_equal(mapped, n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(m.map[codes[i]], codes[i] + 1); /* every code to its code point */
    ng_strbuf_free(&b);
}

static void test_cmap_danish_text(void **state)
{
    (void)state;
    /* the characters a memo draws: ASCII, æøåÆØÅ, –, «», ½, €, ×, the soft hyphen */
    uint32_t codes[200];
    size_t n = 0;
    for (uint32_t c = 0x20; c <= 0x7E; c++)
        codes[n++] = c;
    static const uint32_t more[] = {0xAB, 0xAD, 0xBB, 0xBD, 0xC5,   0xC6,  0xD7,
                                    0xD8, 0xE5, 0xE6, 0xF8, 0x2013, 0x20AC};
    for (size_t i = 0; i < sizeof more / sizeof more[0]; i++)
        codes[n++] = more[i];
    check_maps(codes, n);
}

static void test_cmap_blocks(void **state)
{
    (void)state;
    /* a run crossing a first-byte boundary is cut there; more than 100
     * single codes make two bfchar blocks */
    static uint32_t codes[400];
    size_t n = 0;
    for (uint32_t c = 0xF0; c <= 0x10F; c++)
        codes[n++] = c;
    for (uint32_t c = 0x400; c < 0x400 + 2 * 150; c += 2)
        codes[n++] = c;
    codes[n++] = 0xFFFF;
    check_maps(codes, n);
    ng_strbuf b = {0};
    ng_pdf_cmap_text(codes, n, &b);
    assert_non_null(strstr(ng_strbuf_str(&b), "2 beginbfrange\n<00F0> <00FF> <00F0>\n"
                                              "<0100> <010F> <0100>\nendbfrange\n"));
    assert_non_null(strstr(ng_strbuf_str(&b), "100 beginbfchar\n"));
    assert_non_null(strstr(ng_strbuf_str(&b), "51 beginbfchar\n"));
    ng_strbuf_free(&b);
    check_maps(codes, 0); /* a face that drew nothing: an empty map */
}

static void test_xmp_fields(void **state)
{
    (void)state;
    ng_pdf_doc_info info = {.title = "Notat - Status <SDE> & økonomi",
                            .author = "Randers Kommune",
                            .subject = "Særligt dyre enkeltsager",
                            .creator = "notatgen",
                            .lang = "da-DK",
                            .has_date = true,
                            .date_epoch = 1763800000};
    ng_strbuf b = {0};
    ng_pdf_xmp_text(&info, "Haru Free PDF Library 2.3.0", &b);
    const char *x = ng_strbuf_str(&b);
    assert_non_null(strstr(x, "<rdf:li xml:lang=\"x-default\">Notat - Status &lt;SDE&gt; &amp; "
                              "økonomi</rdf:li>"));
    assert_non_null(strstr(x, "<dc:creator><rdf:Seq><rdf:li>Randers Kommune</rdf:li>"));
    assert_non_null(strstr(x, "<xmp:CreateDate>2025-11-22T08:26:40+00:00</xmp:CreateDate>"));
    assert_non_null(strstr(x, "<xmp:ModifyDate>2025-11-22T08:26:40+00:00</xmp:ModifyDate>"));
    assert_non_null(strstr(x, "<pdf:Producer>Haru Free PDF Library 2.3.0</pdf:Producer>"));
    assert_non_null(strstr(x, "<pdfaid:part>2</pdfaid:part>"));
    assert_non_null(strstr(x, "<pdfaid:conformance>A</pdfaid:conformance>"));
    assert_non_null(strstr(x, "<pdfuaid:part>1</pdfuaid:part>"));
    assert_non_null(strstr(x, "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>"));
    assert_non_null(strstr(x, "<?xpacket end=\"w\"?>"));
    ng_strbuf_free(&b);

    /* no date given: none in the packet (the Info dictionary has none either) */
    info.has_date = false;
    info.subject = NULL;
    ng_pdf_xmp_text(&info, "P", &b);
    assert_null(strstr(ng_strbuf_str(&b), "Date>"));
    assert_null(strstr(ng_strbuf_str(&b), "dc:description"));
    ng_strbuf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cmap_danish_text),
        cmocka_unit_test(test_cmap_blocks),
        cmocka_unit_test(test_xmp_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
