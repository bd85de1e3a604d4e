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
 * In a run the message is one of the outputs: the mail module writes it as
 * mail.eml into the staging folder (so a bad [mail] value fails before
 * anything is published, and `check` finds it), the run's entry records the
 * set as due to today's recipients, and after the store's commit every due
 * set is sent as the bytes of its published mail.eml and recorded as sent
 * with the server's reply, or as failed with the reason
 * (ng_mail_deliver_due). The same set is never sent twice; a failed or
 * interrupted one is sent by the next run or by `notatgen mail`. The one
 * window for a second copy is a kill between the server's 250 and the
 * record of it (a few milliseconds; the copy has the same Message-ID).
 *
 * A login without TLS (starttls = nej on another port than 465) is a
 * configuration error unless login_uden_tls = ja says it is meant.
 *
 * Ownership: the caller owns the config, the message and everything in them;
 * ng_mail_build and ng_mail_body return malloc'd memory the caller frees.
 */
#ifndef NOTATGEN_MAIL_H
#define NOTATGEN_MAIL_H

#include <stdbool.h>
#include <stddef.h>

#include "notatgen/diag.h"
#include "notatgen/history.h"
#include "notatgen/status.h"
#include "notatgen/table.h"

/* The message among a run's outputs. */
#define NG_MAIL_FILE "mail.eml"

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
    bool login_without_tls;    /* login_uden_tls: a login over plain SMTP is meant */
} ng_mail_config;

typedef struct {
    const char *path;         /* the file to attach */
    const char *location;     /* where the body says it lies when too large; NULL = path */
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
/* Sends a built message (text[0..len), as ng_mail_build made it) to every
 * address in mc->to, with the retries above. reply gets the server's
 * answer to the message ("250 2.0.0 Ok: queued as ...") or, on failure,
 * the reason ("SMTP-svar 550, permanent fejl: ..."). */
ng_status ng_mail_send_raw(const ng_mail_config *mc, const char *text, size_t len,
                           const ng_mail_options *opts, char *reply, size_t reply_size,
                           ng_diags *diags);

/* "a@x.dk, b@y.dk": the To addresses lower-cased, sorted, each once; the
 * store keys a delivery by them. The caller frees; NULL on out of memory. */
char *ng_mail_recipients(const ng_mail_config *mc);

/* What a delivery did, for the log line and `notatgen mail`. */
typedef struct {
    int sent, failed, superseded;
    char text[480]; /* "sendt 2025-09-30; sendt 2025-10-31", "IKKE sendt 2025-10-31" */
} ng_delivery_report;

/* Sends every set due to mc's recipients in the store h (oldest first):
 * each as the published OUT/DATO/mail.eml of its set, after counting the
 * attempt in the store, recorded as sent with the server's reply or as
 * failed with the reason; a date published again since is recorded as
 * superseded, not sent. NG_ERR_DELIVERY when any failed (the others are
 * still sent). */
ng_status ng_mail_deliver_due(const ng_mail_config *mc, ng_history *h, const char *output_dir,
                              const ng_mail_options *mo, ng_delivery_report *rep, ng_diags *diags);
/* `notatgen mail --dato D`: the set published for dato sent again to mc's
 * recipients, whatever its state, and recorded. */
ng_status ng_mail_resend(const ng_mail_config *mc, ng_history *h, const char *output_dir,
                         const char *dato, const ng_mail_options *mo, ng_delivery_report *rep,
                         ng_diags *diags);

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
