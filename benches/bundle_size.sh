#!/usr/bin/env bash
# Prints the release bundle's size as `name value unit`, gzip -9 as a static host would serve it.
# Usage: benches/bundle_size.sh <dist-dir>
set -euo pipefail
dist=${1:-dist}
gz() { gzip -9 -c "$1" | wc -c; }
sum_gz() {
  local total=0 file
  for file in "$@"; do total=$((total + $(gz "$file"))); done
  echo "$total"
}
shopt -s nullglob
wasm=("$dist"/*.wasm)
js=("$dist"/*.js)
css=("$dist"/*.css)
[[ ${#wasm[@]} -eq 1 ]] || { echo "bundle_size: expected one .wasm in $dist, found ${#wasm[@]}" >&2; exit 1; }
echo "bundle_wasm_raw_bytes $(wc -c < "${wasm[0]}") bytes"
echo "bundle_wasm_gzip_bytes $(gz "${wasm[0]}") bytes"
echo "bundle_js_gzip_bytes $(sum_gz "${js[@]}") bytes"
echo "bundle_css_gzip_bytes $(sum_gz "${css[@]}") bytes"
echo "bundle_total_gzip_bytes $(sum_gz "${wasm[@]}" "${js[@]}" "${css[@]}") bytes"
