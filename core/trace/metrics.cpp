#include "trace/metrics.h"

#include <algorithm>

namespace pollscope {

RunMetrics computeMetrics(const Trace& trace)
{
    RunMetrics metrics;
    metrics.elapsed = trace.report.elapsed;
    const std::size_t taskCount = trace.tables.tasks.size();
    metrics.tasks.resize(taskCount);

    // Per task: when it last became runnable (kNever: not runnable), whether a poll is open.
    struct Cursor {
        TimeNs runnableSince = kNever;
        TimeNs pollStart = kNever;
        bool wokenWhilePolled = false;
    };
    std::vector<Cursor> cursors(taskCount);
    for (TaskId task = 0; task < taskCount; ++task)
        metrics.tasks[task].task = task;

    for (const TraceEvent& event : trace.events) {
        if (event.task >= taskCount)
            continue;
        TaskMetrics& m = metrics.tasks[event.task];
        Cursor& c = cursors[event.task];
        switch (event.kind) {
        case EventKind::Spawn:
            m.spawned = event.time;
            c.runnableSince = event.time;
            break;
        case EventKind::Wake:
            if (c.pollStart != kNever)
                c.wokenWhilePolled = true;
            else if (c.runnableSince == kNever)
                c.runnableSince = event.time;
            break;
        case EventKind::PollStart:
            if (c.runnableSince != kNever) {
                const TimeNs wait = event.time - c.runnableSince;
                m.scheduled += wait;
                m.longestWait = std::max(m.longestWait, wait);
            }
            c.runnableSince = kNever;
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
                c.runnableSince = kNever;
            }
            break;
        default:
            break;
        }
    }
    for (TaskMetrics& m : metrics.tasks) {
        const TimeNs end = m.ended != kNever ? m.ended : metrics.elapsed;
        m.idle = std::max<TimeNs>(0, end - m.spawned - m.busy - m.scheduled);
    }
    return metrics;
}

} // namespace pollscope
