/* memo.c -- construction and release of ng_memo (see memo.h). */
#include "notatgen/memo.h"

#include <stdlib.h>
#include <string.h>

void ng_memo_init(ng_memo *m)
{
    memset(m, 0, sizeof *m);
}

static void free_meta(ng_memo_meta *meta)
{
    free(meta->sagsnavn);
    free(meta->sagsnummer);
    free(meta->skrevet_af);
    free(meta->email);
    free(meta->forvaltning);
    free(meta->sendes_til);
}

static void free_block(ng_block *b)
{
    for (size_t i = 0; i < b->nruns; i++)
        free(b->runs[i].text);
    free(b->runs);
    ng_table_free(b->owned_table);
    if (b->figure) {
        free(b->figure->name);
        free(b->figure->table);
        free(b->figure->title);
        free(b->figure->y_title);
        free(b->figure->series);
        free(b->figure->cats);
        free(b->figure);
    }
    free(b->caption);
}

void ng_memo_free(ng_memo *m)
{
    for (size_t i = 0; i < m->nblocks; i++)
        free_block(&m->blocks[i]);
    free(m->blocks);
    for (size_t i = 0; i < m->nfootnotes; i++)
        free(m->footnotes[i]);
    free(m->footnotes);
    free_meta(&m->meta);
    free(m->title);
    free(m->dato);
    free(m->lang);
    memset(m, 0, sizeof *m);
}

ng_block *ng_memo_add_block(ng_memo *m, ng_block_kind kind)
{
    if (m->nblocks == m->caps) {
        size_t caps = m->caps ? m->caps * 2 : 16;
        ng_block *blocks = realloc(m->blocks, caps * sizeof *blocks);
        if (!blocks)
            return NULL;
        m->blocks = blocks;
        m->caps = caps;
    }
    ng_block *b = &m->blocks[m->nblocks++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    return b;
}

ng_status ng_block_add_run(ng_block *b, const char *text, unsigned style)
{
    ng_run *runs = realloc(b->runs, (b->nruns + 1) * sizeof *runs);
    if (!runs)
        return NG_ERR_NOMEM;
    b->runs = runs;
    char *copy = strdup(text);
    if (!copy)
        return NG_ERR_NOMEM;
    b->runs[b->nruns].text = copy;
    b->runs[b->nruns].style = style;
    b->nruns++;
    return NG_OK;
}
