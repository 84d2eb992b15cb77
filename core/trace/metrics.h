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
    /// Pending on a timer or I/O that was due but not yet delivered, up to the wake it gave:
    /// the model's reactor could not run (the worker was held), or a real event loop was late.
    TimeNs late = 0;
    TimeNs idle = 0; ///< Pending with nothing to do
    TimeNs spawned = 0;
    TimeNs ended = kNever; ///< completed or cancelled; kNever if neither
    TimeNs firstPoll = kNever;
    TimeNs lastPoll = kNever; ///< start of the last poll
    TimeNs longestPoll = 0;
    /// The longest stall: the longest single stretch between being able to go on and the next
    /// poll — from a wake (or spawn), or from when the timer or I/O that gave the wake came due
    /// if the worker delivered it late — late delivery and the run queue together.
    TimeNs longestStall = 0;
    bool completed = false;
    bool failed = false;
    bool cancelled = false;

    int polls() const { return pendingPolls + readyPolls; }
};

struct RunMetrics {
    TimeNs elapsed = 0;
    std::vector<TaskMetrics> tasks; ///< indexed by TaskId
};

/// Per-task polls, busy, scheduled, late and idle time. Idle is the rest of the task's life
/// (spawn to end, or to the end of the run): busy + scheduled + late + idle = lifetime.
RunMetrics computeMetrics(const Trace& trace);

/// The metrics of a run up to a point, such as a playback cursor: folds the trace's events in
/// order, so that a point moving forward costs only the events it passes (moving back starts
/// over). Holds `trace` by reference.
class MetricsAccumulator {
public:
    explicit MetricsAccumulator(const Trace& trace);

    /// Folds in the first `eventCount` events (clamped to the trace).
    void advanceTo(std::size_t eventCount);
    std::size_t eventCount() const { return m_next; }
    /// The metrics of the events folded in, as of `until` (no earlier than the last of them):
    /// tasks 0 to the highest task id among them (ids go in spawn order: the tasks spawned by
    /// then); a life, a poll and a runnable stretch not ended by then last until `until`.
    RunMetrics metricsAt(TimeNs until) const;

private:
    /// Per task: when it last became runnable (kNever: not runnable), whether a poll is open,
    /// and since when it has been Pending on its timers and I/O (kNever: it is not).
    struct TaskState {
        TimeNs runnableSince = kNever;
        TimeNs pollStart = kNever;
        TimeNs pendingSince = kNever;
        TimeNs lateBeforeWake = 0; ///< the late stretch that ended in the latest wake
        bool wokenWhilePolled = false;
        std::vector<ResourceId> dueWaits; ///< timers and I/O registered and not yet delivered
    };
    /// A timer's or I/O's deadline (kNever if unknown).
    TimeNs deadline(ResourceId resource) const;
    /// The late part so far of `c`'s Pending stretch that has not ended by `until`: from the
    /// earliest deadline of its undelivered timers and I/O, if that passed.
    TimeNs lateUntil(const TaskState& c, TimeNs until) const;

    const Trace& m_trace;
    std::size_t m_next = 0; ///< events folded in
    std::size_t m_taskCount = 0; ///< 1 + the highest task id seen so far
    std::vector<TaskMetrics> m_tasks;
    std::vector<TaskState> m_states;
};

} // namespace pollscope
