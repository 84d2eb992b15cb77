#pragma once

#include "trace/trace.h"

#include <QHash>
#include <QStringList>

/// The poll sequence of a run in a comparable form: one "task#index@start_us:Outcome" per poll,
/// in the order the polls started, plus the elapsed time.
struct PollSequence {
    QStringList polls;
    qint64 elapsedUs = -1;
};

/// Reads tokio's recorded traces (tests/data/tokio-1.24-traces.jsonl), keyed by scenario.
QHash<QString, PollSequence> loadReferenceTraces();

/// The same view of one of our traces (virtual times in µs).
PollSequence pollSequence(const pollscope::Trace& trace);
