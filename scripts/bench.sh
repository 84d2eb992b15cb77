#!/usr/bin/env bash
# Runs the benchmarks of docs/PERFORMANCE.md on a Release build and prints the median of
# REPEAT runs of each (default 5). Usage: scripts/bench.sh [BUILD_DIR]
set -euo pipefail
build=${1:-build}
repeat=${REPEAT:-5}
bench="$build/tests/bench/pollscope-bench"
timeline="$build/tests/bench/timeline-bench"

# median FIELD: the median of FIELD over the JSON lines on stdin.
median() {
    grep -o "\"$1\":[0-9.]*" | cut -d: -f2 | sort -g | awk '{ v[NR] = $1 } END { printf "%.1f", v[int((NR + 1) / 2)] }'
}
row() { # LABEL FIELD UNIT ARGS...
    local label=$1 field=$2 unit=$3
    shift 3
    printf '%-44s %10s %s\n' "$label" "$("$bench" "$@" --repeat "$repeat" | median "$field")" "$unit"
}

row "yield N=1000 K=1000, untraced" ns_per_poll ns/poll yield --tasks 1000 --yields 1000
row "yield N=1000 K=1000, traced" ns_per_poll ns/poll yield --tasks 1000 --yields 1000 --traced
row "yield N=100000 K=10, untraced" ns_per_poll ns/poll yield --tasks 100000 --yields 10
row "yield N=100000 K=10, traced" ns_per_poll ns/poll yield --tasks 100000 --yields 10 --traced
row "spawn N=1000, untraced" ns_per_task ns/task spawn --tasks 1000
row "spawn N=100000, untraced" ns_per_task ns/task spawn --tasks 100000
row "spawn N=100000, traced" ns_per_task ns/task spawn --tasks 100000 --traced
row "bytes per event" bytes_per_event B yield --tasks 1000 --yields 10 --traced
row "script 1000 tasks x 1000 yield_now, total" elapsed_ns ns script --tasks 1000 --yields 1000
row "script 1000 tasks x 1000 yield_now, per poll" ns_per_poll ns/poll script --tasks 1000 --yields 1000
row "Qt runtime hop, untraced" ns_per_poll ns/hop eventloop --tasks 100 --yields 2000
row "Qt runtime hop, traced" ns_per_poll ns/hop eventloop --tasks 100 --yields 2000 --traced

export QT_QPA_PLATFORM=offscreen
"$timeline" --repeat "$repeat" --frames 60 2>/dev/null
"$timeline" --export-png --events 1000000 --width 3840 --height 2160 --repeat "$repeat" 2>/dev/null
