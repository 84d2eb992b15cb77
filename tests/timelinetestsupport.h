#pragma once

// Runs that the timeline suites (model, renderer, view, export) draw and check pixels of.

#include "runtime/executor.h"
#include "runtime/futures.h"
#include "timeline/timelinemodel.h"

#include <memory>

namespace pollscope::testing {

constexpr TimeNs ms = 1'000'000;

/// With a 20 ms poll cost: main#0 [0, 20 ms] Pending, then the timer fires at 30 ms and
/// main#1 [30, 50 ms] is Ready.
inline Task<> twoPolls()
{
    co_await sleep(std::chrono::milliseconds(30));
}

/// The timeline model of `main` run on the model runtime with `pollCost` per poll.
inline std::shared_ptr<const TimelineModel> modelOf(Task<> main, TimeNs pollCost)
{
    RuntimeSettings settings;
    settings.pollCost = pollCost;
    return std::make_shared<const TimelineModel>(
        std::make_shared<const Trace>(recordRun(std::move(main), settings)));
}

inline std::shared_ptr<const TimelineModel> twoPollModel() { return modelOf(twoPolls(), 20 * ms); }

} // namespace pollscope::testing
