#pragma once

// Runs that the timeline suites (model, renderer, view, export) draw and check pixels of.

#include "runtime/combinators.h"
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

/// `tasks` tasks that each compute 20 µs and yield, `steps` times: with a 10 µs poll cost each
/// is busy an eighth of the time when there are eight, and the worker all of it.
inline Task<> spinners(int tasks, int steps)
{
    const auto spinner = [](int n) -> Task<> {
        for (int i = 0; i < n; ++i) {
            compute(u"step", std::chrono::microseconds(20));
            co_await yieldNow();
        }
    };
    std::vector<JoinHandle<void>> handles;
    for (int k = 0; k < tasks; ++k)
        handles.push_back(spawn(spinner(steps)));
    for (auto& handle : handles)
        co_await handle;
}

/// Two marks at one instant, "first" and "second", in main's first poll, then "third" in its
/// poll at 40 ms.
inline Task<> coincidentMarks()
{
    mark(u"first");
    mark(u"second");
    co_await sleep(std::chrono::milliseconds(40));
    mark(u"third");
    co_await sleep(std::chrono::milliseconds(40));
}

/// select-timeout in C++: a 300 ms request races a 100 ms sleep. At 100 ms the sleep wins and
/// main, in its poll #1, drops the request, cancelling its I/O; then it marks the timeout.
inline Task<> selectTimeout()
{
    co_await select(io(u"GET slow.example", std::chrono::milliseconds(300)),
        sleep(std::chrono::milliseconds(100)));
    mark(u"timed out");
}

inline std::shared_ptr<const TimelineModel> twoPollModel() { return modelOf(twoPolls(), 20 * ms); }

} // namespace pollscope::testing
