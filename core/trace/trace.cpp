#include "trace/trace.h"

namespace pollscope {

StringTable::StringTable()
{
    m_strings.emplace_back();
    m_index.insert(QString(), 0);
}

StringId StringTable::intern(QAnyStringView text)
{
    QString key = text.toString();
    if (auto it = m_index.constFind(key); it != m_index.cend())
        return it.value();
    const auto id = static_cast<StringId>(m_strings.size());
    m_index.insert(key, id);
    m_strings.push_back(std::move(key));
    return id;
}

QString TraceTables::taskName(TaskId task) const
{
    if (task >= tasks.size())
        return QString();
    if (const StringId name = tasks[task].name)
        return strings.at(name);
    return task == kMainTask ? QStringLiteral("main") : QStringLiteral("task-%1").arg(task);
}

TimeNs Trace::lateWakeDeadline(const TraceEvent& wake) const
{
    if (wake.kind != EventKind::Wake ||
        (wake.wakeCause() != WakeCause::Timer && wake.wakeCause() != WakeCause::Io) ||
        wake.aux >= tables.resources.size())
        return kNever;
    const TimeNs due = tables.resources[wake.aux].deadline;
    return wake.time - due > lateTolerance() ? due : kNever;
}

QString runStatusName(RunStatus status)
{
    switch (status) {
    case RunStatus::Completed:
        return QStringLiteral("completed");
    case RunStatus::Failed:
        return QStringLiteral("failed");
    case RunStatus::Deadlock:
        return QStringLiteral("deadlock");
    case RunStatus::LimitReached:
        return QStringLiteral("limit reached");
    case RunStatus::Interrupted:
        return QStringLiteral("interrupted");
    }
    return QString();
}

bool isStopped(RunStatus status)
{
    return status == RunStatus::Deadlock || status == RunStatus::LimitReached ||
        status == RunStatus::Interrupted;
}

QString unfinishedTaskEnd(RunStatus status)
{
    return isStopped(status) ? QStringLiteral("stopped") : QStringLiteral("cancelled");
}

} // namespace pollscope
