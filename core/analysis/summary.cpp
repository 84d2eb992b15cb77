#include "analysis/summary.h"

#include <QJsonArray>
#include <QStringList>

namespace pollscope {

namespace {

QString parentName(const Trace& trace, TaskId task)
{
    const TaskId parent = trace.tables.tasks[task].parent;
    return parent == kNoTask ? u"-"_qs : trace.taskName(parent);
}

} // namespace

QString taskEnd(const TaskMetrics& m, RunStatus run)
{
    if (m.failed)
        return u"failed"_qs;
    if (m.cancelled)
        return unfinishedTaskEnd(run);
    return m.completed ? u"done"_qs : u"running"_qs;
}

QStringList taskEndWords()
{
    return { u"done"_qs, u"failed"_qs, unfinishedTaskEnd(RunStatus::Completed),
        unfinishedTaskEnd(RunStatus::Interrupted), u"running"_qs };
}

QString summaryTable(const Trace& trace, const QString& title)
{
    const RunMetrics metrics = computeMetrics(trace);
    // Exact, as the window's Tasks tab gives them: the same run reads the same in both.
    const auto time = [resolution = trace.timeResolution()](TimeNs t) {
        return t == kNever ? u"-"_qs : formatExactTime(t, resolution);
    };
    const QStringList header { u"task"_qs, u"parent"_qs, u"polls P/R"_qs, u"busy"_qs,
        u"scheduled"_qs, u"late"_qs, u"idle"_qs, u"first poll"_qs, u"last poll"_qs, u"end"_qs };
    QList<QStringList> rows { header };
    for (const TaskMetrics& m : metrics.tasks) {
        rows << QStringList { trace.taskName(m.task), parentName(trace, m.task),
            QStringLiteral("%1/%2").arg(m.pendingPolls).arg(m.readyPolls), time(m.busy),
            time(m.scheduled), time(m.late), time(m.idle), time(m.firstPoll), time(m.lastPoll),
            taskEnd(m, trace.report.status) };
    }
    std::vector<qsizetype> widths(std::size_t(header.size()), 0);
    for (const QStringList& row : rows)
        for (qsizetype c = 0; c < row.size(); ++c)
            widths[std::size_t(c)] = std::max(widths[std::size_t(c)], row[c].size());
    QString text;
    if (!title.isEmpty())
        text += title + u'\n';
    for (const QStringList& row : rows) {
        QString line;
        for (qsizetype c = 0; c < row.size(); ++c) {
            // Names left, figures right.
            const QString cell = c < 2 ? row[c].leftJustified(widths[std::size_t(c)]) : row[c].rightJustified(widths[std::size_t(c)]);
            line += (c ? u"  "_qs : QString()) + cell;
        }
        text += line.trimmed() + u'\n';
    }
    text += QStringLiteral("elapsed %1 (%2 clock), %3")
                .arg(time(metrics.elapsed), trace.virtualClock ? u"virtual"_qs : u"real"_qs,
                    runStatusName(trace.report.status));
    // Why, in one line: the message's first line names the place, the source excerpt after it
    // is what the command line's error on standard error shows.
    if (!trace.report.message.isEmpty())
        text += u": " + trace.report.message.section(u'\n', 0, 0);
    return text + u'\n';
}

QJsonObject summaryJson(const Trace& trace, const QString& title)
{
    const RunMetrics metrics = computeMetrics(trace);
    auto micros = [](TimeNs ns) { return ns == kNever ? QJsonValue() : QJsonValue(double(ns) / 1000.0); };
    QJsonArray tasks;
    for (const TaskMetrics& m : metrics.tasks) {
        tasks.append(QJsonObject {
            { u"name"_qs, trace.taskName(m.task) },
            { u"parent"_qs,
                trace.tables.tasks[m.task].parent == kNoTask
                    ? QJsonValue()
                    : QJsonValue(parentName(trace, m.task)) },
            { u"polls_pending"_qs, m.pendingPolls },
            { u"polls_ready"_qs, m.readyPolls },
            { u"busy_us"_qs, micros(m.busy) },
            { u"scheduled_us"_qs, micros(m.scheduled) },
            { u"late_us"_qs, micros(m.late) },
            { u"idle_us"_qs, micros(m.idle) },
            { u"spawned_us"_qs, micros(m.spawned) },
            { u"first_poll_us"_qs, micros(m.firstPoll) },
            { u"last_poll_us"_qs, micros(m.lastPoll) },
            { u"ended_us"_qs, micros(m.ended) },
            { u"end"_qs, taskEnd(m, trace.report.status) },
        });
    }
    QJsonObject summary {
        { u"scenario"_qs, title },
        { u"status"_qs, runStatusName(trace.report.status) },
        { u"elapsed_us"_qs, micros(metrics.elapsed) },
        { u"clock"_qs, trace.virtualClock ? u"virtual"_qs : u"real"_qs },
        { u"polls"_qs, qint64(trace.report.polls) },
        { u"events"_qs, qint64(trace.events.size()) },
        { u"tasks"_qs, tasks },
    };
    if (!trace.report.message.isEmpty())
        summary.insert(u"message"_qs, trace.report.message);
    return summary;
}

} // namespace pollscope
