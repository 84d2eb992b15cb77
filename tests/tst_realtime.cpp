// The real-time runtime: the same scripts on a Qt event loop, with the shape of the model.

#include "runtime/frameallocator.h"
#include "script/compiler.h"
#include "script/interpreter.h"
#include "script/scenariolibrary.h"
#include "trace/metrics.h"

#include <QElapsedTimer>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <thread>

using namespace pollscope;

namespace {

std::shared_ptr<const script::Program> compile(const QString& source)
{
    const CompileResult compiled = compileScenario(source, u"test.scn"_qs);
    if (!compiled.ok())
        qWarning().noquote() << compiled.errorText();
    return compiled.program;
}

std::shared_ptr<const script::Program> builtin(const QString& name, const QString& variant = {})
{
    const ScenarioEntry* entry = ScenarioLibrary::find(name);
    return entry ? compileScenario(entry->source, entry->path, variant).program : nullptr;
}

Trace runOn(const script::Program& program, RuntimeKind runtime, const std::atomic<bool>* interrupt = nullptr, TraceSink* sink = nullptr)
{
    RunOptions options;
    options.runtime = runtime;
    options.interrupt = interrupt;
    options.sink = sink;
    return runScenario(program, options);
}

QMap<QString, int> pollsPerTask(const Trace& trace)
{
    QMap<QString, int> polls;
    for (const TaskMetrics& m : computeMetrics(trace).tasks)
        polls[trace.taskName(m.task)] = m.polls();
    return polls;
}

/// Every poll that started ended, and no event lies beyond the end of the run.
bool consistent(const Trace& trace)
{
    std::vector<int> open(trace.tables.tasks.size(), 0);
    for (const TraceEvent& e : trace.events) {
        if (e.kind == EventKind::PollStart && open[e.task]++ != 0)
            return false;
        if (e.kind == EventKind::PollEnd && --open[e.task] != 0)
            return false;
    }
    return std::all_of(open.begin(), open.end(), [](int n) { return n == 0; });
}

class CountingSink final : public TraceSink
{
public:
    void onEvents(std::span<const TraceEvent> events, const TraceTables&) override
    {
        ++batches;
        events_ += events.size();
    }
    int batches = 0;
    std::size_t events_ = 0;
};

} // namespace

class TestRealtime : public QObject
{
    Q_OBJECT

private slots:
    void init() { m_framesBefore = FrameAllocator::liveFrames(); }
    void cleanup() { QCOMPARE(FrameAllocator::liveFrames(), m_framesBefore); }

    void sameShapeAsTheModel_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("variant");
        // Built-ins whose poll counts do not hang on microsecond races between timers.
        for (const char16_t* name : { u"page-title", u"await-in-loop", u"blocking-in-loop", u"spawn-blocking-fix", u"cpu-heavy",
                                      u"forgot-await", u"join-fixed-set", u"select-race", u"select-timeout", u"error-propagation" })
            QTest::newRow(qPrintable(QString::fromUtf16(name))) << QString::fromUtf16(name) << QString();
        QTest::newRow("blocking-in-loop:spawn_blocking") << u"blocking-in-loop"_qs << u"spawn_blocking"_qs;
    }
    void sameShapeAsTheModel()
    {
        QFETCH(QString, name);
        QFETCH(QString, variant);
        const auto program = builtin(name, variant);
        QVERIFY(program);
        const Trace model = runOn(*program, RuntimeKind::Model);
        const Trace real = runOn(*program, RuntimeKind::EventLoop);
        QCOMPARE(real.report.status, RunStatus::Completed);
        QVERIFY(!real.virtualClock);
        QCOMPARE(pollsPerTask(real), pollsPerTask(model));
        // Real timers have millisecond granularity, so a real run ends at most a little early.
        // A loaded machine delays the loop's hops, so the upper bound is wide: it catches waits
        // that ran one after another instead of together, not jitter.
        const TimeNs early = 25'000'000;
        const TimeNs late = std::max<TimeNs>(100'000'000, model.report.elapsed / 2);
        QVERIFY2(real.report.elapsed >= model.report.elapsed - early && real.report.elapsed <= model.report.elapsed + late,
                 qPrintable(QStringLiteral("real %1 ns against model %2 ns").arg(real.report.elapsed).arg(model.report.elapsed)));
        QVERIFY(consistent(real));
    }

    void blockingAndItsFixOnBothRuntimes()
    {
        const Trace blocking = runOn(*builtin(u"blocking-in-loop"_qs), RuntimeKind::EventLoop);
        const Trace fixed = runOn(*builtin(u"spawn-blocking-fix"_qs), RuntimeKind::EventLoop);
        // Lower bounds from the script's sleeps; the fix must finish before the blocking version,
        // however loaded the machine is.
        QVERIFY(blocking.report.elapsed >= 300'000'000 && blocking.report.elapsed < 450'000'000);
        QVERIFY(fixed.report.elapsed >= 200'000'000 && fixed.report.elapsed < blocking.report.elapsed);
        // The blocking call really held the loop's thread: the ticker's first poll came after it.
        const TaskMetrics ticker = computeMetrics(blocking).tasks.at(1);
        QVERIFY(ticker.firstPoll >= 200'000'000);
    }

    void eventsStreamDuringTheRun()
    {
        CountingSink sink;
        const Trace trace = runOn(*builtin(u"blocking-in-loop"_qs), RuntimeKind::EventLoop, nullptr, &sink);
        QVERIFY(sink.batches >= 3); // flushed every 16 ms while the ticker ticks, and at the end
        QCOMPARE(sink.events_, trace.events.size());
    }

    void stopsAtAnyMoment_data()
    {
        QTest::addColumn<QString>("source");
        QTest::newRow("waiting on timers") << u"async fn main() { loop { sleep(50ms).await; } }"_qs;
        QTest::newRow("inside a blocking call") << u"async fn main() { block(\"read\", 30s); }"_qs;
        QTest::newRow("inside compute") << u"async fn main() { compute(\"spin\", 30s); }"_qs;
        QTest::newRow("on the blocking pool") << u"async fn main() { spawn_blocking(\"job\", 30s).await; }"_qs;
        QTest::newRow("yielding") << u"runtime current_thread(max_events: 1000000000)\nasync fn main() { loop { yield_now().await; } }"_qs;
    }
    void stopsAtAnyMoment()
    {
        QFETCH(QString, source);
        const auto program = compile(source);
        QVERIFY(program);
        std::atomic<bool> stop { false };
        // From another thread, as the window stops a run: this one may be blocked.
        std::thread user([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(150));
            stop = true;
        });
        QElapsedTimer clock;
        clock.start();
        const Trace trace = runOn(*program, RuntimeKind::EventLoop, &stop);
        user.join();
        QVERIFY2(clock.elapsed() < 5000, "stopping must not wait for the work to end");
        QCOMPARE(trace.report.status, RunStatus::Interrupted);
        QVERIFY(consistent(trace));
        QVERIFY(trace.report.polls >= 1);
    }

    void deadlockIsReported()
    {
        const Trace trace = runOn(*compile(u"async fn main() { let ch = channel(1); ch.recv().await; }"_qs), RuntimeKind::EventLoop);
        QCOMPARE(trace.report.status, RunStatus::Deadlock);
    }

    void runsInAWorkerThread()
    {
        const auto program = builtin(u"page-title"_qs);
        Trace trace;
        QThread* worker = QThread::create([&] { trace = runOn(*program, RuntimeKind::EventLoop); });
        worker->start();
        QVERIFY(worker->wait(10'000));
        delete worker;
        QCOMPARE(trace.report.status, RunStatus::Completed);
        QCOMPARE(pollsPerTask(trace).value(u"main"_qs), 3);
    }

private:
    std::int64_t m_framesBefore = 0;
};

QTEST_GUILESS_MAIN(TestRealtime)
#include "tst_realtime.moc"
