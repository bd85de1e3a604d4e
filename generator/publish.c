/* publish.c -- lock, staging directory, atomic publication (see publish.h). */
/* renameat2 and RENAME_EXCHANGE (glibc 2.28) */
#define _GNU_SOURCE
#include "notatgen/publish.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "notatgen/fault.h"

char *ng_path_join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *out = malloc(n);
    if (!out)
        return NULL;
    if (!strcmp(dir, "/"))
        snprintf(out, n, "/%s", name);
    else
        snprintf(out, n, "%s/%s", dir, name);
    return out;
}

const char *ng_base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

ng_status ng_mkdirs(const char *path, unsigned mode)
{
    char *copy = strdup(path);
    if (!copy)
        return NG_ERR_NOMEM;
    ng_status st = NG_OK;
    for (char *p = copy + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char saved = *p;
            *p = '\0';
            if (mkdir(copy, (mode_t)mode) != 0 && errno != EEXIST) {
                st = NG_ERR_IO;
                break;
            }
            *p = saved;
            if (saved == '\0')
                break;
        }
    }
    free(copy);
    return st;
}

bool ng_refuse_link(const char *path, const char *what, ng_diags *diags)
{
    struct stat sb;
    if (lstat(path, &sb) != 0 || !S_ISLNK(sb.st_mode))
        return true;
    ng_error(diags, path, 0, 0,
             "%s er et symbolsk link; notatgen følger ikke links i output-mappen (fjern linket)",
             what);
    return false;
}

/* An open file a run may write: a regular file of this user with one name
 * (what names it in the messages: "filen", "afvisningsfilen"). */
static bool private_file_ok(int fd, const char *path, const char *what, ng_diags *diags)
{
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        ng_error(diags, path, 0, 0, "kan ikke undersøge %s: %s", what, strerror(errno));
        return false;
    }
    const char *problem = !S_ISREG(sb.st_mode)     ? "er ikke en almindelig fil"
                          : sb.st_uid != geteuid() ? "tilhører en anden bruger"
                          : sb.st_nlink > 1        ? "har flere hårde links"
                                                   : NULL;
    if (problem)
        ng_error(diags, path, 0, 0, "%s %s; der skrives ikke i den", what, problem);
    return !problem;
}

/* open(2) without following a link; O_NONBLOCK so that a FIFO planted at
 * path cannot make the run wait (it is refused by private_file_ok). */
static int open_nofollow(const char *path, int flags, const char *what, ng_diags *diags)
{
    int fd = open(path, flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == ENXIO) /* a FIFO without a reader */
            ng_error(diags, path, 0, 0, "%s er ikke en almindelig fil; der skrives ikke i den",
                     what);
        else if (errno == ELOOP)
            ng_error(diags, path, 0, 0,
                     "%s er et symbolsk link; notatgen skriver ikke gennem et link (fjern "
                     "linket)",
                     what);
        else
            ng_error(diags, path, 0, 0, "kan ikke åbne %s: %s", what, strerror(errno));
        return -1;
    }
    if (!private_file_ok(fd, path, what, diags) || fcntl(fd, F_SETFL, flags & O_APPEND) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

int ng_open_private_as(const char *path, const char *what, ng_diags *diags)
{
    int fd = open_nofollow(path, O_WRONLY | O_CREAT, what, diags);
    if (fd < 0)
        return -1;
    /* truncated only now: never a file that turned out not to be ours */
    if (ftruncate(fd, 0) != 0 || fchmod(fd, 0600) != 0) {
        ng_error(diags, path, 0, 0, "kan ikke skrive %s: %s", what, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

int ng_open_private(const char *path, ng_diags *diags)
{
    return ng_open_private_as(path, "filen", diags);
}

FILE *ng_fopen_private(const char *path, ng_diags *diags)
{
    int fd = ng_open_private(path, diags);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (fd >= 0 && !f) {
        ng_error(diags, path, 0, 0, "kan ikke skrive filen: %s", strerror(errno));
        close(fd);
    }
    return f;
}

ng_status ng_lock_acquire(const char *path, ng_lock *lock, ng_diags *diags)
{
    lock->fd = -1;
    lock->path = strdup(path);
    if (!lock->path)
        return NG_ERR_NOMEM;
    int fd = open_nofollow(path, O_RDWR | O_CREAT, "låsefilen", diags);
    if (fd < 0) {
        free(lock->path);
        lock->path = NULL;
        return NG_ERR_IO;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        char holder[128] = "";
        ssize_t n = pread(fd, holder, sizeof holder - 1, 0);
        holder[n > 0 ? n : 0] = '\0';
        holder[strcspn(holder, "\n")] = '\0';
        ng_error(diags, path, 0, 0, "en anden kørsel holder låsen (%s)",
                 holder[0] ? holder : "ukendt proces");
        close(fd);
        free(lock->path);
        lock->path = NULL;
        return NG_ERR_LOCKED;
    }
    /* the holder's identity, for the message a second run gives */
    char line[128];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    int len = snprintf(line, sizeof line, "pid %ld, startet %04d-%02d-%02d %02d:%02d:%02d UTC\n",
                       (long)getpid(), tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                       tm.tm_min, tm.tm_sec);
    if (ftruncate(fd, 0) == 0 && pwrite(fd, line, (size_t)len, 0) != len) {
        /* the lock holds even if the note could not be written */
    }
    lock->fd = fd;
    return NG_OK;
}

void ng_lock_release(ng_lock *lock)
{
    if (lock->fd >= 0) {
        if (ftruncate(lock->fd, 0) != 0) {
            /* nothing to do: the lock is released with the descriptor */
        }
        close(lock->fd);
    }
    free(lock->path);
    lock->fd = -1;
    lock->path = NULL;
}

ng_status ng_transaction_lock(ng_transaction *t, const char *output_dir, ng_diags *diags)
{
    if (ng_mkdirs(output_dir, 0700) != NG_OK) {
        ng_error(diags, output_dir, 0, 0, "kan ikke oprette output-mappen");
        return NG_ERR_IO;
    }
    char *lock_path = ng_path_join(output_dir, ".notatgen.lock");
    if (!lock_path)
        return NG_ERR_NOMEM;
    ng_status st = ng_lock_acquire(lock_path, &t->lock, diags);
    free(lock_path);
    t->locked = st == NG_OK;
    return st;
}

ng_status ng_transaction_stage(ng_transaction *t, const char *dir, ng_date date, ng_diags *diags)
{
    ng_status st = ng_stage_open(dir, date, &t->stage, diags);
    t->staged = st == NG_OK;
    return st;
}

ng_status ng_transaction_publish(ng_transaction *t, ng_diags *diags)
{
    ng_status st = ng_stage_publish(&t->stage, diags);
    if (t->stage.published)
        t->staged = false;
    return st;
}

void ng_transaction_end(ng_transaction *t)
{
    if (t->staged && !t->stage.published)
        ng_stage_discard(&t->stage);
    ng_stage_free(&t->stage);
    if (t->locked)
        ng_lock_release(&t->lock);
    memset(t, 0, sizeof *t);
}

/* ---- names in the output folder ------------------------------------------- */

bool ng_is_date_name(const char *name)
{
    ng_date d;
    return strlen(name) == 10 && name[4] == '-' && name[7] == '-' &&
           ng_parse_date(name, &d, NULL) == NG_OK;
}

/* ".2025-10-31.4711": a set folder of the fallback layout, of date. */
static bool is_set_name(const char *name, char date[11])
{
    if (name[0] != '.' || strlen(name) < 13 || name[11] != '.')
        return false;
    memcpy(date, name + 1, 10);
    date[10] = '\0';
    if (!ng_is_date_name(date))
        return false;
    for (const char *p = name + 12; *p; p++)
        if (*p < '0' || *p > '9')
            return false;
    return name[12] != '\0';
}

/* The target of the link at path when it is one of ours: a set folder of
 * the fallback layout beside it (".DATE.N", no '/'); "" otherwise. */
static void own_link_target(const char *path, char *target, size_t size)
{
    char date[11];
    ssize_t n = readlink(path, target, size - 1);
    target[n > 0 ? n : 0] = '\0';
    if (n <= 0 || strchr(target, '/') || !is_set_name(target, date))
        target[0] = '\0';
}

typedef enum { DATE_ABSENT, DATE_FOLDER, DATE_OWN_LINK, DATE_OTHER } date_entry;

static date_entry date_entry_of(const char *path, char *target, size_t size)
{
    struct stat sb;
    target[0] = '\0';
    if (lstat(path, &sb) != 0)
        return errno == ENOENT ? DATE_ABSENT : DATE_OTHER;
    if (S_ISDIR(sb.st_mode))
        return DATE_FOLDER;
    if (!S_ISLNK(sb.st_mode) || sb.st_uid != geteuid())
        return DATE_OTHER;
    own_link_target(path, target, size);
    return target[0] ? DATE_OWN_LINK : DATE_OTHER;
}

/* OUT/DATE is absent, a folder, or our own link of the fallback layout:
 * anything else (a link planted by another user) is refused before a run
 * writes anything, so check says it as run does. */
static bool date_name_ours(const char *final_dir, ng_diags *diags)
{
    char target[64];
    if (date_entry_of(final_dir, target, sizeof target) != DATE_OTHER)
        return true;
    ng_error(diags, final_dir, 0, 0,
             "er hverken en mappe eller notatgens eget link; notatgen følger ikke links i "
             "output-mappen og erstatter den ikke (fjern den)");
    return false;
}

ng_status ng_stage_open(const char *output_dir, ng_date date, ng_stage *stage, ng_diags *diags)
{
    memset(stage, 0, sizeof *stage);
    if (ng_mkdirs(output_dir, 0700) != NG_OK) {
        ng_error(diags, output_dir, 0, 0, "kan ikke oprette output-mappen: %s", strerror(errno));
        return NG_ERR_IO;
    }
    ng_fmt_date_iso(stage->date, sizeof stage->date, date);
    char name[64];
    /* one run at a time holds the lock, so the date names it: run and check
     * name the same files in their messages */
    snprintf(name, sizeof name, ".staging-%s", stage->date);
    stage->output_dir = strdup(output_dir);
    stage->dir = ng_path_join(output_dir, name);
    stage->final_dir = ng_path_join(output_dir, stage->date);
    if (!stage->output_dir || !stage->dir || !stage->final_dir)
        return NG_ERR_NOMEM;
    if (!ng_refuse_link(stage->dir, "arbejdsmappen", diags) ||
        !date_name_ours(stage->final_dir, diags))
        return NG_ERR_IO;
    ng_remove_tree(stage->dir); /* a leftover of a killed run */
    if (mkdir(stage->dir, 0700) != 0) {
        ng_error(diags, stage->dir, 0, 0, "kan ikke oprette arbejdsmappen: %s", strerror(errno));
        return NG_ERR_IO;
    }
    return NG_OK;
}

char *ng_stage_path(const ng_stage *stage, const char *name)
{
    return ng_path_join(stage->dir, name);
}

/* The newest date name in dir that is a folder or one of our links to one
 * (also `also`, when not NULL, which is about to be one); "" when none. */
static ng_status newest_date(const char *dir, const char *also, char newest[11], ng_diags *diags)
{
    newest[0] = '\0';
    if (also)
        snprintf(newest, 11, "%s", also);
    DIR *d = opendir(dir);
    if (!d) {
        ng_error(diags, dir, 0, 0, "kan ikke læse output-mappen: %s", strerror(errno));
        return NG_ERR_IO;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!ng_is_date_name(e->d_name) || strcmp(e->d_name, newest) <= 0)
            continue;
        char *path = ng_path_join(dir, e->d_name);
        char target[64];
        date_entry k = path ? date_entry_of(path, target, sizeof target) : DATE_OTHER;
        if (k == DATE_FOLDER || k == DATE_OWN_LINK)
            memcpy(newest, e->d_name, 11); /* a date name: ten characters and the NUL */
        free(path);
    }
    closedir(d);
    return NG_OK;
}

bool ng_sync_path(const char *path, bool dir)
{
    int fd = open(path, (dir ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return false;
    bool ok = fsync(fd) == 0;
    int err = errno;
    close(fd);
    errno = err;
    return ok;
}

/* Every file of the staging folder and the folder itself on disk, so that a
 * power cut after the rename finds the outputs complete. */
static ng_status sync_folder(const char *dir, ng_diags *diags)
{
    DIR *d = opendir(dir);
    if (!d) {
        ng_error(diags, dir, 0, 0, "kan ikke læse arbejdsmappen: %s", strerror(errno));
        return NG_ERR_IO;
    }
    ng_status st = NG_OK;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && st == NG_OK) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char *path = ng_path_join(dir, e->d_name);
        if (!path)
            st = NG_ERR_NOMEM;
        else if (!ng_sync_path(path, false)) {
            ng_error(diags, path, 0, 0, "kan ikke skrive filen til disken: %s", strerror(errno));
            st = NG_ERR_IO;
        }
        free(path);
    }
    closedir(d);
    if (st == NG_OK && !ng_sync_path(dir, true)) {
        ng_error(diags, dir, 0, 0, "kan ikke skrive mappen til disken: %s", strerror(errno));
        st = NG_ERR_IO;
    }
    return st;
}

/* ---- latest ------------------------------------------------------------------- */

/* A new link OUT/.latest.tmp -> date, made before anything is renamed so that
 * a full disk stops the run while nothing is published yet. */
static ng_status prepare_latest(const char *out, const char *date, char **tmp_out, ng_diags *diags)
{
    char *tmp = ng_path_join(out, ".latest.tmp");
    if (!tmp)
        return NG_ERR_NOMEM;
    unlink(tmp); /* a leftover (or planted) name: removed, never followed */
    if (symlink(date, tmp) != 0) {
        ng_error(diags, tmp, 0, 0, "kan ikke oprette linket til %s: %s", date, strerror(errno));
        free(tmp);
        return NG_ERR_IO;
    }
    *tmp_out = tmp;
    return NG_OK;
}

/* latest must be a link we may replace, or absent. */
static ng_status check_latest(const char *latest, ng_diags *diags)
{
    struct stat sb;
    if (lstat(latest, &sb) != 0 || S_ISLNK(sb.st_mode))
        return NG_OK;
    ng_error(diags, latest, 0, 0,
             "er ikke et symbolsk link; notatgen erstatter den ikke (flyt den væk); intet er "
             "udgivet");
    return NG_ERR_IO;
}

/* Where latest points now ("" when it is no link). */
static void latest_target(const char *latest, char *target, size_t size)
{
    ssize_t n = readlink(latest, target, size - 1);
    target[n > 0 ? n : 0] = '\0';
}

/* Points OUT/latest at the newest date, atomically (a new link renamed over
 * it); nothing when it already does or when latest is not a link. */
static ng_status point_latest(const char *out, ng_diags *diags)
{
    char newest[11], now[64];
    char *latest = ng_path_join(out, "latest");
    char *tmp = NULL;
    ng_status st = latest ? newest_date(out, NULL, newest, diags) : NG_ERR_NOMEM;
    if (st != NG_OK || !newest[0])
        goto cleanup;
    latest_target(latest, now, sizeof now);
    struct stat sb;
    if (!strcmp(now, newest) || (lstat(latest, &sb) == 0 && !S_ISLNK(sb.st_mode)))
        goto cleanup;
    st = prepare_latest(out, newest, &tmp, diags);
    if (st == NG_OK && rename(tmp, latest) != 0) {
        ng_error(diags, latest, 0, 0, "kan ikke opdatere linket: %s", strerror(errno));
        unlink(tmp);
        st = NG_ERR_IO;
    }
cleanup:
    free(tmp);
    free(latest);
    return st;
}

/* ---- publishing ------------------------------------------------------------- */

static bool exchange_unsupported(int err)
{
    return err == EINVAL || err == ENOSYS || err == EOPNOTSUPP;
}

/* rename(2) of from onto to with renameat2 flags; -1 and errno as it. */
static int rename_flags(const char *from, const char *to, unsigned flags)
{
    if (flags && ng_fault_flag("no-exchange")) {
        errno = EINVAL; /* the test of the fallback: as on a file system without it */
        return -1;
    }
    return renameat2(AT_FDCWD, from, AT_FDCWD, to, flags);
}

/* The fallback layout (a file system without RENAME_EXCHANGE): the date's
 * name is a link to a hidden set folder .DATE.N beside it, and a new set
 * replaces the link atomically. A date that is still a real folder is
 * moved aside first: the one moment without a folder under the date's
 * name, repaired by ng_output_tidy if the run dies in it (docs/drift.md). */
static ng_status publish_by_link(ng_stage *stage, date_entry kind, const char *old_target,
                                 ng_diags *diags)
{
    char name[48], link_name[32];
    ng_status st = NG_OK;
    char *set_dir = NULL, *tmp = NULL, *aside = NULL;
    for (long n = (long)getpid();; n++) {
        snprintf(name, sizeof name, ".%s.%ld", stage->date, n);
        free(set_dir);
        set_dir = ng_path_join(stage->output_dir, name);
        struct stat sb;
        if (!set_dir || lstat(set_dir, &sb) != 0)
            break;
    }
    snprintf(link_name, sizeof link_name, ".%s.link", stage->date);
    tmp = ng_path_join(stage->output_dir, link_name);
    if (!set_dir || !tmp) {
        st = NG_ERR_NOMEM;
        goto cleanup;
    }
    unlink(tmp);
    if (symlink(name, tmp) != 0 || rename(stage->dir, set_dir) != 0) {
        ng_error(diags, stage->final_dir, 0, 0, "kan ikke udgive output: %s", strerror(errno));
        unlink(tmp);
        st = NG_ERR_IO;
        goto cleanup;
    }
    ng_fault_point("fallback-moved");
    if (kind == DATE_FOLDER) {
        char aside_name[48];
        snprintf(aside_name, sizeof aside_name, ".replaced-%s", stage->date);
        aside = ng_path_join(stage->output_dir, aside_name);
        ng_remove_tree(aside);
        if (!aside || rename(stage->final_dir, aside) != 0) {
            ng_error(diags, stage->final_dir, 0, 0, "kan ikke flytte tidligere output: %s",
                     strerror(errno));
            rename(set_dir, stage->dir);
            st = NG_ERR_IO;
            goto cleanup;
        }
        ng_fault_point("fallback-aside");
    }
    if (rename(tmp, stage->final_dir) != 0) {
        ng_error(diags, stage->final_dir, 0, 0, "kan ikke udgive output: %s", strerror(errno));
        if (aside)
            rename(aside, stage->final_dir);
        rename(set_dir, stage->dir);
        st = NG_ERR_IO;
        goto cleanup;
    }
    stage->published = true;
    ng_fault_point("exchanged");
    /* what the date named before: removed once latest is right */
    free(stage->dir);
    stage->dir =
        aside ? aside : (old_target[0] ? ng_path_join(stage->output_dir, old_target) : NULL);
    aside = NULL;
cleanup:
    free(set_dir);
    free(tmp);
    free(aside);
    return st;
}

/* A real folder under the date's name: renamed into place when the date is
 * new, else exchanged with the old folder in one step (RENAME_EXCHANGE);
 * the old one is then under the staging name. */
static ng_status publish_folder(ng_stage *stage, date_entry kind, bool *unsupported,
                                ng_diags *diags)
{
    unsigned flags = kind == DATE_ABSENT ? RENAME_NOREPLACE : RENAME_EXCHANGE;
    *unsupported = false;
    if (rename_flags(stage->dir, stage->final_dir, flags) != 0) {
        int err = errno;
        if (exchange_unsupported(err)) {
            *unsupported = true;
            return NG_OK;
        }
        ng_error(diags, stage->final_dir, 0, 0, "kan ikke udgive output: %s", strerror(err));
        return NG_ERR_IO;
    }
    stage->published = true;
    ng_fault_point("exchanged");
    if (kind == DATE_ABSENT) {
        free(stage->dir);
        stage->dir = NULL; /* nothing old to remove */
    }
    return NG_OK;
}

ng_status ng_stage_publish(ng_stage *stage, ng_diags *diags)
{
    char target[64], newest[11];
    char *latest = ng_path_join(stage->output_dir, "latest");
    char *tmp = NULL;
    if (!latest)
        return NG_ERR_NOMEM;
    date_entry kind = date_entry_of(stage->final_dir, target, sizeof target);
    ng_status st = check_latest(latest, diags);
    if (st == NG_OK && kind == DATE_OTHER) {
        ng_error(diags, stage->final_dir, 0, 0,
                 "er hverken en mappe eller notatgens eget link; notatgen erstatter den ikke; "
                 "intet er udgivet");
        st = NG_ERR_IO;
    }
    if (st == NG_OK)
        st = sync_folder(stage->dir, diags);
    if (st == NG_OK)
        st = newest_date(stage->output_dir, stage->date, newest, diags);
    if (st == NG_OK && !strcmp(newest, stage->date))
        st = prepare_latest(stage->output_dir, newest, &tmp, diags);
    if (st == NG_OK) {
        bool unsupported = kind == DATE_OWN_LINK;
        if (!unsupported)
            st = publish_folder(stage, kind, &unsupported, diags);
        if (st == NG_OK && unsupported)
            st = publish_by_link(stage, kind, target, diags);
    }
    /* Published from here on: what follows fails only as a warning, and the
     * next run's ng_output_tidy finishes it. */
    if (st == NG_OK && tmp && rename(tmp, latest) != 0)
        ng_warning(diags, latest, 0, 0, "kan ikke opdatere linket: %s", strerror(errno));
    else if (st == NG_OK && tmp)
        ng_fault_point("latest");
    if (st == NG_OK && !ng_sync_path(stage->output_dir, true))
        ng_warning(diags, stage->output_dir, 0, 0, "kan ikke skrive mappen til disken: %s",
                   strerror(errno));
    if (st == NG_OK && stage->dir && ng_remove_tree(stage->dir) != NG_OK)
        ng_warning(diags, stage->dir, 0, 0, "de tidligere output kunne ikke slettes");
    if (st == NG_OK) {
        free(stage->dir);
        stage->dir = NULL;
        ng_fault_point("published");
    }
    if (tmp && st != NG_OK)
        unlink(tmp);
    free(tmp);
    free(latest);
    return st;
}

/* ---- tidying at the start of a run ---------------------------------------- */

/* A set folder of the fallback layout that its date's link names. */
static bool set_in_use(const char *out, const char *name)
{
    char date[11], target[64];
    if (!is_set_name(name, date))
        return false;
    char *path = ng_path_join(out, date);
    bool used = path && date_entry_of(path, target, sizeof target) == DATE_OWN_LINK &&
                !strcmp(target, name);
    free(path);
    return used;
}

/* ".replaced-DATE" whose date has no folder (a run died in the fallback's
 * one moment): moved back. */
static bool restore_aside(const char *out, const char *name, ng_diags *diags)
{
    const char *date = name + strlen(".replaced-");
    if (!ng_is_date_name(date))
        return false;
    char *from = ng_path_join(out, name), *to = ng_path_join(out, date);
    struct stat sb;
    bool restored = from && to && lstat(to, &sb) != 0 && errno == ENOENT && rename(from, to) == 0;
    if (restored)
        ng_note(diags, to, 0, 0, "de tidligere output er lagt tilbage (en kørsel blev afbrudt)");
    free(from);
    free(to);
    return restored;
}

/* What a killed run may leave in OUT, by name. */
static bool is_leftover(const char *out, const char *name, ng_diags *diags)
{
    char date[11];
    if (!strncmp(name, ".staging-", 9) || !strcmp(name, ".latest.tmp") ||
        !strcmp(name, ".replaced"))
        return true;
    if (!strncmp(name, ".replaced-", 10))
        return !restore_aside(out, name, diags);
    size_t n = strlen(name);
    if (n == 16 && name[0] == '.' && !strcmp(name + 11, ".link"))
        return true;
    return is_set_name(name, date) && !set_in_use(out, name);
}

ng_status ng_output_tidy(const char *out, ng_diags *diags)
{
    DIR *d = opendir(out);
    if (!d)
        return errno == ENOENT ? NG_OK : NG_ERR_IO;
    ng_status st = NG_OK;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] != '.' || !is_leftover(out, e->d_name, diags))
            continue;
        char *path = ng_path_join(out, e->d_name);
        if (!path || ng_remove_tree(path) != NG_OK) {
            ng_warning(diags, path ? path : out, 0, 0,
                       "en afbrudt kørsels rester kan ikke slettes");
            st = path ? st : NG_ERR_NOMEM;
        }
        free(path);
    }
    closedir(d);
    if (st == NG_OK && point_latest(out, diags) != NG_OK)
        ng_warning(diags, out, 0, 0, "linket latest kunne ikke rettes");
    return st;
}

ng_status ng_remove_tree(const char *path)
{
    struct stat sb;
    if (lstat(path, &sb) != 0)
        return errno == ENOENT ? NG_OK : NG_ERR_IO;
    if (!S_ISDIR(sb.st_mode))
        return unlink(path) == 0 ? NG_OK : NG_ERR_IO;
    DIR *d = opendir(path);
    if (!d)
        return NG_ERR_IO;
    ng_status st = NG_OK;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char *child = ng_path_join(path, e->d_name);
        if (!child || ng_remove_tree(child) != NG_OK)
            st = NG_ERR_IO;
        free(child);
    }
    closedir(d);
    if (rmdir(path) != 0)
        st = NG_ERR_IO;
    return st;
}

void ng_stage_discard(ng_stage *stage)
{
    if (stage->dir)
        ng_remove_tree(stage->dir);
}

void ng_stage_free(ng_stage *stage)
{
    free(stage->output_dir);
    free(stage->dir);
    free(stage->final_dir);
    memset(stage, 0, sizeof *stage);
}
