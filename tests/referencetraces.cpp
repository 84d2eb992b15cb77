#include "referencetraces.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

using namespace pollscope;

namespace {
QString pollKey(const QString& task, qint64 index, qint64 startUs, const QString& outcome)
{
    return QStringLiteral("%1#%2@%3:%4").arg(task).arg(index).arg(startUs).arg(outcome);
}
} // namespace

QHash<QString, PollSequence> loadReferenceTraces()
{
    QHash<QString, PollSequence> runs;
    QFile file(QStringLiteral(POLLSCOPE_TEST_DATA "/tokio-1.24-traces.jsonl"));
    if (!file.open(QIODevice::ReadOnly))
        return runs;
    while (!file.atEnd()) {
        const QJsonObject line = QJsonDocument::fromJson(file.readLine()).object();
        PollSequence& run = runs[line.value(u"scenario").toString()];
        const QString event = line.value(u"event").toString();
        if (event == u"poll") {
            run.polls << pollKey(line.value(u"task").toString(), line.value(u"index").toInteger(),
                                 line.value(u"start_us").toInteger(),
                                 line.value(u"outcome").toString());
        } else if (event == u"done") {
            run.elapsedUs = line.value(u"elapsed_us").toInteger();
        }
    }
    return runs;
}

PollSequence pollSequence(const Trace& trace)
{
    PollSequence run;
    QHash<TaskId, std::size_t> open;
    for (const TraceEvent& e : trace.events) {
        if (e.kind == EventKind::PollStart) {
            open.insert(e.task, std::size_t(run.polls.size()));
            run.polls << pollKey(trace.taskName(e.task), e.aux, e.time / 1000, QString());
        } else if (e.kind == EventKind::PollEnd) {
            run.polls[qsizetype(open.value(e.task))]
                += e.outcome() == PollOutcome::Ready ? u"Ready" : u"Pending";
        }
    }
    run.elapsedUs = trace.report.elapsed / 1000;
    return run;
}
