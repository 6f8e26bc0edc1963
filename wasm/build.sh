#!/usr/bin/env bash
# Builds the npm package (web and node targets) into wasm/pkg/, optimizes
# the .wasm with wasm-opt -Oz, and prints the gzipped size.
# Needs: rustup target wasm32-unknown-unknown, wasm-bindgen-cli matching
# Cargo.lock, and npm (binaryen's wasm-opt comes from the npm registry).
set -euo pipefail
cd "$(dirname "$0")"
root=..
profile=wasm-release
# PASSERELLE_WASM_FEATURES (e.g. "rdfc,ecdsa") builds a larger variant, to measure it.
cargo build --quiet -p passerelle-wasm --target wasm32-unknown-unknown --profile "$profile" \
  --features "${PASSERELLE_WASM_FEATURES:-}"
wasm="$root/target/wasm32-unknown-unknown/$profile/passerelle_wasm.wasm"
[ -x node_modules/.bin/wasm-opt ] || npm install --no-save --silent --no-audit --no-fund binaryen@132 >/dev/null
rm -rf pkg && mkdir -p pkg
for target in web nodejs; do
  out="pkg/$target"
  wasm-bindgen --target "$target" --out-dir "$out" --out-name passerelle "$wasm"
  node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
    "$out/passerelle_bg.wasm" -o "$out/passerelle_bg.wasm"
  cp index.d.ts "$out/passerelle.d.ts"
done
# wasm-bindgen's node target is CommonJS, and the package is "type": "module".
echo '{"type": "commonjs"}' > pkg/nodejs/package.json
cp package.json README.md pkg/
size=$(gzip -9 -c pkg/web/passerelle_bg.wasm | wc -c)
echo "passerelle_bg.wasm: $(wc -c < pkg/web/passerelle_bg.wasm) bytes, $size bytes gzipped"
