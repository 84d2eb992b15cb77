#include "analysis/runtimestate.h"

#include <algorithm>
#include <limits>

namespace pollscope {

namespace {

/// Checkpoints cost O(tasks + resources) each at worst: keep them far enough apart that all
/// of them together stay within a few bytes per event, and close enough that stepping back
/// replays only a few milliseconds' worth of events.
constexpr std::size_t kMinCheckpointInterval = 8192;

} // namespace

template <class T>
void RuntimeReplay::OrderedList<T>::insert(std::uint32_t owner, T value, TimeNs rank)
{
    const Key key { rank, m_next++ };
    m_items.emplace(key, std::move(value));
    m_byOwner.emplace(owner, key);
}

template <class T>
void RuntimeReplay::OrderedList<T>::erase(std::uint32_t owner)
{
    auto it = m_byOwner.lower_bound({ owner, Key { std::numeric_limits<TimeNs>::min(), 0 } });
    while (it != m_byOwner.end() && it->first == owner) {
        m_items.erase(it->second);
        it = m_byOwner.erase(it);
    }
}

template <class T>
void RuntimeReplay::OrderedList<T>::appendTo(std::vector<T>& out) const
{
    out.reserve(out.size() + m_items.size());
    for (const auto& [key, value] : m_items)
        out.push_back(value);
}

RuntimeReplay::RuntimeReplay(std::shared_ptr<const Trace> trace, std::size_t interval)
    : m_trace(trace ? std::move(trace) : std::make_shared<const Trace>())
{
    const Trace& t = *m_trace;
    const std::size_t taskCount = t.tables.tasks.size();
    m_interval = interval > 0
        ? interval
        : std::max(kMinCheckpointInterval, 8 * (taskCount + t.tables.resources.size()));

    // A poll that ends Pending without registering anything yielded if its task's next wake
    // (before its next poll) is a yield_now wake, which comes after the reactor runs.
    const auto& events = t.events;
    m_yieldedAt.assign(events.size(), false);
    std::vector<bool> nextIsYield(taskCount, false);
    for (std::size_t i = events.size(); i-- > 0;) {
        const TraceEvent& e = events[i];
        if (e.task >= taskCount)
            continue;
        if (e.kind == EventKind::Wake || e.kind == EventKind::PollStart)
            nextIsYield[e.task] = e.kind == EventKind::Wake && e.wakeCause() == WakeCause::Yield;
        else if (e.kind == EventKind::PollEnd)
            m_yieldedAt[i] = nextIsYield[e.task];
    }

    m_replay.wokenWhilePolled.assign(taskCount, false);
    m_replay.registeredInPoll.assign(taskCount, false);
    m_checkpoints.push_back(m_replay);
}

RuntimeReplay::~RuntimeReplay() = default;

const RuntimeState& RuntimeReplay::stateAt(std::size_t events)
{
    events = std::min(events, m_trace->events.size());
    if (events < m_replay.position) {
        // Back: from the last checkpoint at or before the point.
        const std::size_t k = std::min(events / m_interval, m_checkpoints.size() - 1);
        m_replay = m_checkpoints[k];
        m_published = false;
    }
    while (m_replay.position < events) {
        apply(m_replay.position++);
        m_published = false;
        if (m_replay.position % m_interval == 0 &&
            m_checkpoints.size() == m_replay.position / m_interval)
            m_checkpoints.push_back(m_replay);
    }
    if (!m_published)
        publish();
    return m_state;
}

void RuntimeReplay::apply(std::size_t index)
{
    const Trace& trace = *m_trace;
    const TraceEvent& e = trace.events[index];
    Replay& r = m_replay;
    // Job events carry the job's own start and end, which may lie ahead of or behind the worker.
    if (e.kind != EventKind::JobStart && e.kind != EventKind::JobEnd)
        r.time = std::max(r.time, e.time);
    if (e.task >= r.wokenWhilePolled.size())
        return;
    switch (e.kind) {
    case EventKind::Spawn:
        if (e.task == kMainTask)
            r.mainWoken = true;
        else
            r.runQueue.insert(e.task, e.task);
        break;
    case EventKind::Wake:
        r.deferredYields.erase(e.task);
        r.waiting.erase(e.task);
        if (e.wakeCause() == WakeCause::Timer)
            r.timers.erase(e.aux);
        else if (e.wakeCause() == WakeCause::Io)
            r.io.erase(e.aux);
        if (e.task == kMainTask)
            r.mainWoken = true; // main is never queued, even when woken in its own poll
        else if (r.polling == e.task)
            r.wokenWhilePolled[e.task] = true;
        else
            r.runQueue.insert(e.task, e.task);
        break;
    case EventKind::PollStart:
        if (e.task == kMainTask)
            r.mainWoken = false;
        else
            r.runQueue.erase(e.task);
        r.waiting.erase(e.task);
        r.polling = e.task;
        r.wokenWhilePolled[e.task] = false;
        r.registeredInPoll[e.task] = false;
        break;
    case EventKind::PollEnd:
        r.polling = kNoTask;
        if (e.outcome() == PollOutcome::Pending && r.wokenWhilePolled[e.task] &&
            e.task != kMainTask)
            r.runQueue.insert(e.task, e.task);
        else if (e.outcome() == PollOutcome::Pending && !r.registeredInPoll[e.task] &&
            m_yieldedAt[index])
            r.deferredYields.insert(e.task, e.task);
        break;
    case EventKind::WaitRegistered: {
        r.registeredInPoll[e.task] = true;
        const WaitTarget target = e.waitTarget();
        if (target == WaitTarget::Timer || target == WaitTarget::Io) {
            const TimeNs deadline = trace.tables.resources[e.aux].deadline;
            (target == WaitTarget::Timer ? r.timers : r.io)
                .insert(e.aux, RuntimeState::Pending { e.aux, e.task, deadline }, deadline);
        } else {
            r.waiting.insert(e.task, RuntimeState::Waiter { e.task, target, e.aux });
        }
        break;
    }
    case EventKind::Cancel:
        switch (e.cancelTarget()) {
        case CancelTarget::Timer:
            r.timers.erase(e.aux);
            break;
        case CancelTarget::Io:
            r.io.erase(e.aux);
            break;
        case CancelTarget::Task:
            r.runQueue.erase(e.task);
            r.waiting.erase(e.task);
            break;
        default:
            r.waiting.erase(e.task);
            break;
        }
        break;
    case EventKind::JobStart: {
        const ResourceRecord& job = trace.tables.resources[e.aux];
        r.jobs.insert(
            e.aux, RuntimeState::Job { e.aux, e.task, job.lane, job.created, job.deadline });
        break;
    }
    case EventKind::JobEnd:
        r.jobs.erase(e.aux);
        break;
    case EventKind::Complete:
        r.waiting.erase(e.task);
        break;
    default:
        break;
    }
}

void RuntimeReplay::publish()
{
    const Replay& r = m_replay;
    m_state = RuntimeState {};
    m_state.time = r.time;
    m_state.polling = r.polling;
    m_state.mainWoken = r.mainWoken;
    r.runQueue.appendTo(m_state.runQueue);
    r.deferredYields.appendTo(m_state.deferredYields);
    r.timers.appendTo(m_state.timers);
    r.io.appendTo(m_state.io);
    r.jobs.appendTo(m_state.jobs);
    r.waiting.appendTo(m_state.waiting);
    m_published = true;
}

RuntimeState runtimeStateAt(const Trace& trace, std::size_t events)
{
    // A replay of its own: the trace is borrowed for the call, not shared.
    RuntimeReplay replay(std::shared_ptr<const Trace>(&trace, [](const Trace*) {}),
        std::numeric_limits<std::size_t>::max());
    return replay.stateAt(events);
}

} // namespace pollscope
