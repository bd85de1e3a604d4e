/*
 * mail.h -- the bilag to the committee by SMTP, or as an .eml file.
 *
 *   char *body = ng_mail_body(ds, NULL, diags);        Danish text with key figures
 *   ng_mail_attachment att[] = {{.path = "OUT/2025-10-31/bilag.xlsx"}};
 *   ng_mail_message msg = {.body = body, .attachments = att, .nattachments = 1,
 *                          .date = epoch};
 *   ng_mail_send(&cfg->mail, &msg, NULL, diags);        or, for --dry-run:
 *   ng_mail_write_eml(&cfg->mail, &msg, "OUT/2025-10-31/mail.eml", diags);
 *
 * The message is built here, byte for byte (so the .eml is exactly what
 * would have been sent), and handed to libcurl as the upload:
 *   From, To, Subject (RFC 2047 =?UTF-8?B?...?= when not ASCII), Date (from
 *   msg->date, never the clock), Message-ID (from a SHA-256 of the content),
 *   MIME-Version, multipart/mixed with a deterministic boundary; the body as
 *   text/plain; charset=utf-8, quoted-printable; each attachment base64 with
 *   its content type from the extension (.xlsx, .pdf, .json, .csv, .txt) and
 *   filename="ASCII fallback" plus filename*=UTF-8''percent-encoded (RFC 2231)
 *   when the name is not ASCII. Lines end in CRLF.
 * The same inputs give the same bytes.
 *
 * An attachment larger than mc->max_attachment_bytes (> 0) is not attached;
 * the body gets a line giving its size and path instead.
 *
 * Sending: smtp://host:port (smtps:// on port 465 without starttls);
 * CURLOPT_USE_SSL = CURLUSESSL_ALL when mc->starttls; login when mc->user is
 * set, with the password from the first line of mc->password_file or from the
 * environment variable mc->password_env -- never from the config itself.
 * Temporary failures (no connection, a dropped connection, an SMTP 4xx reply)
 * are retried up to mc->retries attempts in all, waiting base, 2*base,
 * 4*base ... between them (base 1 s, see ng_mail_options); a permanent one
 * (5xx, refused login) fails at once. Either way the error is NG_ERR_DELIVERY
 * with a Danish diagnostic naming the server and the SMTP reply code.
 *
 * Subject, body and attachment names pass the CPR guard (privacy.h) before
 * anything is written or sent: NG_ERR_PRIVACY.
 *
 * Ownership: the caller owns the config, the message and everything in them;
 * ng_mail_build and ng_mail_body return malloc'd memory the caller frees.
 */
#ifndef NOTATGEN_MAIL_H
#define NOTATGEN_MAIL_H

#include <stdbool.h>
#include <stddef.h>

#include "notatgen/diag.h"
#include "notatgen/status.h"
#include "notatgen/table.h"

/* The mail module's options: [mail]. */
typedef struct {
    bool configured; /* the file has a [mail] section */
    char *host;      /* server */
    int port;        /* default 587 with starttls, else 25 */
    bool starttls;   /* default true */
    char *user;
    char *password_file; /* the password is read from this file ... */
    char *password_env;  /* ... or from this environment variable */
    char *from;
    char **to;
    size_t nto;
    char *subject;             /* NULL = the default subject */
    char *body_template;       /* [mail] tekst: a file with the body template; NULL = default */
    bool attach_pdf;           /* attach the memos too; default false */
    long max_attachment_bytes; /* above: send the path instead; default 10 MiB */
    int retries;               /* attempts, default 3 */
} ng_mail_config;

typedef struct {
    const char *path;         /* the file to attach */
    const char *name;         /* the name the recipient sees; NULL = base name of path */
    const char *content_type; /* NULL = from the extension */
} ng_mail_attachment;

typedef struct {
    const char *subject; /* NULL = mc->subject, else the default subject */
    const char *body;    /* UTF-8 text, lines separated by "\n" */
    const ng_mail_attachment *attachments;
    size_t nattachments;
    long long date; /* Unix time of the Date header (the run's time, or SOURCE_DATE_EPOCH) */
} ng_mail_message;

typedef struct {
    long backoff_ms;     /* wait before the 2nd attempt, doubled each time; 0 = 1000 */
    long timeout_s;      /* per attempt; 0 = 60 */
    const char *ca_file; /* CA bundle for STARTTLS; NULL = the system's */
    int *attempts_made;  /* when not NULL: set to the number of attempts made */
} ng_mail_options;

/* "Særligt dyre enkeltsager – bilag" (the default subject). */
const char *ng_mail_default_subject(void);

/* Builds the complete message (headers and MIME body, CRLF line ends) into
 * *out (malloc'd, NUL-terminated) and *len. NG_ERR_IO when an attachment
 * cannot be read, NG_ERR_PRIVACY when a text fails the CPR guard,
 * NG_ERR_CONFIG when From or To is missing. */
ng_status ng_mail_build(const ng_mail_config *mc, const ng_mail_message *msg, char **out,
                        size_t *len, ng_diags *diags);

/* --dry-run: writes the message ng_mail_build makes to path (mode 0600). */
ng_status ng_mail_write_eml(const ng_mail_config *mc, const ng_mail_message *msg, const char *path,
                            ng_diags *diags);

/* Sends the message to every address in mc->to. opts may be NULL. */
ng_status ng_mail_send(const ng_mail_config *mc, const ng_mail_message *msg,
                       const ng_mail_options *opts, ng_diags *diags);

/* The default body template (Danish). */
const char *ng_mail_default_template(void);

/* Fills a body template with the dataset's values: {{ name }} or
 * {{ name | filter }} as in the memo templates (filters mio, tkr, kr, pct,
 * antal, dato, dato_kort); names are ds values plus "kommune" and
 * "udtraek_dato" from the dataset itself. template_text NULL = the default:
 *
 *   Hermed bilag om særligt dyre enkeltsager pr. 31. oktober 2025 for
 *   Randers Kommune.
 *   Refusion i alt: 123,4 mio. kr. ...
 *
 * A value the dataset lacks is an error naming the placeholder (returns
 * NULL); the default template leaves out the lines whose values are missing.
 * The caller frees. */
char *ng_mail_body(const ng_dataset *ds, const char *template_text, ng_diags *diags);

#endif
