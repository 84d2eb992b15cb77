// The model executor against tokio 1.24's recorded traces and DESIGN.md's executor rules.

#include "referencetraces.h"
#include "runtime/combinators.h"
#include "runtime/executor.h"
#include "runtime/frameallocator.h"
#include "runtime/futures.h"
#include "runtime/taskfailure.h"

#include <QTest>

using namespace pollscope;
using namespace std::chrono_literals;

namespace {

// --- The reference scenarios, written as C++ coroutines (tests/data/...traces.jsonl) ---

Task<> sequential()
{
    for (const char* site : { "a", "b", "c" }) {
        co_await sleep(120ms);
        mark(QStringLiteral("fetched-%1").arg(QLatin1String(site)));
    }
}

Task<> pageTitle()
{
    co_await sleep(80ms);
    mark(u"get-done");
    co_await sleep(40ms);
    mark(u"text-done");
}

Task<int> fetch(int k)
{
    co_await sleep(80ms);
    co_await sleep(40ms);
    co_return k;
}

Task<> spawned()
{
    std::vector<JoinHandle<int>> handles;
    for (int k = 0; k < 3; ++k)
        handles.push_back(spawn(fetch(k), QStringLiteral("fetch-%1").arg(k)));
    for (auto& handle : handles) {
        const int k = co_await handle;
        mark(QStringLiteral("joined-fetch-%1=%1").arg(k));
    }
}

Task<> sleepThenMark(std::chrono::milliseconds d, const char* label)
{
    co_await sleep(d);
    mark(QLatin1String(label));
}

Task<> joinTwo() { co_await join(sleepThenMark(50ms, "a-done"), sleepThenMark(100ms, "b-done")); }

Task<> selectTwo()
{
    const auto won = co_await select(sleep(50ms), sleep(100ms));
    if (won.index() == 0)
        mark(u"select-won:a(50ms)");
}

Task<> yielder(int yields)
{
    for (int i = 0; i < yields; ++i)
        co_await yieldNow();
}

Task<> yieldMany()
{
    std::vector<JoinHandle<void>> handles;
    for (int k = 0; k < 3; ++k)
        handles.push_back(spawn(yielder(3), QStringLiteral("yield-%1").arg(k)));
    for (auto& handle : handles)
        co_await handle;
}

Task<> ticker()
{
    for (int i = 0; i < 5; ++i) {
        co_await sleep(20ms);
        mark(QStringLiteral("tick-%1").arg(i));
    }
}

Task<> blockingInPoll()
{
    auto tick = spawn(ticker(), u"ticker");
    mark(u"block-start");
    block(u"std::thread::sleep", 200ms);
    mark(u"block-end");
    co_await tick;
    mark(u"ticker-joined");
}

Task<> spawnBlockingFix()
{
    auto tick = spawn(ticker(), u"ticker");
    co_await spawnBlocking(u"std::thread::sleep", 200ms);
    co_await tick;
}

// --- Helpers ---

QStringList taskPolls(const PollSequence& run, const QString& task)
{
    QStringList polls;
    for (const QString& poll : run.polls)
        if (poll.startsWith(task + u'#'))
            polls << poll;
    return polls;
}

int countEvents(const Trace& trace, EventKind kind)
{
    return int(std::count_if(trace.events.begin(), trace.events.end(),
                             [kind](const TraceEvent& e) { return e.kind == kind; }));
}

QStringList marks(const Trace& trace)
{
    QStringList labels;
    for (const TraceEvent& e : trace.events)
        if (e.kind == EventKind::Mark)
            labels << trace.string(e.aux);
    return labels;
}

} // namespace

class TestExecutor : public QObject
{
    Q_OBJECT

private slots:
    void init() { m_framesBefore = FrameAllocator::liveFrames(); }
    void cleanup()
    {
        // Every coroutine frame is freed: finished, cancelled and dropped ones alike.
        QCOMPARE(FrameAllocator::liveFrames(), m_framesBefore);
    }

    void matchesTokio_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::newRow("sequential") << u"sequential"_qs;
        QTest::newRow("page_title") << u"page_title"_qs;
        QTest::newRow("spawned") << u"spawned"_qs;
        QTest::newRow("join") << u"join"_qs;
        QTest::newRow("select") << u"select"_qs;
        QTest::newRow("yield_many") << u"yield_many"_qs;
        QTest::newRow("blocking_virtual") << u"blocking_virtual"_qs;
        QTest::newRow("blocking (real, against blocking_virtual)") << u"blocking"_qs;
    }
    void matchesTokio()
    {
        QFETCH(QString, scenario);
        static const QHash<QString, PollSequence> reference = loadReferenceTraces();
        QVERIFY2(!reference.isEmpty(), "reference traces not found");
        const QHash<QString, std::function<Task<>()>> scenarios {
            { u"sequential"_qs, sequential },     { u"page_title"_qs, pageTitle },
            { u"spawned"_qs, spawned },           { u"join"_qs, joinTwo },
            { u"select"_qs, selectTwo },          { u"yield_many"_qs, yieldMany },
            { u"blocking_virtual"_qs, blockingInPoll }, { u"blocking"_qs, blockingInPoll },
        };
        // The real-clock blocking trace is compared with its virtual-clock twin.
        const QString expected = scenario == u"blocking" ? u"blocking_virtual"_qs : scenario;
        const Trace trace = recordRun(scenarios.value(scenario)());
        const PollSequence ours = pollSequence(trace);
        QCOMPARE(trace.report.status, RunStatus::Completed);
        QCOMPARE(ours.polls, reference.value(expected).polls);
        QCOMPARE(ours.elapsedUs, reference.value(expected).elapsedUs);
    }

    void marksFollowTheirPolls()
    {
        const Trace trace = recordRun(spawned());
        QCOMPARE(marks(trace),
                 (QStringList { u"joined-fetch-0=0"_qs, u"joined-fetch-1=1"_qs, u"joined-fetch-2=2"_qs }));
    }

    void spawnBlockingRunsBesideTheWorker()
    {
        // tokio on the real clock: the ticker finishes at ~106 ms, main at ~200 ms, and main is
        // not polled in between.
        const Trace trace = recordRun(spawnBlockingFix());
        const PollSequence run = pollSequence(trace);
        QCOMPARE(taskPolls(run, u"ticker"_qs).last(), u"ticker#5@100000:Ready"_qs);
        QCOMPARE(taskPolls(run, u"main"_qs),
                 (QStringList { u"main#0@0:Pending"_qs, u"main#1@200000:Ready"_qs }));
        QCOMPARE(run.elapsedUs, 200000);
        QCOMPARE(countEvents(trace, EventKind::JobStart), 1);
        QCOMPARE(countEvents(trace, EventKind::JobEnd), 1);
    }

private:
    std::int64_t m_framesBefore = 0;
};

QTEST_GUILESS_MAIN(TestExecutor)
#include "tst_executor.moc"
