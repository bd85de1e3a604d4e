#!/usr/bin/env bash
# e2e_faults.sh -- a night killed at every point it can die at, and 30 times
# at random on a larger extract, and on a full disk at several fill levels.
#
# The test program notatgen_faults kills itself (SIGKILL) where
# NOTATGEN_FAULT says (include/notatgen/fault.h). After each kill: every
# date folder is complete (its files are its manifest's), `latest` resolves
# to a complete folder, and the store passes PRAGMA integrity_check. Then a
# plain run of the same night: exit 0, `latest` at the newest date, the
# store holds exactly the snapshots of the published sets (date and set
# hash), and the loopback SMTP server has the night's bilag exactly once --
# twice only after a kill between the server's 250 and its record
# (smtp-after), and then as the same message byte for byte (docs/drift.md).
# The production binary ignores NOTATGEN_FAULT; strace kills it at each
# rename(2) it makes, as a check from outside of the hook's points.
set -euo pipefail
: "${NOTATGEN:?}" "${NOTATGEN_FAULTS:?}" "${SRC:?}" "${WORK:?}"
rm -rf "$WORK" && mkdir -p "$WORK"
. "$SRC/tests/lib_night.sh"
NIGHT_SMALL=1
cleanup() {
  stop_server
  for m in "$WORK"/full*/out; do
    if mountpoint -q "$m" 2>/dev/null; then umount "$m"; fi
  done
}
trap cleanup EXIT

# after a kill: nothing half-made anywhere (night_check.py intact)
intact() { $CHECK intact "$1/out" || fail "$2: not intact after the kill"; }

# after the next plain run: everything recorded, mailed WANT times, latest
# at the newest date (night_check.py settled)
settled() { $CHECK settled "$1/out" "$1/smtp" "$3" "$4" || fail "$2: not settled"; }

# nothing a killed run made is left: no staging or .replaced folder, no
# temporary link, and a hidden set folder only as its date's link target
no_leftovers() {
  local out=$1 x name
  [ -z "$(ls -A "$out" | grep -E '^\.(staging|replaced|latest\.tmp)|\.link$')" ] ||
    fail "$2: leftovers: $(ls -A "$out" | tr '\n' ' ')"
  for x in "$out"/.20*; do
    [ -e "$x" ] || continue
    name=${x##*/}
    [ "$(readlink "$out/${name:1:10}")" = "$name" ] || fail "$2: an unused set folder $name"
  done
}

# the template: the example published for 2025-10-31 and mailed
start_server "$WORK/smtp0" --mode ok
setup_copy "$WORK/template" "$port"
t="$WORK/template"
"$NOTATGEN" run -c "$t/randers.ini" 2>"$t/first.log" || { cat "$t/first.log"; fail "first night"; }
stop_server
# a corrected extract: one case more (2 mio. kr.), so other outputs
{ cat "$t/sager_2025-10-31.csv"; printf '999999;;2025;;2.000.000,00;Voksen;1980;;;nej;autisme;privat;Test;\xa7 108;730\r\n'; } \
  >"$t/rettet.csv"

# kill_at SCENARIO POINT WANT FOLDER ARGS...: a fresh copy of the template,
# the night ARGS killed at POINT, checked, run again, checked
kill_at() {
  local scen=$1 point=$2 want=$3 folder=$4
  shift 4
  local w="$WORK/$scen-$point"
  rm -rf "$w" && cp -a "$t" "$w"
  start_server "$w/smtp" --mode ok
  set_mail_port "$w" "$port"
  set +e
  NOTATGEN_FAULT=$point "$NOTATGEN_FAULTS" run -c "$w/randers.ini" "$@" >"$w/killed.log" 2>&1
  local rc=$?
  set -e
  [ "$rc" = 137 ] || { cat "$w/killed.log"; fail "$scen/$point: exit $rc, not killed"; }
  if [ "$point" = fallback-aside ]; then
    # the one moment without a folder: a real folder moved aside on a file
    # system without RENAME_EXCHANGE; the next run puts it back
    [ ! -e "$w/out/$folder" ] && [ -d "$w/out/.replaced-$folder" ] ||
      fail "$scen/$point: the moment is not where docs/drift.md says"
  else
    intact "$w" "$scen/$point"
  fi
  "$NOTATGEN" run -c "$w/randers.ini" "$@" >"$w/next.log" 2>&1 ||
    { cat "$w/next.log"; fail "$scen/$point: the next night"; }
  stop_server
  settled "$w" "$scen/$point" "$folder" "$want"
  no_leftovers "$w/out" "$scen/$point"
  echo "killed at $scen/$point: outputs, store and mail as they should be"
}

# A. the same date published again with other outputs (RENAME_EXCHANGE)
for point in staged exchanged published committed smtp-before smtp-after delivered; do
  want=1
  [ "$point" = smtp-after ] && want=2
  kill_at republish "$point" "$want" 2025-10-31 --udtraek "$t/rettet.csv" --dato 2025-10-31
done

# B. a new, newest date (latest moves)
for point in staged exchanged latest published committed smtp-before smtp-after delivered; do
  want=1
  [ "$point" = smtp-after ] && want=2
  kill_at newdate "$point" "$want" 2025-11-30 --dato 2025-11-30
done

# C. an older date: latest stays at the newest, never backwards
kill_at olddate exchanged 1 2025-09-30 --udtraek "$t/sager_2025-09-30.csv"
[ "$(readlink "$WORK/olddate-exchanged/out/latest")" = 2025-10-31 ] || fail "latest moved backwards"

# D. a file system without RENAME_EXCHANGE: the date is a link to a set folder
export NOTATGEN_FAULT_FLAGS=no-exchange
start_server "$WORK/smtp-link" --mode ok
set_mail_port "$t" "$port"
"$NOTATGEN_FAULTS" run -c "$t/randers.ini" --dato 2025-11-30 >"$t/link.log" 2>&1 ||
  { cat "$t/link.log"; fail "fallback publishing"; }
stop_server
[ -L "$t/out/2025-11-30" ] || fail "the fallback did not publish a link"
for point in staged fallback-moved exchanged published committed; do
  kill_at fallback "$point" 1 2025-11-30 --udtraek "$t/rettet.csv" --dato 2025-11-30
done
# a real folder from before: the one moment, and the next run puts it back
kill_at convert fallback-aside 1 2025-10-31 --udtraek "$t/rettet.csv" --dato 2025-10-31
unset NOTATGEN_FAULT_FLAGS

# E. killed while rolling a killed run's record forward
w="$WORK/rollforward"
rm -rf "$w" && cp -a "$t" "$w"
start_server "$w/smtp" --mode ok
set_mail_port "$w" "$port"
set +e
NOTATGEN_FAULT=published "$NOTATGEN_FAULTS" run -c "$w/randers.ini" --dato 2025-12-31 >/dev/null 2>&1
rc1=$?
NOTATGEN_FAULT=rolled-forward "$NOTATGEN_FAULTS" run -c "$w/randers.ini" --dato 2025-12-31 \
  >"$w/roll.log" 2>&1
rc2=$?
set -e
[ "$rc1" = 137 ] && [ "$rc2" = 137 ] || { cat "$w/roll.log"; fail "roll forward: exits $rc1 $rc2"; }
# the second run died just after committing the first's record, before
# removing its record file
history_of "$w" | grep -q "2025-12-31 .*sæt" || { cat "$w/roll.log"; fail "no roll forward"; }
[ -f "$w/out/2025-12-31/.historik-post" ] || fail "roll forward: the record file is gone too early"
intact "$w" rollforward
"$NOTATGEN" run -c "$w/randers.ini" --dato 2025-12-31 >"$w/next.log" 2>&1 ||
  { cat "$w/next.log"; fail "after the roll forward"; }
stop_server
settled "$w" rollforward 2025-12-31 1
echo "killed while rolling forward: recorded once, mailed once"

# G. every rename(2) the night makes, killed from outside by strace (not by
#    the hook: this finds a rename the hook's points would miss); strace
#    counts each system call on its own
if command -v strace >/dev/null; then
  for scen in republish newdate; do
    args=(--udtraek "$t/rettet.csv" --dato 2025-10-31)
    folder=2025-10-31
    if [ "$scen" = newdate ]; then
      args=(--dato 2025-12-15 --udtraek "$t/rettet.csv")
      folder=2025-12-15
    fi
    killed=0
    for sc in rename renameat renameat2; do
      for n in 1 2 3 4; do
        w="$WORK/strace-$scen-$sc-$n"
        rm -rf "$w" && cp -a "$t" "$w"
        start_server "$w/smtp" --mode ok
        set_mail_port "$w" "$port"
        set +e
        strace -f -qq -o /dev/null -e trace="$sc" -e inject="$sc":signal=SIGKILL:when="$n" \
          "$NOTATGEN" run -c "$w/randers.ini" "${args[@]}" >"$w/killed.log" 2>&1
        rc=$?
        set -e
        if [ "$rc" = 0 ]; then
          stop_server
          rm -rf "$w"
          break # fewer than n calls: each has been killed at
        fi
        killed=$((killed + 1))
        intact "$w" "strace $scen $sc $n"
        "$NOTATGEN" run -c "$w/randers.ini" "${args[@]}" >"$w/next.log" 2>&1 ||
          { cat "$w/next.log"; fail "strace $scen $sc $n: the next night"; }
        stop_server
        settled "$w" "strace $scen $sc $n" "$folder" 1
        no_leftovers "$w/out" "strace $scen $sc $n"
      done
    done
    [ "$killed" -ge 1 ] || fail "strace killed $scen nowhere"
    echo "killed by strace at each of the $killed renames of $scen: as they should be"
  done
fi

# F. the production binary cannot be killed this way
w="$WORK/production"
rm -rf "$w" && cp -a "$t" "$w"
sed -i '/^\[mail\]/,$d' "$w/randers.ini"
NOTATGEN_FAULT=staged,exchanged,published,committed "$NOTATGEN" run -c "$w/randers.ini" \
  --dato 2025-11-30 >"$w/run.log" 2>&1 || { cat "$w/run.log"; fail "production binary"; }
$CHECK latest "$w/out"
echo "the production binary ignores NOTATGEN_FAULT"

echo "kill points done after ${SECONDS}s"

# ---- 30 kills at random on a larger extract ------------------------------------
r="$WORK/random"
start_server "$r/smtp" --mode ok
setup_copy "$r" "$port"
# 60.000 rows (5.000 cases) when the generator is built, else the example
if [ -n "${GEN_EXTRACT:-}" ]; then
  "$GEN_EXTRACT" --rows 60000 "$r/stor.csv" >/dev/null
  sed -i 's/^fil = sager_2025-10-31.csv/fil = stor.csv/' "$r/randers.ini"
fi
cfgdates=(2025-10-29 2025-10-30 2025-10-31)
"$NOTATGEN" run -c "$r/randers.ini" --dato 2025-10-28 >"$r/first.log" 2>&1 ||
  { cat "$r/first.log"; fail "random: first night"; }
start=$(date +%s%N)
"$NOTATGEN" run -c "$r/randers.ini" --dato 2025-10-28 >/dev/null 2>&1
ms=$((($(date +%s%N) - start) / 1000000))
for i in $(seq 1 30); do
  d=${cfgdates[$((RANDOM % 3))]}
  "$NOTATGEN" run -c "$r/randers.ini" --dato "$d" >"$r/kill-$i.log" 2>&1 &
  pid=$!
  sleep "$(awk -v ms="$ms" -v r="$RANDOM" 'BEGIN { printf "%.3f", (r % (ms + 50)) / 1000 }')"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  intact "$r" "random kill $i"
done
for d in "${cfgdates[@]}"; do
  "$NOTATGEN" run -c "$r/randers.ini" --dato "$d" >"$r/after-$d.log" 2>&1 ||
    { cat "$r/after-$d.log"; fail "random: the night $d after the kills"; }
done
stop_server
$CHECK store "$r/out" "$r/out/historik.sqlite" || fail "random: store and outputs disagree"
$CHECK latest "$r/out"
no_leftovers "$r/out" random
"$PY" - "$r/smtp" "$r/out" <<'EOF'
import collections, email, email.policy, glob, hashlib, os, sys
# every set the store says was sent reached the server; no set's message came
# twice unless byte for byte the same message (the one window of docs/drift.md)
seen = collections.defaultdict(list)
for p in glob.glob(os.path.join(sys.argv[1], "msg-*.eml")):
    raw = open(p, "rb").read()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    bilag = [a.get_content() for a in msg.iter_attachments() if a.get_filename() == "bilag.xlsx"]
    seen[hashlib.sha256(bilag[0]).hexdigest()].append(raw)
for h, copies in seen.items():
    assert len(copies) == 1 or all(c == copies[0] for c in copies), "a set mailed twice, differently"
for d in os.listdir(sys.argv[2]):
    if d[:2] == "20":
        b = hashlib.sha256(open(os.path.join(sys.argv[2], d, "bilag.xlsx"), "rb").read()).hexdigest()
        assert b in seen, "the bilag of %s never reached the server" % d
print("random kills: every published set mailed, none twice (%d messages)" % sum(map(len, seen.values())))
EOF
echo "30 random kills (a run takes ${ms} ms): outputs, store and mail consistent"

echo "random kills done after ${SECONDS}s"

# ---- a full disk at several fill levels ----------------------------------------
for left in 40 200 700; do
  f="$WORK/full$left"
  NIGHT_SMALL=1 setup_copy "$f"
  rm -rf "$f/out" && mkdir -p "$f/out"
  mount -t tmpfs -o size=3000k,mode=0700 tmpfs "$f/out" || fail "cannot mount a tmpfs"
  "$NOTATGEN" history import -c "$f/randers.ini" "$f"/historik/*.csv >/dev/null
  "$NOTATGEN" run -c "$f/randers.ini" >"$f/ok.log" 2>&1 || { cat "$f/ok.log"; fail "run on the tmpfs"; }
  before=$($CHECK rows "$f/out/historik.sqlite")
  free_kb=$(df -k --output=avail "$f/out" | tail -1)
  dd if=/dev/zero of="$f/out/filler" bs=1k count=$((free_kb - left)) 2>/dev/null || true
  set +e
  "$NOTATGEN" run -c "$f/randers.ini" --dato 2025-11-01 >"$f/full.log" 2>&1
  rc=$?
  set -e
  [ "$rc" = 0 ] || [ "$rc" = 3 ] || { cat "$f/full.log"; fail "full disk ($left kB): exit $rc"; }
  intact "$f" "full disk ($left kB)"
  if [ "$rc" = 3 ] && [ ! -e "$f/out/2025-11-01" ]; then
    [ "$($CHECK rows "$f/out/historik.sqlite")" = "$before" ] ||
      fail "full disk ($left kB): a failed run changed the store"
  fi
  rm -f "$f/out/filler"
  "$NOTATGEN" run -c "$f/randers.ini" --dato 2025-11-01 >"$f/after.log" 2>&1 ||
    { cat "$f/after.log"; fail "full disk ($left kB): the night after"; }
  $CHECK store "$f/out" "$f/out/historik.sqlite" || fail "full disk ($left kB): store"
  $CHECK latest "$f/out"
  umount "$f/out"
  echo "full disk with $left kB left: exit $rc, nothing half-made, the next night complete"
done
echo "e2e_faults: ok"
