# lib_night.sh -- what the night tests share (sourced by e2e_night.sh,
# e2e_faults.sh, e2e_delivery.sh, e2e_store.sh, e2e_plausibility.sh):
# the loopback SMTP server (tests/smtp_server.py), a copy of the example
# with mail to it, and the checks of tests/night_check.py.
# Needs NOTATGEN, SRC and WORK; sets PY, port, server_pid.
. "$SRC/tests/lib_example.sh"
PY=/usr/bin/python3
CHECK="$PY $SRC/tests/night_check.py"
server_pid=""

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}

# start_server DIR ARGS...: a server on a free port, retried when busy
start_server() {
  local dir=$1
  shift
  mkdir -p "$dir"
  for _ in $(seq 1 10); do
    port=$((20000 + RANDOM % 20000))
    "$PY" "$SRC/tests/smtp_server.py" --port "$port" --save "$dir" "$@" >"$dir/server.out" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 100); do
      grep -q '^READY' "$dir/server.out" && return 0
      grep -q '^FAILED' "$dir/server.out" && break
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    stop_server
  done
  cat "$dir/server.out" >&2
  fail "could not start the SMTP server"
}

# mail_section PORT: the [mail] section of the copies, to 127.0.0.1:PORT
mail_section() {
  cat <<EOS

[mail]
server = 127.0.0.1
port = $1
starttls = nej
fra = notatgen@randers.dk
til = socialudvalget@randers.dk, okonomi@randers.dk
emne = Bilag: særligt dyre enkeltsager
forsoeg = 2
EOS
}

# setup_copy DIR [MAILPORT]: the example in DIR (its history imported), with
# mail to 127.0.0.1:MAILPORT when given; `notater = sde_status` when
# NIGHT_SMALL is set (the kill loops: one memo is enough)
setup_copy() {
  local dir=$1 mailport=${2:-}
  example_copy "$dir"
  if [ -n "${NIGHT_SMALL:-}" ]; then
    sed -i 's/^notater = .*/notater = sde_status/' "$dir/randers.ini"
  fi
  if [ -n "$mailport" ]; then
    mail_section "$mailport" >>"$dir/randers.ini"
  fi
  "$NOTATGEN" history import -c "$dir/randers.ini" "$dir"/historik/*.csv >/dev/null
}

# set_mail_port DIR PORT: the copy's mail to another server
set_mail_port() { sed -i "s/^port = .*/port = $2/" "$1/randers.ini"; }

history_of() { "$NOTATGEN" history list -c "$1/randers.ini"; }
hashes() { (cd "$1" && sha256sum data.json bilag.xlsx sde_status.pdf); }
messages() { ls "$1"/msg-*.eml 2>/dev/null | wc -l; }
