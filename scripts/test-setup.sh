#!/usr/bin/env bash
# `npm run test:setup`: make this machine able to run `npm test`, as a newcomer's fresh Debian/Ubuntu box
# or CI needs it. Installs the system packages the tests use (apt-get; sudo when not root), starts the
# services they talk to when installed but not running (Redis, PostgreSQL, Mosquitto), and puts the model
# files in place. Safe to run again: it only does what is missing, and says what it did.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '==> %s\n' "$*"; }
fail() { printf 'test:setup: %s\n' "$*" >&2; exit 1; }
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || fail "not root and no sudo: install the packages listed in README (Prerequisites) by hand"
  SUDO="sudo"
fi
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }

# --- system packages ---------------------------------------------------------
need=()
command -v ffmpeg >/dev/null 2>&1 || need+=(ffmpeg)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v redis-cli >/dev/null 2>&1 || need+=(redis-tools)
command -v fc-list >/dev/null 2>&1 || need+=(fontconfig)
command -v pg_isready >/dev/null 2>&1 || need+=(postgresql-client)
command -v mosquitto >/dev/null 2>&1 || need+=(mosquitto)
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium)
# The GStreamer RTSP server bindings load only in Debian's own interpreter.
if ! /usr/bin/python3 -c "import gi; gi.require_version('GstRtspServer', '1.0'); from gi.repository import GstRtspServer" >/dev/null 2>&1; then
  need+=(python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base gstreamer1.0-plugins-good
         gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly gstreamer1.0-libav)
fi
if ! fc-list 2>/dev/null | grep -i 'DejaVu Sans Mono' >/dev/null; then need+=(fonts-dejavu-core); fi
pg_answers() { pg_isready -q -h 127.0.0.1 -p 5432 >/dev/null 2>&1; }
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 && ! { command -v pg_isready >/dev/null 2>&1 && pg_answers; }; then
  need+=(postgresql)
fi
if [ "${#need[@]}" -gt 0 ]; then
  step "installing system packages: ${need[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
fi

# --- Redis (BullMQ tests) ---------------------------------------------------
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  step "starting redis-server on 127.0.0.1:6379"
  mkdir -p .tmp/redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir "$PWD/.tmp/redis" --logfile "$PWD/.tmp/redis/redis.log"
  for _ in $(seq 1 50); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.2; done
  redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null || fail "redis-server did not answer on 127.0.0.1:6379"
fi

# --- PostgreSQL (hub store tests; they need trust auth for user postgres on 127.0.0.1) ---------
if ! pg_answers; then
  version=$(ls /usr/lib/postgresql | sort -n | tail -n1)
  if [ -d "/etc/postgresql/$version/main" ]; then
    step "starting PostgreSQL $version (cluster main)"
    $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  fi
  for _ in $(seq 1 50); do pg_answers && break; sleep 0.2; done
fi
if pg_answers && ! psql -h 127.0.0.1 -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
  # A stock Debian cluster asks for a password on TCP; the tests create and drop databases freely, so
  # they are pointed at a server that trusts them, never at one holding real data.
  fail "PostgreSQL on 127.0.0.1:5432 refuses user postgres without a password; the tests need trust auth there (or set ALPR_TEST_PG_URL to a URL they may create databases with)"
fi
if ! pg_answers; then
  version=$(ls /usr/lib/postgresql | sort -n | tail -n1)
  bin="/usr/lib/postgresql/$version/bin"
  data=/var/tmp/alpr-test-pg
  step "creating a throwaway PostgreSQL $version cluster for the tests in $data (trust auth, 127.0.0.1:5432)"
  $SUDO mkdir -p "$data" && $SUDO chown postgres: "$data"
  [ -f "$data/PG_VERSION" ] || as_postgres "$bin/initdb" -D "$data" -U postgres -A trust >/dev/null
  as_postgres "$bin/pg_ctl" -D "$data" -l "$data/server.log" -o "-p 5432 -k /tmp -c listen_addresses=127.0.0.1" start >/dev/null
  for _ in $(seq 1 50); do pg_answers && break; sleep 0.2; done
  pg_answers || fail "PostgreSQL did not start; see $data/server.log"
fi
psql -h 127.0.0.1 -U postgres -d postgres -Atqc "select 1 from pg_database where datname = 'test'" | grep -q 1 ||
  psql -h 127.0.0.1 -U postgres -d postgres -qc 'create database test' >/dev/null

# --- Mosquitto (MQTT event tests) -----------------------------------------------
if ! (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null; then
  step "starting mosquitto on 127.0.0.1:1883"
  if [ -f /etc/mosquitto/mosquitto.conf ]; then $SUDO mosquitto -d -c /etc/mosquitto/mosquitto.conf; else $SUDO mosquitto -d -p 1883; fi
  for _ in $(seq 1 50); do (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null && break; sleep 0.2; done
  (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null || fail "mosquitto did not answer on 127.0.0.1:1883"
fi

# --- Node dependencies and models ------------------------------------------------
[ -d node_modules ] || { step "npm ci"; npm ci --no-audit --no-fund; }
# Third-party weights are never committed: copy them from a shared/models folder found by walking up
# from the repository (or $ALPR_MODELS_FROM), else download them from upstream; then verify the sha256.
if [ -z "${ALPR_MODELS_FROM:-}" ]; then
  dir="$(cd .. && pwd)"
  while [ "$dir" != "/" ]; do
    if [ -f "$dir/shared/models/cct_xs_v1_global.onnx" ]; then ALPR_MODELS_FROM="$dir/shared/models"; break; fi
    dir="$(dirname "$dir")"
  done
fi
step "models (from ${ALPR_MODELS_FROM:-upstream URL})"
ALPR_MODELS_FROM="${ALPR_MODELS_FROM:-}" npm run --silent models
step "ready: ffmpeg, GStreamer RTSP server, Redis, PostgreSQL, Mosquitto, chromium, models"
