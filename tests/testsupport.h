#pragma once

// Queries over a trace that several test suites share.

#include "trace/trace.h"

#include <QStringList>

#include <algorithm>

namespace pollscope::testing {

/// How many events of `kind` the trace holds.
inline int countEvents(const Trace& trace, EventKind kind)
{
    return int(std::count_if(trace.events.begin(), trace.events.end(), [kind](const TraceEvent& e) { return e.kind == kind; }));
}

/// The labels of the trace's marks, in order.
inline QStringList marks(const Trace& trace)
{
    QStringList labels;
    for (const TraceEvent& e : trace.events)
        if (e.kind == EventKind::Mark)
            labels << trace.string(e.aux);
    return labels;
}

} // namespace pollscope::testing
