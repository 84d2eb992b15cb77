// The model executor against tokio 1.24's recorded traces and DESIGN.md's executor rules.

#include "referencetraces.h"
#include "runtime/channel.h"
#include "runtime/combinators.h"
#include "runtime/executor.h"
#include "runtime/frameallocator.h"
#include "runtime/futures.h"
#include "runtime/taskfailure.h"
#include "trace/jsonlines.h"
#include "testsupport.h"

#include <QTest>

using namespace pollscope;
using namespace pollscope::testing;
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

// --- Purpose-built programs for single rules ---

/// A future that is never ready and registers nothing: a lost wake.
class NeverReady final : public Future<NeverReady>
{
public:
    bool poll() override { return false; }
    void result() const { }
};

Task<> spawnsThenYields()
{
    spawn(yielder(0), u"child");
    co_await yieldNow();
}

Task<> spawnDuringYield()
{
    co_await spawn(spawnsThenYields(), u"parent");
}

Task<> yieldsAll(int tasks)
{
    std::vector<JoinHandle<void>> handles;
    for (int k = 0; k < tasks; ++k)
        handles.push_back(spawn(yielder(1), QStringLiteral("y-%1").arg(k)));
    for (auto& handle : handles)
        co_await handle;
}

Task<int> finishAtOnce(int k) { co_return k; }

Task<> awaitManyFinished(int tasks)
{
    std::vector<JoinHandle<int>> handles;
    for (int k = 0; k < tasks; ++k)
        handles.push_back(spawn(finishAtOnce(k)));
    co_await sleep(1ms);
    int sum = 0;
    for (auto& handle : handles)
        sum += co_await handle;
    mark(QString::number(sum));
}

Task<> slowTask()
{
    co_await sleep(100ms);
    mark(u"slow-done");
}

Task<> selectDropsHandleAwait()
{
    auto slow = spawn(slowTask(), u"slow");
    const auto won = co_await select(slow.join(), sleep(10ms));
    mark(QStringLiteral("won-%1").arg(won.index()));
    co_await sleep(200ms);
}

Task<> leavesWorkBehind()
{
    spawn(slowTask(), u"left-behind");
    co_await spawnBlocking(u"short", 1ms);
    spawnBlocking(u"abandoned", 1s);
}

Task<int> failing()
{
    co_await sleep(5ms);
    throw TaskFailure(u"boom"_qs);
}

Task<> awaitsFailure()
{
    auto handle = spawn(failing(), u"failing");
    try {
        co_await handle;
    } catch (const TaskFailure& failure) {
        mark(u"caught " + failure.message());
    }
}

Task<> mainFails()
{
    co_await failing();
}

Task<> waitsForever() { co_await NeverReady(); }

Task<> yieldsForever()
{
    for (;;)
        co_await yieldNow();
}

Task<> yieldThenSleep()
{
    co_await yieldNow();
    co_await sleep(10ms);
}

Task<> sleepAtOnce() { co_await sleep(10ms); }

Task<> timerTies()
{
    auto a = spawn(yieldThenSleep(), u"a");
    auto b = spawn(sleepAtOnce(), u"b");
    co_await a;
    co_await b;
}

Task<> sleepCreatedEarly()
{
    auto early = sleep(10ms);
    co_await sleep(20ms);
    co_await early;
}

Task<> blockThenSleepZero()
{
    block(u"read", 50ms);
    co_await sleep(0ms);
}

Task<> markedYields(const char* name)
{
    for (int i = 0; i < 2; ++i) {
        co_await yieldNow();
        mark(QStringLiteral("%1-%2").arg(QLatin1String(name)).arg(i));
    }
}

Task<> joinRotates() { co_await join(markedYields("a"), markedYields("b")); }

Task<> joinYieldAndSleep()
{
    co_await join(yieldNow(), sleep(1ms));
}

Task<> selectYieldOverSleep()
{
    const auto won = co_await select(yieldNow(), sleep(1ms));
    mark(won.index() == 0 ? u"yield" : u"sleep");
}

Task<> twoJobsOneLane()
{
    auto first = spawnBlocking(u"first", 100ms);
    auto second = spawnBlocking(u"second", 100ms);
    co_await first;
    co_await second;
}

Task<> computeThenSleep()
{
    compute(u"parse", 5us);
    co_await sleep(80ms);
}

Task<> ioThenSleeper() { co_await io(u"read", 10ms); }

Task<> ioBeforeTimers()
{
    auto sleeper = spawn(sleepAtOnce(), u"sleeper");
    auto reader = spawn(ioThenSleeper(), u"reader");
    co_await sleeper;
    co_await reader;
}

Task<> producer(Channel<int> channel)
{
    for (int i = 0; i < 3; ++i) {
        co_await channel.send(i);
        mark(QStringLiteral("sent-%1").arg(i));
    }
    channel.close();
}

Task<> consumer(Channel<int> channel)
{
    while (const std::optional<int> value = co_await channel.recv())
        mark(QStringLiteral("got-%1").arg(*value));
    mark(u"closed");
}

Task<> producerConsumer()
{
    Channel<int> channel(1, u"queue");
    auto p = spawn(producer(channel), u"producer");
    auto c = spawn(consumer(channel), u"consumer");
    co_await p;
    co_await c;
}

Task<> sendsToClosed()
{
    Channel<int> channel(1);
    channel.close();
    const bool sent = co_await channel.send(1);
    mark(sent ? u"sent" : u"refused");
}

Task<> recvUnlessTimedOut(Channel<int> channel)
{
    const auto won = co_await select(sleep(10ms), channel.recv());
    mark(won.index() == 0 ? u"a timed out" : u"a received");
}

Task<> recvOne(Channel<int> channel)
{
    const std::optional<int> value = co_await channel.recv();
    mark(value ? QStringLiteral("b received %1").arg(*value) : u"b saw the channel closed"_qs);
}

/// `a` is woken for the value, but its select's timer wins in the same poll and drops the recv:
/// the value must go to `b`, the other waiting receiver.
Task<> wokenReceiverDropsItsRecv()
{
    Channel<int> channel(4);
    auto a = spawn(recvUnlessTimedOut(channel), u"a");
    auto b = spawn(recvOne(channel), u"b");
    co_await sleep(10ms);
    co_await channel.send(7);
    co_await a;
    co_await b;
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

    void yieldDefersItsWakeUntilTheReactor()
    {
        // A task spawned during a yielder's poll runs before the yielder's next poll.
        const PollSequence run = pollSequence(recordRun(spawnDuringYield()));
        QCOMPARE(run.polls.mid(1, 3),
                 (QStringList { u"parent#0@0:Pending"_qs, u"child#0@0:Ready"_qs, u"parent#1@0:Ready"_qs }));
    }

    void batchesStopAtTheEventInterval()
    {
        const Trace trace = recordRun(yieldsAll(70));
        const QStringList polls = pollSequence(trace).polls;
        // Batch 1: y-0..y-60 (61 polls); their deferred wakes queue them behind y-61..y-69.
        QCOMPARE(polls.at(1), u"y-0#0@0:Pending"_qs);
        QCOMPARE(polls.at(61), u"y-60#0@0:Pending"_qs);
        QCOMPARE(polls.at(62), u"y-61#0@0:Pending"_qs);
        QCOMPARE(polls.at(71), u"y-0#1@0:Ready"_qs);
        // Batch 2 ends after 61 polls, at y-51; main, woken by y-0's end, runs before batch 3.
        QCOMPARE(polls.at(122), u"y-51#1@0:Ready"_qs);
        QCOMPARE(polls.at(123), u"main#1@0:Pending"_qs);
        QCOMPARE(polls.at(124), u"y-52#1@0:Ready"_qs);
    }

    void budgetLimitsReadyAwaitsPerPoll()
    {
        const Trace trace = recordRun(awaitManyFinished(130));
        QCOMPARE(taskPolls(pollSequence(trace), u"main"_qs),
                 (QStringList { u"main#0@0:Pending"_qs, u"main#1@1000:Pending"_qs,
                                u"main#2@1000:Ready"_qs }));
        const bool budgetWake = std::any_of(trace.events.begin(), trace.events.end(), [](const TraceEvent& e) {
            return e.kind == EventKind::Wake && e.task == kMainTask && e.wakeCause() == WakeCause::Budget;
        });
        QVERIFY(budgetWake);
        QCOMPARE(marks(trace), QStringList { QString::number(129 * 130 / 2) });
    }

    void selectDropsItsLosers()
    {
        const Trace timers = recordRun(selectTwo());
        const int timersRegistered = int(std::count_if(timers.events.begin(), timers.events.end(), [](const TraceEvent& e) {
            return e.kind == EventKind::WaitRegistered && e.waitTarget() == WaitTarget::Timer;
        }));
        QCOMPARE(timersRegistered, 2);
        QCOMPARE(countEvents(timers, EventKind::Cancel), 1);
        QCOMPARE(timers.report.elapsed, 50'000'000);

        // Dropping an await of a handle does not cancel the task; its end then wakes no one.
        const Trace handles = recordRun(selectDropsHandleAwait());
        QCOMPARE(marks(handles), (QStringList { u"won-1"_qs, u"slow-done"_qs }));
        const bool anyTaskWake = std::any_of(handles.events.begin(), handles.events.end(), [](const TraceEvent& e) {
            return e.kind == EventKind::Wake && e.wakeCause() == WakeCause::TaskDone;
        });
        QVERIFY(!anyTaskWake);
        QCOMPARE(handles.report.elapsed, 210'000'000);
    }

    void shutdownCancelsWhatIsLeft()
    {
        const Trace trace = recordRun(leavesWorkBehind());
        QCOMPARE(trace.report.status, RunStatus::Completed);
        QCOMPARE(trace.report.elapsed, 1'000'000);
        QStringList cancelled;
        for (const TraceEvent& e : trace.events)
            if (e.kind == EventKind::Cancel)
                cancelled << cancelTargetName(e.cancelTarget()) + u':' + trace.taskName(e.task);
        QCOMPARE(cancelled, (QStringList { u"task:left-behind"_qs, u"job:main"_qs }));
    }

    void failuresReachTheAwaiter()
    {
        const Trace trace = recordRun(awaitsFailure());
        QCOMPARE(trace.report.status, RunStatus::Completed);
        QCOMPARE(marks(trace), QStringList { u"caught boom"_qs });

        const Trace failed = recordRun(mainFails());
        QCOMPARE(failed.report.status, RunStatus::Failed);
        QCOMPARE(failed.report.message, u"boom"_qs);
    }

    void deadlockEndsTheRun()
    {
        const Trace trace = recordRun(waitsForever());
        QCOMPARE(trace.report.status, RunStatus::Deadlock);
        QVERIFY(trace.report.message.contains(u"nothing is left that could wake it"));
    }

    void runawayRunsStopAtTheirBound()
    {
        RuntimeSettings settings;
        settings.maxEvents = 1000;
        const Trace trace = recordRun(yieldsForever(), settings);
        QCOMPARE(trace.report.status, RunStatus::LimitReached);
        QVERIFY(trace.report.message.contains(u"max_events"));
        QVERIFY(trace.events.size() <= 1010);
    }

    void equalDeadlinesFireInRegistrationOrder()
    {
        const PollSequence run = pollSequence(recordRun(timerTies()));
        QCOMPARE(run.polls.mid(1, 5),
                 (QStringList { u"a#0@0:Pending"_qs, u"b#0@0:Pending"_qs, u"a#1@0:Pending"_qs,
                                u"b#1@10000:Ready"_qs, u"a#2@10000:Ready"_qs }));
    }

    void sleepPastItsDeadlineIsReadyAtFirstPoll()
    {
        const PollSequence run = pollSequence(recordRun(sleepCreatedEarly()));
        QCOMPARE(run.polls, (QStringList { u"main#0@0:Pending"_qs, u"main#1@20000:Ready"_qs }));
    }

    void blockingTimeCountsAtTheNextReactorPass()
    {
        const PollSequence run = pollSequence(recordRun(blockThenSleepZero()));
        QCOMPARE(run.polls, (QStringList { u"main#0@0:Pending"_qs, u"main#1@50000:Ready"_qs }));
    }

    void joinRotatesItsFirstBranch()
    {
        const Trace trace = recordRun(joinRotates());
        QCOMPARE(marks(trace), (QStringList { u"b-0"_qs, u"a-0"_qs, u"a-1"_qs, u"b-1"_qs }));
    }

    void yieldNowIsABranchLikeAnyOther()
    {
        // The yield's deferred wake brings the second poll; the timer the third.
        const Trace joined = recordRun(joinYieldAndSleep());
        QCOMPARE(pollSequence(joined).polls,
            (QStringList {
                u"main#0@0:Pending"_qs, u"main#1@0:Pending"_qs, u"main#2@1000:Ready"_qs }));
        // The yield wins at the second poll and the sleep's timer goes with the loser.
        const Trace selected = recordRun(selectYieldOverSleep());
        QCOMPARE(pollSequence(selected).polls,
            (QStringList { u"main#0@0:Pending"_qs, u"main#1@0:Ready"_qs }));
        QCOMPARE(marks(selected), QStringList { u"yield"_qs });
        QCOMPARE(selected.report.elapsed, 0);
    }

    void blockingJobsQueueForFreeLanes()
    {
        RuntimeSettings settings;
        settings.blockingThreads = 1;
        const Trace trace = recordRun(twoJobsOneLane(), settings);
        QCOMPARE(trace.report.elapsed, 200'000'000);
        QCOMPARE(trace.tables.resources.size(), std::size_t(2));
        QCOMPARE(trace.tables.resources[1].created, 100'000'000);
        QCOMPARE(trace.tables.resources[1].lane, 0);
    }

    void dueIoIsDeliveredBeforeDueTimers()
    {
        const PollSequence run = pollSequence(recordRun(ioBeforeTimers()));
        QCOMPARE(run.polls.mid(3, 2), (QStringList { u"reader#1@10000:Ready"_qs, u"sleeper#1@10000:Ready"_qs }));
    }

    void pollCostIsChargedAtTheEndOfEachPoll()
    {
        RuntimeSettings settings;
        settings.pollCost = 10'000;
        const Trace trace = recordRun(pageTitle(), settings);
        // Sleeps are created at the start of their poll; the cost only moves the poll's end.
        QCOMPARE(pollSequence(trace).polls,
                 (QStringList { u"main#0@0:Pending"_qs, u"main#1@80000:Pending"_qs,
                                u"main#2@120000:Ready"_qs }));
        QCOMPARE(trace.report.elapsed, 120'010'000);
    }

    void deadlinesRoundUpToTheTimerResolution()
    {
        const Trace trace = recordRun(computeThenSleep());
        // Created at 5 µs: 80.005 ms rounds up to 81 ms on the 1 ms wheel.
        QCOMPARE(pollSequence(trace).polls,
                 (QStringList { u"main#0@0:Pending"_qs, u"main#1@81000:Ready"_qs }));
    }

    void channelsHandOffInFifoOrder()
    {
        const Trace trace = recordRun(producerConsumer());
        QCOMPARE(trace.report.status, RunStatus::Completed);
        QCOMPARE(marks(trace),
                 (QStringList { u"sent-0"_qs, u"got-0"_qs, u"sent-1"_qs, u"got-1"_qs, u"sent-2"_qs,
                                u"got-2"_qs, u"closed"_qs }));
        QCOMPARE(marks(recordRun(sendsToClosed())), QStringList { u"refused"_qs });
    }

    void aDroppedReceiverPassesTheValueOn()
    {
        RuntimeSettings settings;
        settings.pollCost = 0; // both timers due at 10 ms, main's first
        const Trace trace = recordRun(wokenReceiverDropsItsRecv(), settings);
        QCOMPARE(trace.report.status, RunStatus::Completed);
        QCOMPARE(marks(trace), (QStringList { u"a timed out"_qs, u"b received 7"_qs }));
    }

    // The runtimes keep a frame's address only and find its promise from it (TaskSlot).
    void everyTasksPromiseIsFoundFromItsFrame()
    {
        const auto check = [](auto task) {
            const auto frame = task.release();
            const bool found = &framePromise(frame.address()) == &frame.promise();
            frame.destroy();
            return found;
        };
        QVERIFY(check([]() -> Task<> { co_return; }()));
        QVERIFY(check([]() -> Task<char> { co_return 'a'; }()));
        QVERIFY(check([]() -> Task<QString> { co_return u"text"_qs; }()));
        QVERIFY(check([](std::vector<int> big) -> Task<std::vector<int>> { co_return big; }({ 1, 2 })));
    }

private:
    std::int64_t m_framesBefore = 0;
};

QTEST_GUILESS_MAIN(TestExecutor)
#include "tst_executor.moc"
