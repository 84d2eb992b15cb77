#!/bin/bash
# Measures the core runtime's targets in ROUNDS rounds on a machine whose speed drifts: each
# round gives, per case, the median of one `--repeat 5` (after the bench's warm-up), so a
# target can be judged by how many rounds meet it. Extra arguments go to every case, e.g.
# --cpu-time.
#
#   scripts/targets.sh build/tests/bench/pollscope-bench 5
set -euo pipefail
if [ $# -lt 2 ]; then
    echo "usage: $0 POLLSCOPE-BENCH ROUNDS [BENCH-ARGS...]" >&2
    exit 2
fi
bench=$1 rounds=$2
shift 2
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.1f", v[int((NR + 1) / 2)] }'; }
one() { "$bench" "$@" --repeat 5 | grep -o '"ns_per_[a-z]*":[0-9.]*' | cut -d: -f2 | median; }
cases=(
    "yield --tasks 1000 --yields 1000"
    "yield --tasks 100000 --yields 10"
    "yield --tasks 100000 --yields 100"
    "yield --tasks 1000 --yields 1000 --traced"
    "yield --tasks 100000 --yields 10 --traced"
    "spawn --tasks 1000"
    "spawn --tasks 100000"
)
printf '%s\n' "${cases[@]}" | nl -w1 -s': '
for _ in $(seq "$rounds"); do
    line=""
    for c in "${cases[@]}"; do
        # shellcheck disable=SC2086 # each case is its own words
        line+="$(one $c "$@") "
    done
    echo "${line% }"
done
