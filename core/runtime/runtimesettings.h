#pragma once

#include "runtime/runtimetypes.h"

#include <QString>

namespace pollscope {

/// The settings of one run. Defaults follow tokio 1.24's current-thread runtime; the scenario
/// language's `runtime current_thread(...)` header overrides them.
struct RuntimeSettings {
    /// Lanes of the blocking pool (tokio's max_blocking_threads).
    int blockingThreads = 512;
    /// Virtual time charged at the end of every poll.
    TimeNs pollCost = 0;
    /// Sleep deadlines are rounded up to a multiple of this (tokio's timer wheel: 1 ms).
    TimeNs timerResolution = 1'000'000;
    /// Budgeted awaits (handles, sleeps, channel operations) one poll may complete.
    int budget = 128;
    /// Tasks polled from the run queue before the reactor is serviced (tokio's event_interval).
    int eventInterval = 61;
    /// Runaway bounds: the run stops with an error once it records this many events...
    std::uint64_t maxEvents = 20'000'000;
    /// ... or once virtual time passes this point.
    TimeNs maxTime = 3600LL * 1'000'000'000LL;
    /// ... or when one poll of a script runs this many interpreter steps without suspending.
    std::uint64_t maxStepsPerPoll = 10'000'000;
    /// ... or when a script spawns more than this many tasks (each holds memory until the end).
    std::uint64_t maxTasks = 100'000;
};

/// Why a run stopped at its max_events or max_time bound, with a valid header line to raise it.
QString eventLimitMessage(const RuntimeSettings& settings);
QString timeLimitMessage(const RuntimeSettings& settings, bool realTime);

} // namespace pollscope
