#pragma once

#include "trace/metrics.h"
#include "trace/trace.h"

#include <QJsonObject>

namespace pollscope {

/// One task's figures in two runs, matched by name (absent in a run: nullopt).
struct TaskComparison {
    QString name;
    std::optional<TaskMetrics> before;
    std::optional<TaskMetrics> after;
};

/// Two runs side by side: the deltas a user asks about, and the one difference that matters.
struct Comparison {
    QString titleBefore;
    QString titleAfter;
    TimeNs elapsedBefore = 0;
    TimeNs elapsedAfter = 0;
    std::uint64_t pollsBefore = 0;
    std::uint64_t pollsAfter = 0;
    /// The longest stall of any task (TaskMetrics::longestStall): the longest a task that could go
    /// on waited for the worker, from its wake or its late timer's or I/O's deadline to its poll.
    TimeNs longestStallBefore = 0;
    TimeNs longestStallAfter = 0;
    std::vector<TaskComparison> tasks;
    /// The one difference that matters, naming the runs: by their titles, quoted ("\"spawn
    /// first\" finished 3.0× sooner than \"Await inside a loop\": 120 ms against 360 ms"); as
    /// "the model run" and "the real run" when they ran on different runtimes; as "the first
    /// run" and "the second run" when their titles are equal. Where it names both runs on equal
    /// terms, the first one (`before`, shown first) comes first.
    QString headline;
};

Comparison compareRuns(const Trace& before, const QString& titleBefore, const Trace& after, const QString& titleAfter);

/// One row of the comparison table: a figure in both runs and how it changed.
struct ComparisonRow {
    QString label;
    QString before;
    QString after;
    QString change;
    bool heading = false; ///< a task's name, above its rows
};

/// The rows every view of a comparison shows: elapsed, polls, longest stall, then per task
/// polls Pending/Ready, busy, scheduled, late and idle.
std::vector<ComparisonRow> comparisonRows(const Comparison& comparison);

/// The comparison as a readable table, headline first.
QString comparisonTable(const Comparison& comparison);
/// The comparison as `--summary json` gives it: the titles, the headline, each figure of the
/// table as a pair in the runs' order (`longest_stall_us`: the longest stall) and the tasks.
QJsonObject comparisonJson(const Comparison& comparison);

} // namespace pollscope
