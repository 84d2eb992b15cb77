#include "trace/metrics.h"

#include <algorithm>

namespace pollscope {

RunMetrics computeMetrics(const Trace& trace)
{
    MetricsAccumulator accumulator(trace);
    accumulator.advanceTo(trace.events.size());
    return accumulator.metricsAt(trace.report.elapsed);
}

MetricsAccumulator::MetricsAccumulator(const Trace& trace)
    : m_trace(trace)
{
}

void MetricsAccumulator::advanceTo(std::size_t eventCount)
{
    eventCount = std::min(eventCount, m_trace.events.size());
    const std::size_t taskCount = m_trace.tables.tasks.size();
    if (eventCount < m_next || m_tasks.empty()) {
        m_next = 0;
        m_taskCount = 0;
        m_tasks.assign(taskCount, TaskMetrics {});
        m_states.assign(taskCount, TaskState {});
        for (TaskId task = 0; task < taskCount; ++task)
            m_tasks[task].task = task;
    }
    for (; m_next < eventCount; ++m_next) {
        const TraceEvent& event = m_trace.events[m_next];
        if (event.task >= taskCount)
            continue;
        m_taskCount = std::max<std::size_t>(m_taskCount, event.task + 1);
        TaskMetrics& m = m_tasks[event.task];
        TaskState& c = m_states[event.task];
        switch (event.kind) {
        case EventKind::Spawn:
            m.spawned = event.time;
            c.runnableSince = event.time;
            break;
        case EventKind::WaitRegistered:
            if (event.waitTarget() == WaitTarget::Timer || event.waitTarget() == WaitTarget::Io)
                c.dueWaits.push_back(event.aux);
            break;
        case EventKind::Wake: {
            // Late, as the timeline's late band: the timer or I/O that woke the task came after
            // its deadline.
            const bool timed =
                event.wakeCause() == WakeCause::Timer || event.wakeCause() == WakeCause::Io;
            if (c.pendingSince != kNever) {
                const TimeNs due = m_trace.lateWakeDeadline(event);
                c.lateBeforeWake =
                    due < event.time ? event.time - std::max(due, c.pendingSince) : 0;
                m.late += c.lateBeforeWake;
                c.pendingSince = kNever;
            }
            if (timed)
                std::erase(c.dueWaits, event.aux);
            if (c.pollStart != kNever)
                c.wokenWhilePolled = true;
            else if (c.runnableSince == kNever)
                c.runnableSince = event.time;
            break;
        }
        case EventKind::PollStart:
            // Waits due by now have fired, or will fire without a wake of their own (the task
            // is already awake): they no longer make a later Pending stretch late.
            std::erase_if(c.dueWaits, [&](ResourceId r) { return deadline(r) <= event.time; });
            if (c.runnableSince != kNever) {
                const TimeNs wait = event.time - c.runnableSince;
                m.scheduled += wait;
                m.longestStall = std::max(m.longestStall, c.lateBeforeWake + wait);
            }
            c.runnableSince = kNever;
            c.lateBeforeWake = 0;
            c.pollStart = event.time;
            if (m.firstPoll == kNever)
                m.firstPoll = event.time;
            m.lastPoll = event.time;
            break;
        case EventKind::PollEnd: {
            const TimeNs length = event.time - c.pollStart;
            m.busy += length;
            m.longestPoll = std::max(m.longestPoll, length);
            if (event.outcome() == PollOutcome::Ready)
                ++m.readyPolls;
            else
                ++m.pendingPolls;
            if (c.wokenWhilePolled)
                c.runnableSince = event.time;
            else if (event.outcome() == PollOutcome::Pending)
                c.pendingSince = event.time;
            c.pollStart = kNever;
            c.wokenWhilePolled = false;
            break;
        }
        case EventKind::Complete:
            m.completed = true;
            m.failed = event.completion() == CompletionStatus::Failed;
            m.ended = event.time;
            break;
        case EventKind::Cancel:
            if (event.cancelTarget() == CancelTarget::Task) {
                m.cancelled = true;
                m.ended = event.time;
                if (c.runnableSince != kNever)
                    m.scheduled += event.time - c.runnableSince;
                c.runnableSince = c.pendingSince = kNever;
            } else if (event.cancelTarget() == CancelTarget::Timer ||
                event.cancelTarget() == CancelTarget::Io) {
                std::erase(c.dueWaits, event.aux);
            }
            break;
        default:
            break;
        }
    }
}

RunMetrics MetricsAccumulator::metricsAt(TimeNs until) const
{
    RunMetrics metrics;
    metrics.elapsed = until;
    metrics.tasks.assign(m_tasks.begin(), m_tasks.begin() + std::ptrdiff_t(m_taskCount));
    for (TaskMetrics& m : metrics.tasks) {
        const TaskState& c = m_states[m.task];
        if (m.ended == kNever) {
            if (c.pollStart != kNever)
                m.busy += until - c.pollStart;
            else if (c.runnableSince != kNever)
                m.scheduled += until - c.runnableSince;
            else if (c.pendingSince != kNever)
                m.late += lateUntil(c, until);
        }
        const TimeNs end = m.ended != kNever ? m.ended : until;
        m.idle = std::max<TimeNs>(0, end - m.spawned - m.busy - m.scheduled - m.late);
    }
    return metrics;
}

TimeNs MetricsAccumulator::deadline(ResourceId resource) const
{
    return resource < m_trace.tables.resources.size() ? m_trace.tables.resources[resource].deadline
                                                      : kNever;
}

TimeNs MetricsAccumulator::lateUntil(const TaskState& c, TimeNs until) const
{
    TimeNs due = kNever;
    for (const ResourceId resource : c.dueWaits)
        due = std::min(due, deadline(resource));
    return until - due > m_trace.lateTolerance() ? until - std::max(due, c.pendingSince) : 0;
}

} // namespace pollscope
