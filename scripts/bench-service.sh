#!/usr/bin/env bash
# The service's benchmark (docs/benchmarks.md, "The issuer service"): the
# load generator (service/examples/load.rs) against release builds of
# passerelle-service — issuance with status entries at 64 clients on SQLite
# (one instance) and on PostgreSQL (two instances, one throwaway cluster),
# verification at 64 clients, and the library's in-process issuance rate.
#
#   bash scripts/bench-service.sh [REQUESTS]
set -euo pipefail
cd "$(dirname "$0")/.."
requests="${1:-20000}"
cargo build --quiet --release -p passerelle-service --bin passerelle-service --example load
target="${CARGO_TARGET_DIR:-$PWD/target}"
bin="$target/release/passerelle-service"
load="$target/release/examples/load"
work=$(mktemp -d) && chmod 755 "$work"
pids=()
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_ready() { for _ in $(seq 200); do curl -sf "http://127.0.0.1:$1/readyz" >/dev/null && return; sleep 0.05; done; echo "port $1 not ready" >&2; exit 1; }
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -d "$work/pg/db" ] && su postgres -c "$pg_bin/pg_ctl -D $work/pg/db -m immediate stop" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
export PASSERELLE_KEK=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8
export PASSERELLE_PUBLIC_URL=https://issuer.example

echo "== library"
"$load" --kind library --requests "$requests"

echo "== SQLite, one instance"
export PASSERELLE_DATABASE="sqlite://$work/sqlite/state.db"
"$bin" tenant create mines --type MinesPermit >/dev/null
key=$("$bin" api-key create --tenant mines --scope issue)
port=$(free_port)
"$bin" serve --listen "127.0.0.1:$port" 2>/dev/null & pids+=($!)
wait_ready "$port"
"$load" --url "http://127.0.0.1:$port" --key "$key" --tenant mines --kind issue --clients 64 --requests "$requests"
"$load" --url "http://127.0.0.1:$port" --key "$key" --tenant mines --kind verify --clients 64 --requests "$requests"

echo "== PostgreSQL, two instances"
mkdir -p "$work/pg" && chown postgres "$work/pg"
pg_port=$(free_port)
su postgres -c "$pg_bin/initdb -D $work/pg/db -A trust -U postgres" >/dev/null
su postgres -c "$pg_bin/pg_ctl -D $work/pg/db -l $work/pg/log -w -o '-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1 -c max_connections=200' start" >/dev/null
export PASSERELLE_DATABASE="postgres://postgres@127.0.0.1:$pg_port/postgres"
"$bin" tenant create mines --type MinesPermit >/dev/null
key=$("$bin" api-key create --tenant mines --scope issue)
a=$(free_port); b=$(free_port)
"$bin" serve --listen "127.0.0.1:$a" 2>/dev/null & pids+=($!)
"$bin" serve --listen "127.0.0.1:$b" 2>/dev/null & pids+=($!)
wait_ready "$a"; wait_ready "$b"
"$load" --url "http://127.0.0.1:$a" --url "http://127.0.0.1:$b" --key "$key" --tenant mines --kind issue --clients 64 --requests "$requests"
"$load" --url "http://127.0.0.1:$a" --url "http://127.0.0.1:$b" --key "$key" --tenant mines --kind verify --clients 64 --requests "$requests"
