// Narration: one sentence per poll, derived from the trace.

#include "analysis/narration.h"
#include "runtime/combinators.h"
#include "runtime/executor.h"
#include "runtime/futures.h"
#include "runtime/taskfailure.h"

#include <QTest>

#include <algorithm>

using namespace pollscope;
using namespace std::chrono_literals;

namespace {

/// Later events of the current task carry source line `line` (span id = line; see withLines).
void at(int line)
{
    Runtime::current()->setSpan(SpanId(line));
}

/// Gives the trace a span table in which span id n is line n.
Trace withLines(Trace trace)
{
    for (int line = 1; line < 100; ++line)
        trace.tables.spans.push_back(SourceSpan { line, 5, line, 30 });
    return trace;
}

Task<> fetch(QString url)
{
    at(3);
    co_await io(QStringLiteral("GET %1").arg(url), 80ms);
}

Task<> fetchTwo()
{
    at(10);
    auto a = spawn(fetch(u"a.example"_qs), u"fetch-0");
    auto b = spawn(fetch(u"b.example"_qs), u"fetch-1");
    at(12);
    co_await a;
    co_await b;
}

Task<> ticker()
{
    for (int i = 0; i < 12; ++i) {
        at(5);
        co_await sleep(20ms);
    }
}

Task<> yielder()
{
    at(7);
    co_await yieldNow();
}

Task<int> failing()
{
    at(4);
    co_await sleep(5ms);
    at(6);
    throw TaskFailure(u"boom"_qs);
}

Task<> awaitsFailure()
{
    auto handle = spawn(failing(), u"checker");
    try {
        co_await handle;
    } catch (const TaskFailure&) {
    }
}

Task<int> finishAtOnce()
{
    co_return 1;
}

Task<> budget()
{
    std::vector<JoinHandle<int>> handles;
    for (int k = 0; k < 130; ++k)
        handles.push_back(spawn(finishAtOnce()));
    co_await sleep(1ms);
    for (auto& handle : handles)
        co_await handle;
}

Task<> blockingJob()
{
    at(2);
    co_await spawnBlocking(u"read", 50ms);
}

Task<> joinTwoSleeps()
{
    co_await join(sleep(50ms), sleep(100ms));
}

Task<> noLines()
{
    co_await sleep(1ms);
}

Task<> nap()
{
    co_await sleep(20ms);
}

/// A read and a timer fall due while main holds the worker: both are delivered late.
Task<> readBehindABlock()
{
    auto reader = spawn(fetch(u"a.example"_qs), u"reader");
    auto napper = spawn(nap(), u"napper");
    co_await sleep(1ms);
    block(u"stall"_qs, 200ms);
    co_await reader;
    co_await sleep(10ms);
}

/// The sequence number of `task`'s poll `index` (polls in the order they started).
std::size_t pollOf(const Trace& trace, const QString& task, std::uint32_t index)
{
    std::size_t sequence = 0;
    for (const TraceEvent& e : trace.events) {
        if (e.kind != EventKind::PollStart)
            continue;
        if (trace.taskName(e.task) == task && e.aux == index)
            return sequence;
        ++sequence;
    }
    return ~std::size_t(0);
}

} // namespace

class TestNarration : public QObject
{
    Q_OBJECT

private slots:
    void formatTime_data()
    {
        QTest::addColumn<qint64>("ns");
        QTest::addColumn<qint64>("resolution");
        QTest::addColumn<QString>("text");
        QTest::newRow("zero") << qint64(0) << qint64(1) << u"0 ms"_qs;
        QTest::newRow("ns") << qint64(750) << qint64(1) << u"750 ns"_qs;
        QTest::newRow("µs") << qint64(12'500) << qint64(1) << u"12.5 µs"_qs;
        QTest::newRow("ms") << qint64(80'000'000) << qint64(1) << u"80 ms"_qs;
        QTest::newRow("exact ms") << qint64(80'010'000) << qint64(1) << u"80.01 ms"_qs;
        QTest::newRow("s") << qint64(2'000'000'000) << qint64(1) << u"2 s"_qs;
        QTest::newRow("exact s") << qint64(1'000'000'001) << qint64(1) << u"1.000000001 s"_qs;
        QTest::newRow("negative") << qint64(-1'500'000) << qint64(1) << u"-1.5 ms"_qs;
        // Wall-clock traces: to the nearest microsecond.
        QTest::newRow("wall clock s") << qint64(2'789'128'450) << qint64(1000) << u"2.789128 s"_qs;
        QTest::newRow("wall clock up") << qint64(2'789'128'500) << qint64(1000) << u"2.789129 s"_qs;
        QTest::newRow("wall clock ns") << qint64(499) << qint64(1000) << u"0 ms"_qs;
        QTest::newRow("wall clock negative")
            << qint64(-1'500'600) << qint64(1000) << u"-1.501 ms"_qs;
    }
    void formatTime()
    {
        QFETCH(qint64, ns);
        QFETCH(qint64, resolution);
        QFETCH(QString, text);
        QCOMPARE(formatExactTime(ns, resolution), text);
    }

    void roundedTime_data()
    {
        QTest::addColumn<qint64>("ns");
        QTest::addColumn<QString>("text");
        // Zero has a unit like every other time: "failed in 0 ms", not "failed in 0".
        QTest::newRow("zero") << qint64(0) << u"0 ms"_qs;
        QTest::newRow("ns") << qint64(750) << u"750 ns"_qs;
        QTest::newRow("µs") << qint64(35'260) << u"35.3 µs"_qs;
        QTest::newRow("ms") << qint64(120'070'000) << u"120 ms"_qs;
        QTest::newRow("s") << qint64(1'500'000'000) << u"1.5 s"_qs;
        QTest::newRow("negative") << qint64(-570'080'000) << u"-570 ms"_qs;
        QTest::newRow("never") << qint64(kNever) << u"-"_qs;
    }
    void roundedTime()
    {
        QFETCH(qint64, ns);
        QFETCH(QString, text);
        QCOMPARE(pollscope::formatTime(ns), text);
    }

    void pendingOnIo()
    {
        const Trace trace = withLines(recordRun(fetchTwo()));
        const Narration narration(trace);
        QCOMPARE(narration.pollSentence(pollOf(trace, u"fetch-1"_qs, 0)),
            u"fetch-1 returned Pending at line 3: waiting for GET b.example, due at 80 ms"_qs);
        QCOMPARE(narration.stepSentence(pollOf(trace, u"fetch-1"_qs, 1)),
            u"fetch-1 was woken when GET b.example completed at 80 ms and returned Ready at line 3 "
            u"after 2 polls"_qs);
    }

    void spawnAndStart()
    {
        const Trace trace = withLines(recordRun(fetchTwo()));
        const Narration narration(trace);
        QCOMPARE(narration.wakeSentence(pollOf(trace, u"fetch-0"_qs, 0)),
            u"fetch-0 was spawned by main at 0 ms"_qs);
        QCOMPARE(narration.wakeSentence(pollOf(trace, u"main"_qs, 0)), u"main started at 0 ms"_qs);
        QCOMPARE(narration.pollSentence(pollOf(trace, u"main"_qs, 0)),
            u"main returned Pending at line 12: waiting for fetch-0 to finish"_qs);
        QCOMPARE(narration.wakeSentence(pollOf(trace, u"main"_qs, 1)),
            u"main was woken when fetch-0 finished at 80 ms"_qs);
        // The same wake told from its event, as a wake arrow's tooltip tells it.
        const auto wake = std::find_if(trace.events.begin(), trace.events.end(),
            [](const TraceEvent& e) { return e.kind == EventKind::Wake && e.task == kMainTask; });
        QVERIFY(wake != trace.events.end());
        QCOMPARE(narration.wakeEventSentence(std::size_t(wake - trace.events.begin())),
            u"main was woken when fetch-0 finished at 80 ms"_qs);
    }

    void readyCountsPolls()
    {
        const Trace trace = withLines(recordRun(fetchTwo()));
        const Narration narration(trace);
        QCOMPARE(narration.pollCount(), std::size_t(6));
        const std::size_t last = narration.pollCount() - 1;
        QCOMPARE(narration.pollSentence(last), u"main returned Ready at line 12 after 2 polls"_qs);
        QCOMPARE(trace.events[narration.pollStartEvent(last)].kind, EventKind::PollStart);
    }

    void timers()
    {
        const Trace trace = withLines(recordRun(ticker()));
        const Narration narration(trace);
        QCOMPARE(narration.wakeSentence(11), u"main was woken by its timer at 220 ms"_qs);
        QCOMPARE(narration.pollSentence(10),
            u"main returned Pending at line 5: waiting for a timer due at 220 ms"_qs);
    }

    void yieldShowsAsTheNextWake()
    {
        const Trace trace = withLines(recordRun(yielder()));
        const Narration narration(trace);
        QCOMPARE(narration.pollSentence(0),
            u"main returned Pending at line 7: it yielded (yield_now) and runs again after the "
            u"reactor's turn"_qs);
        QCOMPARE(narration.wakeSentence(1), u"main was woken by its own yield_now at 0 ms"_qs);
    }

    void failure()
    {
        const Trace trace = withLines(recordRun(awaitsFailure()));
        const Narration narration(trace);
        QCOMPARE(narration.pollSentence(pollOf(trace, u"checker"_qs, 1)),
            u"checker failed at line 6 after 2 polls: boom"_qs);
    }

    void budgetWakesItself()
    {
        const Trace trace = recordRun(budget());
        const Narration narration(trace);
        const std::size_t spent = pollOf(trace, u"main"_qs, 1);
        QCOMPARE(narration.pollSentence(spent),
            u"main returned Pending: its cooperative budget ran out, so it woke itself and went "
            u"back to the run queue"_qs);
        QCOMPARE(narration.wakeSentence(pollOf(trace, u"main"_qs, 2)),
            u"main woke itself at 1 ms after its cooperative budget ran out"_qs);
    }

    void blockingJobs()
    {
        const Trace trace = withLines(recordRun(blockingJob()));
        const Narration narration(trace);
        QCOMPARE(narration.pollSentence(0),
            u"main returned Pending at line 2: waiting for blocking job read, done at 50 ms"_qs);
        QCOMPARE(narration.wakeSentence(1),
            u"main was woken when blocking job read finished at 50 ms"_qs);
    }

    void lateDeliveriesSayWhenTheyWereDue()
    {
        const Trace trace = recordRun(readBehindABlock());
        const Narration narration(trace);
        QCOMPARE(narration.wakeSentence(pollOf(trace, u"reader"_qs, 1)),
            u"reader was woken when GET a.example, due at 80 ms, 121 ms late, was delivered at "
            "201 ms"_qs);
        QCOMPARE(narration.wakeSentence(pollOf(trace, u"napper"_qs, 1)),
            u"napper was woken by its timer, due at 20 ms, 181 ms late at 201 ms"_qs);
        // main's timer was due at 1 ms; the 10 ms sleep after the block is delivered on time.
        QCOMPARE(narration.wakeSentence(pollOf(trace, u"main"_qs, 1)),
            u"main was woken by its timer at 1 ms"_qs);
        QCOMPARE(narration.wakeSentence(pollOf(trace, u"main"_qs, 3)),
            u"main was woken by its timer at 211 ms"_qs);
    }

    void severalWaits()
    {
        const Trace trace = recordRun(joinTwoSleeps());
        const Narration narration(trace);
        QCOMPARE(narration.pollSentence(0),
            u"main returned Pending: waiting for a timer due at 50 ms and a timer due at 100 ms"_qs);
        // The next poll registers nothing new: the 100 ms timer is still pending.
        QCOMPARE(narration.pollSentence(1),
            u"main returned Pending: still waiting on what it registered before"_qs);
    }

    void unknownLinesAreLeftOut()
    {
        const Trace trace = recordRun(noLines());
        const Narration narration(trace);
        QCOMPARE(narration.pollSentence(0),
            u"main returned Pending: waiting for a timer due at 1 ms"_qs);
        QCOMPARE(narration.pollSentence(1), u"main returned Ready after 2 polls"_qs);
    }

    void emptyTrace()
    {
        const Trace trace;
        const Narration narration(trace);
        QCOMPARE(narration.pollCount(), std::size_t(0));
    }
};

QTEST_GUILESS_MAIN(TestNarration)
#include "tst_narration.moc"
