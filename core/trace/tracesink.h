#pragma once

#include "trace/trace.h"

#include <span>

namespace pollscope {

/// A trace hook. The runtime hands each sink every event of a run, in order, on the thread
/// that runs the tasks, in batches (the model executor flushes once per scheduler tick).
/// Names, resources and spans an event refers to are already in `tables`.
class TraceSink
{
public:
    virtual ~TraceSink() = default;
    virtual void onEvents(std::span<const TraceEvent> events, const TraceTables& tables) = 0;
};

} // namespace pollscope
