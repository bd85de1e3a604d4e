/* publish.c -- lock, staging directory, atomic publication (see publish.h). */
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

ng_status ng_lock_acquire(const char *path, ng_lock *lock, ng_diags *diags)
{
    lock->fd = -1;
    lock->path = strdup(path);
    if (!lock->path)
        return NG_ERR_NOMEM;
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        ng_error(diags, path, 0, 0, "kan ikke åbne låsefilen: %s", strerror(errno));
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
    if (st == NG_OK)
        t->staged = false;
    return st;
}

void ng_transaction_end(ng_transaction *t)
{
    if (t->staged)
        ng_stage_discard(&t->stage);
    ng_stage_free(&t->stage);
    if (t->locked)
        ng_lock_release(&t->lock);
    memset(t, 0, sizeof *t);
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
    snprintf(name, sizeof name, ".staging-%s-%ld", stage->date, (long)getpid());
    stage->output_dir = strdup(output_dir);
    stage->dir = ng_path_join(output_dir, name);
    stage->final_dir = ng_path_join(output_dir, stage->date);
    if (!stage->output_dir || !stage->dir || !stage->final_dir)
        return NG_ERR_NOMEM;
    ng_remove_tree(stage->dir); /* a leftover of a killed run with our PID */
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

/* Points OUT/latest at DATE atomically: a new link beside it, then rename. */
static ng_status update_latest(const ng_stage *stage, ng_diags *diags)
{
    char *tmp = ng_path_join(stage->output_dir, ".latest.tmp");
    char *latest = ng_path_join(stage->output_dir, "latest");
    ng_status st = NG_OK;
    if (!tmp || !latest) {
        st = NG_ERR_NOMEM;
        goto cleanup;
    }
    unlink(tmp);
    if (symlink(stage->date, tmp) != 0 || rename(tmp, latest) != 0) {
        ng_error(diags, latest, 0, 0, "kan ikke opdatere linket: %s", strerror(errno));
        unlink(tmp);
        st = NG_ERR_IO;
    }
cleanup:
    free(tmp);
    free(latest);
    return st;
}

ng_status ng_stage_publish(ng_stage *stage, ng_diags *diags)
{
    /* an earlier run of the same date is moved aside, then removed once the
     * new outputs are in place; if the rename fails it is moved back */
    char *old = ng_path_join(stage->output_dir, ".replaced");
    if (!old)
        return NG_ERR_NOMEM;
    ng_remove_tree(old);
    struct stat sb;
    bool had_old = stat(stage->final_dir, &sb) == 0;
    if (had_old && rename(stage->final_dir, old) != 0) {
        ng_error(diags, stage->final_dir, 0, 0, "kan ikke flytte tidligere output: %s",
                 strerror(errno));
        free(old);
        return NG_ERR_IO;
    }
    if (rename(stage->dir, stage->final_dir) != 0) {
        ng_error(diags, stage->final_dir, 0, 0, "kan ikke udgive output: %s", strerror(errno));
        if (had_old && rename(old, stage->final_dir) != 0) {
            /* both failed: the old outputs stay in .replaced, named in the message */
            ng_error(diags, old, 0, 0, "tidligere output ligger i denne mappe");
        }
        free(old);
        return NG_ERR_IO;
    }
    if (had_old)
        ng_remove_tree(old);
    free(old);
    free(stage->dir);
    stage->dir = NULL;
    return update_latest(stage, diags);
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
