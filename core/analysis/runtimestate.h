#pragma once

#include "trace/trace.h"

#include <vector>

namespace pollscope {

/// What the executor held at one point of a run: derived from the trace by replaying it, so
/// stepping backwards is as exact as stepping forwards.
struct RuntimeState {
    struct Pending {
        ResourceId resource;
        TaskId task;
        TimeNs deadline;
    };
    struct Job {
        ResourceId resource;
        TaskId task;
        int lane;
        TimeNs start;
        TimeNs end;
    };
    struct Waiter {
        TaskId task;
        WaitTarget target;
        std::uint32_t on; ///< task or resource, by target
    };

    TimeNs time = 0;
    TaskId polling = kNoTask; ///< the task being polled, if the point falls inside a poll
    bool mainWoken = false; ///< main runs at the start of the next tick
    std::vector<TaskId> runQueue; ///< front first
    std::vector<TaskId> deferredYields; ///< yield_now wakes waiting for the reactor, in order
    std::vector<Pending> timers; ///< earliest first
    std::vector<Pending> io; ///< earliest first
    std::vector<Job> jobs; ///< started, end not yet delivered
    std::vector<Waiter> waiting; ///< idle tasks waiting on a handle, a channel or a job
};

/// The state after the first `events` events of the trace.
RuntimeState runtimeStateAt(const Trace& trace, std::size_t events);

} // namespace pollscope
