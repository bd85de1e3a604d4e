/* tags.c -- the structure tree, marked content, ToUnicode maps, the
 * catalog's entries, XMP metadata, the output intent and the trailer /ID on
 * libharu's object layer (see tags.h). */
#include "tags.h"

#include <hpdf_doc.h>
#include <hpdf_font.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "notatgen/dk.h"
#include "notatgen/manifest.h"
#include "text.h"

/* A kid of an element: another element or a marked-content sequence. */
typedef struct {
    bool is_mc;
    size_t index; /* into elems or mcs */
} tag_kid;

typedef struct {
    ng_tag_type type;
    size_t parent;
    tag_kid *kids;
    size_t nkids, cap_kids;
    char *alt, *id;
    ng_tag_scope scope;
    int col_span, row_span;
    bool has_bbox;
    double bbox[4];
    /* set when the tree is written */
    bool has_content;
    size_t page; /* of its first marked content, its /Pg; SIZE_MAX if none */
    HPDF_Dict dict;
} tag_elem;

/* A marked-content sequence: MCID mcid on page, content of elem. */
typedef struct {
    size_t page;
    int mcid;
    size_t elem;
} tag_mc;

typedef struct {
    int level;
    char *title;
    size_t page;
    double y;
} tag_mark;

enum { MAX_ARTIFACT_DEPTH = 8 };

struct ng_pdf_tags {
    HPDF_Doc doc;
    ng_status status;
    tag_elem *elems;
    size_t nelems, cap_elems;
    size_t *stack; /* the current element is on top; stack[0] is Document */
    size_t depth, cap_stack;
    tag_mc *mcs;
    size_t nmcs, cap_mcs;
    HPDF_Page *pages;
    int *next_mcid; /* per page */
    size_t npages, cap_pages;
    /* the marked-content sequence that is open, if any */
    bool open, open_artifact;
    size_t open_page, open_elem;
    ng_artifact_kind open_kind;
    ng_artifact_kind artifact_kind[MAX_ARTIFACT_DEPTH];
    int artifact_depth;
    tag_mark *marks;
    size_t nmarks, cap_marks;
};

static const char *const type_names[] = {
    [NG_TAG_DOCUMENT] = "Document",
    [NG_TAG_H1] = "H1",
    [NG_TAG_H2] = "H2",
    [NG_TAG_H3] = "H3",
    [NG_TAG_H4] = "H4",
    [NG_TAG_H5] = "H5",
    [NG_TAG_H6] = "H6",
    [NG_TAG_P] = "P",
    [NG_TAG_L] = "L",
    [NG_TAG_LI] = "LI",
    [NG_TAG_LBL] = "Lbl",
    [NG_TAG_LBODY] = "LBody",
    [NG_TAG_TABLE] = "Table",
    [NG_TAG_THEAD] = "THead",
    [NG_TAG_TBODY] = "TBody",
    [NG_TAG_TR] = "TR",
    [NG_TAG_TH] = "TH",
    [NG_TAG_TD] = "TD",
    [NG_TAG_CAPTION] = "Caption",
    [NG_TAG_FIGURE] = "Figure",
    [NG_TAG_NOTE] = "Note",
    [NG_TAG_REFERENCE] = "Reference",
    [NG_TAG_BLOCKQUOTE] = "BlockQuote",
};

/* ---- bookkeeping -------------------------------------------------------- */

static bool grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap * 2 : 16;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * size);
    if (!q)
        return false;
    *p = q;
    *cap = n;
    return true;
}

static void set_failure(ng_pdf_tags *t, ng_status st)
{
    if (t->status == NG_OK)
        t->status = st;
}

/* Records a libharu result: anything but HPDF_OK is a failure. */
static void check_haru(ng_pdf_tags *t, HPDF_STATUS ret)
{
    if (ret != HPDF_OK)
        set_failure(t, NG_ERR_IO);
}

static char *copy_or_null(ng_pdf_tags *t, const char *s)
{
    if (!s)
        return NULL;
    char *c = strdup(s);
    if (!c)
        set_failure(t, NG_ERR_NOMEM);
    return c;
}

static void add_kid(ng_pdf_tags *t, size_t e, bool is_mc, size_t index)
{
    tag_elem *el = &t->elems[e];
    if (!grow((void **)&el->kids, &el->cap_kids, el->nkids + 1, sizeof *el->kids)) {
        set_failure(t, NG_ERR_NOMEM);
        return;
    }
    el->kids[el->nkids++] = (tag_kid){is_mc, index};
}

static void push(ng_pdf_tags *t, size_t e)
{
    if (!grow((void **)&t->stack, &t->cap_stack, t->depth + 1, sizeof *t->stack)) {
        set_failure(t, NG_ERR_NOMEM);
        return;
    }
    t->stack[t->depth++] = e;
}

static size_t new_elem(ng_pdf_tags *t, ng_tag_type type, size_t parent, const ng_tag_attrs *a)
{
    if (!grow((void **)&t->elems, &t->cap_elems, t->nelems + 1, sizeof *t->elems)) {
        set_failure(t, NG_ERR_NOMEM);
        return 0;
    }
    tag_elem *el = &t->elems[t->nelems];
    memset(el, 0, sizeof *el);
    el->type = type;
    el->parent = parent;
    if (a) {
        el->alt = copy_or_null(t, a->alt);
        el->id = copy_or_null(t, a->id);
        el->scope = a->scope;
        el->col_span = a->col_span;
        el->row_span = a->row_span;
        el->has_bbox = a->has_bbox;
        memcpy(el->bbox, a->bbox, sizeof el->bbox);
    }
    return t->nelems++;
}

ng_pdf_tags *ng_pdf_tags_new(HPDF_Doc doc)
{
    ng_pdf_tags *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->doc = doc;
    new_elem(t, NG_TAG_DOCUMENT, 0, NULL);
    push(t, 0);
    if (t->status != NG_OK) {
        ng_pdf_tags_free(t);
        return NULL;
    }
    return t;
}

void ng_pdf_tags_free(ng_pdf_tags *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nelems; i++) {
        free(t->elems[i].kids);
        free(t->elems[i].alt);
        free(t->elems[i].id);
    }
    for (size_t i = 0; i < t->nmarks; i++)
        free(t->marks[i].title);
    free(t->elems);
    free(t->stack);
    free(t->mcs);
    free(t->pages);
    free(t->next_mcid);
    free(t->marks);
    free(t);
}

ng_status ng_pdf_tags_status(const ng_pdf_tags *t)
{
    return t->status;
}

/* ---- pages -------------------------------------------------------------- */

void ng_pdf_tags_add_page(ng_pdf_tags *t, HPDF_Page page)
{
    if (t->status != NG_OK)
        return;
    size_t cap = t->cap_pages;
    if (!grow((void **)&t->pages, &t->cap_pages, t->npages + 1, sizeof *t->pages) ||
        !grow((void **)&t->next_mcid, &cap, t->npages + 1, sizeof *t->next_mcid)) {
        set_failure(t, NG_ERR_NOMEM);
        return;
    }
    t->pages[t->npages] = page;
    t->next_mcid[t->npages] = 0;
    /* the key of the page's entry in the parent tree is its index */
    check_haru(t, HPDF_Dict_AddNumber(page, "StructParents", (HPDF_INT32)t->npages));
    check_haru(t, HPDF_Dict_AddName(page, "Tabs", "S"));
    t->npages++;
}

static size_t page_index(ng_pdf_tags *t, HPDF_Page page)
{
    for (size_t i = t->npages; i-- > 0;)
        if (t->pages[i] == page)
            return i;
    set_failure(t, NG_ERR_INTERNAL);
    return 0;
}

/* ---- structure ---------------------------------------------------------- */

ng_tag_elem ng_pdf_tags_open(ng_pdf_tags *t, ng_tag_type type, const ng_tag_attrs *attrs)
{
    if (t->status != NG_OK)
        return 0;
    size_t parent = ng_pdf_tags_current(t);
    size_t e = new_elem(t, type, parent, attrs);
    if (t->status != NG_OK)
        return 0;
    add_kid(t, parent, false, e);
    push(t, e);
    return e;
}

void ng_pdf_tags_enter(ng_pdf_tags *t, ng_tag_elem e)
{
    if (t->status == NG_OK && e < t->nelems)
        push(t, e);
}

void ng_pdf_tags_close(ng_pdf_tags *t)
{
    if (t->status != NG_OK)
        return;
    if (t->depth <= 1) { /* the Document element stays */
        set_failure(t, NG_ERR_INTERNAL);
        return;
    }
    t->depth--;
}

ng_tag_elem ng_pdf_tags_current(const ng_pdf_tags *t)
{
    return t->depth ? t->stack[t->depth - 1] : 0;
}

void ng_pdf_tags_set_bbox(ng_pdf_tags *t, ng_tag_elem e, const double bbox[4])
{
    if (t->status != NG_OK || e >= t->nelems)
        return;
    t->elems[e].has_bbox = true;
    memcpy(t->elems[e].bbox, bbox, sizeof t->elems[e].bbox);
}

/* ---- marked content ----------------------------------------------------- */

void ng_pdf_tags_artifact_begin(ng_pdf_tags *t, ng_artifact_kind kind)
{
    if (t->artifact_depth >= MAX_ARTIFACT_DEPTH) {
        set_failure(t, NG_ERR_INTERNAL);
        return;
    }
    t->artifact_kind[t->artifact_depth++] = kind;
}

void ng_pdf_tags_artifact_end(ng_pdf_tags *t)
{
    if (t->artifact_depth == 0) {
        set_failure(t, NG_ERR_INTERNAL);
        return;
    }
    t->artifact_depth--;
}

static HPDF_Stream page_stream(HPDF_Page page)
{
    return ((HPDF_PageAttr)page->attr)->stream;
}

static void end_sequence(ng_pdf_tags *t)
{
    if (!t->open)
        return;
    check_haru(t, HPDF_Stream_WriteStr(page_stream(t->pages[t->open_page]), "EMC\n"));
    t->open = false;
}

static void begin_artifact(ng_pdf_tags *t, size_t page, ng_artifact_kind kind)
{
    const char *type = kind == NG_ARTIFACT_PAGINATION ? "Pagination" : "Layout";
    char op[64];
    snprintf(op, sizeof op, "/Artifact <</Type /%s>> BDC\n", type);
    check_haru(t, HPDF_Stream_WriteStr(page_stream(t->pages[page]), op));
    t->open_kind = kind;
}

static void begin_element(ng_pdf_tags *t, size_t page, size_t e)
{
    if (!grow((void **)&t->mcs, &t->cap_mcs, t->nmcs + 1, sizeof *t->mcs)) {
        set_failure(t, NG_ERR_NOMEM);
        return;
    }
    int mcid = t->next_mcid[page]++;
    t->mcs[t->nmcs] = (tag_mc){page, mcid, e};
    add_kid(t, e, true, t->nmcs++);
    char op[64];
    snprintf(op, sizeof op, "/%s <</MCID %d>> BDC\n", type_names[t->elems[e].type], mcid);
    check_haru(t, HPDF_Stream_WriteStr(page_stream(t->pages[page]), op));
    t->open_elem = e;
}

void ng_pdf_tags_content(ng_pdf_tags *t, HPDF_Page page)
{
    if (t->status != NG_OK)
        return;
    size_t p = page_index(t, page);
    bool artifact = t->artifact_depth > 0;
    ng_artifact_kind kind = artifact ? t->artifact_kind[t->artifact_depth - 1] : 0;
    size_t e = ng_pdf_tags_current(t);
    if (t->open && t->open_page == p && t->open_artifact == artifact &&
        (artifact ? t->open_kind == kind : t->open_elem == e))
        return;
    end_sequence(t);
    if (artifact)
        begin_artifact(t, p, kind);
    else
        begin_element(t, p, e);
    t->open = t->status == NG_OK;
    t->open_page = p;
    t->open_artifact = artifact;
}

/* ---- bookmarks ---------------------------------------------------------- */

void ng_pdf_tags_bookmark(ng_pdf_tags *t, int level, const char *title, HPDF_Page page, double y)
{
    if (t->status != NG_OK || !title || !*title)
        return;
    if (!grow((void **)&t->marks, &t->cap_marks, t->nmarks + 1, sizeof *t->marks)) {
        set_failure(t, NG_ERR_NOMEM);
        return;
    }
    char *copy = copy_or_null(t, title);
    if (!copy)
        return;
    t->marks[t->nmarks++] = (tag_mark){level, copy, page_index(t, page), y};
}

/* Outline entries nest by level: a heading under the last one of a lower
 * level. */
static void write_outline(ng_pdf_tags *t)
{
    HPDF_Outline last[7] = {NULL};
    HPDF_Encoder utf8 = HPDF_GetEncoder(t->doc, "UTF-8");
    for (size_t i = 0; i < t->nmarks && t->status == NG_OK; i++) {
        const tag_mark *m = &t->marks[i];
        int lvl = m->level < 1 ? 1 : m->level > 6 ? 6 : m->level;
        HPDF_Outline parent = NULL;
        for (int k = lvl - 1; k >= 1 && !parent; k--)
            parent = last[k];
        HPDF_Outline o = HPDF_CreateOutline(t->doc, parent, m->title, utf8);
        HPDF_Destination dst = o ? HPDF_Page_CreateDestination(t->pages[m->page]) : NULL;
        if (!dst) {
            set_failure(t, NG_ERR_IO);
            return;
        }
        check_haru(t, HPDF_Destination_SetFitH(dst, (HPDF_REAL)m->y));
        check_haru(t, HPDF_Outline_SetDestination(o, dst));
        check_haru(t, HPDF_Outline_SetOpened(o, HPDF_TRUE));
        last[lvl] = o;
        for (int k = lvl + 1; k <= 6; k++)
            last[k] = NULL;
    }
    if (t->nmarks > 0 && t->status == NG_OK)
        check_haru(t, HPDF_SetPageMode(t->doc, HPDF_PAGE_MODE_USE_OUTLINE));
}

/* ---- PDF strings ------------------------------------------------------- */

/* A text string: UTF-16BE with a byte order mark, written as hex. */
static HPDF_Binary text_string(ng_pdf_tags *t, const char *utf8)
{
    size_t n = strlen(utf8);
    HPDF_BYTE *buf = malloc(4 * n + 2);
    if (!buf) {
        set_failure(t, NG_ERR_NOMEM);
        return NULL;
    }
    size_t len = 0;
    buf[len++] = 0xFE;
    buf[len++] = 0xFF;
    for (size_t i = 0; i < n;) {
        size_t step;
        unsigned long cp = ng_pdf_utf8_decode(utf8 + i, &step);
        i += step;
        if (cp > 0xFFFF) { /* a surrogate pair */
            cp -= 0x10000;
            unsigned long hi = 0xD800 | (cp >> 10);
            buf[len++] = (HPDF_BYTE)(hi >> 8);
            buf[len++] = (HPDF_BYTE)hi;
            cp = 0xDC00 | (cp & 0x3FF);
        }
        buf[len++] = (HPDF_BYTE)(cp >> 8);
        buf[len++] = (HPDF_BYTE)cp;
    }
    HPDF_Binary b = len <= HPDF_LIMIT_MAX_STRING_LEN
                        ? HPDF_Binary_New(t->doc->mmgr, buf, (HPDF_UINT)len)
                        : NULL;
    free(buf);
    if (!b)
        set_failure(t, NG_ERR_IO);
    return b;
}

/* d[key] = obj; a NULL obj is a failed constructor. */
static void dict_put(ng_pdf_tags *t, HPDF_Dict d, const char *key, void *obj)
{
    if (t->status != NG_OK)
        return;
    if (!obj)
        set_failure(t, NG_ERR_IO);
    else
        check_haru(t, HPDF_Dict_Add(d, key, obj));
}

static HPDF_Dict new_dict(ng_pdf_tags *t, bool indirect)
{
    if (t->status != NG_OK)
        return NULL;
    HPDF_Dict d = HPDF_Dict_New(t->doc->mmgr);
    if (!d || (indirect && HPDF_Xref_Add(t->doc->xref, d) != HPDF_OK)) {
        set_failure(t, NG_ERR_IO);
        return NULL;
    }
    return d;
}

static HPDF_Array new_array(ng_pdf_tags *t)
{
    HPDF_Array a = t->status == NG_OK ? HPDF_Array_New(t->doc->mmgr) : NULL;
    if (!a)
        set_failure(t, NG_ERR_IO);
    return a;
}

static void array_add(ng_pdf_tags *t, HPDF_Array a, void *obj)
{
    if (t->status != NG_OK || !a || !obj)
        set_failure(t, NG_ERR_IO);
    else
        check_haru(t, HPDF_Array_Add(a, obj));
}

/* ---- the structure tree ------------------------------------------------- */

/* Marks every element that has marked content below it; the others are
 * left out (children are always opened after their parent) -- except table
 * cells: an empty cell still holds its place in its row. */
static void mark_content(ng_pdf_tags *t)
{
    for (size_t i = 0; i < t->nelems; i++)
        t->elems[i].has_content = t->elems[i].type == NG_TAG_TH || t->elems[i].type == NG_TAG_TD;
    for (size_t i = 0; i < t->nmcs; i++)
        t->elems[t->mcs[i].elem].has_content = true;
    for (size_t i = t->nelems; i-- > 1;)
        if (t->elems[i].has_content)
            t->elems[t->elems[i].parent].has_content = true;
}

static void make_dicts(ng_pdf_tags *t)
{
    for (size_t i = 0; i < t->nelems && t->status == NG_OK; i++) {
        tag_elem *el = &t->elems[i];
        el->dict = el->has_content ? new_dict(t, true) : NULL;
        el->page = SIZE_MAX;
        for (size_t k = 0; k < el->nkids && el->page == SIZE_MAX; k++)
            if (el->kids[k].is_mc)
                el->page = t->mcs[el->kids[k].index].page;
    }
}

static void *mc_kid(ng_pdf_tags *t, const tag_elem *el, const tag_mc *mc)
{
    if (mc->page == el->page)
        return HPDF_Number_New(t->doc->mmgr, mc->mcid);
    HPDF_Dict mcr = new_dict(t, false);
    if (!mcr)
        return NULL;
    check_haru(t, HPDF_Dict_AddName(mcr, "Type", "MCR"));
    dict_put(t, mcr, "Pg", t->pages[mc->page]);
    check_haru(t, HPDF_Dict_AddNumber(mcr, "MCID", mc->mcid));
    return mcr;
}

static void write_kids(ng_pdf_tags *t, const tag_elem *el)
{
    HPDF_Array k = new_array(t);
    dict_put(t, el->dict, "K", k);
    for (size_t i = 0; i < el->nkids && t->status == NG_OK; i++) {
        const tag_kid *kid = &el->kids[i];
        if (kid->is_mc)
            array_add(t, k, mc_kid(t, el, &t->mcs[kid->index]));
        else if (t->elems[kid->index].has_content)
            array_add(t, k, t->elems[kid->index].dict);
    }
}

static void write_attributes(ng_pdf_tags *t, const tag_elem *el)
{
    if (el->alt)
        dict_put(t, el->dict, "Alt", text_string(t, el->alt));
    if (el->id) {
        HPDF_Binary id =
            HPDF_Binary_New(t->doc->mmgr, (HPDF_BYTE *)el->id, (HPDF_UINT)strlen(el->id));
        dict_put(t, el->dict, "ID", id);
    }
    bool table_attr = el->scope != NG_SCOPE_NONE || el->col_span > 1 || el->row_span > 1;
    if (!table_attr && !el->has_bbox)
        return;
    HPDF_Dict a = new_dict(t, false);
    dict_put(t, el->dict, "A", a);
    if (!a)
        return;
    if (el->has_bbox) {
        check_haru(t, HPDF_Dict_AddName(a, "O", "Layout"));
        check_haru(t, HPDF_Dict_AddName(a, "Placement", "Block"));
        HPDF_Array box = new_array(t);
        dict_put(t, a, "BBox", box);
        for (int i = 0; i < 4 && box; i++)
            check_haru(t, HPDF_Array_AddReal(box, (HPDF_REAL)el->bbox[i]));
        return;
    }
    check_haru(t, HPDF_Dict_AddName(a, "O", "Table"));
    if (el->scope != NG_SCOPE_NONE)
        check_haru(t, HPDF_Dict_AddName(a, "Scope", el->scope == NG_SCOPE_ROW ? "Row" : "Column"));
    if (el->col_span > 1)
        check_haru(t, HPDF_Dict_AddNumber(a, "ColSpan", el->col_span));
    if (el->row_span > 1)
        check_haru(t, HPDF_Dict_AddNumber(a, "RowSpan", el->row_span));
}

static void write_elem(ng_pdf_tags *t, size_t i, HPDF_Dict root)
{
    const tag_elem *el = &t->elems[i];
    check_haru(t, HPDF_Dict_AddName(el->dict, "Type", "StructElem"));
    check_haru(t, HPDF_Dict_AddName(el->dict, "S", type_names[el->type]));
    dict_put(t, el->dict, "P", i == 0 ? root : t->elems[el->parent].dict);
    if (el->page != SIZE_MAX)
        dict_put(t, el->dict, "Pg", t->pages[el->page]);
    write_attributes(t, el);
    write_kids(t, el);
}

/* The parent tree: for page i (its StructParents), the element of each of
 * its MCIDs. */
static HPDF_Dict parent_tree(ng_pdf_tags *t)
{
    HPDF_Dict tree = new_dict(t, true);
    HPDF_Array nums = new_array(t);
    dict_put(t, tree, "Nums", nums);
    HPDF_Array *per_page = calloc(t->npages + 1, sizeof *per_page);
    if (!per_page) {
        set_failure(t, NG_ERR_NOMEM);
        return tree;
    }
    for (size_t p = 0; p < t->npages && t->status == NG_OK; p++) {
        per_page[p] = new_array(t);
        if (per_page[p] && HPDF_Xref_Add(t->doc->xref, per_page[p]) != HPDF_OK)
            set_failure(t, NG_ERR_IO);
        check_haru(t, HPDF_Array_AddNumber(nums, (HPDF_INT32)p));
        array_add(t, nums, per_page[p]);
    }
    /* MCIDs were given out in order on each page */
    for (size_t i = 0; i < t->nmcs && t->status == NG_OK; i++)
        array_add(t, per_page[t->mcs[i].page], t->elems[t->mcs[i].elem].dict);
    free(per_page);
    return tree;
}

static void write_tree(ng_pdf_tags *t)
{
    mark_content(t);
    if (!t->elems[0].has_content)
        return; /* an empty document: no tree (and no pages) */
    make_dicts(t);
    HPDF_Dict root = new_dict(t, true);
    if (!root)
        return;
    check_haru(t, HPDF_Dict_AddName(root, "Type", "StructTreeRoot"));
    for (size_t i = 0; i < t->nelems && t->status == NG_OK; i++)
        if (t->elems[i].has_content)
            write_elem(t, i, root);
    dict_put(t, root, "K", t->elems[0].dict);
    dict_put(t, root, "ParentTree", parent_tree(t));
    check_haru(t, HPDF_Dict_AddNumber(root, "ParentTreeNextKey", (HPDF_INT32)t->npages));
    dict_put(t, t->doc->catalog, "StructTreeRoot", root);
}

/* MarkInfo, Lang, ViewerPreferences of the catalog. */
static void write_catalog(ng_pdf_tags *t, const ng_pdf_doc_info *info)
{
    HPDF_Dict cat = t->doc->catalog;
    HPDF_Dict mark = new_dict(t, false);
    dict_put(t, cat, "MarkInfo", mark);
    if (mark)
        check_haru(t, HPDF_Dict_AddBoolean(mark, "Marked", HPDF_TRUE));
    const char *lang = info->lang ? info->lang : "da-DK";
    dict_put(t, cat, "Lang", HPDF_String_New(t->doc->mmgr, lang, NULL));
    HPDF_Dict prefs = new_dict(t, false);
    dict_put(t, cat, "ViewerPreferences", prefs);
    if (prefs)
        check_haru(t, HPDF_Dict_AddBoolean(prefs, "DisplayDocTitle", HPDF_TRUE));
}

/* ---- PDF/A: Info, XMP, output intent ----------------------------------- */

typedef struct {
    char info[32]; /* D:20251122082640+00'00' */
    char xmp[32];  /* 2025-11-22T08:26:40+00:00 */
    HPDF_Date haru;
} doc_date;

static doc_date format_date(long long epoch)
{
    ng_date d = ng_date_from_epoch(epoch);
    long long sec = ((epoch % 86400) + 86400) % 86400;
    int h = (int)(sec / 3600), m = (int)(sec / 60 % 60), s = (int)(sec % 60);
    doc_date out;
    snprintf(out.info, sizeof out.info, "D:%04d%02d%02d%02d%02d%02d+00'00'", d.y, d.m, d.d, h, m,
             s);
    snprintf(out.xmp, sizeof out.xmp, "%04d-%02d-%02dT%02d:%02d:%02d+00:00", d.y, d.m, d.d, h, m,
             s);
    /* libharu rejects 'Z': the UTC offset as +00'00' */
    out.haru = (HPDF_Date){d.y, d.m, d.d, h, m, s, '+', 0, 0};
    return out;
}

static void xml_text(ng_strbuf *out, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
            ng_strbuf_add(out, "&amp;");
            break;
        case '<':
            ng_strbuf_add(out, "&lt;");
            break;
        case '>':
            ng_strbuf_add(out, "&gt;");
            break;
        default:
            ng_strbuf_addc(out, *s);
        }
    }
}

static void xmp_element(ng_strbuf *out, const char *name, const char *container, const char *value)
{
    if (!value || !*value)
        return;
    ng_strbuf_addf(out, "   <%s>", name);
    if (container)
        ng_strbuf_addf(out, "<rdf:%s><rdf:li%s>", container,
                       strcmp(container, "Alt") ? "" : " xml:lang=\"x-default\"");
    xml_text(out, value);
    if (container)
        ng_strbuf_addf(out, "</rdf:li></rdf:%s>", container);
    ng_strbuf_addf(out, "</%s>\n", name);
}

static void xmp_description(ng_strbuf *out, const char *ns)
{
    ng_strbuf_addf(out, "  <rdf:Description rdf:about=\"\"\n    %s>\n", ns);
}

/* pdfuaid is not one of the schemas PDF/A-2 predefines: it is described in
 * the packet (ISO 19005-2, 6.6.2.3). */
static const char pdfua_extension[] =
    "  <rdf:Description rdf:about=\"\"\n"
    "    xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\"\n"
    "    xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\"\n"
    "    xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n"
    "   <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\n"
    "    <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\n"
    "    <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\n"
    "    <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\n"
    "    <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType=\"Resource\">\n"
    "     <pdfaProperty:name>part</pdfaProperty:name>\n"
    "     <pdfaProperty:valueType>Integer</pdfaProperty:valueType>\n"
    "     <pdfaProperty:category>internal</pdfaProperty:category>\n"
    "     <pdfaProperty:description>Indicates, which part of ISO 14289 standard is "
    "followed</pdfaProperty:description>\n"
    "    </rdf:li></rdf:Seq></pdfaSchema:property>\n"
    "   </rdf:li></rdf:Bag></pdfaExtension:schemas>\n"
    "  </rdf:Description>\n";

void ng_pdf_xmp_text(const ng_pdf_doc_info *info, const char *producer, ng_strbuf *out)
{
    ng_strbuf_add(out, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                       "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                       " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n");
    xmp_description(out, "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"");
    xmp_element(out, "dc:format", NULL, "application/pdf");
    xmp_element(out, "dc:title", "Alt", info->title);
    xmp_element(out, "dc:creator", "Seq", info->author);
    xmp_element(out, "dc:description", "Alt", info->subject);
    xmp_element(out, "dc:language", "Bag", info->lang);
    ng_strbuf_add(out, "  </rdf:Description>\n");
    xmp_description(out, "xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"");
    xmp_element(out, "xmp:CreatorTool", NULL, info->creator);
    if (info->has_date) {
        doc_date d = format_date(info->date_epoch);
        xmp_element(out, "xmp:CreateDate", NULL, d.xmp);
        xmp_element(out, "xmp:ModifyDate", NULL, d.xmp);
    }
    ng_strbuf_add(out, "  </rdf:Description>\n");
    xmp_description(out, "xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"");
    xmp_element(out, "pdf:Producer", NULL, producer);
    ng_strbuf_add(out, "  </rdf:Description>\n");
    xmp_description(out, "xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"");
    xmp_element(out, "pdfaid:part", NULL, "2");
    xmp_element(out, "pdfaid:conformance", NULL, "A");
    ng_strbuf_add(out, "  </rdf:Description>\n");
    xmp_description(out, "xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\"");
    xmp_element(out, "pdfuaid:part", NULL, "1");
    ng_strbuf_add(out, "  </rdf:Description>\n");
    ng_strbuf_add(out, pdfua_extension);
    ng_strbuf_add(out, " </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>");
}

static void set_info(ng_pdf_tags *t, HPDF_InfoType type, const char *value)
{
    if (t->status == NG_OK && value && *value)
        check_haru(t, HPDF_SetInfoAttr(t->doc, type, value));
}

static void write_info(ng_pdf_tags *t, const ng_pdf_doc_info *info)
{
    set_info(t, HPDF_INFO_TITLE, info->title);
    set_info(t, HPDF_INFO_AUTHOR, info->author);
    set_info(t, HPDF_INFO_SUBJECT, info->subject);
    set_info(t, HPDF_INFO_CREATOR, info->creator);
    if (info->has_date && t->status == NG_OK) {
        doc_date d = format_date(info->date_epoch);
        check_haru(t, HPDF_SetInfoDateAttr(t->doc, HPDF_INFO_CREATION_DATE, d.haru));
        check_haru(t, HPDF_SetInfoDateAttr(t->doc, HPDF_INFO_MOD_DATE, d.haru));
    }
}

/* The XMP packet, uncompressed (ISO 19005-2, 6.6.2.1: no filter). */
static void write_metadata(ng_pdf_tags *t, const ng_pdf_doc_info *info)
{
    const char *producer = info->xmp_producer;
    if (!producer)
        producer = HPDF_GetInfoAttr(t->doc, HPDF_INFO_PRODUCER);
    ng_strbuf xmp = {0};
    ng_pdf_xmp_text(info, producer, &xmp);
    HPDF_Dict meta = t->status == NG_OK ? HPDF_DictStream_New(t->doc->mmgr, t->doc->xref) : NULL;
    if (xmp.oom || !meta) {
        set_failure(t, xmp.oom ? NG_ERR_NOMEM : NG_ERR_IO);
        ng_strbuf_free(&xmp);
        return;
    }
    meta->filter = HPDF_STREAM_FILTER_NONE;
    check_haru(t, HPDF_Dict_AddName(meta, "Type", "Metadata"));
    check_haru(t, HPDF_Dict_AddName(meta, "Subtype", "XML"));
    check_haru(t, HPDF_Stream_Write(meta->stream, (const HPDF_BYTE *)xmp.s, (HPDF_UINT)xmp.len));
    dict_put(t, t->doc->catalog, "Metadata", meta);
    ng_strbuf_free(&xmp);
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* An ICC profile for RGB: its header says so and its size is right. */
static bool is_rgb_profile(const unsigned char *p, size_t n)
{
    return n >= 132 && be32(p) == n && memcmp(p + 36, "acsp", 4) == 0 &&
           memcmp(p + 16, "RGB ", 4) == 0;
}

static ng_status read_profile(const char *path, ng_strbuf *icc, ng_diags *diags)
{
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (!f) {
        ng_error(diags, path, 0, 0,
                 "sRGB-farveprofilen til PDF/A findes ikke; installer pakken icc-profiles-free");
        return NG_ERR_CONFIG;
    }
    bool ok = ng_strbuf_add_stream(icc, f);
    fclose(f);
    if (icc->oom)
        return NG_ERR_NOMEM;
    if (!ok || !is_rgb_profile((const unsigned char *)icc->s, icc->len)) {
        ng_error(diags, path, 0, 0, "filen er ikke en ICC-farveprofil for RGB");
        return NG_ERR_CONFIG;
    }
    return NG_OK;
}

ng_status ng_pdf_check_profile(const char *path, ng_diags *diags)
{
    ng_strbuf icc = {0};
    ng_status st = read_profile(path, &icc, diags);
    ng_strbuf_free(&icc);
    return st;
}

static void write_output_intent(ng_pdf_tags *t, const ng_pdf_doc_info *info, ng_diags *diags)
{
    ng_strbuf icc = {0};
    ng_status st = read_profile(info->icc_path, &icc, diags);
    if (st != NG_OK) {
        set_failure(t, st);
        ng_strbuf_free(&icc);
        return;
    }
    HPDF_Dict profile = t->status == NG_OK ? HPDF_DictStream_New(t->doc->mmgr, t->doc->xref) : NULL;
    HPDF_Dict intent = new_dict(t, true);
    HPDF_Array intents = new_array(t);
    if (profile && intent && intents) {
        profile->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
        check_haru(t, HPDF_Dict_AddNumber(profile, "N", 3));
        check_haru(
            t, HPDF_Stream_Write(profile->stream, (const HPDF_BYTE *)icc.s, (HPDF_UINT)icc.len));
        check_haru(t, HPDF_Dict_AddName(intent, "Type", "OutputIntent"));
        check_haru(t, HPDF_Dict_AddName(intent, "S", "GTS_PDFA1"));
        static const char id[] = "sRGB IEC61966-2.1";
        dict_put(t, intent, "OutputConditionIdentifier", HPDF_String_New(t->doc->mmgr, id, NULL));
        dict_put(t, intent, "Info", HPDF_String_New(t->doc->mmgr, id, NULL));
        dict_put(t, intent, "RegistryName",
                 HPDF_String_New(t->doc->mmgr, "http://www.color.org", NULL));
        dict_put(t, intent, "DestOutputProfile", profile);
        array_add(t, intents, intent);
        dict_put(t, t->doc->catalog, "OutputIntents", intents);
    } else {
        set_failure(t, NG_ERR_IO);
    }
    ng_strbuf_free(&icc);
}

static void write_archival(ng_pdf_tags *t, const ng_pdf_doc_info *info, ng_diags *diags)
{
    write_info(t, info);
    write_metadata(t, info);
    write_output_intent(t, info, diags);
    /* tagged PDF needs 1.4 at least; PDF/A-2 is based on PDF 1.7 */
    t->doc->pdf_version = HPDF_VER_17;
}

ng_status ng_pdf_tags_finish(ng_pdf_tags *t, const ng_pdf_doc_info *info, ng_diags *diags)
{
    end_sequence(t);
    if (t->status == NG_OK && (t->depth != 1 || t->artifact_depth != 0))
        set_failure(t, NG_ERR_INTERNAL); /* the layout left something open */
    write_tree(t);
    write_catalog(t, info);
    write_outline(t);
    write_archival(t, info, diags);
    return t->status;
}

/* ---- ToUnicode ---------------------------------------------------------- */

/* Codes are 2-byte values; a bfrange may not cross a change of the first
 * byte, and a block holds at most 100 entries. */
enum { CMAP_BLOCK = 100 };

static size_t run_length(const uint32_t *codes, size_t n, size_t i)
{
    size_t k = i + 1;
    while (k < n && codes[k] == codes[k - 1] + 1 && (codes[k] >> 8) == (codes[i] >> 8))
        k++;
    return k - i;
}

static void cmap_ranges(const uint32_t *codes, size_t n, ng_strbuf *out, bool ranges)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i += run_length(codes, n, i))
        count += (run_length(codes, n, i) > 1) == ranges;
    const char *what = ranges ? "bfrange" : "bfchar";
    size_t in_block = 0;
    for (size_t i = 0; i < n; i += run_length(codes, n, i)) {
        size_t len = run_length(codes, n, i);
        if ((len > 1) != ranges)
            continue;
        if (in_block == 0)
            ng_strbuf_addf(out, "%zu begin%s\n", count < CMAP_BLOCK ? count : CMAP_BLOCK, what);
        if (ranges)
            ng_strbuf_addf(out, "<%04X> <%04X> <%04X>\n", (unsigned)codes[i],
                           (unsigned)codes[i + len - 1], (unsigned)codes[i]);
        else
            ng_strbuf_addf(out, "<%04X> <%04X>\n", (unsigned)codes[i], (unsigned)codes[i]);
        count--;
        if (++in_block == CMAP_BLOCK || count == 0) {
            ng_strbuf_addf(out, "end%s\n", what);
            in_block = 0;
        }
    }
}

void ng_pdf_cmap_text(const uint32_t *codes, size_t n, ng_strbuf *out)
{
    ng_strbuf_add(out, "/CIDInit /ProcSet findresource begin\n"
                       "12 dict begin\n"
                       "begincmap\n"
                       "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                       "/CMapName /Adobe-Identity-UCS def\n"
                       "/CMapType 2 def\n"
                       "1 begincodespacerange\n"
                       "<0000> <FFFF>\n"
                       "endcodespacerange\n");
    cmap_ranges(codes, n, out, false);
    cmap_ranges(codes, n, out, true);
    ng_strbuf_add(out, "endcmap\n"
                       "CMapName currentdict /CMap defineresource pop\n"
                       "end\n"
                       "end\n");
}

void ng_pdf_tags_to_unicode(ng_pdf_tags *t, HPDF_Font font, const uint32_t *codes, size_t n)
{
    if (t->status != NG_OK)
        return;
    HPDF_FontAttr attr = font ? (HPDF_FontAttr)font->attr : NULL;
    HPDF_Dict cmap = attr ? attr->cmap_stream : NULL;
    if (!cmap || !cmap->stream) {
        set_failure(t, NG_ERR_INTERNAL);
        return;
    }
    ng_strbuf text = {0};
    ng_pdf_cmap_text(codes, n, &text);
    if (text.oom) {
        ng_strbuf_free(&text);
        set_failure(t, NG_ERR_NOMEM);
        return;
    }
    /* libharu's stream is its encoder's CID CMap with that CMap's keys */
    HPDF_MemStream_FreeData(cmap->stream);
    static const char *const cid_keys[] = {"Type", "CMapName", "CIDSystemInfo", "WMode"};
    for (size_t i = 0; i < sizeof cid_keys / sizeof cid_keys[0]; i++) {
        HPDF_STATUS ret = HPDF_Dict_RemoveElement(cmap, cid_keys[i]);
        check_haru(t, ret == HPDF_DICT_ITEM_NOT_FOUND ? HPDF_OK : ret);
    }
    check_haru(t, HPDF_Stream_Write(cmap->stream, (const HPDF_BYTE *)text.s, (HPDF_UINT)text.len));
    ng_strbuf_free(&text);
}

/* ---- saving with a content-derived /ID ---------------------------------- */

enum { ID_BYTES = 16 };

/* The trailer's /ID: two copies of a 16-byte placeholder of zeros,
 * replaced after saving by the digest of the saved bytes. */
static void set_placeholder_id(ng_pdf_tags *t)
{
    HPDF_BYTE zeros[ID_BYTES] = {0};
    HPDF_Array id = new_array(t);
    dict_put(t, t->doc->trailer, "ID", id);
    for (int i = 0; i < 2 && t->status == NG_OK; i++)
        array_add(t, id, HPDF_Binary_New(t->doc->mmgr, zeros, ID_BYTES));
}

/* Replaces the two placeholders after the last "trailer" with the first
 * ID_BYTES of the SHA-256 of the whole file as it is with them. */
static bool patch_id(unsigned char *buf, size_t n)
{
    static const char key[] = "trailer";
    size_t at = n;
    while (at-- > 0)
        if (at + sizeof key - 1 <= n && memcmp(buf + at, key, sizeof key - 1) == 0)
            break;
    if (at == (size_t)-1)
        return false;
    char hex[NG_SHA256_HEX];
    ng_sha256_hex(buf, n, hex);
    int found = 0;
    for (size_t i = at; i + 2 * ID_BYTES + 2 <= n && found < 2; i++) {
        if (buf[i] != '<' || buf[i + 2 * ID_BYTES + 1] != '>')
            continue;
        bool zero = true;
        for (size_t k = 1; k <= 2 * ID_BYTES && zero; k++)
            zero = buf[i + k] == '0';
        if (zero) {
            memcpy(buf + i + 1, hex, 2 * ID_BYTES);
            found++;
        }
    }
    return found == 2;
}

static ng_status write_file(const char *path, const unsigned char *buf, size_t n, ng_diags *diags)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        ng_error(diags, path, 0, 0, "PDF-filen kan ikke skrives (den kan ikke oprettes)");
        return NG_ERR_IO;
    }
    /* case data: no other user of the machine may read the memo */
    bool ok = fchmod(fd, 0600) == 0;
    for (size_t done = 0; ok && done < n;) {
        ssize_t w = write(fd, buf + done, n - done);
        if (w < 0 && errno == EINTR)
            continue;
        ok = w > 0;
        done += ok ? (size_t)w : 0;
    }
    ok = close(fd) == 0 && ok;
    if (!ok) {
        ng_error(diags, path, 0, 0, "PDF-filen kan ikke skrives");
        remove(path);
        return NG_ERR_IO;
    }
    return NG_OK;
}

ng_status ng_pdf_tags_save(ng_pdf_tags *t, const char *path, ng_diags *diags)
{
    set_placeholder_id(t);
    if (t->status != NG_OK)
        return t->status;
    if (HPDF_SaveToStream(t->doc) != HPDF_OK)
        return NG_ERR_IO;
    HPDF_UINT32 size = HPDF_GetStreamSize(t->doc);
    unsigned char *buf = size ? malloc(size) : NULL;
    if (!buf)
        return NG_ERR_NOMEM;
    HPDF_UINT32 got = size;
    HPDF_STATUS rd = HPDF_ReadFromStream(t->doc, buf, &got);
    ng_status st = NG_OK;
    if ((rd != HPDF_OK && rd != HPDF_STREAM_EOF) || got != size || !patch_id(buf, size))
        st = NG_ERR_INTERNAL;
    if (st == NG_OK)
        st = write_file(path, buf, size, diags);
    free(buf);
    return st;
}
