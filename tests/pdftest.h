/*
 * pdftest.h -- helpers shared by the PDF tests (test_pdf.c,
 * test_pdf_typography.c): running poppler and friends on a written file.
 * Include after cmocka.h.
 */
#ifndef NOTATGEN_TESTS_PDFTEST_H
#define NOTATGEN_TESTS_PDFTEST_H

#include <stdio.h>
#include <stdlib.h>

/* The standard output of cmd (the test fails unless it exits 0); the
 * caller frees it. */
static char *run_capture(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n - 1, p)) > 0) {
        n += got;
        if (cap - n < 1024)
            buf = realloc(buf, cap *= 2);
    }
    buf[n] = '\0';
    int rc = pclose(p);
    if (rc != 0)
        fail_msg("command failed (%d): %s\n%s", rc, cmd, buf);
    return buf;
}

#endif
