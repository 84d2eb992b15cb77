#include "models/taskmetricsmodel.h"

#include "analysis/narration.h"

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
    m_trace = trace ? std::move(trace) : std::make_shared<const Trace>();
    m_metrics = std::move(metrics);
    endResetModel();
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
        case IdleColumn:
            return time(m.idle);
        case FirstPollColumn:
            return time(m.firstPoll);
        case LastPollColumn:
            return time(m.lastPoll);
        }
        break;
    case Qt::TextAlignmentRole:
        if (index.column() >= PendingColumn)
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
    case IdleColumn:
        return QStringLiteral("Idle");
    case FirstPollColumn:
        return QStringLiteral("First poll");
    case LastPollColumn:
        return QStringLiteral("Last poll");
    default:
        return QVariant();
    }
}

} // namespace pollscope
