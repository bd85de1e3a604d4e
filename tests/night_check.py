#!/usr/bin/python3
"""Checks the e2e night tests make of what a run left behind.

  night_check.py complete FOLDER      the folder is a complete set: manifest.json
                                      names every output with its size and
                                      SHA-256, and the files are exactly those
  night_check.py latest OUT           OUT/latest resolves to a complete set of
                                      the newest date in OUT
  night_check.py store OUT DB         PRAGMA integrity_check is ok, and the
                                      store's snapshots are exactly the
                                      published sets of OUT (date and set hash)
  night_check.py count SMTPDIR FOLDER how many messages the server saved carry
                                      FOLDER/bilag.xlsx byte for byte (prints N)
  night_check.py rows DB              every table's rows, sorted (to compare a
                                      store before and after a failed run)
  night_check.py intact OUT           after a kill: every date folder complete,
                                      latest resolving to a complete folder, the
                                      store (OUT/historik.sqlite) passing
                                      PRAGMA integrity_check
  night_check.py settled OUT SMTPDIR FOLDER N
                                      after the next run: store, latest, and the
                                      server holding exactly N messages, all with
                                      FOLDER's bilag, the same bytes when N > 1

Exit 0 when the check holds, 1 with a message when not.
"""
import email
import email.policy
import glob
import hashlib
import json
import os
import re
import sqlite3
import sys

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def fail(msg):
    print("night_check: " + msg, file=sys.stderr)
    sys.exit(1)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()


def manifest_of(folder):
    path = os.path.join(folder, "manifest.json")
    if not os.path.isfile(path):
        fail("%s has no manifest.json" % folder)
    return json.load(open(path))


def complete(folder):
    m = manifest_of(folder)
    names = {o["name"] for o in m["outputs"]}
    present = {n for n in os.listdir(folder) if not n.startswith(".") and n != "manifest.json"}
    if names != present:
        fail("%s: files %s, manifest %s" % (folder, sorted(present), sorted(names)))
    for o in m["outputs"]:
        p = os.path.join(folder, o["name"])
        if os.path.getsize(p) != o["size"] or sha256(p) != o["sha256"]:
            fail("%s: %s differs from its manifest" % (folder, o["name"]))
    return m


def published(out):
    """{date: set hash} of every date name in OUT."""
    sets = {}
    for name in os.listdir(out):
        if DATE.match(name) and os.path.isdir(os.path.join(out, name)):
            sets[name] = complete(os.path.join(out, name))["saet"]
    return sets


def latest(out):
    dates = sorted(published(out))
    if not dates:
        fail("%s has no published date" % out)
    target = os.readlink(os.path.join(out, "latest"))
    if target != dates[-1]:
        fail("latest -> %s, the newest date is %s" % (target, dates[-1]))
    complete(os.path.join(out, "latest"))


def store(out, db):
    con = sqlite3.connect(db)
    ok = con.execute("PRAGMA integrity_check").fetchone()[0]
    if ok != "ok":
        fail("integrity_check: %s" % ok)
    snaps = dict(con.execute("SELECT dato, saet FROM snapshot"))
    sets = published(out)
    if snaps != sets:
        fail("store %s, published %s" % (snaps, sets))


def count(smtpdir, folder):
    bilag = open(os.path.join(folder, "bilag.xlsx"), "rb").read()
    n = 0
    for path in sorted(glob.glob(os.path.join(smtpdir, "msg-*.eml"))):
        msg = email.message_from_binary_file(open(path, "rb"), policy=email.policy.default)
        for part in msg.iter_attachments():
            if part.get_filename() == "bilag.xlsx" and part.get_content() == bilag:
                n += 1
    print(n)


def rows(db):
    con = sqlite3.connect(db)
    tables = [r[0] for r in con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    for t in tables:
        for r in sorted(con.execute("SELECT * FROM %s" % t), key=repr):
            print(t, r)


def integrity(db):
    ok = sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone()[0]
    if ok != "ok":
        fail("integrity_check: %s" % ok)


def intact(out):
    for name in os.listdir(out):
        if DATE.match(name) and os.path.exists(os.path.join(out, name)):
            complete(os.path.join(out, name))
    complete(os.path.join(out, "latest"))
    integrity(os.path.join(out, "historik.sqlite"))


def settled(out, smtpdir, folder, n):
    store(out, os.path.join(out, "historik.sqlite"))
    latest(out)
    bilag = open(os.path.join(out, folder, "bilag.xlsx"), "rb").read()
    msgs = [open(p, "rb").read() for p in sorted(glob.glob(os.path.join(smtpdir, "msg-*.eml")))]
    if len(msgs) != int(n):
        fail("%d messages, want %s" % (len(msgs), n))
    for raw in msgs:
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        if not any(p.get_filename() == "bilag.xlsx" and p.get_content() == bilag
                   for p in msg.iter_attachments()):
            fail("a message without the bilag of %s" % folder)
    if any(m != msgs[0] for m in msgs):
        fail("the copies of the message differ")


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    {"complete": complete, "latest": latest, "store": store, "count": count,
     "rows": rows, "intact": intact, "settled": settled}[cmd](*args)


if __name__ == "__main__":
    main()
