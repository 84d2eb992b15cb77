#include "analysis/narration.h"

#include <QStringList>

#include <algorithm>

namespace pollscope {

namespace {

/// At most this many things a Pending poll waits on are named; the rest are counted.
constexpr int kMaxNamedWaits = 3;

QString resourceLabel(const Trace& trace, std::uint32_t resource)
{
    if (resource >= trace.tables.resources.size())
        return QString();
    return trace.string(trace.tables.resources[resource].label);
}

TimeNs resourceDeadline(const Trace& trace, std::uint32_t resource)
{
    if (resource >= trace.tables.resources.size())
        return kNever;
    return trace.tables.resources[resource].deadline;
}

/// What one WaitRegistered event waits on, as a noun phrase ("a timer due at 80 ms").
/// `alone`: the only thing the poll waits on, which reads better with a comma.
QString waitNoun(const Trace& trace, const TraceEvent& wait, bool alone)
{
    const auto due = [&](const QString& what, const QString& verb) {
        const TimeNs deadline = resourceDeadline(trace, wait.aux);
        if (deadline == kNever)
            return what;
        const QString time = formatExactTime(deadline, trace.timeResolution());
        return alone ? QStringLiteral("%1, %2 at %3").arg(what, verb, time)
                     : QStringLiteral("%1 (%2 at %3)").arg(what, verb, time);
    };
    switch (wait.waitTarget()) {
    case WaitTarget::Timer:
        return QStringLiteral("a timer due at %1")
            .arg(formatExactTime(resourceDeadline(trace, wait.aux), trace.timeResolution()));
    case WaitTarget::Io: {
        const QString label = resourceLabel(trace, wait.aux);
        return due(label.isEmpty() ? QStringLiteral("I/O") : label, QStringLiteral("due"));
    }
    case WaitTarget::Task:
        return QStringLiteral("%1 to finish").arg(trace.taskName(wait.aux));
    case WaitTarget::Job:
        return due(QStringLiteral("blocking job %1").arg(resourceLabel(trace, wait.aux)),
            QStringLiteral("done"));
    case WaitTarget::ChannelSend:
        return QStringLiteral("room in channel %1").arg(resourceLabel(trace, wait.aux));
    case WaitTarget::ChannelRecv:
        return QStringLiteral("a message on channel %1").arg(resourceLabel(trace, wait.aux));
    }
    return QString();
}

QString joinNouns(const QStringList& nouns, qsizetype total)
{
    QStringList named = nouns;
    if (total > named.size())
        named << QStringLiteral("%1 more").arg(total - named.size());
    if (named.size() == 1)
        return named.first();
    const QString last = named.takeLast();
    return named.join(u", ") + u" and " + last;
}

} // namespace

Narration::Narration(const Trace& trace)
    : m_trace(&trace)
{
    const std::size_t taskCount = trace.tables.tasks.size();
    // Per task: its last poll (kNone before the first) and the Spawn/Wake that made it runnable.
    std::vector<std::uint32_t> lastPoll(taskCount, kNone);
    std::vector<std::uint32_t> runnableCause(taskCount, kNone);
    const EventLog& events = trace.events;
    m_polls.reserve(std::size_t(std::count_if(events.begin(), events.end(),
        [](const TraceEvent& e) { return e.kind == EventKind::PollStart; })));
    for (std::uint32_t i = 0; i < events.size(); ++i) {
        const TraceEvent& e = events[i];
        if (e.task >= taskCount)
            continue;
        switch (e.kind) {
        case EventKind::Spawn:
            runnableCause[e.task] = i;
            break;
        case EventKind::PollStart:
            lastPoll[e.task] = std::uint32_t(m_polls.size());
            m_polls.push_back(PollRecord { i, kNone, runnableCause[e.task], kNone });
            runnableCause[e.task] = kNone;
            break;
        case EventKind::PollEnd:
            if (lastPoll[e.task] != kNone)
                m_polls[lastPoll[e.task]].end = i;
            break;
        case EventKind::Wake:
            // The executor records a wake only when it makes the task runnable (or marks a
            // running task woken), so the first one after a poll started is its cause.
            if (runnableCause[e.task] == kNone)
                runnableCause[e.task] = i;
            if (lastPoll[e.task] != kNone && m_polls[lastPoll[e.task]].nextWake == kNone)
                m_polls[lastPoll[e.task]].nextWake = i;
            break;
        default:
            break;
        }
    }
}

QString Narration::subject(const PollRecord& poll) const
{
    return m_trace->taskName(m_trace->events[poll.start].task);
}

QString Narration::waitingFor(const PollRecord& poll) const
{
    const Trace& trace = *m_trace;
    const TaskId task = trace.events[poll.start].task;
    std::vector<const TraceEvent*> waits;
    for (std::uint32_t i = poll.start + 1; i < poll.end; ++i) {
        const TraceEvent& e = trace.events[i];
        if (e.kind == EventKind::WaitRegistered && e.task == task)
            waits.push_back(&e);
    }
    if (!waits.empty()) {
        QStringList nouns;
        for (const TraceEvent* wait : waits) {
            if (nouns.size() == kMaxNamedWaits)
                break;
            nouns << waitNoun(trace, *wait, waits.size() == 1);
        }
        return u"waiting for " + joinNouns(nouns, qsizetype(waits.size()));
    }
    // Nothing registered in this poll: the next wake tells why.
    if (poll.nextWake != kNone) {
        const TraceEvent& wake = trace.events[poll.nextWake];
        if (poll.nextWake < poll.end) {
            if (wake.wakeCause() == WakeCause::Budget)
                return QStringLiteral("its cooperative budget ran out, so it woke itself and went "
                                      "back to the run queue");
            return QStringLiteral("it was already woken again, so it went back to the run queue");
        }
        if (wake.wakeCause() == WakeCause::Yield)
            return QStringLiteral("it yielded (yield_now) and runs again after the reactor's turn");
    }
    return QStringLiteral("still waiting on what it registered before");
}

QString Narration::predicate(const PollRecord& poll) const
{
    const Trace& trace = *m_trace;
    const TraceEvent& start = trace.events[poll.start];
    if (poll.end == kNone)
        return QStringLiteral("was still being polled when the run stopped");
    const TraceEvent& end = trace.events[poll.end];
    QString where;
    if (end.span < trace.tables.spans.size()) {
        if (const int line = trace.span(end.span).line; line > 0)
            where = QStringLiteral(" at line %1").arg(line);
    }

    if (end.outcome() == PollOutcome::Ready) {
        const std::uint32_t polls = start.aux + 1;
        const QString count =
            polls == 1 ? QStringLiteral("1 poll") : QStringLiteral("%1 polls").arg(polls);
        const std::size_t next = std::size_t(poll.end) + 1;
        if (next < trace.events.size() && trace.events[next].kind == EventKind::Complete &&
            trace.events[next].task == start.task &&
            trace.events[next].completion() == CompletionStatus::Failed) {
            return QStringLiteral("failed%1 after %2: %3")
                .arg(where, count, trace.string(trace.events[next].aux));
        }
        return QStringLiteral("returned Ready%1 after %2").arg(where, count);
    }
    if (trace.report.lastPollCutOff && &poll == &m_polls.back()) {
        // Not suspended at an await: a bound stopped the run inside this poll.
        return QStringLiteral("was cut off%1, before it reached an await, when the run stopped: %2")
            .arg(where, trace.report.errorMessage);
    }
    return QStringLiteral("returned Pending%1: %2").arg(where, waitingFor(poll));
}

QString Narration::wakeClause(std::uint32_t causeEvent) const
{
    const Trace& trace = *m_trace;
    if (causeEvent == kNone)
        return QString();
    const TraceEvent& cause = trace.events[causeEvent];
    const QString at = formatExactTime(cause.time, trace.timeResolution());
    if (cause.kind == EventKind::Spawn) {
        if (cause.aux == kNoTask)
            return QStringLiteral("started at %1").arg(at);
        return QStringLiteral("was spawned by %1 at %2").arg(trace.taskName(cause.aux), at);
    }
    // A timer or I/O delivered late (the worker was held): the delay is the point, so the
    // clause says when it was due.
    const TimeNs due = trace.lateWakeDeadline(cause);
    const bool late = due != kNever;
    const auto dueAndDelay = [&] {
        return QStringLiteral("due at %1, %2 late")
            .arg(formatExactTime(due, trace.timeResolution()),
                formatExactTime(cause.time - due, trace.timeResolution()));
    };
    switch (cause.wakeCause()) {
    case WakeCause::Timer:
        if (late)
            return QStringLiteral("was woken by its timer, %1 at %2").arg(dueAndDelay(), at);
        return QStringLiteral("was woken by its timer at %1").arg(at);
    case WakeCause::Io: {
        QString label = resourceLabel(trace, cause.aux);
        if (label.isEmpty())
            label = QStringLiteral("its I/O");
        if (late)
            return QStringLiteral("was woken when %1, %2, was delivered at %3")
                .arg(label, dueAndDelay(), at);
        return QStringLiteral("was woken when %1 completed at %2").arg(label, at);
    }
    case WakeCause::Yield:
        return QStringLiteral("was woken by its own yield_now at %1").arg(at);
    case WakeCause::TaskDone:
        return QStringLiteral("was woken when %1 finished at %2")
            .arg(trace.taskName(cause.aux), at);
    case WakeCause::BlockingJob:
        return QStringLiteral("was woken when blocking job %1 finished at %2")
            .arg(resourceLabel(trace, cause.aux), at);
    case WakeCause::Channel:
        return QStringLiteral("was woken by channel %1 at %2")
            .arg(resourceLabel(trace, cause.aux), at);
    case WakeCause::Budget:
        return QStringLiteral("woke itself at %1 after its cooperative budget ran out").arg(at);
    }
    return QString();
}

QString Narration::pollSentence(std::size_t sequence) const
{
    const PollRecord& poll = m_polls[sequence];
    return subject(poll) + u' ' + predicate(poll);
}

QString Narration::wakeSentence(std::size_t sequence) const
{
    const PollRecord& poll = m_polls[sequence];
    const QString clause = wakeClause(poll.cause);
    return clause.isEmpty() ? QString() : subject(poll) + u' ' + clause;
}

QString Narration::wakeEventSentence(std::size_t event) const
{
    const TraceEvent& wake = m_trace->events[event];
    return m_trace->taskName(wake.task) + u' ' + wakeClause(std::uint32_t(event));
}

QString Narration::stepSentence(std::size_t sequence) const
{
    const PollRecord& poll = m_polls[sequence];
    const QString clause = wakeClause(poll.cause);
    if (clause.isEmpty())
        return pollSentence(sequence);
    return subject(poll) + u' ' + clause + u" and " + predicate(poll);
}

} // namespace pollscope
