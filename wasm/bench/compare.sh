#!/usr/bin/env bash
# passerelle against @digitalbazaar/vc with its eddsa-jcs-2022 cryptosuite, on
# the same credential, in node and in one page in headless Chromium
# (wasm/bench/compare.mjs; budget: ≥ 3× faster in Chromium, exit 1 if not).
# The packages are pinned by wasm/bench/db/package-lock.json and installed
# from the npm registry when the lockfile changes; Digital Bazaar's verifier
# is bundled for the browser with esbuild. Needs wasm/pkg (bash wasm/build.sh)
# and Debian's chromium. Writes target/wasm-compare.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
db=wasm/bench/db
if ! cmp -s "$db/package-lock.json" "$db/node_modules/.installed-lock.json"; then
  (cd "$db" && npm ci --silent --no-audit --no-fund >/dev/null && cp package-lock.json node_modules/.installed-lock.json)
fi
[ -f wasm/pkg/web/passerelle_bg.wasm ] || bash wasm/build.sh
out=target/wasm-compare
mkdir -p "$out"
"$db/node_modules/.bin/esbuild" "$db/verifier.js" --bundle --format=esm --platform=browser --minify \
  --log-level=warning --outfile="$out/db.js"
echo "@digitalbazaar/vc bundle: $(wc -c < "$out/db.js") bytes, $(gzip -9 -c "$out/db.js" | wc -c) bytes gzipped"
node wasm/bench/compare.mjs wasm/pkg "$out" target/wasm-compare.json
