// The trace model: event size, metrics derived from events, JSON lines.

#include "runtime/executor.h"
#include "runtime/futures.h"
#include "script/compiler.h"
#include "script/interpreter.h"
#include "trace/chrometrace.h"
#include "trace/jsonlines.h"
#include "trace/metrics.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <memory>

using namespace pollscope;
using namespace std::chrono_literals;

namespace {

Task<> ticker()
{
    for (int i = 0; i < 5; ++i)
        co_await sleep(20ms);
}

Task<> blockingInPoll()
{
    auto tick = spawn(ticker(), u"ticker");
    block(u"read", 200ms);
    co_await tick;
}

Task<> fetch()
{
    co_await io(u"GET a.example", 80ms);
}

/// A read falls due at 80 ms while main holds the worker until 201 ms.
Task<> readBehindABlock()
{
    auto reader = spawn(fetch(), u"reader");
    co_await sleep(1ms);
    block(u"stall", 200ms);
    co_await reader;
}

Task<> spawnOne()
{
    co_await spawn(fetch(), u"fetch-0");
}

QList<QJsonObject> jsonLines(const Trace& trace)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    if (!writeJsonLines(trace, buffer))
        return {};
    QList<QJsonObject> lines;
    for (const QByteArray& line : buffer.data().split('\n'))
        if (!line.isEmpty())
            lines << QJsonDocument::fromJson(line).object();
    return lines;
}

} // namespace

class TestTrace : public QObject {
    Q_OBJECT

private slots:
    void eventsAreCompact() { QCOMPARE(sizeof(TraceEvent), std::size_t(24)); }

    /// The kept mapping is process-wide: this test assumes no other thread records meanwhile.
    void aReleasedLogsMemoryIsReusedByTheNextLog()
    {
#if !defined(Q_OS_LINUX)
        QSKIP("logs are recycled on Linux only");
#else
        const auto event = [](TimeNs at) {
            return TraceEvent { at, 0, 0, 0, EventKind::Mark, 0, 0 };
        };
        // Takes whatever an earlier test left behind.
        EventLog earlier;
        earlier.push_back(event(0));
        QCOMPARE(EventLog::recycledBytes(), std::size_t(0));

        const std::size_t twoHugePages = std::size_t(4) << 20;
        auto large = std::make_unique<EventLog>();
        large->reserve(twoHugePages / sizeof(TraceEvent));
        auto small = std::make_unique<EventLog>();
        small->push_back(event(1));
        large->push_back(event(2));
        const TraceEvent* const largeData = large->data();
        large.reset();
        QCOMPARE(EventLog::recycledBytes(), twoHugePages);
        // The smaller mapping goes; the larger one stays for the next log.
        small.reset();
        QCOMPARE(EventLog::recycledBytes(), twoHugePages);

        auto next = std::make_unique<EventLog>();
        QCOMPARE(EventLog::recycledBytes(), twoHugePages); // taken at the first append only
        next->push_back(event(3));
        next->push_back(event(4));
        QCOMPARE(EventLog::recycledBytes(), std::size_t(0));
        QCOMPARE(next->data(), largeData);
        QCOMPARE(next->size(), std::size_t(2));
        QCOMPARE((*next)[0].time, TimeNs(3));
        QCOMPARE(next->back().time, TimeNs(4));
        // It records past the recycled mapping's end as a fresh log would.
        const auto pastTheEnd = TimeNs(twoHugePages / sizeof(TraceEvent)) + 10;
        for (TimeNs at = 5; at < pastTheEnd; ++at)
            next->push_back(event(at));
        QCOMPARE(next->back().time, pastTheEnd - 1);
        QCOMPARE((*next)[2].time, TimeNs(5));
        next.reset();

        // Of a huge log, 256 MiB are kept (the pages were never touched: nothing is resident).
        auto huge = std::make_unique<EventLog>();
        huge->reserve((std::size_t(300) << 20) / sizeof(TraceEvent));
        huge->push_back(event(0));
        huge.reset();
        QCOMPARE(EventLog::recycledBytes(), std::size_t(256) << 20);
#endif
    }

    void metricsSplitEachTasksLife()
    {
        RuntimeSettings settings;
        settings.pollCost = 10'000;
        const Trace trace = recordRun(blockingInPoll(), settings);
        const RunMetrics metrics = computeMetrics(trace);
        QCOMPARE(metrics.tasks.size(), std::size_t(2));
        const TaskMetrics& main = metrics.tasks[0];
        const TaskMetrics& ticker = metrics.tasks[1];
        // main: one 200 ms + 10 µs poll, then waits for the ticker.
        QCOMPARE(main.pendingPolls, 1);
        QCOMPARE(main.readyPolls, 1);
        QCOMPARE(main.busy, 200'010'000 + 10'000);
        QCOMPARE(main.scheduled, 0);
        // The ticker was spawned at 0 and first polled when main's poll ended.
        QCOMPARE(ticker.pendingPolls, 5);
        QCOMPARE(ticker.readyPolls, 1);
        QCOMPARE(ticker.scheduled, 200'010'000);
        QCOMPARE(ticker.longestStall, 200'010'000);
        QCOMPARE(ticker.firstPoll, 200'010'000);
        QCOMPARE(ticker.busy, 6 * 10'000);
        QCOMPARE(ticker.spawned, 0);
        QVERIFY(ticker.completed);
        QCOMPARE(ticker.busy + ticker.scheduled + ticker.idle, ticker.ended - ticker.spawned);
        QCOMPARE(main.busy + main.scheduled + main.idle, metrics.elapsed);
        QCOMPARE(metrics.elapsed, trace.report.elapsed);
    }

    void aWakeDeliveredLateIsLateNotIdle()
    {
        const Trace trace = recordRun(readBehindABlock());
        const RunMetrics metrics = computeMetrics(trace);
        const TaskMetrics& reader = metrics.tasks[1];
        // Pending from 0; the read was due at 80 ms and delivered when main's poll ended.
        QCOMPARE(reader.ended, 201'000'000);
        QCOMPARE(reader.idle, 80'000'000);
        QCOMPARE(reader.late, 121'000'000);
        QCOMPARE(reader.longestStall, 121'000'000);
        QCOMPARE(reader.busy + reader.scheduled + reader.late + reader.idle, reader.ended);
        // main's own timer came on time.
        QCOMPARE(metrics.tasks[0].late, 0);
        QCOMPARE(metrics.tasks[0].idle, 1'000'000);

        // Halfway through the block the read is 70 ms overdue.
        const auto mainsSecondStart = std::size_t(
            std::find_if(trace.events.begin(), trace.events.end(),
                [](const TraceEvent& e) {
                    return e.kind == EventKind::PollStart && e.task == kMainTask && e.aux == 1;
                }) -
            trace.events.begin());
        MetricsAccumulator accumulator(trace);
        accumulator.advanceTo(mainsSecondStart + 1);
        const TaskMetrics halfway = accumulator.metricsAt(150'000'000).tasks[1];
        QCOMPARE(halfway.late, 70'000'000);
        QCOMPARE(halfway.idle, 80'000'000);
    }

    void aWakeIsLateBeyondTheClocksTolerance()
    {
        Trace trace;
        trace.tables.resources.push_back(
            ResourceRecord { ResourceKind::Timer, 0, 0, 0, 0, 10'000'000, 0, 0 });
        const auto timerWake = [](TimeNs at) {
            return TraceEvent { at, 0, 0, 0, EventKind::Wake, std::uint8_t(WakeCause::Timer), 0 };
        };
        // The virtual clock delivers on time unless the worker was held: 1 ns after is late.
        QCOMPARE(trace.lateWakeDeadline(timerWake(10'000'000)), kNever);
        QCOMPARE(trace.lateWakeDeadline(timerWake(10'000'001)), 10'000'000);
        // A real event loop's timers lag a little anyway: 2 ms is not late, 20 ms is.
        trace.virtualClock = false;
        QCOMPARE(trace.lateWakeDeadline(timerWake(12'000'000)), kNever);
        QCOMPARE(trace.lateWakeDeadline(timerWake(30'000'000)), 10'000'000);
        // A wake by anything but a timer or I/O is never late.
        TraceEvent byYield = timerWake(30'000'000);
        byYield.detail = std::uint8_t(WakeCause::Yield);
        QCOMPARE(trace.lateWakeDeadline(byYield), kNever);
    }

    void onlyTheWakeOfALateTimerOrIoIsLate()
    {
        // Two timers fire in one pass: only the first wakes the task. After them the task waits
        // 990 ms for a channel, which is idle, not late; nor is the 41 ms it waits for a value
        // sent late, after a 10 ms timer that lost a select, while main held the worker.
        const CompileResult compiled = compileScenario(uR"(runtime current_thread(poll_cost: 0us)
async fn t(ch) {
    join(sleep(10ms), sleep(10ms)).await;
    ch.recv().await;
    select(ch.recv(), sleep(10ms)).await;
}
async fn main() {
    let ch = channel(1);
    let h = spawn t(ch) as "t";
    sleep(1s).await;
    ch.send(1).await;
    sleep(1ms).await;
    block("hold", 50ms);
    ch.send(2).await;
    h.await;
})"_qs,
            u"late.scn"_qs);
        QVERIFY(compiled.ok());
        const Trace trace = runScenario(*compiled.program);
        QCOMPARE(trace.report.status, RunStatus::Completed);
        const RunMetrics metrics = computeMetrics(trace);
        const TaskMetrics& t = metrics.tasks[1];
        QCOMPARE(t.late, 0);
        QCOMPARE(t.busy + t.scheduled + t.late + t.idle, t.ended - t.spawned);
    }

    void metricsUpToAPointSeeOnlyWhatHadHappened()
    {
        RuntimeSettings settings;
        settings.pollCost = 10'000;
        const Trace trace = recordRun(blockingInPoll(), settings);
        const auto mainsFirstEnd =
            std::size_t(std::find_if(trace.events.begin(), trace.events.end(),
                            [](const TraceEvent& e) { return e.kind == EventKind::PollEnd; }) -
                trace.events.begin());
        const TimeNs end = trace.events[mainsFirstEnd].time;
        QCOMPARE(end, 200'010'000);

        // After main's blocking poll: the ticker, spawned at 0, has been waiting in the run
        // queue ever since, not idle; it has not been polled yet.
        MetricsAccumulator accumulator(trace);
        accumulator.advanceTo(mainsFirstEnd + 1);
        RunMetrics metrics = accumulator.metricsAt(end);
        QCOMPARE(metrics.elapsed, end);
        QCOMPARE(metrics.tasks.size(), std::size_t(2));
        QCOMPARE(metrics.tasks[0].pendingPolls, 1);
        QCOMPARE(metrics.tasks[0].busy, end);
        QCOMPARE(metrics.tasks[0].idle, 0);
        const TaskMetrics& ticker = metrics.tasks[1];
        QCOMPARE(ticker.polls(), 0);
        QCOMPARE(ticker.scheduled, end);
        QCOMPARE(ticker.idle, 0);
        QCOMPARE(ticker.firstPoll, kNever);
        QVERIFY(!ticker.completed);

        // Before main's poll ended, only main had done anything; its poll runs to the point.
        accumulator.advanceTo(1);
        QCOMPARE(accumulator.eventCount(), std::size_t(1));
        metrics = accumulator.metricsAt(5'000);
        QCOMPARE(metrics.tasks.size(), std::size_t(1));
        QCOMPARE(metrics.tasks[0].polls(), 0);
        QCOMPARE(metrics.tasks[0].busy + metrics.tasks[0].scheduled, 5'000);

        // Moving forward again folds in what it passes, as a fresh start would; at the end it
        // is the whole run's.
        const auto figures = [](const RunMetrics& m) {
            QList<QList<qint64>> rows;
            for (const TaskMetrics& t : m.tasks)
                rows.append({ qint64(t.task), t.pendingPolls, t.readyPolls, t.busy, t.scheduled,
                    t.late, t.idle, t.firstPoll, t.lastPoll, t.ended, t.longestStall });
            return rows;
        };
        for (std::size_t n = 1; n <= trace.events.size(); ++n) {
            accumulator.advanceTo(n);
            MetricsAccumulator fresh(trace);
            fresh.advanceTo(n);
            const TimeNs at = trace.events[n - 1].time;
            QCOMPARE(figures(accumulator.metricsAt(at)), figures(fresh.metricsAt(at)));
        }
        QCOMPARE(
            figures(accumulator.metricsAt(trace.report.elapsed)), figures(computeMetrics(trace)));
    }

    void jsonLinesFollowTheReferenceShape()
    {
        const QList<QJsonObject> lines = jsonLines(recordRun(spawnOne()));
        QStringList kinds;
        for (const QJsonObject& line : lines)
            kinds << line.value(u"event").toString();
        QCOMPARE(kinds,
            (QStringList { u"poll"_qs, u"spawn"_qs, u"wait"_qs, u"poll"_qs, u"wait"_qs, u"wake"_qs,
                u"poll"_qs, u"complete"_qs, u"wake"_qs, u"poll"_qs, u"complete"_qs, u"done"_qs }));
        const QJsonObject firstPoll = lines[0];
        QCOMPARE(firstPoll.value(u"seq").toInt(), 0);
        QCOMPARE(firstPoll.value(u"task").toString(), u"main"_qs);
        QCOMPARE(firstPoll.value(u"index").toInt(), 0);
        QCOMPARE(firstPoll.value(u"outcome").toString(), u"Pending"_qs);
        const QJsonObject spawn = lines[1];
        QCOMPARE(spawn.value(u"parent").toString(), u"main"_qs);
        QCOMPARE(spawn.value(u"child").toString(), u"fetch-0"_qs);
        QCOMPARE(lines[2].value(u"on").toString(), u"task"_qs);
        QCOMPARE(lines[2].value(u"target").toString(), u"fetch-0"_qs);
        QCOMPARE(lines[4].value(u"on").toString(), u"io"_qs);
        QCOMPARE(lines[4].value(u"label").toString(), u"GET a.example"_qs);
        QCOMPARE(lines[4].value(u"deadline_us").toInteger(), 80000);
        QCOMPARE(lines[5].value(u"cause").toString(), u"io"_qs);
        QCOMPARE(lines[5].value(u"t_us").toInteger(), 80000);
        QCOMPARE(lines[8].value(u"cause").toString(), u"task"_qs);
        const QJsonObject done = lines.last();
        QCOMPARE(done.value(u"elapsed_us").toInteger(), 80000);
        QCOMPARE(done.value(u"clock").toString(), u"virtual"_qs);
        QCOMPARE(done.value(u"status").toString(), u"completed"_qs);
    }

    void jsonStringsAreEscapedAsQtDoes_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("plain") << u"GET a.example"_qs;
        QTest::newRow("quotes and backslash") << u"save(\"order-1\") \\ done"_qs;
        QTest::newRow("controls") << QString::fromUtf16(u"a\nb\tc\rd\be\ff\x01g\x1fh\x7f");
        QTest::newRow("non-ASCII") << u"µs, ü, 時間, 😀"_qs;
        QTest::newRow("lone surrogate") << QString(QChar(0xd800)) + u"x" + QChar(0xdc00);
        QTest::newRow("empty") << QString();
    }
    void jsonStringsAreEscapedAsQtDoes()
    {
        QFETCH(QString, text);
        const QByteArray qt = QJsonDocument(QJsonArray { text }).toJson(QJsonDocument::Compact);
        QCOMPARE(JsonWriter::escape(text), qt.mid(2, qt.size() - 4));
    }

    void chromeTraceTracksNeverShareAnId()
    {
        // 995 pool lanes: with lanes from tid 10 and tasks from tid 1000, lane 990 would be main's
        // track.
        const CompileResult compiled =
            compileScenario(uR"(runtime current_thread(blocking_threads: 1000)
async fn quick() { mark("q"); }
async fn main() {
    let mut jobs = [];
    for i in 0..995 { jobs.push(spawn_blocking("job", 1ms)); }
    let q = spawn quick();
    for j in jobs { j.await; }
    q.await;
})"_qs,
                u"lanes.scn"_qs);
        QVERIFY(compiled.ok());
        const Trace trace = runScenario(*compiled.program);
        QCOMPARE(trace.report.status, RunStatus::Completed);
        QBuffer buffer;
        QVERIFY(buffer.open(QIODevice::WriteOnly));
        QVERIFY(writeChromeTrace(trace, u"lanes"_qs, buffer));
        QJsonParseError error;
        const QJsonArray events =
            QJsonDocument::fromJson(buffer.data(), &error).object().value(u"traceEvents").toArray();
        QCOMPARE(error.error, QJsonParseError::NoError);

        // Every track is named once, and each tid names one track.
        QHash<int, QString> names;
        QSet<int> tasks, lanes;
        for (const QJsonValue& value : events) {
            const QJsonObject e = value.toObject();
            if (e.value(u"ph").toString() != u"M" || e.value(u"name").toString() != u"thread_name")
                continue;
            const int tid = e.value(u"tid").toInt();
            const QString name = e.value(u"args").toObject().value(u"name").toString();
            QVERIFY2(!names.contains(tid),
                qPrintable(u"tid %1 names %2 and %3"_qs.arg(tid).arg(names.value(tid), name)));
            names.insert(tid, name);
            if (name.startsWith(u"blocking pool "))
                lanes.insert(tid);
            else if (name != u"worker" && name != u"reactor")
                tasks.insert(tid);
        }
        QCOMPARE(tasks.size(), 2);
        QCOMPARE(lanes.size(), 995);
        QCOMPARE(names.size(), 2 + 2 + 995);
        // Polls sit on task tracks, jobs on lane tracks.
        int polls = 0, jobs = 0;
        for (const QJsonValue& value : events) {
            const QJsonObject e = value.toObject();
            if (e.value(u"ph").toString() != u"X")
                continue;
            const QString name = e.value(u"name").toString();
            const int tid = e.value(u"tid").toInt();
            if (name == u"Pending" || name == u"Ready") {
                QVERIFY(tasks.contains(tid));
                ++polls;
            } else if (name == u"job") {
                QVERIFY(lanes.contains(tid));
                ++jobs;
            }
        }
        QCOMPARE(polls, int(trace.report.polls));
        QCOMPARE(jobs, 995);
    }

    void aDeadlineThatNeverComesIsNull()
    {
        const Trace trace = recordRun([]() -> Task<> {
            co_await spawnBlocking(u"forever", std::chrono::nanoseconds(kNever));
        }());
        const QList<QJsonObject> lines = jsonLines(trace);
        const auto wait = std::find_if(lines.begin(), lines.end(),
            [](const QJsonObject& line) { return line.value(u"event").toString() == u"wait"; });
        QVERIFY(wait != lines.end());
        QCOMPARE(wait->value(u"on").toString(), u"blocking_job"_qs);
        QVERIFY(wait->value(u"deadline_us").isNull());
    }

    void microsecondsAreExact_data()
    {
        QTest::addColumn<qint64>("ns");
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("zero") << qint64(0) << QByteArray("0");
        QTest::newRow("whole") << qint64(80'000'000) << QByteArray("80000");
        QTest::newRow("fraction") << qint64(1'500) << QByteArray("1.500");
        QTest::newRow("small") << qint64(7) << QByteArray("0.007");
    }
    void microsecondsAreExact()
    {
        QFETCH(qint64, ns);
        QFETCH(QByteArray, text);
        QCOMPARE(formatMicros(ns), text);
    }
};

QTEST_GUILESS_MAIN(TestTrace)
#include "tst_trace.moc"
