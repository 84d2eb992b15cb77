#include "models/taskmetricsmodel.h"

#include "analysis/narration.h"
#include "analysis/summary.h"

#include <algorithm>

namespace pollscope {

TaskMetricsModel::TaskMetricsModel(QObject* parent)
    : QAbstractTableModel(parent)
    , m_trace(std::make_shared<const Trace>())
{
}

void TaskMetricsModel::setTrace(std::shared_ptr<const Trace> trace)
{
    RunMetrics metrics = trace ? computeMetrics(*trace) : RunMetrics {};
    setMetrics(std::move(trace), std::move(metrics));
}

void TaskMetricsModel::setMetrics(std::shared_ptr<const Trace> trace, RunMetrics metrics)
{
    beginResetModel();
    m_accumulator.reset(); // it refers to the old trace
    m_trace = trace ? std::move(trace) : std::make_shared<const Trace>();
    m_run = std::move(metrics);
    m_metrics = m_run;
    endResetModel();
}

void TaskMetricsModel::showUntil(std::size_t events, TimeNs time)
{
    RunMetrics metrics;
    if (events >= m_trace->events.size()) {
        metrics = m_run;
    } else {
        if (!m_accumulator)
            m_accumulator = std::make_unique<MetricsAccumulator>(*m_trace);
        m_accumulator->advanceTo(events);
        metrics = m_accumulator->metricsAt(time);
    }
    const int before = rowCount();
    const int after = int(metrics.tasks.size());
    if (after < before) {
        beginRemoveRows(QModelIndex(), after, before - 1);
        m_metrics.tasks.resize(std::size_t(after));
        endRemoveRows();
    }
    const int kept = std::min(before, after);
    std::copy_n(metrics.tasks.begin(), kept, m_metrics.tasks.begin());
    m_metrics.elapsed = metrics.elapsed;
    if (kept > 0)
        emit dataChanged(index(0, 0), index(kept - 1, ColumnCount - 1));
    if (after > before) {
        beginInsertRows(QModelIndex(), before, after - 1);
        m_metrics.tasks = std::move(metrics.tasks);
        endInsertRows();
    }
}

int TaskMetricsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_metrics.tasks.size());
}

int TaskMetricsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TaskMetricsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const TaskMetrics& m = m_metrics.tasks[std::size_t(index.row())];
    const TaskId parent =
        m.task < m_trace->tables.tasks.size() ? m_trace->tables.tasks[m.task].parent : kNoTask;
    const TimeNs resolution = m_trace->timeResolution();
    const auto time = [role, resolution](TimeNs t) -> QVariant {
        if (t == kNever)
            return role == SortRole ? QVariant(qint64(-1)) : QVariant();
        return role == SortRole ? QVariant(qint64(t)) : QVariant(formatExactTime(t, resolution));
    };
    switch (role) {
    case Qt::DisplayRole:
    case SortRole:
        switch (index.column()) {
        case TaskColumn:
            return m_trace->taskName(m.task);
        case ParentColumn:
            return parent == kNoTask ? QString() : m_trace->taskName(parent);
        case PendingColumn:
            return m.pendingPolls;
        case ReadyColumn:
            return m.readyPolls;
        case BusyColumn:
            return time(m.busy);
        case ScheduledColumn:
            return time(m.scheduled);
        case LateColumn:
            return time(m.late);
        case IdleColumn:
            return time(m.idle);
        case FirstPollColumn:
            return time(m.firstPoll);
        case LastPollColumn:
            return time(m.lastPoll);
        case EndColumn:
            return taskEnd(m, m_trace->report.status);
        }
        break;
    case Qt::TextAlignmentRole:
        if (index.column() >= PendingColumn && index.column() != EndColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case TaskRole:
        return qint64(m.task);
    default:
        break;
    }
    return QVariant();
}

QVariant TaskMetricsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::ToolTipRole) {
        switch (section) {
        case BusyColumn:
            return QStringLiteral("Time being polled");
        case ScheduledColumn:
            return QStringLiteral("Time in the run queue: woken or spawned, not yet polled");
        case LateColumn:
            return QStringLiteral("Time Pending on a timer or I/O that was already due but not "
                                  "yet delivered: the worker was held (or, on a Qt event loop, "
                                  "the loop was late)");
        case IdleColumn:
            return QStringLiteral("Time Pending with nothing due");
        case EndColumn:
            return QStringLiteral(
                "How the task ended: done, failed, cancelled when the runtime "
                "shut down first, stopped when a deadlock, a runaway bound "
                "or Stop ended the run; running while it has not ended by the cursor");
        default:
            return QVariant();
        }
    }
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TaskColumn:
        return QStringLiteral("Task");
    case ParentColumn:
        return QStringLiteral("Parent");
    case PendingColumn:
        return QStringLiteral("Pending");
    case ReadyColumn:
        return QStringLiteral("Ready");
    case BusyColumn:
        return QStringLiteral("Busy");
    case ScheduledColumn:
        return QStringLiteral("Scheduled");
    case LateColumn:
        return QStringLiteral("Late");
    case IdleColumn:
        return QStringLiteral("Idle");
    case FirstPollColumn:
        return QStringLiteral("First poll");
    case LastPollColumn:
        return QStringLiteral("Last poll");
    case EndColumn:
        return QStringLiteral("End");
    default:
        return QVariant();
    }
}

} // namespace pollscope
