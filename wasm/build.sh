#!/usr/bin/env bash
# Builds the npm package into wasm/pkg/: two modules, each for the web and
# node targets, optimized with wasm-opt -Oz, and prints their gzipped sizes.
#   pkg/web, pkg/nodejs            "passerelle": the verifier (eddsa-jcs-2022,
#                                  did:key/jwk/web, registry, status, messages)
#   pkg/full/web, pkg/full/nodejs  "passerelle/full": adds did:webvh, vc+jwt,
#                                  vc+sd-jwt, ecdsa-jcs-2019, the rdfc suites
#                                  and ecdsa-sd-2023
# `build.sh <features> <output dir>` builds one module that way instead (the
# output dir relative to wasm/; wasm/bench.sh builds its `bench` module so).
# Needs: rustup target wasm32-unknown-unknown, wasm-bindgen-cli matching
# Cargo.lock, and npm (binaryen's wasm-opt comes from the npm registry).
set -euo pipefail
cd "$(dirname "$0")"
root=..
profile=wasm-release
# The modules are built with the nightly toolchain's build-std and
# panic=immediate-abort: a panic (there should be none) traps without a
# message, and no panic-formatting code ships (5.8 KB gzipped less, what
# keeps the verifier module within its budget). The wasm test suites run
# the same code on stable. RUSTFLAGS replaces .cargo/config.toml's flags for
# the target, so sha2's compact rounds are asked for again here; location
# details and Debug formatting are left out (no message a person reads
# uses them). wasm-opt may assume the low 1 KB of memory unused: rustc lays
# the stack out first, from 1 MiB down, so only a stack within 1 KB of
# overflowing would reach it. The standard library is built with its
# `optimize_for_size` feature (smaller sorts and formatting).
target_dir="$root/target/wasm-build-std"
wasm="$target_dir/wasm32-unknown-unknown/$profile/passerelle_wasm.wasm"
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
rustup component list --toolchain nightly --installed | grep -q '^rust-src' || rustup component add rust-src --toolchain nightly
[ -x node_modules/.bin/wasm-opt ] || npm install --no-save --silent --no-audit --no-fund binaryen@132 >/dev/null

# build <features> <output dir>
build() {
  RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none --cfg sha2_backend_soft=\"compact\"" cargo +nightly build --quiet -p passerelle-wasm \
    --target wasm32-unknown-unknown --profile "$profile" --features "$1" \
    -Z build-std=std,panic_abort -Z build-std-features=optimize_for_size --target-dir "$target_dir"
  for target in web nodejs; do
    out="$2/$target"
    wasm-bindgen --target "$target" --out-dir "$out" --out-name passerelle "$wasm"
    node_modules/.bin/wasm-opt -Oz --converge --low-memory-unused --strip-producers --strip-target-features --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-mutable-globals "$out/passerelle_bg.wasm" -o "$out/passerelle_bg.wasm"
    cp index.d.ts "$out/index.d.ts"
  done
  # The entries add the …Async verifications (js/fetching.js) to the module.
  cp js/index.web.js "$2/web/index.js"
  cp js/fetching.js "$2/web/fetching.js"
  # wasm-bindgen's node target is CommonJS, and the package is "type": "module".
  echo '{"type": "commonjs"}' > "$2/nodejs/package.json"
  cp js/index.node.js "$2/nodejs/index.js"
  { sed 's/^export //' js/fetching.js; echo 'module.exports = { verifyFetching, asyncVerifiers };'; } \
    > "$2/nodejs/fetching.js"
  # wasm-bindgen requires the report's snippet (js/report.js) as it is: the
  # node copy, too, becomes CommonJS.
  for snippet in "$2"/nodejs/snippets/*/js/report.js; do
    { sed 's/^export //' js/report.js; echo 'module.exports = { expandReport };'; } > "$snippet"
  done
  echo "$2/web/passerelle_bg.wasm: $(wc -c < "$2/web/passerelle_bg.wasm") bytes," \
    "$(gzip -9 -c "$2/web/passerelle_bg.wasm" | wc -c) bytes gzipped (features: ${1:-none})"
}

if [ $# -eq 2 ]; then
  build "$1" "$2"
  exit
fi
rm -rf pkg && mkdir -p pkg
build "" pkg
build "webvh,jose,ecdsa,rdfc,sd-jwt,ecdsa-sd,cid" pkg/full
cp package.json README.md pkg/
