#pragma once

#include "runtime/runtimesettings.h"
#include "trace/eventlog.h"
#include "trace/hugepageallocator.h"
#include "trace/traceevent.h"

#include <QHash>
#include <QString>

#include <vector>

namespace pollscope {

/// Strings of a run (task names, labels, messages), each stored once.
class StringTable
{
public:
    StringTable();
    StringId intern(QAnyStringView text);
    const QString& at(StringId id) const { return m_strings[id]; }
    std::size_t size() const { return m_strings.size(); }

private:
    std::vector<QString> m_strings;
    QHash<QString, StringId> m_index;
};

/// A position in the scenario source: 1-based line and column of a statement's start and end.
struct SourceSpan {
    int line = 0;
    int column = 0;
    int endLine = 0;
    int endColumn = 0;
    bool isValid() const { return line > 0; }
};

struct TaskRecord {
    StringId name = 0; ///< 0: unnamed (displayed as "task-<id>")
    TaskId parent = kNoTask;
    SpanId spawnSpan = 0;
};

enum class ResourceKind : std::uint8_t { Timer, Io, Job, Channel };

/// A timer, I/O operation, blocking job or channel, referred to by events' `aux`.
struct ResourceRecord {
    ResourceKind kind = ResourceKind::Timer;
    TaskId task = kNoTask; ///< the task that registered it
    StringId label = 0;
    SpanId span = 0;
    TimeNs created = 0; ///< registration (timer, I/O), job start, channel creation
    TimeNs deadline = kNever; ///< timer or I/O due time, job end
    std::uint32_t capacity = 0; ///< channel capacity
    std::uint16_t lane = 0; ///< blocking-pool lane of a job
};

/// How a run ended.
enum class RunStatus : std::uint8_t {
    Completed, ///< main returned
    Failed, ///< main failed (an error reached its end)
    Deadlock, ///< main is Pending and nothing is left that could wake it
    LimitReached, ///< a runaway bound (max_events, max_time, max_steps, max_tasks) stopped the run
    Interrupted, ///< stopped from outside (the user cancelled)
};

/// A place a run's error points at besides its own: a call that led there.
struct ErrorNote {
    SpanId span = 0; ///< 0: no position (a count of calls left out)
    QString message;

    bool operator==(const ErrorNote&) const = default;
};

struct RunReport {
    RunStatus status = RunStatus::Completed;
    TimeNs elapsed = 0; ///< the clock just after main returned, or when the run stopped
    QString message; ///< why the run failed or stopped; empty when it completed
    SpanId errorSpan = 0; ///< a script error that stopped the run: where it is (0: none)
    QString errorMessage; ///< and what it says, without the position, source line and caret
    /// The calls that led to it, innermost first (the message ends with them as notes).
    std::vector<ErrorNote> errorNotes;
    /// A runaway bound (max_steps, max_tasks, max_time inside a `block`) stopped the run in the
    /// middle of its last poll: that poll is recorded Pending, though it reached no await.
    bool lastPollCutOff = false;
    std::uint64_t polls = 0;
    std::uint64_t events = 0;
};

/// The side tables every event refers to; kept by the runtime whether or not anything records.
struct TraceTables {
    StringTable strings;
    BulkVector<TaskRecord> tasks;
    BulkVector<ResourceRecord> resources;
    std::vector<SourceSpan> spans = { SourceSpan {} }; ///< span 0: no source position

    QString taskName(TaskId task) const;
};

/// The ordered record of one run.
struct Trace {
    EventLog events;
    TraceTables tables;
    RunReport report;
    RuntimeSettings settings;
    bool virtualClock = true; ///< false for the real-time (Qt) runtime
    /// The finest time worth showing: 1 ns on the virtual clock, 1 µs on the wall clock.
    TimeNs timeResolution() const { return virtualClock ? 1 : 1000; }
    /// How long after its deadline a timer or I/O may be delivered before its wake counts as
    /// late: not at all on the virtual clock; on the wall clock, the few milliseconds that an
    /// event loop's timers lag anyway, so that late means the worker was held.
    TimeNs lateTolerance() const { return virtualClock ? 0 : 5'000'000; }
    /// If `wake` was given by a timer or I/O delivered late, that timer's or I/O's deadline;
    /// otherwise kNever. The one rule for the timeline's late band, the late time of the
    /// metrics and the narration.
    TimeNs lateWakeDeadline(const TraceEvent& wake) const;

    QString taskName(TaskId task) const { return tables.taskName(task); }
    const QString& string(StringId id) const { return tables.strings.at(id); }
    const SourceSpan& span(SpanId id) const { return tables.spans[id]; }
    /// The source line of span `id`; 0 where there is none (a run without spans).
    int line(SpanId id) const { return id < tables.spans.size() ? tables.spans[id].line : 0; }
};

QString runStatusName(RunStatus status);
/// Whether the run stopped before main ended: at a deadlock (tokio would wait forever), a
/// runaway bound or the user's Stop, rather than at main's end or failure.
bool isStopped(RunStatus status);
/// What became of the tasks a run left unfinished: "cancelled" when main's end (or failure)
/// shut the runtime down, "stopped" when a deadlock, a bound or the user stopped the run.
QString unfinishedTaskEnd(RunStatus status);

} // namespace pollscope
