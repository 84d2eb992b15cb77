#include "models/eventlogmodel.h"

#include "analysis/narration.h"
#include "trace/jsonlines.h"

#include <limits>

namespace pollscope {

EventLogModel::EventLogModel(QObject* parent)
    : QAbstractTableModel(parent)
    , m_trace(std::make_shared<const Trace>())
{
}

void EventLogModel::setTrace(std::shared_ptr<const Trace> trace)
{
    beginResetModel();
    m_trace = trace ? std::move(trace) : std::make_shared<const Trace>();
    endResetModel();
}

int EventLogModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid())
        return 0;
    return int(std::min<std::size_t>(m_trace->events.size(), std::numeric_limits<int>::max()));
}

int EventLogModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString EventLogModel::eventName(EventKind kind)
{
    switch (kind) {
    case EventKind::Spawn:
        return QStringLiteral("spawn");
    case EventKind::PollStart:
        return QStringLiteral("poll start");
    case EventKind::PollEnd:
        return QStringLiteral("poll end");
    case EventKind::Wake:
        return QStringLiteral("wake");
    case EventKind::BlockStart:
        return QStringLiteral("block start");
    case EventKind::BlockEnd:
        return QStringLiteral("block end");
    case EventKind::JobStart:
        return QStringLiteral("job start");
    case EventKind::JobEnd:
        return QStringLiteral("job end");
    case EventKind::WaitRegistered:
        return QStringLiteral("wait");
    case EventKind::Unpolled:
        return QStringLiteral("never polled");
    case EventKind::Cancel:
        return QStringLiteral("cancel");
    case EventKind::Complete:
        return QStringLiteral("complete");
    case EventKind::Mark:
        return QStringLiteral("mark");
    case EventKind::ChannelOp:
        return QStringLiteral("channel");
    }
    return QString();
}

QString EventLogModel::resourceLabel(std::uint32_t resource) const
{
    if (resource >= m_trace->tables.resources.size())
        return QString();
    return m_trace->string(m_trace->tables.resources[resource].label);
}

QString EventLogModel::details(std::size_t index) const
{
    const Trace& trace = *m_trace;
    const TraceEvent& e = trace.events[index];
    const auto deadline = [&](std::uint32_t resource) {
        return resource < trace.tables.resources.size()
            ? formatExactTime(trace.tables.resources[resource].deadline, trace.timeResolution())
            : QString();
    };
    switch (e.kind) {
    case EventKind::Spawn:
        return e.aux == kNoTask ? QStringLiteral("the run starts")
                                : QStringLiteral("spawned by %1").arg(trace.taskName(e.aux));
    case EventKind::PollStart:
        return QStringLiteral("poll #%1").arg(e.aux);
    case EventKind::PollEnd:
        return QStringLiteral("poll #%1 \u2192 %2")
            .arg(e.aux)
            .arg(e.outcome() == PollOutcome::Ready ? QStringLiteral("Ready")
                                                   : QStringLiteral("Pending"));
    case EventKind::Wake:
        switch (e.wakeCause()) {
        case WakeCause::Timer:
            return QStringLiteral("by its timer");
        case WakeCause::Io:
            return QStringLiteral("by I/O %1").arg(resourceLabel(e.aux));
        case WakeCause::Yield:
            return QStringLiteral("by its own yield_now");
        case WakeCause::TaskDone:
            return QStringLiteral("%1 finished").arg(trace.taskName(e.aux));
        case WakeCause::BlockingJob:
            return QStringLiteral("blocking job %1 finished").arg(resourceLabel(e.aux));
        case WakeCause::Channel:
            return QStringLiteral("by channel %1").arg(resourceLabel(e.aux));
        case WakeCause::Budget:
            return QStringLiteral("by itself: cooperative budget spent");
        }
        break;
    case EventKind::BlockStart:
    case EventKind::BlockEnd:
        return (e.blockKind() == BlockKind::Block ? QStringLiteral("block ")
                                                  : QStringLiteral("compute ")) +
            trace.string(e.aux);
    case EventKind::JobStart:
        return QStringLiteral("%1 on pool lane %2, until %3")
            .arg(resourceLabel(e.aux))
            .arg(e.lane)
            .arg(deadline(e.aux));
    case EventKind::JobEnd:
        return QStringLiteral("%1 on pool lane %2").arg(resourceLabel(e.aux)).arg(e.lane);
    case EventKind::WaitRegistered:
        switch (e.waitTarget()) {
        case WaitTarget::Timer:
            return QStringLiteral("timer due at %1").arg(deadline(e.aux));
        case WaitTarget::Io:
            return QStringLiteral("I/O %1, due at %2").arg(resourceLabel(e.aux), deadline(e.aux));
        case WaitTarget::Task:
            return QStringLiteral("task %1").arg(trace.taskName(e.aux));
        case WaitTarget::Job:
            return QStringLiteral("blocking job %1").arg(resourceLabel(e.aux));
        case WaitTarget::ChannelSend:
            return QStringLiteral("room in channel %1").arg(resourceLabel(e.aux));
        case WaitTarget::ChannelRecv:
            return QStringLiteral("a message on channel %1").arg(resourceLabel(e.aux));
        }
        break;
    case EventKind::Unpolled:
        return trace.string(e.aux);
    case EventKind::Cancel:
        switch (e.cancelTarget()) {
        case CancelTarget::Task:
        case CancelTarget::Job: {
            const QString what = e.cancelTarget() == CancelTarget::Task
                ? QStringLiteral("task")
                : QStringLiteral("blocking job %1").arg(resourceLabel(e.aux));
            const QString when = isStopped(trace.report.status)
                ? QStringLiteral("stopped with the run")
                : QStringLiteral("at shutdown");
            return what + u", " + when;
        }
        case CancelTarget::JoinWait:
            return QStringLiteral("wait for %1").arg(trace.taskName(e.aux));
        case CancelTarget::Timer:
        case CancelTarget::Io:
        case CancelTarget::JobWait:
        case CancelTarget::ChannelWait: {
            const QString label = resourceLabel(e.aux);
            // The JSON names, spelled as the other rows spell them ("I/O", "job wait").
            const QString target = e.cancelTarget() == CancelTarget::Io
                ? QStringLiteral("I/O")
                : cancelTargetName(e.cancelTarget()).replace(u'_', u' ');
            return label.isEmpty() ? target : target + u' ' + label;
        }
        }
        break;
    case EventKind::Complete:
        return e.completion() == CompletionStatus::Ok
            ? QStringLiteral("ok")
            : QStringLiteral("failed: %1").arg(trace.string(e.aux));
    case EventKind::Mark:
        return trace.string(e.aux);
    case EventKind::ChannelOp: {
        const auto op = static_cast<ChannelOpKind>(e.detail);
        const QString name = op == ChannelOpKind::Send ? QStringLiteral("send")
            : op == ChannelOpKind::Recv                ? QStringLiteral("receive")
                                                       : QStringLiteral("close");
        return QStringLiteral("%1 on %2").arg(name, resourceLabel(e.aux));
    }
    }
    return QString();
}

QVariant EventLogModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const auto row = std::size_t(index.row());
    const Trace& trace = *m_trace;
    const TraceEvent& e = trace.events[row];
    const int line = trace.line(e.span);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return formatExactTime(e.time, trace.timeResolution());
        case TaskColumn:
            return e.task < trace.tables.tasks.size() ? trace.taskName(e.task) : QString();
        case EventColumn:
            return eventName(e.kind);
        case DetailsColumn:
            return details(row);
        case LineColumn:
            return line > 0 ? QVariant(line) : QVariant();
        }
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == TimeColumn || index.column() == LineColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case EventIndexRole:
        return qint64(row);
    case TimeRole:
        return qint64(e.time);
    case TaskRole:
        return e.task < trace.tables.tasks.size() ? qint64(e.task) : qint64(-1);
    case KindRole:
        return int(e.kind);
    case LineRole:
        return line;
    default:
        break;
    }
    return QVariant();
}

QVariant EventLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn:
        return QStringLiteral("Time");
    case TaskColumn:
        return QStringLiteral("Task");
    case EventColumn:
        return QStringLiteral("Event");
    case DetailsColumn:
        return QStringLiteral("Details");
    case LineColumn:
        return QStringLiteral("Line");
    default:
        return QVariant();
    }
}

} // namespace pollscope
