#include "analysis/diagnostics.h"

#include "analysis/summary.h"
#include "script/compiler.h"
#include "script/interpreter.h"
#include "trace/metrics.h"

#include <QJsonObject>
#include <QSet>

#include <algorithm>

namespace pollscope {

QString diagnosticKindName(DiagnosticKind kind)
{
    switch (kind) {
    case DiagnosticKind::BlockingPoll:
        return u"blocking_poll"_qs;
    case DiagnosticKind::NeverPolled:
        return u"never_polled"_qs;
    case DiagnosticKind::SequentialAwaits:
        return u"sequential_awaits"_qs;
    case DiagnosticKind::Starvation:
        return u"starvation"_qs;
    case DiagnosticKind::Deadlock:
        return u"deadlock"_qs;
    case DiagnosticKind::SelfWakeStorm:
        return u"self_wake_storm"_qs;
    }
    return QString();
}

QString diagnosticTitle(DiagnosticKind kind)
{
    switch (kind) {
    case DiagnosticKind::BlockingPoll:
        return QStringLiteral("Blocking poll");
    case DiagnosticKind::NeverPolled:
        return QStringLiteral("Never polled");
    case DiagnosticKind::SequentialAwaits:
        return QStringLiteral("Sequential awaits");
    case DiagnosticKind::Starvation:
        return QStringLiteral("Starvation");
    case DiagnosticKind::Deadlock:
        return QStringLiteral("Lost wake / deadlock");
    case DiagnosticKind::SelfWakeStorm:
        return QStringLiteral("Self-wake storm");
    }
    return QString();
}

namespace {

QString quoted(const QString& name)
{
    return u'`' + name + u'`';
}

QString plural(qsizetype n, const QString& one, const QString& many)
{
    return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? one : many);
}

/// One pass over the trace that the checks share: polls with their blocking sections, and
/// when each task became runnable.
struct PollRecord {
    TaskId task;
    std::size_t start; ///< event index of PollStart
    std::size_t end; ///< event index of PollEnd
    TimeNs startTime;
    TimeNs endTime;
    TimeNs blocked = 0; ///< inside block(...)
    TimeNs computed = 0; ///< inside compute(...)
    std::size_t firstBlock = SIZE_MAX; ///< event index of the first block/compute in it
    int blockCalls = 0;
    int computeCalls = 0;
};

BulkVector<PollRecord> collectPolls(const Trace& trace)
{
    BulkVector<PollRecord> polls;
    std::vector<std::size_t> open(trace.tables.tasks.size(), SIZE_MAX);
    std::vector<std::size_t> openBlock(trace.tables.tasks.size(), SIZE_MAX);
    for (std::size_t i = 0; i < trace.events.size(); ++i) {
        const TraceEvent& e = trace.events[i];
        if (e.task >= open.size())
            continue;
        switch (e.kind) {
        case EventKind::PollStart:
            open[e.task] = polls.size();
            polls.push_back(PollRecord { e.task, i, i, e.time, e.time });
            break;
        case EventKind::PollEnd:
            if (open[e.task] != SIZE_MAX) {
                polls[open[e.task]].end = i;
                polls[open[e.task]].endTime = e.time;
                open[e.task] = SIZE_MAX;
            }
            break;
        case EventKind::BlockStart:
            openBlock[e.task] = i;
            if (open[e.task] != SIZE_MAX) {
                PollRecord& poll = polls[open[e.task]];
                if (poll.firstBlock == SIZE_MAX)
                    poll.firstBlock = i;
                if (e.blockKind() == BlockKind::Block)
                    ++poll.blockCalls;
                else
                    ++poll.computeCalls;
            }
            break;
        case EventKind::BlockEnd:
            if (open[e.task] != SIZE_MAX && openBlock[e.task] != SIZE_MAX) {
                const TimeNs length = e.time - trace.events[openBlock[e.task]].time;
                (e.blockKind() == BlockKind::Block ? polls[open[e.task]].blocked
                                                   : polls[open[e.task]].computed) += length;
            }
            break;
        default:
            break;
        }
    }
    return polls;
}

/// Counts and sums of times, indexed by rank among a fixed set of times (a Fenwick tree):
/// how many of the inserted times lie below a bound, and their sum, in O(log n).
class TimeTally {
public:
    explicit TimeTally(std::vector<TimeNs> times)
        : m_times(std::move(times))
    {
        std::sort(m_times.begin(), m_times.end());
        m_times.erase(std::unique(m_times.begin(), m_times.end()), m_times.end());
        m_count.assign(m_times.size() + 1, 0);
        m_sum.assign(m_times.size() + 1, 0);
    }

    /// `time` must be one of the times given to the constructor.
    void add(TimeNs time, int sign)
    {
        const auto rank =
            std::size_t(std::lower_bound(m_times.begin(), m_times.end(), time) - m_times.begin());
        for (std::size_t i = rank + 1; i < m_count.size(); i += i & -i) {
            m_count[i] += sign;
            m_sum[i] += sign * time;
        }
    }

    /// How many inserted times lie before `bound`, and their sum.
    std::pair<qsizetype, TimeNs> below(TimeNs bound) const
    {
        qsizetype count = 0;
        TimeNs sum = 0;
        for (auto i = std::size_t(
                 std::lower_bound(m_times.begin(), m_times.end(), bound) - m_times.begin());
             i > 0; i -= i & -i) {
            count += m_count[i];
            sum += m_sum[i];
        }
        return { count, sum };
    }

private:
    std::vector<TimeNs> m_times;
    std::vector<qsizetype> m_count;
    std::vector<TimeNs> m_sum;
};

/// Blocking polls: who was ready to run (woken and queued) or due (a timer or I/O that came
/// due and was not cancelled) while the worker was held, and for how long.
///
/// One pass: the tasks runnable at a poll's end are tallied by the time they became runnable,
/// so a long poll costs O(log n) for them however many there are; the timed resources are
/// sorted by deadline, and as polls do not overlap, each is looked at for one poll at most.
void blockingPolls(const Trace& trace, const BulkVector<PollRecord>& polls, TimeNs threshold,
    std::vector<Diagnostic>& out)
{
    const std::size_t taskCount = trace.tables.tasks.size();
    const auto& resources = trace.tables.resources;
    std::vector<TimeNs> wakeTimes;
    std::vector<std::size_t> cancelledAt(
        resources.size(), SIZE_MAX); ///< first Cancel of each resource
    for (std::size_t i = 0; i < trace.events.size(); ++i) {
        const TraceEvent& e = trace.events[i];
        if (e.kind == EventKind::Spawn || e.kind == EventKind::Wake)
            wakeTimes.push_back(e.time);
        const bool cancelsResource = e.kind == EventKind::Cancel &&
            (e.cancelTarget() == CancelTarget::Timer || e.cancelTarget() == CancelTarget::Io);
        if (cancelsResource && e.aux < resources.size() && cancelledAt[e.aux] == SIZE_MAX)
            cancelledAt[e.aux] = i;
    }
    std::vector<ResourceId> timed;
    for (ResourceId r = 0; r < resources.size(); ++r)
        if ((resources[r].kind == ResourceKind::Timer || resources[r].kind == ResourceKind::Io) &&
            resources[r].task < taskCount)
            timed.push_back(r);
    std::stable_sort(timed.begin(), timed.end(),
        [&](ResourceId a, ResourceId b) { return resources[a].deadline < resources[b].deadline; });

    // When each task became runnable, replayed alongside the polls.
    TimeTally runnable(std::move(wakeTimes));
    std::vector<TimeNs> runnableSince(taskCount, kNever);
    std::vector<bool> polling(taskCount, false);
    std::vector<std::size_t> countedFor(
        taskCount, SIZE_MAX); ///< the poll a due resource last counted its task for
    std::size_t next = 0;
    for (std::size_t p = 0; p < polls.size(); ++p) {
        const PollRecord& poll = polls[p];
        // Replay up to this poll's end.
        for (; next <= poll.end && next < trace.events.size(); ++next) {
            const TraceEvent& e = trace.events[next];
            if (e.task >= taskCount)
                continue;
            if ((e.kind == EventKind::Spawn || e.kind == EventKind::Wake) && !polling[e.task] &&
                runnableSince[e.task] == kNever) {
                runnableSince[e.task] = e.time;
                runnable.add(e.time, 1);
            }
            if (e.kind == EventKind::PollStart) {
                polling[e.task] = true;
                if (runnableSince[e.task] != kNever)
                    runnable.add(runnableSince[e.task], -1);
                runnableSince[e.task] = kNever;
            }
            if (e.kind == EventKind::PollEnd)
                polling[e.task] = false;
        }
        if (poll.endTime - poll.startTime < threshold)
            continue;
        // Runnable before the poll started: waited all of it; since a time during it: from then.
        // The polled task itself is never runnable here (a wake during its poll counts after it).
        const auto [before, beforeSum] = runnable.below(poll.startTime);
        const auto [untilEnd, untilEndSum] = runnable.below(poll.endTime);
        qsizetype waiting = untilEnd;
        TimeNs waited = TimeNs(before) * (poll.endTime - poll.startTime) +
            TimeNs(untilEnd - before) * poll.endTime - (untilEndSum - beforeSum);
        const auto isRunnable = [&](TaskId task) {
            return runnableSince[task] != kNever && runnableSince[task] < poll.endTime;
        };
        for (auto it = std::lower_bound(timed.begin(), timed.end(), poll.startTime,
                 [&](ResourceId r, TimeNs t) { return resources[r].deadline < t; });
             it != timed.end() && resources[*it].deadline < poll.endTime; ++it) {
            const ResourceRecord& record = resources[*it];
            if (record.task == poll.task || record.created >= poll.startTime ||
                cancelledAt[*it] < poll.start || isRunnable(record.task) ||
                countedFor[record.task] == p)
                continue;
            countedFor[record.task] = p;
            ++waiting;
            waited += poll.endTime - record.deadline;
        }
        if (waiting == 0)
            continue;
        const bool compute = poll.computed > poll.blocked;
        // The call that did it, or how many calls there were: a poll of four 50 ms reads did
        // not make one read of 200 ms.
        QString what = u"in one poll"_qs;
        if (poll.firstBlock != SIZE_MAX) {
            const TraceEvent& first = trace.events[poll.firstBlock];
            const QString firstCall = quoted(trace.string(first.aux));
            if (poll.blockCalls + poll.computeCalls == 1) {
                what = QStringLiteral("in one poll (%1 %2)")
                           .arg(first.blockKind() == BlockKind::Block ? u"block"_qs : u"compute"_qs,
                               firstCall);
            } else {
                QStringList calls;
                if (poll.blockCalls > 0)
                    calls << QStringLiteral("%1 block").arg(poll.blockCalls);
                if (poll.computeCalls > 0)
                    calls << QStringLiteral("%1 compute").arg(poll.computeCalls);
                what = QStringLiteral("in one poll (%1 calls, the first %2)")
                           .arg(calls.join(u" and "_qs), firstCall);
            }
        }
        const QString fix = compute
            ? u"split the work with yield_now().await between pieces, or move it to spawn_blocking"_qs
            : u"move the blocking call to spawn_blocking(...).await, or use its async version"_qs;
        out.push_back(Diagnostic { DiagnosticKind::BlockingPoll, poll.task, poll.startTime,
            poll.firstBlock != SIZE_MAX ? trace.events[poll.firstBlock].span
                                        : trace.events[poll.end].span,
            poll.firstBlock != SIZE_MAX ? poll.firstBlock : poll.start,
            QStringLiteral("%1 held the worker for %2 %3 while %4 waited %5 in all; %6.")
                .arg(quoted(trace.taskName(poll.task)), formatTime(poll.endTime - poll.startTime),
                    what, plural(waiting, u"other task"_qs, u"other tasks"_qs), formatTime(waited),
                    fix) });
    }
}

void neverPolled(const Trace& trace, std::vector<Diagnostic>& out)
{
    for (std::size_t i = 0; i < trace.events.size(); ++i) {
        const TraceEvent& e = trace.events[i];
        if (e.kind != EventKind::Unpolled)
            continue;
        out.push_back(Diagnostic { DiagnosticKind::NeverPolled, e.task, e.time, e.span, i,
            QStringLiteral("%1 was created and dropped without being awaited, so it never ran; "
                           "add .await (or spawn it to run in the background).")
                .arg(quoted(trace.string(e.aux))) });
    }
}

void starvation(const Trace& trace, const BulkVector<PollRecord>& polls, TimeNs threshold,
    std::vector<Diagnostic>& out)
{
    // One pass over the events finds each task's longest wait between becoming runnable (a
    // spawn, a wake, or a wake during its own poll, counted from that poll's end) and its poll.
    struct Wait {
        TimeNs since = kNever;
        std::size_t sinceEvent = 0; ///< the event the current wait began with
        bool inPoll = false;
        bool wokenInPoll = false;
        TimeNs longest = -1;
        TimeNs start = 0;
        std::size_t poll = SIZE_MAX; ///< PollStart event that ended the longest wait
        /// When the first wait that reached the threshold did, and the event it began with:
        /// a task is starved from then on, whichever of its waits is longest.
        TimeNs foundAt = kNever;
        std::size_t foundAfter = 0;
    };
    std::vector<Wait> waits(trace.tables.tasks.size());
    for (std::size_t i = 0; i < trace.events.size(); ++i) {
        const TraceEvent& e = trace.events[i];
        if (e.task >= waits.size())
            continue;
        Wait& w = waits[e.task];
        if ((e.kind == EventKind::Spawn || e.kind == EventKind::Wake) && w.since == kNever) {
            if (w.inPoll) {
                w.wokenInPoll = true;
            } else {
                w.since = e.time;
                w.sinceEvent = i;
            }
        } else if (e.kind == EventKind::PollStart) {
            if (w.since != kNever && e.time - w.since > w.longest) {
                w.longest = e.time - w.since;
                w.start = w.since;
                w.poll = i;
            }
            if (w.since != kNever && e.time - w.since >= threshold && w.foundAt == kNever) {
                w.foundAt = w.since + threshold;
                w.foundAfter = w.sinceEvent;
            }
            w.since = kNever;
            w.inPoll = true;
        } else if (e.kind == EventKind::PollEnd) {
            w.inPoll = false;
            if (w.wokenInPoll) {
                w.since = e.time;
                w.sinceEvent = i;
            }
            w.wokenInPoll = false;
        }
    }

    // Polls are in event order and one worker runs them one at a time, so they are sorted by
    // start and by end time.
    const auto startingAt = [&](std::size_t event) {
        return std::lower_bound(polls.begin(), polls.end(), event,
            [](const PollRecord& p, std::size_t e) { return p.start < e; });
    };
    const RunMetrics metrics = computeMetrics(trace);
    for (const TaskMetrics& m : metrics.tasks) {
        const Wait& w = waits[m.task];
        // One wait that long, not many short ones adding up (a task that yields often).
        if (w.longest < threshold || w.poll == SIZE_MAX)
            continue;
        const auto after = startingAt(w.poll);
        if (after == polls.end() || after->start != w.poll)
            continue;
        const TimeNs longest = w.longest;
        const TimeNs waitStart = w.start;
        // The poll that held the worker longest during the wait names the cause.
        const PollRecord* culprit = nullptr;
        auto first = std::partition_point(
            polls.begin(), after, [&](const PollRecord& p) { return p.endTime <= waitStart; });
        for (auto poll = first; poll != after; ++poll) {
            if (poll->task == m.task || poll->startTime >= after->startTime)
                continue;
            if (!culprit || poll->endTime - poll->startTime > culprit->endTime - culprit->startTime)
                culprit = &*poll;
        }
        const QString cause = culprit && culprit->endTime - culprit->startTime > longest / 2
            ? QStringLiteral(", mostly while %1's poll held the worker for %2")
                  .arg(quoted(trace.taskName(culprit->task)),
                      formatTime(culprit->endTime - culprit->startTime))
            : QString();
        out.push_back(Diagnostic { DiagnosticKind::Starvation, m.task, waitStart,
            trace.events[after->start].span, after->start,
            QStringLiteral("%1 waited %2 in the run queue from %3, ready but not polled%4 (%5 "
                           "in all); keep every poll short so the worker gets back to it.")
                .arg(quoted(trace.taskName(m.task)), formatTime(longest), formatTime(waitStart),
                    cause, formatTime(m.scheduled)),
            // Found as soon as a wait reaches the threshold, not when the longest one ends.
            w.foundAt, w.foundAfter });
    }
}

/// What an unfinished task waits on at the end of the run: its last registration.
void deadlocks(const Trace& trace, std::vector<Diagnostic>& out)
{
    const std::size_t taskCount = trace.tables.tasks.size();
    std::vector<std::size_t> lastWait(taskCount, SIZE_MAX);
    std::vector<bool> finished(taskCount, false);
    std::vector<bool> pendingTimer(taskCount, false);
    std::vector<std::size_t> lastPollEnd(taskCount, SIZE_MAX);
    QSet<ResourceId> live;
    for (std::size_t i = 0; i < trace.events.size(); ++i) {
        const TraceEvent& e = trace.events[i];
        if (e.task >= taskCount)
            continue;
        switch (e.kind) {
        case EventKind::PollStart:
            lastWait[e.task] = SIZE_MAX;
            break;
        case EventKind::PollEnd:
            lastPollEnd[e.task] = i;
            break;
        case EventKind::WaitRegistered:
            lastWait[e.task] = i;
            if (e.waitTarget() == WaitTarget::Timer || e.waitTarget() == WaitTarget::Io ||
                e.waitTarget() == WaitTarget::Job)
                live.insert(e.aux);
            break;
        case EventKind::Wake:
            // Only these causes name a resource in aux (TaskDone names a task, Yield none).
            if (e.wakeCause() == WakeCause::Timer || e.wakeCause() == WakeCause::Io ||
                e.wakeCause() == WakeCause::BlockingJob)
                live.remove(e.aux);
            break;
        case EventKind::Cancel:
            // A dropped sleep or I/O, a dropped await of a job, or a job cut off at shutdown
            // will wake no one.
            if (e.cancelTarget() == CancelTarget::Timer || e.cancelTarget() == CancelTarget::Io ||
                e.cancelTarget() == CancelTarget::JobWait || e.cancelTarget() == CancelTarget::Job)
                live.remove(e.aux);
            break;
        case EventKind::Complete:
            finished[e.task] = true;
            break;
        default:
            break;
        }
    }
    for (ResourceId r : live)
        if (r < trace.tables.resources.size() && trace.tables.resources[r].task < taskCount)
            pendingTimer[trace.tables.resources[r].task] = true;
    // A task is stuck if it waits on something only other stuck or finished tasks could do.
    std::vector<bool> stuck(taskCount, false);
    std::size_t active = 0; ///< unfinished tasks that are not stuck
    for (TaskId task = 0; task < taskCount; ++task) {
        if (finished[task] || pendingTimer[task] || lastWait[task] == SIZE_MAX) {
            active += finished[task] ? 0 : 1;
            continue;
        }
        const TraceEvent& wait = trace.events[lastWait[task]];
        if (wait.waitTarget() == WaitTarget::Task)
            stuck[task] = wait.aux < taskCount && !finished[wait.aux];
        else
            stuck[task] = wait.waitTarget() == WaitTarget::ChannelSend ||
                wait.waitTarget() == WaitTarget::ChannelRecv;
        active += stuck[task] ? 0 : 1;
    }
    const bool deadlocked = trace.report.status == RunStatus::Deadlock;
    for (TaskId task = 0; task < taskCount; ++task) {
        // After a completed run, only a task that nobody left could ever wake is worth a word.
        if (!stuck[task] || (!deadlocked && active > 0))
            continue;
        const TraceEvent& wait = trace.events[lastWait[task]];
        QString what;
        switch (wait.waitTarget()) {
        case WaitTarget::Task:
            what = QStringLiteral("the handle of %1, which never finishes")
                       .arg(quoted(trace.taskName(wait.aux)));
            break;
        case WaitTarget::ChannelRecv:
            what = QStringLiteral("a value on channel %1 that nobody sends or closes")
                       .arg(quoted(trace.string(trace.tables.resources[wait.aux].label)));
            break;
        default:
            what = QStringLiteral("room on channel %1 that nobody makes")
                       .arg(quoted(trace.string(trace.tables.resources[wait.aux].label)));
            break;
        }
        const std::size_t at = lastPollEnd[task] != SIZE_MAX ? lastPollEnd[task] : lastWait[task];
        out.push_back(Diagnostic { DiagnosticKind::Deadlock, task, trace.events[at].time, wait.span,
            at,
            QStringLiteral("%1 is left Pending forever, waiting for %2: nothing can wake it; %3.")
                .arg(quoted(trace.taskName(task)), what,
                    wait.waitTarget() == WaitTarget::Task
                        ? u"make sure the awaited task can finish"_qs
                        : u"close the channel when the last value is sent, or send what the receiver waits for"_qs) });
    }
}

void selfWakeStorms(const Trace& trace, int threshold, std::vector<Diagnostic>& out)
{
    const std::size_t taskCount = trace.tables.tasks.size();
    std::vector<int> streak(taskCount, 0);
    std::vector<std::size_t> streakStart(taskCount, 0);
    std::vector<bool> reported(taskCount, false);
    for (std::size_t i = 0; i < trace.events.size(); ++i) {
        const TraceEvent& e = trace.events[i];
        if (e.task >= taskCount || reported[e.task])
            continue;
        if (e.kind == EventKind::WaitRegistered) {
            streak[e.task] = 0;
        } else if (e.kind == EventKind::Wake) {
            const bool self =
                e.wakeCause() == WakeCause::Yield || e.wakeCause() == WakeCause::Budget;
            if (!self) {
                streak[e.task] = 0;
                continue;
            }
            if (streak[e.task]++ == 0)
                streakStart[e.task] = i;
            if (streak[e.task] >= threshold) {
                reported[e.task] = true;
                const TraceEvent& first = trace.events[streakStart[e.task]];
                out.push_back(Diagnostic { DiagnosticKind::SelfWakeStorm, e.task, first.time,
                    first.span, streakStart[e.task],
                    QStringLiteral(
                        "%1 woke itself %2 times in a row (yield_now) without waiting on I/O, "
                        "a timer or another task: a busy loop that keeps the worker spinning; "
                        "await the thing it is waiting for instead.")
                        .arg(quoted(trace.taskName(e.task)))
                        .arg(threshold) });
            }
        }
    }
}

void sequentialAwaits(
    const Trace& trace, const script::Program& program, std::vector<Diagnostic>& out)
{
    for (const script::SequentialLoop& loop : program.sequentialLoops) {
        // Measure the fix: the same scenario with this loop running its items together.
        CompileOptions options { program.info.variant, { loop.line } };
        const CompileResult spawned =
            compileScenario(program.source.text(), program.source.fileName(), options);
        if (!spawned.ok())
            continue;
        const Trace fixed = runScenario(*spawned.program);
        if (fixed.report.status != RunStatus::Completed ||
            fixed.report.elapsed * 10 > trace.report.elapsed * 8)
            continue;
        // Point at the first wait of the task running the loop: main, or a task of that function.
        TaskId task = kMainTask;
        for (TaskId t = 1; t < trace.tables.tasks.size() && loop.function != u"main"; ++t) {
            if (trace.taskName(t).startsWith(loop.function + u'-')) {
                task = t;
                break;
            }
        }
        std::size_t at = 0;
        for (std::size_t i = 0; i < trace.events.size(); ++i) {
            if (trace.events[i].kind == EventKind::WaitRegistered && trace.events[i].task == task) {
                at = i;
                break;
            }
        }
        const TraceEvent& event = trace.events[at];
        // The fix that was measured: an async fn's calls spawned, leaf futures joined.
        const QString fix = loop.leafFuture
            ? QStringLiteral("awaiting them together (collect the %1(...) futures in a list, "
                             "then join(list).await)")
                  .arg(loop.callee)
            : QStringLiteral("spawning them first (collect spawn %1(...) handles, then await "
                             "them)")
                  .arg(loop.callee);
        out.push_back(Diagnostic { DiagnosticKind::SequentialAwaits, task, event.time, loop.span,
            at,
            QStringLiteral("the loop at line %1 awaits each %2(...) before starting the next: the "
                           "run takes %3; %4 takes %5, %6× sooner (measured).")
                .arg(QString::number(loop.line), loop.callee, formatTime(trace.report.elapsed), fix,
                    formatTime(fixed.report.elapsed),
                    QString::number(double(trace.report.elapsed) /
                            double(std::max<TimeNs>(1, fixed.report.elapsed)),
                        'f', 1)) });
    }
}

} // namespace

std::vector<Diagnostic> diagnose(const Trace& trace, const script::Program* program)
{
    const script::AnalysisSettings settings =
        program ? program->info.analysis : script::AnalysisSettings {};
    std::vector<Diagnostic> found;
    const BulkVector<PollRecord> polls = collectPolls(trace);
    blockingPolls(trace, polls, settings.blockingThreshold, found);
    neverPolled(trace, found);
    if (program && trace.report.status == RunStatus::Completed)
        sequentialAwaits(trace, *program, found);
    starvation(trace, polls, settings.starvationThreshold, found);
    deadlocks(trace, found);
    selfWakeStorms(trace, settings.selfWakeThreshold, found);
    std::stable_sort(found.begin(), found.end(),
        [](const Diagnostic& a, const Diagnostic& b) { return a.event < b.event; });
    return found;
}

bool isFound(const Diagnostic& d, std::size_t eventLimit, TimeNs cursorTime)
{
    if (d.event < eventLimit)
        return true;
    return d.foundAt != kNever && d.foundAfter < eventLimit && d.foundAt <= cursorTime;
}

QJsonArray diagnosticsJson(const Trace& trace, const std::vector<Diagnostic>& diagnostics)
{
    QJsonArray array;
    for (const Diagnostic& d : diagnostics) {
        const SourceSpan& span = trace.span(d.span);
        array.append(QJsonObject {
            { u"kind"_qs, diagnosticKindName(d.kind) },
            { u"task"_qs, trace.taskName(d.task) },
            { u"line"_qs, span.isValid() ? QJsonValue(span.line) : QJsonValue() },
            { u"t_us"_qs, double(d.time) / 1000.0 },
            { u"message"_qs, d.message },
        });
    }
    return array;
}

QString diagnosticsText(const Trace& trace, const std::vector<Diagnostic>& diagnostics)
{
    QString text;
    for (const Diagnostic& d : diagnostics) {
        const SourceSpan& span = trace.span(d.span);
        text += QStringLiteral("%1 at %2%3: %4\n")
                    .arg(diagnosticKindName(d.kind).replace(u'_', u' '), formatTime(d.time),
                        span.isValid() ? QStringLiteral(", line %1").arg(span.line) : QString(),
                        d.message);
    }
    return text;
}

} // namespace pollscope
