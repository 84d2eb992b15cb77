#include "analysis/comparison.h"

#include "analysis/summary.h"

#include <QHash>
#include <QJsonArray>
#include <QStringList>

namespace pollscope {

namespace {

TimeNs longestStall(const RunMetrics& metrics)
{
    TimeNs longest = 0;
    for (const TaskMetrics& m : metrics.tasks)
        longest = std::max(longest, m.longestStall);
    return longest;
}

QString ratio(TimeNs slower, TimeNs faster)
{
    return QString::number(double(slower) / double(std::max<TimeNs>(1, faster)), 'f', 1) + u'×';
}

/// How the headline calls the two runs. By runtime when they ran on different clocks (the same
/// script on the model and on a Qt event loop: their titles differ only by that, if at all);
/// by order when their titles are equal; else by their titles, quoted, since a title may hold
/// a comma ("Chat server, async") that would break the sentence.
std::pair<QString, QString> headlineNames(
    const Trace& before, const QString& titleBefore, const Trace& after, const QString& titleAfter)
{
    const auto runtime = [](const Trace& run) {
        return run.virtualClock ? u"the model run"_qs : u"the real run"_qs;
    };
    if (before.virtualClock != after.virtualClock)
        return { runtime(before), runtime(after) };
    if (titleBefore == titleAfter)
        return { u"the first run"_qs, u"the second run"_qs };
    const auto quote = [](const QString& title) -> QString { return u'"' + title + u'"'; };
    return { quote(titleBefore), quote(titleAfter) };
}

/// The single largest change in one task's figures, as a phrase that names both runs, the
/// first one first: "`carol` spends 450 ms more in the run queue in A than in B".
QString largestTaskChange(const Comparison& c, const QString& nameBefore, const QString& nameAfter)
{
    QString phrase;
    TimeNs largest = 0;
    for (const TaskComparison& t : c.tasks) {
        if (!t.before || !t.after)
            continue;
        // The first run against the second: the order in which the headline names them.
        const std::pair<const char16_t*, TimeNs> figures[] = {
            { u"in the run queue", t.before->scheduled - t.after->scheduled },
            { u"waiting for a late wake", t.before->late - t.after->late },
            { u"being polled", t.before->busy - t.after->busy },
        };
        for (const auto& [where, delta] : figures) {
            if (std::abs(delta) <= largest)
                continue;
            largest = std::abs(delta);
            phrase =
                QStringLiteral("`%1` spends %2 %3 %4 in %5 than in %6")
                    .arg(t.name, formatTime(std::abs(delta)), delta < 0 ? u"less"_qs : u"more"_qs,
                        QString::fromUtf16(where), nameBefore, nameAfter);
        }
    }
    return phrase;
}

} // namespace

Comparison compareRuns(
    const Trace& before, const QString& titleBefore, const Trace& after, const QString& titleAfter)
{
    Comparison c;
    c.titleBefore = titleBefore;
    c.titleAfter = titleAfter;
    const RunMetrics a = computeMetrics(before);
    const RunMetrics b = computeMetrics(after);
    c.elapsedBefore = a.elapsed;
    c.elapsedAfter = b.elapsed;
    c.pollsBefore = before.report.polls;
    c.pollsAfter = after.report.polls;
    c.longestStallBefore = longestStall(a);
    c.longestStallAfter = longestStall(b);
    for (const TaskMetrics& m : a.tasks)
        c.tasks.push_back(TaskComparison { before.taskName(m.task), m, std::nullopt });
    // A task of the second run pairs with the first unpaired task of the same name (names can
    // repeat with `as`): per name, the unpaired indices, the first one last.
    QHash<QString, std::vector<std::size_t>> unpaired;
    unpaired.reserve(qsizetype(c.tasks.size()));
    for (std::size_t i = c.tasks.size(); i-- > 0;)
        unpaired[c.tasks[i].name].push_back(i);
    for (const TaskMetrics& m : b.tasks) {
        QString name = after.taskName(m.task);
        const auto it = unpaired.find(name);
        if (it != unpaired.end() && !it->empty()) {
            c.tasks[it->back()].after = m;
            it->pop_back();
        } else {
            c.tasks.push_back(TaskComparison { std::move(name), std::nullopt, m });
        }
    }

    // Every figure is told with the run it belongs to, and where the sentence names both runs
    // on equal terms, the first run (the one shown first) comes first.
    const auto [first, second] = headlineNames(before, titleBefore, after, titleAfter);
    const TimeNs x = c.elapsedBefore;
    const TimeNs y = c.elapsedAfter;
    if (before.report.status != RunStatus::Completed ||
        after.report.status != RunStatus::Completed) {
        // A run that did not finish is not faster: say how each ended.
        const auto ended = [](const QString& name, const Trace& run) {
            return QStringLiteral("%1: %2 in %3")
                .arg(name, runStatusName(run.report.status), formatTime(run.report.elapsed));
        };
        c.headline = ended(first, before) + u"; "_qs + ended(second, after);
    } else if (y * 20 < x * 19) {
        // The second run is the news (usually the fix): it leads, and its figure with it.
        c.headline = QStringLiteral("%1 finished %2 sooner than %3: %4 against %5")
                         .arg(second, ratio(x, y), first, formatTime(y), formatTime(x));
    } else if (x * 20 < y * 19) {
        c.headline = QStringLiteral("%1 took %2 longer than %3: %4 against %5")
                         .arg(second, ratio(y, x), first, formatTime(y), formatTime(x));
    } else {
        const QString change = largestTaskChange(c, first, second);
        // Within 5 %: the same time, unless the figures shown differ; then both are given.
        c.headline = formatTime(x) == formatTime(y)
            ? QStringLiteral("both finished in about %1").arg(formatTime(y))
            : QStringLiteral("both finished in about the same time: %1 in %2, %3 in %4")
                  .arg(first, formatTime(x), second, formatTime(y));
        if (!change.isEmpty())
            c.headline += u"; "_qs + change;
        else if (c.pollsBefore != c.pollsAfter)
            c.headline += QStringLiteral("; %1 needed %2 polls, %3 %4")
                              .arg(first, QString::number(c.pollsBefore), second,
                                  QString::number(c.pollsAfter));
    }
    return c;
}

std::vector<ComparisonRow> comparisonRows(const Comparison& c)
{
    auto change = [](TimeNs a, TimeNs b) -> QString {
        if (a == b)
            return u"="_qs;
        return (b > a ? u"+"_qs : u"-"_qs) + formatTime(std::abs(b - a));
    };
    const qint64 pollDelta = qint64(c.pollsAfter) - qint64(c.pollsBefore);
    std::vector<ComparisonRow> rows {
        { u"elapsed"_qs, formatTime(c.elapsedBefore), formatTime(c.elapsedAfter),
            change(c.elapsedBefore, c.elapsedAfter) },
        { u"polls"_qs, QString::number(c.pollsBefore), QString::number(c.pollsAfter),
            pollDelta == 0 ? u"="_qs
                           : (pollDelta > 0 ? u"+"_qs : QString()) + QString::number(pollDelta) },
        { u"longest stall"_qs, formatTime(c.longestStallBefore), formatTime(c.longestStallAfter),
            change(c.longestStallBefore, c.longestStallAfter) },
    };
    for (const TaskComparison& t : c.tasks) {
        const auto polls = [](const std::optional<TaskMetrics>& m) {
            return m ? QStringLiteral("%1/%2").arg(m->pendingPolls).arg(m->readyPolls) : u"-"_qs;
        };
        const auto figure = [&](const QString& label, TimeNs TaskMetrics::*member) {
            rows.push_back(ComparisonRow { label,
                t.before ? formatTime((*t.before).*member) : u"-"_qs,
                t.after ? formatTime((*t.after).*member) : u"-"_qs,
                t.before && t.after ? change((*t.before).*member, (*t.after).*member) : u"-"_qs });
        };
        rows.push_back(ComparisonRow { t.name + u':', {}, {}, {}, true });
        rows.push_back(ComparisonRow { u"  polls P/R"_qs, polls(t.before), polls(t.after), {} });
        figure(u"  busy"_qs, &TaskMetrics::busy);
        figure(u"  scheduled"_qs, &TaskMetrics::scheduled);
        figure(u"  late"_qs, &TaskMetrics::late);
        figure(u"  idle"_qs, &TaskMetrics::idle);
    }
    return rows;
}

QString comparisonTable(const Comparison& c)
{
    std::vector<ComparisonRow> rows = comparisonRows(c);
    rows.insert(
        rows.begin(), ComparisonRow { QString(), c.titleBefore, c.titleAfter, u"change"_qs });
    qsizetype widths[4] = {};
    for (const ComparisonRow& r : rows) {
        const QString* cells[] = { &r.label, &r.before, &r.after, &r.change };
        for (int i = 0; i < 4; ++i)
            widths[i] = std::max(widths[i], cells[i]->size());
    }
    QString text = c.headline + u"\n\n";
    for (const ComparisonRow& r : rows) {
        QString line = r.label.leftJustified(widths[0]) + u"  " +
            r.before.rightJustified(widths[1]) + u"  " + r.after.rightJustified(widths[2]) + u"  " +
            r.change.rightJustified(widths[3]);
        while (line.endsWith(u' '))
            line.chop(1);
        text += line + u'\n';
    }
    return text;
}

QJsonObject comparisonJson(const Comparison& c)
{
    auto us = [](TimeNs ns) { return double(ns) / 1000.0; };
    QJsonArray tasks;
    for (const TaskComparison& t : c.tasks) {
        auto side = [&](const std::optional<TaskMetrics>& m) -> QJsonValue {
            if (!m)
                return QJsonValue();
            return QJsonObject { { u"polls_pending"_qs, m->pendingPolls },
                { u"polls_ready"_qs, m->readyPolls }, { u"busy_us"_qs, us(m->busy) },
                { u"scheduled_us"_qs, us(m->scheduled) }, { u"late_us"_qs, us(m->late) },
                { u"idle_us"_qs, us(m->idle) } };
        };
        tasks.append(QJsonObject { { u"name"_qs, t.name }, { u"before"_qs, side(t.before) },
            { u"after"_qs, side(t.after) } });
    }
    return QJsonObject {
        { u"before"_qs, c.titleBefore },
        { u"after"_qs, c.titleAfter },
        { u"elapsed_us"_qs, QJsonArray { us(c.elapsedBefore), us(c.elapsedAfter) } },
        { u"polls"_qs, QJsonArray { qint64(c.pollsBefore), qint64(c.pollsAfter) } },
        { u"longest_stall_us"_qs,
            QJsonArray { us(c.longestStallBefore), us(c.longestStallAfter) } },
        { u"tasks"_qs, tasks },
        { u"headline"_qs, c.headline },
    };
}

} // namespace pollscope
