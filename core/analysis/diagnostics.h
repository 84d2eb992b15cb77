#pragma once

#include "script/program.h"
#include "trace/trace.h"

#include <QJsonArray>

namespace pollscope {

enum class DiagnosticKind : std::uint8_t {
    BlockingPoll, ///< a poll held the worker while other tasks were ready or due
    NeverPolled, ///< a future was created and dropped without a poll: a forgotten `.await`
    SequentialAwaits, ///< a loop awaits independent calls one at a time
    Starvation, ///< a task spent long in the run queue
    Deadlock, ///< tasks Pending at the end with nothing left that could wake them
    SelfWakeStorm, ///< a task keeps waking itself without waiting on anything
};

/// What went wrong, when, where and what the fix would change.
struct Diagnostic {
    DiagnosticKind kind;
    TaskId task = kMainTask;
    TimeNs time = 0;
    SpanId span = 0;
    std::size_t event = 0; ///< the trace event it points at (for the timeline and the log)
    QString message; ///< one sentence that explains it and says what to do
    /// When it became true, if that was before `event` happened: a starvation is one once the
    /// task has waited the threshold in the run queue (in its first wait that long), while
    /// `event` is the poll that ends its longest wait. kNever: when `event` happened.
    TimeNs foundAt = kNever;
    /// With foundAt: the event that wait began with (a spawn, a wake, or the end of the poll
    /// that woke the task), which has happened whenever foundAt has.
    std::size_t foundAfter = 0;
};

/// Whether a playback cursor has found `d`: the cursor stands at `cursorTime` and events
/// [0, eventLimit) have happened. Either `d.event` has happened, or `d.foundAfter` has and the
/// cursor has reached `d.foundAt`.
bool isFound(const Diagnostic& d, std::size_t eventLimit, TimeNs cursorTime);

QString diagnosticKindName(DiagnosticKind kind);
/// "Blocking poll", "Never polled", ...: a diagnostic kind as people read it.
QString diagnosticTitle(DiagnosticKind kind);

/// Finds the diagnostics of a run. With `program` (the run's own, from `source`), the
/// sequential-await check runs each such loop in its spawned form to measure the fix; the
/// thresholds come from the program's header (defaults otherwise).
std::vector<Diagnostic> diagnose(const Trace& trace, const script::Program* program = nullptr);

/// The `diagnostics` array of `--summary=json`: kind, task, line, t_us, message.
QJsonArray diagnosticsJson(const Trace& trace, const std::vector<Diagnostic>& diagnostics);

/// "warning: blocking poll at 0 ms, line 12 (main): ..." lines for `--summary`.
QString diagnosticsText(const Trace& trace, const std::vector<Diagnostic>& diagnostics);

} // namespace pollscope
