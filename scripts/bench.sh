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
row "spawn N=100000, glibc adaptive heap" ns_per_task ns/task spawn --tasks 100000 --default-heap
row "bytes per event" bytes_per_event B yield --tasks 1000 --yields 10 --traced
row "script 1000 tasks x 1000 yield_now, total" elapsed_ns ns script --tasks 1000 --yields 1000
row "script 1000 tasks x 1000 yield_now, per poll" ns_per_poll ns/poll script --tasks 1000 --yields 1000
row "Qt runtime hop, untraced" ns_per_poll ns/hop eventloop --tasks 100 --yields 2000
row "Qt runtime hop, traced" ns_per_poll ns/hop eventloop --tasks 100 --yields 2000 --traced

export QT_QPA_PLATFORM=offscreen
# One line per trace size and zoom level: medians over the repeats of each run's p95 frame time
# (and of the model's build time).
"$timeline" --repeat "$repeat" --frames 60 2>/dev/null | awk '
    function field(name,   m) { return match($0, "\"" name "\":\"?[0-9.a-z]*") ? substr($0, RSTART + length(name) + 3) : "" }
    function median(list,   v, n, i, j, t) {
        n = split(list, v, " ")
        for (i = 2; i <= n; ++i) for (j = i; j > 1 && v[j] + 0 < v[j - 1] + 0; --j) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
        return v[int((n + 1) / 2)]
    }
    /"timeline-model"/ { key = sprintf("model build, %d events", field("events")); if (!(key in seen)) { order[++count] = key; seen[key] = 1; unit[key] = "ms" }; values[key] = values[key] " " field("build_ms") }
    /"timeline-frame"/ { zoom = field("zoom"); gsub(/[^a-z]/, "", zoom); key = sprintf("frame p95, %d events, %s", field("events"), zoom); if (!(key in seen)) { order[++count] = key; seen[key] = 1; unit[key] = "ms" }; values[key] = values[key] " " field("p95_ms") }
    END { for (i = 1; i <= count; ++i) printf "%-44s %10.1f %s\n", order[i], median(values[order[i]]), unit[order[i]] }'
"$timeline" --export-png --events 1000000 --width 3840 --height 2160 --repeat "$repeat" 2>/dev/null \
    | grep -o '"median_ms":[0-9.]*' | cut -d: -f2 | awk '{ printf "%-44s %10.1f ms\n", "export PNG 3840x2160, 1M events", $1 }'


# The command line end to end on 1,000 tasks x 300 yield_now (about 0.9M events): wall time,
# median of REPEAT runs, parse + run + write.
pollscope="$build/app/pollscope"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/yield.scn" <<'SCRIPT'
async fn worker(n) { for i in 0..300 { yield_now().await; } }
async fn main() { let mut handles = []; for i in 0..1000 { handles.push(spawn worker(i)); } for h in handles { h.await; } }
SCRIPT
cli() { # LABEL ARGS...
    local label=$1
    shift
    for _ in $(seq "$repeat"); do
        local start end
        start=$(date +%s%N)
        "$pollscope" run "$work/yield.scn" "$@" > /dev/null 2>&1
        end=$(date +%s%N)
        echo $(((end - start) / 1000000))
    done | sort -n | awk -v label="$label" '{ v[NR] = $1 } END { printf "%-44s %10d ms\n", label, v[int((NR + 1) / 2)] }'
}
cli "pollscope run --summary" --summary
cli "pollscope run --events" --events
cli "pollscope run --trace" --trace "$work/trace.json"
cli "pollscope run --export PNG 3840x2160" --export "$work/out.png" --width 3840 --height 2160
cli "pollscope run --export SVG 3840x2160" --export "$work/out.svg" --width 3840 --height 2160
cli "pollscope run --export PDF 3840x2160" --export "$work/out.pdf" --width 3840 --height 2160
