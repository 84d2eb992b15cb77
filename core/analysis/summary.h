#pragma once

#include "analysis/timeformat.h"
#include "trace/metrics.h"
#include "trace/trace.h"

#include <QJsonObject>
#include <QStringList>

namespace pollscope {

/// The run as a readable table: one row per task (polls Pending/Ready, busy, scheduled, late,
/// idle, first and last poll), then the elapsed time and how the run ended, in one line. Times
/// are exact (formatExactTime, to the trace's resolution), as the window's Tasks tab shows them.
QString summaryTable(const Trace& trace, const QString& title);

/// How a task ended, as the summary's "end" column says it: "done", "failed", what became of
/// it when the run left it unfinished (unfinishedTaskEnd: "cancelled" or "stopped"), or
/// "running" while it has not ended (as in metrics up to a playback cursor). `run`: how the
/// whole run ended.
QString taskEnd(const TaskMetrics& task, RunStatus run);
/// Every word taskEnd() can say, of any task in any run.
QStringList taskEndWords();

/// The same as JSON: {"scenario", "status", "elapsed_us", "tasks": [...]}.
QJsonObject summaryJson(const Trace& trace, const QString& title);

} // namespace pollscope
