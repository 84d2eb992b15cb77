#!/bin/bash
# Compares two builds of pollscope-bench on a machine whose speed drifts: runs them in N
# interleaved pairs, each side giving the median of the five timed runs of one `--repeat 5`
# (after the bench's warm-up), and prints the medians of each side and of the per-pair ratios
# NEW/OLD (of an even count, the lower middle value). Both builds need the warm-up (cc4e881
# or later): a build without it would time its cold first run.
#
#   scripts/pair.sh N OLD/pollscope-bench NEW/pollscope-bench -- yield --tasks 100000 --yields 10
set -euo pipefail
if [ $# -lt 4 ] || [ "$4" != "--" ]; then
    echo "usage: $0 N OLD NEW -- BENCH-ARGS..." >&2
    exit 2
fi
n=$1 old=$2 new=$3
shift 4
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.2f", v[int((NR + 1) / 2)] }'; }
one() { "$@" --repeat 5 | grep -o '"ns_per_[a-z]*":[0-9.]*' | cut -d: -f2 | median; }
olds=() news=() ratios=()
for _ in $(seq "$n"); do
    a=$(one "$old" "$@")
    b=$(one "$new" "$@")
    olds+=("$a") news+=("$b") ratios+=("$(awk -v a="$a" -v b="$b" 'BEGIN { print b / a }')")
done
echo "$* | old $(printf '%s\n' "${olds[@]}" | median) | new $(printf '%s\n' "${news[@]}" | median) | new/old $(printf '%s\n' "${ratios[@]}" | median)"
