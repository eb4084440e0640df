#!/usr/bin/env bash
# Checks the release bundle against its size budget: the wasm, JS and CSS that `make dist` wrote,
# each gzip -9 as a static host would serve them, must weigh at most the budget written in
# `bundle-budget.txt`. Fails with the figure, the budget, and which part grew most since the
# budget was last set (the sizes recorded beside it).
#
# The budget may only go down: the check also reads the budget file's history in git and fails if
# any commit raised it.
#
# Usage: scripts/bundle_budget.sh <dist-dir> [budget-file]
#        scripts/bundle_budget.sh --record <dist-dir> [budget-file]   rewrites the recorded sizes
#                                                                       (never the budget itself)
set -euo pipefail

record=false
if [[ "${1:-}" == "--record" ]]; then
  record=true
  shift
fi
dist=${1:?usage: scripts/bundle_budget.sh [--record] <dist-dir> [budget-file]}
budget_file=${2:-$(dirname "$0")/../bundle-budget.txt}

fail() { printf 'bundle budget: %s\n' "$*" >&2; exit 1; }
[[ -d "$dist" ]] || fail "no build in $dist (run make dist first)"
[[ -f "$budget_file" ]] || fail "no budget file at $budget_file"

gz() { gzip -9 -c "$1" | wc -c | tr -d ' '; }
# A file's part name without trunk's content hash: faultline-1a2b3c4d_bg.wasm -> faultline_bg.wasm.
part_of() { basename "$1" | sed -E 's/-[0-9a-f]{8,}([._])/\1/'; }
# 1234567 -> 1,234,567
commas() { printf '%s' "$1" | rev | sed -E 's/([0-9]{3})/\1,/g; s/,$//' | rev; }
signed() { if (($1 >= 0)); then printf '+%s' "$(commas "$1")"; else printf '−%s' "$(commas "${1#-}")"; fi; }

budget_of() { awk '$1 == "budget" { print $2; exit }' "$1"; }

budget=$(budget_of "$budget_file")
[[ "$budget" =~ ^[0-9]+$ ]] || fail "$budget_file has no line 'budget <bytes>'"

# ----- the bundle now -----
shopt -s nullglob
files=("$dist"/*.wasm "$dist"/*.js "$dist"/*.css)
((${#files[@]} > 0)) || fail "no .wasm, .js or .css files in $dist"
declare -A now=()
total=0
for file in "${files[@]}"; do
  part=$(part_of "$file")
  size=$(gz "$file")
  now[$part]=$(( ${now[$part]:-0} + size ))
  total=$((total + size))
done

if $record; then
  {
    sed '/^part /d' "$budget_file"
    for part in $(printf '%s\n' "${!now[@]}" | sort); do
      echo "part $part ${now[$part]}"
    done
  } > "$budget_file.tmp"
  mv "$budget_file.tmp" "$budget_file"
  echo "bundle budget: recorded the parts of $(commas "$total") bytes (budget $(commas "$budget"))"
  exit 0
fi

# ----- the budget only goes down -----
# Every version of the budget file in the history of this checkout, oldest first.
repo=$(cd "$(dirname "$budget_file")" && git rev-parse --show-toplevel 2>/dev/null || true)
if [[ -n "$repo" ]]; then
  path=$(realpath --relative-to="$repo" "$budget_file")
  previous="" previous_commit=""
  while read -r commit; do
    value=$(git -C "$repo" show "$commit:$path" 2>/dev/null | awk '$1 == "budget" { print $2; exit }')
    [[ -n "$value" ]] || continue
    if [[ -n "$previous" ]] && ((value > previous)); then
      fail "commit ${commit:0:10} raised the budget from $(commas "$previous") to $(commas "$value") bytes (after ${previous_commit:0:10}); the budget may only go down"
    fi
    previous=$value previous_commit=$commit
  done < <(git -C "$repo" log --format=%H --reverse -- "$path" 2>/dev/null)
  # The working copy, not yet committed, may not raise it either.
  if [[ -n "$previous" ]] && ((budget > previous)); then
    fail "$path raises the budget from $(commas "$previous") to $(commas "$budget") bytes; the budget may only go down"
  fi
fi

# ----- the bundle within the budget -----
if ((total <= budget)); then
  echo "bundle budget: $(commas "$total") bytes gzip -9, within the budget of $(commas "$budget") ($(commas $((budget - total))) to spare)"
  exit 0
fi

# Which part grew most since the recorded sizes.
largest="" growth=0
declare -A parts=()
while read -r _ part size; do parts[$part]=$size; done < <(awk '$1 == "part"' "$budget_file")
for part in "${!now[@]}"; do
  delta=$(( ${now[$part]} - ${parts[$part]:-0} ))
  if [[ -z "$largest" ]] || ((delta > growth)); then
    largest=$part growth=$delta
  fi
done
was=${parts[$largest]:-0}
if ((was == 0)); then
  grew="$largest is new: $(commas "${now[$largest]}") bytes"
else
  grew="$largest grew most: $(commas "$was") → $(commas "${now[$largest]}") bytes ($(signed "$growth"))"
fi
fail "the bundle weighs $(commas "$total") bytes gzip -9, over the budget of $(commas "$budget") by $(commas $((total - budget))); $grew. Make it smaller (twiggy top on the wasm shows what weighs most); the budget may only go down."
