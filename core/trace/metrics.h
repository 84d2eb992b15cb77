#pragma once

#include "trace/trace.h"

#include <vector>

namespace pollscope {

/// What one task did over a run, derived from its events.
struct TaskMetrics {
    TaskId task = 0;
    int pendingPolls = 0;
    int readyPolls = 0;
    TimeNs busy = 0; ///< being polled
    TimeNs scheduled = 0; ///< runnable (spawned or woken) but not yet polled
    TimeNs idle = 0; ///< Pending with nothing to do
    TimeNs spawned = 0;
    TimeNs ended = kNever; ///< completed or cancelled; kNever if neither
    TimeNs firstPoll = kNever;
    TimeNs lastPoll = kNever; ///< start of the last poll
    TimeNs longestPoll = 0;
    TimeNs longestWait = 0; ///< the longest single scheduled stretch
    bool completed = false;
    bool failed = false;
    bool cancelled = false;

    int polls() const { return pendingPolls + readyPolls; }
};

struct RunMetrics {
    TimeNs elapsed = 0;
    std::vector<TaskMetrics> tasks; ///< indexed by TaskId
};

/// Per-task polls, busy, scheduled and idle time. Idle is the rest of the task's life (spawn
/// to end, or to the end of the run): busy + scheduled + idle = lifetime.
RunMetrics computeMetrics(const Trace& trace);

} // namespace pollscope
