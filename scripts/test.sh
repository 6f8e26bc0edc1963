#!/usr/bin/env bash
# The test command: installs what it needs (idempotently), then runs
# formatting, lints, unit/property/conformance tests, test vectors, the
# dependency audit, the demo, the wasm32 build and a short fuzz smoke run.
#
#   bash scripts/test.sh            # everything
#   FUZZ_SECONDS=60 bash scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

FUZZ_SECONDS="${FUZZ_SECONDS:-20}"
step() { printf '\n==> %s\n' "$*"; }

step "toolchain and tools"
rustup component add rustfmt clippy >/dev/null 2>&1 || true
rustup target list --installed | grep -q '^wasm32-unknown-unknown$' || rustup target add wasm32-unknown-unknown
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
command -v cargo-deny >/dev/null || cargo install cargo-deny --locked

step "formatting"
cargo fmt --all -- --check

step "lints (clippy -D warnings)"
cargo clippy --workspace --all-targets --all-features -- -D warnings
cargo clippy --all-targets --no-default-features -- -D warnings

step "API docs: every item documented, links resolve, feature-gated items marked (docs.rs configuration)"
RUSTDOCFLAGS="--cfg docsrs -D warnings" cargo +nightly doc --quiet --no-deps --all-features -p passerelle

step "SoftHSM2 for the service's PKCS#11 signer tests (each test makes its own token)"
bash scripts/softhsm.sh

step "PostgreSQL for the service's tests: a throwaway cluster on a free loopback port"
command -v /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
  || (apt-get update -qq && apt-get install -y -qq postgresql >/dev/null)
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
pg_dir=$(mktemp -d) && chown postgres "$pg_dir"
pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
stop_postgres() { su postgres -c "$pg_bin/pg_ctl -D $pg_dir/db -m immediate stop" >/dev/null 2>&1 || true; rm -rf "$pg_dir"; }
trap stop_postgres EXIT
su postgres -c "$pg_bin/initdb -D $pg_dir/db -A trust -U postgres" >/dev/null
su postgres -c "$pg_bin/pg_ctl -D $pg_dir/db -l $pg_dir/log -w -o '-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=on' start" >/dev/null
export PASSERELLE_TEST_POSTGRES="postgres://postgres@127.0.0.1:$pg_port/postgres"

step "tests: unit, property, RFC 8785 and W3C conformance, CLI, test vectors, doc examples, the service on SQLite and PostgreSQL"
mkdir -p target
cargo test --workspace --all-features 2>&1 | tee target/test-output.log

step "tests without default features (the configuration the browser modules start from)"
cargo test --no-default-features 2>&1 | tee -a target/test-output.log

step "test vectors through the CLI"
cargo run --quiet --features cli -- vectors run test-vectors | tail -n 1

step "JSON-LD interop: our canonical N-Quads against jsonld.js (from npm; contexts offline)"
oracle="$PWD/target/npm-oracle"
[ -d "$oracle/node_modules/jsonld" ] || (mkdir -p "$oracle" \
  && npm install --no-save --silent --no-audit --no-fund --prefix "$oracle" jsonld@9.0.0 >/dev/null)
node scripts/jsonld-interop.mjs "$oracle" target/debug/passerelle 400 2026

step "SD-JWT VC interop, both ways, with @sd-jwt/sd-jwt-vc (from npm)"
sd_oracle="$PWD/target/npm-sd-jwt"
[ -d "$sd_oracle/node_modules/@sd-jwt/sd-jwt-vc" ] || (mkdir -p "$sd_oracle" \
  && npm install --no-save --silent --no-audit --no-fund --prefix "$sd_oracle" \
    @sd-jwt/sd-jwt-vc@0.19.0 @sd-jwt/crypto-nodejs@0.19.0 >/dev/null)
node scripts/sd-jwt-interop.mjs "$sd_oracle" target/debug/passerelle

step "COSE interop, both ways, with pycose (from PyPI)"
py_oracle="$PWD/target/py-cose"
if ! "$py_oracle/bin/python" -c "import pycose" 2>/dev/null; then
  python3 -c "import ensurepip" 2>/dev/null || (apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null)
  rm -rf "$py_oracle" && python3 -m venv "$py_oracle"
  # cbor2 6 reads arrays as tuples, which pycose 1.1.0 cannot decode.
  "$py_oracle/bin/pip" install -q pycose==1.1.0 cbor2==5.6.5
fi
"$py_oracle/bin/python" scripts/cose-interop.py target/debug/passerelle

step "the demo (README main command)"
cargo run --quiet --example canada > /dev/null && cargo run --quiet --example canada -- --lang fr > /dev/null

step "dependency audit (cargo deny, offline advisory database)"
db=target/advisory-dbs/advisory-db-3157b0e258782691
if [ ! -d "$db" ]; then
  mkdir -p target/advisory-dbs
  git clone --quiet ../shared/advisory-db/advisory-db.bundle "$db"
fi
cargo fetch --quiet
cargo deny --offline check

step "the library builds for wasm32 (browser)"
cargo build --quiet --target wasm32-unknown-unknown -p passerelle --lib

step "wasm bindings: every test vector in node and in headless Chromium"
wbg=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p' | head -n 1)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wbg" ]; then
  cargo install wasm-bindgen-cli --version "=$wbg"
fi
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null
fi
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
cargo test -p passerelle-wasm --features webvh,jose,ecdsa,rdfc,sd-jwt,ecdsa-sd,cid --target wasm32-unknown-unknown --test node 2>&1 | tee -a target/test-output.log
CHROMEDRIVER="$(command -v chromedriver)" cargo test -p passerelle-wasm --features webvh,jose,ecdsa,rdfc,sd-jwt,ecdsa-sd,cid --target wasm32-unknown-unknown --test browser 2>&1 \
  | tee -a target/test-output.log
unset CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER

step "wasm bindings: npm package (web and node), wasm-opt, size"
bash wasm/build.sh
# The size budget of the verifier module: 120 KB (120 000 bytes) gzipped.
wasm_gz=$(gzip -9 -c wasm/pkg/web/passerelle_bg.wasm | wc -c)
if [ "$wasm_gz" -gt 120000 ]; then
  echo "passerelle_bg.wasm is $wasm_gz bytes gzipped: over the 120 000-byte budget" >&2
  exit 1
fi
echo "passerelle_bg.wasm: $wasm_gz bytes gzipped (budget 120 000)"

step "browser verifier page: end to end in headless Chromium (Playwright, axe-core)"
# In their own directory: an npm install prunes what another put beside it
# (wasm/build.sh installs binaryen into wasm/node_modules).
grep -qs '"version": "4.14.1"' wasm/www/node_modules/axe-core/package.json && [ -d wasm/www/node_modules/playwright-core ] \
  || npm install --no-save --silent --no-audit --no-fund --prefix wasm/www playwright-core@1 axe-core@4.14.1 >/dev/null
node wasm/www/assemble.mjs target/canada wasm/pkg
# The package as an application installs it: imported by name in node.
ln -sfn ../pkg wasm/node_modules/passerelle
node wasm/bench/bench.mjs --check wasm/pkg/www/demo-data.json target/canada/credentials
node wasm/www/test.mjs "$PWD/wasm/pkg" target/canada target/wasm-page-fr.png

step "fuzz smoke run (${FUZZ_SECONDS}s per target)"
for target in json parse_credential jcs did_key did_url verify_proof registry_snapshot trqp_request status_list did_web_url webvh_log jwt sd_jwt cose ecdsa_sd rdfc jsonld; do
  mkdir -p "fuzz/corpus/$target"
  log="target/fuzz-$target.log"
  if ! cargo +nightly fuzz run -O "$target" "fuzz/corpus/$target" fuzz/seeds -- \
      -max_total_time="$FUZZ_SECONDS" -rss_limit_mb=2048 > "$log" 2>&1; then
    tail -n 60 "$log"
    echo "fuzz target $target failed" >&2
    exit 1
  fi
  echo "$target: $(grep -E '^Done' "$log" | tail -n 1)"
done

step "all checks passed"
# One closing line for the whole run: every cargo test result, summed.
awk '/^test result:/ { passed += $4; failed += $6 } END { printf "tests: %d passed, %d failed\n", passed, failed }' \
  target/test-output.log
