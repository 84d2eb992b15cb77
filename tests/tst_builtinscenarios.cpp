// Every built-in scenario runs, and shows the figure it was written to show.

#include "script/compiler.h"
#include "script/interpreter.h"
#include "script/scenariolibrary.h"
#include "testsupport.h"
#include "trace/metrics.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace pollscope;
using namespace pollscope::testing;

namespace {

constexpr TimeNs ms(double milliseconds) { return TimeNs(milliseconds * 1e6); }

Trace runBuiltin(const QString& name, const QString& variant = {})
{
    const ScenarioEntry* entry = ScenarioLibrary::find(name);
    if (!entry)
        return Trace {};
    const CompileResult compiled = compileScenario(entry->source, entry->path, variant);
    if (!compiled.ok()) {
        qWarning().noquote() << compiled.errorText();
        return Trace {};
    }
    return runScenario(*compiled.program);
}

TaskId taskNamed(const Trace& trace, const QString& name)
{
    for (TaskId task = 0; task < trace.tables.tasks.size(); ++task)
        if (trace.taskName(task) == name)
            return task;
    return kNoTask;
}

/// Start times of one task's polls.
std::vector<TimeNs> pollStarts(const Trace& trace, const QString& task)
{
    const TaskId id = taskNamed(trace, task);
    std::vector<TimeNs> starts;
    for (const TraceEvent& e : trace.events)
        if (e.kind == EventKind::PollStart && e.task == id)
            starts.push_back(e.time);
    return starts;
}

TaskMetrics metricsOf(const Trace& trace, const QString& task)
{
    return computeMetrics(trace).tasks.at(taskNamed(trace, task));
}

} // namespace

class TestBuiltinScenarios : public QObject
{
    Q_OBJECT

private slots:
    void everyBuiltinRuns_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("variant");
        QVERIFY(ScenarioLibrary::builtins().size() >= 14);
        for (const ScenarioEntry& entry : ScenarioLibrary::builtins()) {
            QTest::newRow(qPrintable(entry.name)) << entry.name << QString();
            for (const QString& variant : entry.variants)
                QTest::newRow(qPrintable(entry.name + u':' + variant)) << entry.name << variant;
        }
    }
    void everyBuiltinRuns()
    {
        QFETCH(QString, name);
        QFETCH(QString, variant);
        const ScenarioEntry* entry = ScenarioLibrary::find(name);
        QVERIFY(entry);
        QVERIFY2(!entry->title.isEmpty() && entry->title != name, "a built-in needs a title");
        QVERIFY2(entry->about.size() > 80, "a built-in's about text says what to watch for");
        const Trace trace = runBuiltin(name, variant);
        QCOMPARE(trace.report.status, RunStatus::Completed);
        QVERIFY(trace.report.polls > 0);
    }

    void aFileWithErrorsStillOffersItsVariants()
    {
        QTemporaryDir dir;
        const auto load = [&](const QString& text) {
            const QString path = dir.filePath(u"broken.scn"_qs);
            QFile file(path);
            if (!file.open(QIODevice::WriteOnly) || file.write(text.toUtf8()) < 0)
                return QStringList { u"(not written)"_qs };
            file.close();
            ScenarioEntry entry;
            QString error;
            return ScenarioLibrary::load(path, entry, error) ? entry.variants
                                                             : QStringList { error };
        };
        // main has an error that the variant replaces.
        QCOMPARE(load(u"async fn main() { foo(); }\n"
                      u"variant \"fix\" { async fn main() { sleep(1ms).await; } }\n"_qs),
            QStringList { u"fix"_qs });
        // A text that does not parse cannot say which variants it has.
        QCOMPARE(load(u"async fn main() { let x = ; }\n"
                      u"variant \"fix\" { async fn main() { sleep(1ms).await; } }\n"_qs),
            QStringList());
    }

    void pageTitleIsTwoAwaits()
    {
        const Trace trace = runBuiltin(u"page-title"_qs);
        QCOMPARE(pollStarts(trace, u"main"_qs), (std::vector<TimeNs> { 0, ms(80), ms(120) }));
        QCOMPARE(trace.report.elapsed, ms(120.01));
    }

    void spawningFirstIsThreeTimesFaster()
    {
        const Trace loop = runBuiltin(u"await-in-loop"_qs);
        QCOMPARE(loop.report.elapsed, ms(360.01));
        const Trace fixed = runBuiltin(u"await-in-loop"_qs, u"spawn first"_qs);
        const Trace spawned = runBuiltin(u"spawn-first"_qs);
        QCOMPARE(spawned.report.elapsed, fixed.report.elapsed);
        QVERIFY(spawned.report.elapsed >= ms(120) && spawned.report.elapsed < ms(120.1));
        QCOMPARE(spawned.tables.tasks.size(), std::size_t(4));
    }

    void blockingCallDelaysTheTicker()
    {
        const Trace trace = runBuiltin(u"blocking-in-loop"_qs);
        const std::vector<TimeNs> ticker = pollStarts(trace, u"ticker"_qs);
        QCOMPARE(ticker.front(), ms(200.01)); // spawned at 0, first polled after main's 200 ms poll
        QCOMPARE(metricsOf(trace, u"ticker"_qs).scheduled, ms(200.01));
        QCOMPARE(trace.report.elapsed, ms(301.02)); // ticks at 221, 241, ... 301 ms; then main
    }

    void spawnBlockingKeepsTheWorkerFree()
    {
        for (const Trace& trace : { runBuiltin(u"spawn-blocking-fix"_qs), runBuiltin(u"blocking-in-loop"_qs, u"spawn_blocking"_qs) }) {
            const TaskMetrics ticker = metricsOf(trace, u"ticker"_qs);
            QVERIFY(ticker.ended >= ms(100) && ticker.ended < ms(102));
            const std::vector<TimeNs> main = pollStarts(trace, u"main"_qs);
            // One poll per read: 0, 50, 100, 150 and Ready at 200 ms.
            QCOMPARE(main.size(), std::size_t(5));
            QVERIFY(main.back() >= ms(200) && main.back() < ms(200.1));
            QCOMPARE(countEvents(trace, EventKind::JobStart), 4);
        }
    }

    void cpuHeavyLoopStarvesTheTicker()
    {
        const Trace heavy = runBuiltin(u"cpu-heavy"_qs);
        QVERIFY(pollStarts(heavy, u"ticker"_qs).at(1) >= ms(100));
        QCOMPARE(metricsOf(heavy, u"checksum"_qs).longestPoll, ms(100.01));
        for (const Trace& yielding : { runBuiltin(u"cpu-heavy-yield"_qs), runBuiltin(u"cpu-heavy"_qs, u"yield_now"_qs) }) {
            QVERIFY(pollStarts(yielding, u"ticker"_qs).at(1) < ms(31));
            QCOMPARE(metricsOf(yielding, u"checksum"_qs).longestPoll, ms(10.01));
        }
    }

    void forgottenAwaitNeverRuns()
    {
        const Trace forgot = runBuiltin(u"forgot-await"_qs);
        QCOMPARE(countEvents(forgot, EventKind::Unpolled), 1);
        QCOMPARE(marks(forgot), QStringList { u"saved order-2"_qs });
        QCOMPARE(forgot.report.elapsed, ms(30.01));
        const Trace fixed = runBuiltin(u"forgot-await"_qs, u"with .await"_qs);
        QCOMPARE(countEvents(fixed, EventKind::Unpolled), 0);
        QCOMPARE(marks(fixed), (QStringList { u"saved order-1"_qs, u"saved order-2"_qs }));
    }

    void joinRunsBranchesInOneTask()
    {
        const Trace trace = runBuiltin(u"join-fixed-set"_qs);
        QCOMPARE(trace.tables.tasks.size(), std::size_t(1));
        QCOMPARE(pollStarts(trace, u"main"_qs), (std::vector<TimeNs> { 0, ms(50), ms(80), ms(120) }));
        QCOMPARE(marks(trace), QStringList { u"got [a.example, b.example, c.example]"_qs });
    }

    void selectDropsTheLoser()
    {
        const Trace race = runBuiltin(u"select-race"_qs);
        QCOMPARE(race.report.elapsed, ms(60.01));
        QCOMPARE(marks(race), QStringList { u"downloaded from mirror-us"_qs });
        QCOMPARE(countEvents(race, EventKind::Cancel), 1);
        const Trace timeout = runBuiltin(u"select-timeout"_qs);
        QCOMPARE(timeout.report.elapsed, ms(100.01));
        QCOMPARE(marks(timeout), QStringList { u"timed out after 100ms"_qs });
        QCOMPARE(countEvents(timeout, EventKind::Cancel), 1);
    }

    void questionMarkStopsAtTheFirstError()
    {
        const Trace trace = runBuiltin(u"error-propagation"_qs);
        QStringList requests;
        for (const ResourceRecord& r : trace.tables.resources)
            if (r.kind == ResourceKind::Io)
                requests << trace.string(r.label);
        QCOMPARE(requests, (QStringList { u"GET a.example"_qs, u"GET b.example"_qs, u"GET b.example"_qs }));
        QCOMPARE(marks(trace), (QStringList { u"fetch_all: error: 404 Not Found: b.example"_qs,
                                              u"checker: error: 404 Not Found: b.example"_qs }));
        QVERIFY(metricsOf(trace, u"checker"_qs).failed);
    }

    void blockingReadStallsTheChat()
    {
        const Trace blocking = runBuiltin(u"chat-blocking"_qs);
        const Trace async = runBuiltin(u"chat-async"_qs);
        QCOMPARE(metricsOf(blocking, u"carol"_qs).longestPoll, ms(600.02));
        QVERIFY(metricsOf(blocking, u"alice"_qs).ended > ms(680));
        QVERIFY(metricsOf(async, u"alice"_qs).ended < ms(121));
        QVERIFY(metricsOf(async, u"bob"_qs).ended < ms(121));
    }
};

QTEST_GUILESS_MAIN(TestBuiltinScenarios)
#include "tst_builtinscenarios.moc"
