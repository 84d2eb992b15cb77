#pragma once

#include "trace/metrics.h"

#include <QAbstractTableModel>

#include <memory>

namespace pollscope {

/// One row per task: name, parent, Pending and Ready polls, busy, scheduled, late and idle
/// time, the first and last poll (computeMetrics) and how the task ended (taskEnd, as the
/// command line's summary words it), over the whole run or up to a playback cursor
/// (showUntil), where a task that has not ended by then is "running". SortRole gives raw
/// numbers for sorting proxies.
class TaskMetricsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        TaskColumn,
        ParentColumn,
        PendingColumn,
        ReadyColumn,
        BusyColumn,
        ScheduledColumn,
        LateColumn,
        IdleColumn,
        FirstPollColumn,
        LastPollColumn,
        EndColumn,
        ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole, ///< the raw value: counts, times in ns (qint64), names
        TaskRole, ///< the row's task id (qint64)
    };

    explicit TaskMetricsModel(QObject* parent = nullptr);

    void setTrace(std::shared_ptr<const Trace> trace);
    /// Shows `metrics`, computed from `trace` elsewhere (off the GUI thread).
    void setMetrics(std::shared_ptr<const Trace> trace, RunMetrics metrics);
    /// Shows the run up to a point: the tasks that have events among its first `events`
    /// events, their figures as of `time` (the playback cursor); with every event, the
    /// metrics setMetrics() gave. Rows change in place, and those of tasks that appear or go
    /// are inserted or removed: a view keeps its current row. Moving forward folds in only
    /// the events passed (MetricsAccumulator).
    void showUntil(std::size_t events, TimeNs time);
    const RunMetrics& metrics() const { return m_metrics; }

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const Trace> m_trace;
    RunMetrics m_run; ///< the whole run's
    RunMetrics m_metrics; ///< shown
    std::unique_ptr<MetricsAccumulator> m_accumulator; ///< made when first needed
};

} // namespace pollscope
