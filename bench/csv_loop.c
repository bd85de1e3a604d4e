/*
 * csv_loop.c -- the yardstick for `notatgen check`: libcsv over a file on one
 * core, doing nothing with the fields (bench/README.md).
 *
 *   csv_loop FILE [DELIMITER]     prints "rows fields bytes"
 *
 * The file is read in 1 MiB blocks and each block handed to csv_parse()
 * whole, with the options the ingest uses (CSV_STRICT, CSV_APPEND_NULL) and
 * callbacks that only count: what any program that parses the extract with
 * libcsv must at least spend.
 */
#include <csv.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

typedef struct {
    unsigned long rows, fields;
} counts;

static void on_field(void *s, size_t len, void *data)
{
    (void)s;
    (void)len;
    ((counts *)data)->fields++;
}

static void on_row(int c, void *data)
{
    (void)c;
    ((counts *)data)->rows++;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs("usage: csv_loop FILE [DELIMITER]\n", stderr);
        return 2;
    }
    int fd = open(argv[1], O_RDONLY);
    if (fd < 0) {
        perror(argv[1]);
        return 1;
    }
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_APPEND_NULL) != 0)
        return 1;
    csv_set_delim(&p, argc > 2 ? (unsigned char)argv[2][0] : ';');
    enum { BLOCK = 1 << 20 };
    char *buf = malloc(BLOCK);
    if (!buf)
        return 1;
    counts n = {0, 0};
    unsigned long long bytes = 0;
    ssize_t got;
    int status = 0;
    while ((got = read(fd, buf, BLOCK)) > 0) {
        bytes += (unsigned long long)got;
        if (csv_parse(&p, buf, (size_t)got, on_field, on_row, &n) != (size_t)got) {
            /* a strict error: count it as the ingest would (a bad row) and go on */
            fprintf(stderr, "csv_loop: %s\n", csv_strerror(csv_error(&p)));
            status = 1;
            break;
        }
    }
    csv_fini(&p, on_field, on_row, &n);
    csv_free(&p);
    free(buf);
    close(fd);
    printf("%lu %lu %llu\n", n.rows, n.fields, bytes);
    return status;
}
