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

QString quoted(const QString& name) { return u'`' + name + u'`'; }

QString plural(qsizetype n, const QString& one, const QString& many) { return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? one : many); }

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
};

std::vector<PollRecord> collectPolls(const Trace& trace)
{
    std::vector<PollRecord> polls;
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
            if (open[e.task] != SIZE_MAX && polls[open[e.task]].firstBlock == SIZE_MAX)
                polls[open[e.task]].firstBlock = i;
            break;
        case EventKind::BlockEnd:
            if (open[e.task] != SIZE_MAX && openBlock[e.task] != SIZE_MAX) {
                const TimeNs length = e.time - trace.events[openBlock[e.task]].time;
                (e.blockKind() == BlockKind::Block ? polls[open[e.task]].blocked : polls[open[e.task]].computed) += length;
            }
            break;
        default:
            break;
        }
    }
    return polls;
}

/// Blocking polls: who was ready to run (woken and queued) or due (a timer or I/O that came
/// due) while the worker was held, and for how long.
void blockingPolls(const Trace& trace, const std::vector<PollRecord>& polls, TimeNs threshold, std::vector<Diagnostic>& out)
{
    const std::size_t taskCount = trace.tables.tasks.size();
    // When each task became runnable, replayed alongside the polls.
    std::vector<TimeNs> runnableSince(taskCount, kNever);
    std::vector<bool> polling(taskCount, false);
    std::size_t next = 0;
    for (const PollRecord& poll : polls) {
        // Replay up to this poll's end.
        for (; next <= poll.end && next < trace.events.size(); ++next) {
            const TraceEvent& e = trace.events[next];
            if (e.task >= taskCount)
                continue;
            if ((e.kind == EventKind::Spawn || e.kind == EventKind::Wake) && !polling[e.task] && runnableSince[e.task] == kNever)
                runnableSince[e.task] = e.time;
            if (e.kind == EventKind::PollStart) {
                polling[e.task] = true;
                runnableSince[e.task] = kNever;
            }
            if (e.kind == EventKind::PollEnd)
                polling[e.task] = false;
        }
        if (poll.endTime - poll.startTime < threshold)
            continue;
        QSet<TaskId> waiting;
        TimeNs waited = 0;
        for (TaskId task = 0; task < taskCount; ++task) {
            if (task == poll.task || runnableSince[task] == kNever || runnableSince[task] >= poll.endTime)
                continue;
            waiting.insert(task);
            waited += poll.endTime - std::max(runnableSince[task], poll.startTime);
        }
        for (ResourceId r = 0; r < trace.tables.resources.size(); ++r) {
            const ResourceRecord& record = trace.tables.resources[r];
            const bool timed = record.kind == ResourceKind::Timer || record.kind == ResourceKind::Io;
            if (!timed || record.task == poll.task || waiting.contains(record.task))
                continue;
            if (record.deadline >= poll.startTime && record.deadline < poll.endTime && record.created < poll.startTime) {
                waiting.insert(record.task);
                waited += poll.endTime - record.deadline;
            }
        }
        if (waiting.isEmpty())
            continue;
        const bool compute = poll.computed > poll.blocked;
        QString what = u"in one poll"_qs;
        if (poll.firstBlock != SIZE_MAX) {
            const TraceEvent& first = trace.events[poll.firstBlock];
            what = QStringLiteral("in one poll (%1 %2)").arg(first.blockKind() == BlockKind::Block ? u"block"_qs : u"compute"_qs,
                                                              quoted(trace.string(first.aux)));
        }
        const QString fix = compute ? u"split the work with yield_now().await between pieces, or move it to spawn_blocking"_qs
                                    : u"move the blocking call to spawn_blocking(...).await, or use its async version"_qs;
        out.push_back(Diagnostic {
            DiagnosticKind::BlockingPoll, poll.task, poll.startTime,
            poll.firstBlock != SIZE_MAX ? trace.events[poll.firstBlock].span : trace.events[poll.end].span,
            poll.firstBlock != SIZE_MAX ? poll.firstBlock : poll.start,
            QStringLiteral("%1 held the worker for %2 %3 while %4 waited %5 in all; %6.")
                .arg(quoted(trace.taskName(poll.task)), formatTime(poll.endTime - poll.startTime), what,
                     plural(waiting.size(), u"other task"_qs, u"other tasks"_qs), formatTime(waited), fix) });
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

void starvation(const Trace& trace, const std::vector<PollRecord>& polls, TimeNs threshold, std::vector<Diagnostic>& out)
{
    // One pass over the events finds each task's longest wait between becoming runnable (a
    // spawn, a wake, or a wake during its own poll, counted from that poll's end) and its poll.
    struct Wait {
        TimeNs since = kNever;
        bool inPoll = false;
        bool wokenInPoll = false;
        TimeNs longest = -1;
        TimeNs start = 0;
        std::size_t poll = SIZE_MAX; ///< PollStart event that ended the longest wait
    };
    std::vector<Wait> waits(trace.tables.tasks.size());
    for (std::size_t i = 0; i < trace.events.size(); ++i) {
        const TraceEvent& e = trace.events[i];
        if (e.task >= waits.size())
            continue;
        Wait& w = waits[e.task];
        if ((e.kind == EventKind::Spawn || e.kind == EventKind::Wake) && w.since == kNever) {
            if (w.inPoll)
                w.wokenInPoll = true;
            else
                w.since = e.time;
        } else if (e.kind == EventKind::PollStart) {
            if (w.since != kNever && e.time - w.since > w.longest) {
                w.longest = e.time - w.since;
                w.start = w.since;
                w.poll = i;
            }
            w.since = kNever;
            w.inPoll = true;
        } else if (e.kind == EventKind::PollEnd) {
            w.inPoll = false;
            if (w.wokenInPoll)
                w.since = e.time;
            w.wokenInPoll = false;
        }
    }

    // Polls are in event order and one worker runs them one at a time, so they are sorted by
    // start and by end time.
    const auto startingAt = [&](std::size_t event) {
        return std::lower_bound(polls.begin(), polls.end(), event, [](const PollRecord& p, std::size_t e) { return p.start < e; });
    };
    const RunMetrics metrics = computeMetrics(trace);
    for (const TaskMetrics& m : metrics.tasks) {
        const Wait& w = waits[m.task];
        if (m.scheduled < threshold || w.poll == SIZE_MAX)
            continue;
        const auto after = startingAt(w.poll);
        if (after == polls.end() || after->start != w.poll)
            continue;
        const TimeNs longest = w.longest;
        const TimeNs waitStart = w.start;
        // The poll that held the worker longest during the wait names the cause.
        const PollRecord* culprit = nullptr;
        auto first = std::partition_point(polls.begin(), after, [&](const PollRecord& p) { return p.endTime <= waitStart; });
        for (auto poll = first; poll != after; ++poll) {
            if (poll->task == m.task || poll->startTime >= after->startTime)
                continue;
            if (!culprit || poll->endTime - poll->startTime > culprit->endTime - culprit->startTime)
                culprit = &*poll;
        }
        const QString cause = culprit && culprit->endTime - culprit->startTime > longest / 2
            ? QStringLiteral(", mostly while %1's poll held the worker for %2").arg(quoted(trace.taskName(culprit->task)),
                                                                                  formatTime(culprit->endTime - culprit->startTime))
            : QString();
        out.push_back(Diagnostic {
            DiagnosticKind::Starvation, m.task, waitStart, trace.events[after->start].span, after->start,
            QStringLiteral("%1 spent %2 in the run queue, ready but not polled (longest wait %3 from %4%5); "
                           "keep every poll short so the worker gets back to it.")
                .arg(quoted(trace.taskName(m.task)), formatTime(m.scheduled), formatTime(longest), formatTime(waitStart), cause) });
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
            if (e.waitTarget() == WaitTarget::Timer || e.waitTarget() == WaitTarget::Io || e.waitTarget() == WaitTarget::Job)
                live.insert(e.aux);
            break;
        case EventKind::Wake:
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
    auto stuck = [&](TaskId task) {
        if (finished[task] || pendingTimer[task] || lastWait[task] == SIZE_MAX)
            return false;
        const TraceEvent& wait = trace.events[lastWait[task]];
        if (wait.waitTarget() == WaitTarget::Task)
            return wait.aux < taskCount && !finished[wait.aux];
        return wait.waitTarget() == WaitTarget::ChannelSend || wait.waitTarget() == WaitTarget::ChannelRecv;
    };
    const bool deadlocked = trace.report.status == RunStatus::Deadlock;
    for (TaskId task = 0; task < taskCount; ++task) {
        if (!stuck(task))
            continue;
        // After a completed run, only a task that nobody left could ever wake is worth a word.
        if (!deadlocked) {
            bool anyoneLeft = false;
            for (TaskId other = 0; other < taskCount; ++other)
                anyoneLeft = anyoneLeft || (other != task && !finished[other] && !stuck(other));
            if (anyoneLeft)
                continue;
        }
        const TraceEvent& wait = trace.events[lastWait[task]];
        QString what;
        switch (wait.waitTarget()) {
        case WaitTarget::Task:
            what = QStringLiteral("the handle of %1, which never finishes").arg(quoted(trace.taskName(wait.aux)));
            break;
        case WaitTarget::ChannelRecv:
            what = QStringLiteral("a value on channel %1 that nobody sends or closes").arg(quoted(trace.string(trace.tables.resources[wait.aux].label)));
            break;
        default:
            what = QStringLiteral("room on channel %1 that nobody makes").arg(quoted(trace.string(trace.tables.resources[wait.aux].label)));
            break;
        }
        const std::size_t at = lastPollEnd[task] != SIZE_MAX ? lastPollEnd[task] : lastWait[task];
        out.push_back(Diagnostic { DiagnosticKind::Deadlock, task, trace.events[at].time, wait.span, at,
                                   QStringLiteral("%1 is left Pending forever, waiting for %2: nothing can wake it; %3.")
                                       .arg(quoted(trace.taskName(task)), what,
                                            wait.waitTarget() == WaitTarget::Task ? u"make sure the awaited task can finish"_qs
                                                                                  : u"close the channel when the last value is sent, or send what the receiver waits for"_qs) });
    }
}

void selfWakeStorms(const Trace& trace, int threshold, std::vector<Diagnostic>& out)
{
    const std::size_t taskCount = trace.tables.tasks.size();
    std::vector<int> streak(taskCount, 0);
    std::vector<std::size_t> streakStart(taskCount, 0);
    std::vector<bool> reported(taskCount, false);
    std::vector<bool> waitedInPoll(taskCount, false);
    for (std::size_t i = 0; i < trace.events.size(); ++i) {
        const TraceEvent& e = trace.events[i];
        if (e.task >= taskCount || reported[e.task])
            continue;
        if (e.kind == EventKind::PollStart) {
            waitedInPoll[e.task] = false;
        } else if (e.kind == EventKind::WaitRegistered) {
            waitedInPoll[e.task] = true;
            streak[e.task] = 0;
        } else if (e.kind == EventKind::Wake) {
            const bool self = e.wakeCause() == WakeCause::Yield || e.wakeCause() == WakeCause::Budget;
            if (!self) {
                streak[e.task] = 0;
                continue;
            }
            if (streak[e.task]++ == 0)
                streakStart[e.task] = i;
            if (streak[e.task] >= threshold) {
                reported[e.task] = true;
                const TraceEvent& first = trace.events[streakStart[e.task]];
                out.push_back(Diagnostic { DiagnosticKind::SelfWakeStorm, e.task, first.time, first.span, streakStart[e.task],
                                           QStringLiteral("%1 woke itself %2 times in a row (yield_now) without waiting on I/O, "
                                                          "a timer or another task: a busy loop that keeps the worker spinning; "
                                                          "await the thing it is waiting for instead.")
                                               .arg(quoted(trace.taskName(e.task)))
                                               .arg(threshold) });
            }
        }
    }
}

void sequentialAwaits(const Trace& trace, const script::Program& program, std::vector<Diagnostic>& out)
{
    for (const script::SequentialLoop& loop : program.sequentialLoops) {
        // Measure the fix: the same scenario with this loop spawning its calls first.
        CompileOptions options { program.info.variant, { loop.line } };
        const CompileResult spawned = compileScenario(program.source.text(), program.source.fileName(), options);
        if (!spawned.ok())
            continue;
        const Trace fixed = runScenario(*spawned.program);
        if (fixed.report.status != RunStatus::Completed || fixed.report.elapsed * 10 > trace.report.elapsed * 8)
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
        out.push_back(Diagnostic {
            DiagnosticKind::SequentialAwaits, task, event.time, loop.span, at,
            QStringLiteral("the loop at line %1 awaits each %2(...) before starting the next: the run takes %3; spawning "
                           "them first (collect spawn %2(...) handles, then await them) takes %4, %5× sooner (measured).")
                .arg(loop.line)
                .arg(loop.callee, formatTime(trace.report.elapsed), formatTime(fixed.report.elapsed),
                     QString::number(double(trace.report.elapsed) / double(std::max<TimeNs>(1, fixed.report.elapsed)), 'f', 1)) });
    }
}

} // namespace

std::vector<Diagnostic> diagnose(const Trace& trace, const script::Program* program)
{
    const script::AnalysisSettings settings = program ? program->info.analysis : script::AnalysisSettings {};
    std::vector<Diagnostic> found;
    const std::vector<PollRecord> polls = collectPolls(trace);
    blockingPolls(trace, polls, settings.blockingThreshold, found);
    neverPolled(trace, found);
    if (program && trace.report.status == RunStatus::Completed)
        sequentialAwaits(trace, *program, found);
    starvation(trace, polls, settings.starvationThreshold, found);
    deadlocks(trace, found);
    selfWakeStorms(trace, settings.selfWakeThreshold, found);
    std::stable_sort(found.begin(), found.end(), [](const Diagnostic& a, const Diagnostic& b) { return a.event < b.event; });
    return found;
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
                         span.isValid() ? QStringLiteral(", line %1").arg(span.line) : QString(), d.message);
    }
    return text;
}

} // namespace pollscope
