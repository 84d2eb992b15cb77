#include "analysis/runtimestate.h"

#include <algorithm>

namespace pollscope {

RuntimeState runtimeStateAt(const Trace& trace, std::size_t events)
{
    RuntimeState state;
    const std::size_t taskCount = trace.tables.tasks.size();
    const auto& all = trace.events;
    events = std::min(events, all.size());
    std::vector<bool> wokenWhilePolled(taskCount, false);
    std::vector<bool> registeredInPoll(taskCount, false);

    auto removeTask = [](std::vector<TaskId>& list, TaskId task) {
        list.erase(std::remove(list.begin(), list.end(), task), list.end());
    };
    auto removeResource = [](std::vector<RuntimeState::Pending>& list, ResourceId resource) {
        list.erase(std::remove_if(list.begin(), list.end(), [&](const auto& p) { return p.resource == resource; }), list.end());
    };
    auto stopWaiting = [&](TaskId task) {
        state.waiting.erase(std::remove_if(state.waiting.begin(), state.waiting.end(), [&](const auto& w) { return w.task == task; }),
                            state.waiting.end());
    };
    // A poll that ends Pending without registering anything yielded: its Yield wake comes
    // after the reactor runs. Look ahead for that wake to tell a yield from a spurious poll.
    auto nextWakeIsYield = [&](std::size_t from, TaskId task) {
        for (std::size_t j = from; j < all.size(); ++j)
            if (all[j].task == task && (all[j].kind == EventKind::Wake || all[j].kind == EventKind::PollStart))
                return all[j].kind == EventKind::Wake && all[j].wakeCause() == WakeCause::Yield;
        return false;
    };

    for (std::size_t i = 0; i < events; ++i) {
        const TraceEvent& e = all[i];
        // Job events carry the job's own start and end, which may lie ahead of or behind the worker.
        if (e.kind != EventKind::JobStart && e.kind != EventKind::JobEnd)
            state.time = std::max(state.time, e.time);
        if (e.task >= taskCount)
            continue;
        switch (e.kind) {
        case EventKind::Spawn:
            if (e.task == kMainTask)
                state.mainWoken = true;
            else
                state.runQueue.push_back(e.task);
            break;
        case EventKind::Wake:
            removeTask(state.deferredYields, e.task);
            stopWaiting(e.task);
            if (e.wakeCause() == WakeCause::Timer)
                removeResource(state.timers, e.aux);
            else if (e.wakeCause() == WakeCause::Io)
                removeResource(state.io, e.aux);
            if (e.task == kMainTask)
                state.mainWoken = true; // main is never queued, even when woken in its own poll
            else if (state.polling == e.task)
                wokenWhilePolled[e.task] = true;
            else
                state.runQueue.push_back(e.task);
            break;
        case EventKind::PollStart:
            if (e.task == kMainTask)
                state.mainWoken = false;
            else
                removeTask(state.runQueue, e.task);
            stopWaiting(e.task);
            state.polling = e.task;
            wokenWhilePolled[e.task] = false;
            registeredInPoll[e.task] = false;
            break;
        case EventKind::PollEnd:
            state.polling = kNoTask;
            if (e.outcome() == PollOutcome::Pending && wokenWhilePolled[e.task] && e.task != kMainTask)
                state.runQueue.push_back(e.task);
            else if (e.outcome() == PollOutcome::Pending && !registeredInPoll[e.task] && nextWakeIsYield(i + 1, e.task))
                state.deferredYields.push_back(e.task);
            break;
        case EventKind::WaitRegistered: {
            registeredInPoll[e.task] = true;
            const WaitTarget target = e.waitTarget();
            if (target == WaitTarget::Timer || target == WaitTarget::Io) {
                const ResourceRecord& r = trace.tables.resources[e.aux];
                auto& list = target == WaitTarget::Timer ? state.timers : state.io;
                list.push_back(RuntimeState::Pending { e.aux, e.task, r.deadline });
                std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.deadline < b.deadline; });
            } else {
                state.waiting.push_back(RuntimeState::Waiter { e.task, target, e.aux });
            }
            break;
        }
        case EventKind::Cancel:
            switch (e.cancelTarget()) {
            case CancelTarget::Timer:
                removeResource(state.timers, e.aux);
                break;
            case CancelTarget::Io:
                removeResource(state.io, e.aux);
                break;
            case CancelTarget::Task:
                removeTask(state.runQueue, e.task);
                stopWaiting(e.task);
                break;
            default:
                stopWaiting(e.task);
                break;
            }
            break;
        case EventKind::JobStart: {
            const ResourceRecord& r = trace.tables.resources[e.aux];
            state.jobs.push_back(RuntimeState::Job { e.aux, e.task, r.lane, r.created, r.deadline });
            break;
        }
        case EventKind::JobEnd:
            state.jobs.erase(std::remove_if(state.jobs.begin(), state.jobs.end(), [&](const auto& j) { return j.resource == e.aux; }),
                             state.jobs.end());
            break;
        case EventKind::Complete:
            stopWaiting(e.task);
            break;
        default:
            break;
        }
    }
    return state;
}

} // namespace pollscope
