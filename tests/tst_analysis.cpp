// Diagnostics, comparison and the runtime state at a point of a run.

#include "analysis/comparison.h"
#include "analysis/diagnostics.h"
#include "analysis/runtimestate.h"
#include "analysis/summary.h"
#include "script/compiler.h"
#include "script/interpreter.h"
#include "script/scenariolibrary.h"
#include "testsupport.h"

#include <QRegularExpression>
#include <QTest>

using namespace pollscope;

namespace {

struct Run {
    std::shared_ptr<const script::Program> program;
    Trace trace;
};

Run run(const QString& source, const QString& variant = {})
{
    const CompileResult compiled = compileScenario(source, u"test.scn"_qs, variant);
    if (!compiled.ok()) {
        qWarning().noquote() << compiled.errorText();
        return {};
    }
    return Run { compiled.program, runScenario(*compiled.program) };
}

Run runBuiltin(const QString& name, const QString& variant = {})
{
    const ScenarioEntry* entry = ScenarioLibrary::find(name);
    return entry ? run(entry->source, variant) : Run {};
}

QStringList kinds(const Run& r)
{
    QStringList names;
    for (const Diagnostic& d : diagnose(r.trace, r.program.get()))
        names << diagnosticKindName(d.kind);
    return names;
}

QString taskNames(const Trace& trace, const std::vector<TaskId>& tasks)
{
    QStringList names;
    for (TaskId task : tasks)
        names << trace.taskName(task);
    return names.join(u',');
}

/// The index just after the n-th event of `kind` for `task`.
std::size_t after(const Trace& trace, EventKind kind, const QString& task, int n = 0)
{
    for (std::size_t i = 0; i < trace.events.size(); ++i)
        if (trace.events[i].kind == kind && trace.taskName(trace.events[i].task) == task &&
            n-- == 0)
            return i + 1;
    return trace.events.size();
}

} // namespace

class TestAnalysis : public QObject {
    Q_OBJECT

private slots:
    void blockingPollFires()
    {
        const Run r = run(uR"(runtime current_thread(poll_cost: 0us)
async fn ticker() { sleep(10ms).await; }
async fn main() {
    let t = spawn ticker();
    block("std::fs::read", 100ms);
    t.await;
})"_qs);
        const std::vector<Diagnostic> found = diagnose(r.trace, r.program.get());
        QCOMPARE(kinds(r), (QStringList { u"blocking_poll"_qs, u"starvation"_qs }));
        const Diagnostic& blocking = found.front();
        QCOMPARE(r.trace.taskName(blocking.task), u"main"_qs);
        QCOMPARE(r.trace.span(blocking.span).line, 5);
        QCOMPARE(blocking.time, 0);
        QCOMPARE(blocking.message,
            u"`main` held the worker for 100 ms in one poll (block `std::fs::read`) while 1 other "
            u"task waited 100 ms "
            "in all; move the blocking call to spawn_blocking(...).await, or use its async version."_qs);
    }

    void blockingPollCountsItsCalls()
    {
        // Three calls of two kinds in one poll: how many of each, and the first by name.
        const Run r = run(uR"(runtime current_thread(poll_cost: 0us)
async fn ticker() { sleep(10ms).await; }
async fn main() {
    let t = spawn ticker();
    block("read", 40ms);
    compute("parse", 30ms);
    compute("parse", 30ms);
    t.await;
})"_qs);
        const std::vector<Diagnostic> found = diagnose(r.trace, r.program.get());
        QCOMPARE(kinds(r), (QStringList { u"blocking_poll"_qs, u"starvation"_qs }));
        QCOMPARE(found.front().message,
            u"`main` held the worker for 100 ms in one poll (1 block and 2 compute calls, the "
            u"first `read`) while 1 other task waited 100 ms in all; split the work with "
            u"yield_now().await between pieces, or move it to spawn_blocking."_qs);
    }

    void thresholdsComeFromTheHeader()
    {
        const Run r =
            run(uR"(runtime current_thread(blocking_threshold: 200ms, starvation_threshold: 200ms)
async fn ticker() { sleep(10ms).await; }
async fn main() { let t = spawn ticker(); block("read", 100ms); t.await; })"_qs);
        QCOMPARE(kinds(r), QStringList());
    }

    void neverPolledFires()
    {
        const Run r = run(uR"(async fn save() { sleep(1ms).await; }
async fn main() {
    save();
})"_qs);
        const std::vector<Diagnostic> found = diagnose(r.trace, r.program.get());
        QCOMPARE(kinds(r), QStringList { u"never_polled"_qs });
        QCOMPARE(r.trace.span(found.front().span).line, 3);
        QVERIFY(found.front().message.startsWith(
            u"`save()` was created and dropped without being awaited"));
    }

    void sequentialAwaitsAreMeasured()
    {
        const Run r = run(uR"(runtime current_thread(poll_cost: 0us)
async fn fetch(url) { io("GET {url}", 100ms).await; }
async fn main() {
    for url in ["a", "b", "c", "d"] {
        fetch(url).await;
    }
})"_qs);
        const std::vector<Diagnostic> found = diagnose(r.trace, r.program.get());
        QCOMPARE(kinds(r), QStringList { u"sequential_awaits"_qs });
        QCOMPARE(found.front().message,
            u"the loop at line 4 awaits each fetch(...) before starting the next: the run takes "
            u"400 ms; spawning them "
            "first (collect spawn fetch(...) handles, then await them) takes 100 ms, 4.0× sooner (measured)."_qs);
        QCOMPARE(r.trace.span(found.front().span).line, 4);
        QCOMPARE(found.front().task, kMainTask);
    }

    void sequentialLeafFuturesAreMeasured()
    {
        // Three requests awaited one by one, 240 ms; joined, they overlap: 80 ms.
        const Run r = run(uR"(runtime current_thread(poll_cost: 0us)
async fn main() {
    for u in ["a.example", "b.example", "c.example"] {
        io("GET {u}", 80ms).await;
    }
})"_qs);
        const std::vector<Diagnostic> found = diagnose(r.trace, r.program.get());
        QCOMPARE(kinds(r), QStringList { u"sequential_awaits"_qs });
        QCOMPARE(found.front().message,
            u"the loop at line 3 awaits each io(...) before starting the next: the run takes 240 "
            u"ms; awaiting them together (collect the io(...) futures in a list, then "
            u"join(list).await) takes 80 ms, 3.0× sooner (measured)."_qs);
        QCOMPARE(r.trace.span(found.front().span).line, 3);
        QCOMPARE(found.front().task, kMainTask);
    }

    void sequentialAwaitsNeedIndependentItems_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<bool>("found");
        const QString header = u"runtime current_thread(poll_cost: 0us)\n"_qs;
        // Each iteration waits for its own item, and nothing else: they could run together.
        QTest::newRow("io per item") << header +
                u"async fn main() { for u in [\"a\", \"b\"] { io(\"GET {u}\", 80ms).await; } }"_qs
                                     << true;
        QTest::newRow("spawn_blocking per item") << header +
                u"async fn main() { for i in 0..4 { spawn_blocking(\"read {i}\", 50ms).await; } }"_qs
                                                 << true;
        QTest::newRow("sleep per item")
            << header + u"async fn main() { for d in [30ms, 40ms] { sleep(d).await; } }"_qs << true;
        // The same wait again and again: sequential on purpose (a ticker, a retry, a poll
        // interval), although joining them would be sooner.
        QTest::newRow("ticker") << header +
                u"async fn main() { for i in 0..5 { sleep(20ms).await; } }"_qs
                                << false;
        QTest::newRow("repeated request")
            << header + u"async fn main() { for i in 0..3 { io(\"poll\", 10ms).await; } }"_qs
            << false;
        QTest::newRow("async fn without the item") << header +
                u"async fn tick() { sleep(20ms).await; }\n"
                u"async fn main() { for i in 0..3 { tick().await; } }"_qs
                                                   << false;
        // More in the body than the await: an iteration may depend on the one before.
        QTest::newRow("ticker with a mark") << header +
                u"async fn main() { for i in 0..5 { sleep(20ms).await; mark(\"tick {i}\"); } }"_qs
                                            << false;
        // Measured: one pool thread runs the jobs one by one anyway.
        QTest::newRow("a pool of one")
            << u"runtime current_thread(poll_cost: 0us, blocking_threads: 1)\n"
               u"async fn main() { for i in 0..4 { spawn_blocking(\"read {i}\", 50ms).await; } }"_qs
            << false;
        // yield_now gives the worker back and waits for nothing that could run together.
        QTest::newRow("yield_now")
            << header + u"async fn main() { for i in 0..3 { yield_now().await; } }"_qs << false;
    }
    void sequentialAwaitsNeedIndependentItems()
    {
        QFETCH(QString, source);
        QFETCH(bool, found);
        const Run r = run(source);
        QVERIFY(r.program);
        QCOMPARE(kinds(r).contains(u"sequential_awaits"_qs), found);
    }

    void starvationFires()
    {
        const Run r = run(uR"(runtime current_thread(poll_cost: 0us, blocking_threshold: 1s)
async fn waiter() { mark("late"); }
async fn main() {
    let w = spawn waiter();
    compute("crunch", 60ms);
    w.await;
})"_qs);
        const std::vector<Diagnostic> found = diagnose(r.trace, r.program.get());
        QCOMPARE(kinds(r), QStringList { u"starvation"_qs });
        QCOMPARE(r.trace.taskName(found.front().task), u"waiter-0"_qs);
        QCOMPARE(found.front().message,
            u"`waiter-0` waited 60 ms in the run queue from 0 ms, ready but not polled, mostly "
            u"while `main`'s poll held the worker for 60 ms (60 ms in all); keep every poll short "
            u"so the worker gets back to it."_qs);
    }

    void starvationIsFoundWhenTheWaitReachesTheThreshold()
    {
        // waiter-0 waits in the run queue from its spawn at 0 until main's 60 ms poll ends: it
        // is starving from 50 ms on (the default threshold), before the poll that ends the
        // wait, which the diagnostic points at.
        const QString script = uR"(async fn waiter() { mark("late"); }
async fn main() {
    let w = spawn waiter();
    compute("crunch", 60ms);
    w.await;
})"_qs;
        const TimeNs ms = 1'000'000;
        for (const auto& [header, threshold] : { std::pair { u""_qs, 50 * ms },
                 std::pair {
                     u"runtime current_thread(starvation_threshold: 20ms)\n"_qs, 20 * ms } }) {
            const Run r =
                run(u"runtime current_thread(poll_cost: 0us, blocking_threshold: 1s)\n"_qs +
                    header + script);
            const std::vector<Diagnostic> found = diagnose(r.trace, r.program.get());
            QCOMPARE(found.size(), std::size_t(1));
            const Diagnostic& d = found.front();
            QCOMPARE(d.kind, DiagnosticKind::Starvation);
            QCOMPARE(d.time, 0);
            QCOMPARE(r.trace.events[d.event].kind, EventKind::PollStart);
            QCOMPARE(r.trace.events[d.event].time, 60 * ms);
            QCOMPARE(d.foundAt, threshold);
            const TraceEvent& waitStart = r.trace.events[d.foundAfter];
            QCOMPARE(waitStart.kind, EventKind::Spawn);
            QCOMPARE(r.trace.taskName(waitStart.task), u"waiter-0"_qs);
            // Events [0, limit) happened, the cursor at a time.
            QVERIFY(!isFound(d, d.foundAfter, kNever)); // the wait has not begun
            QVERIFY(!isFound(d, d.foundAfter + 1, threshold - 1));
            QVERIFY(isFound(d, d.foundAfter + 1, threshold));
            QVERIFY(isFound(d, d.event, 60 * ms)); // main's poll over, waiter's not begun
            QVERIFY(isFound(d, d.event + 1, 0));
        }
        // A task starved twice is found in its first wait that reaches the threshold, though
        // the diagnostic tells of its longest: waiter-0 waits 0-60 ms behind main, then 65-165 ms
        // behind hog-0.
        const Run twice = run(uR"(runtime current_thread(poll_cost: 0us, blocking_threshold: 1s)
async fn hog() { sleep(5ms).await; compute("hog", 100ms); }
async fn waiter() { sleep(5ms).await; }
async fn main() {
    let h = spawn hog();
    let w = spawn waiter();
    compute("first", 60ms);
    h.await;
    w.await;
})"_qs);
        const std::vector<Diagnostic> starved = diagnose(twice.trace, twice.program.get());
        const auto waiter = std::find_if(starved.begin(), starved.end(),
            [&](const Diagnostic& d) { return twice.trace.taskName(d.task) == u"waiter-0"; });
        QVERIFY(waiter != starved.end());
        QCOMPARE(waiter->time, 65 * ms);
        QCOMPARE(twice.trace.events[waiter->event].time, 165 * ms);
        QCOMPARE(waiter->foundAt, 50 * ms);
        QCOMPARE(twice.trace.events[waiter->foundAfter].kind, EventKind::Spawn);
        QVERIFY(isFound(*waiter, waiter->foundAfter + 1, 60 * ms));
        // Other kinds are found when their event has happened.
        const Run blocking = run(uR"(runtime current_thread(poll_cost: 0us)
async fn ticker() { sleep(10ms).await; }
async fn main() { let t = spawn ticker(); block("read", 100ms); t.await; })"_qs);
        const std::vector<Diagnostic> found = diagnose(blocking.trace, blocking.program.get());
        QCOMPARE(found.front().kind, DiagnosticKind::BlockingPoll);
        QCOMPARE(found.front().foundAt, kNever);
        QVERIFY(!isFound(found.front(), found.front().event, kNever));
        QVERIFY(isFound(found.front(), found.front().event + 1, 0));
    }

    /// Starvation is one long wait, not many short ones: of two tasks that yield in turn 6,000
    /// times, the second waits 60 ms in all, 10 µs at a time.
    void shortWaitsAddingUpAreNotStarvation()
    {
        const Run r = run(uR"(runtime current_thread(poll_cost: 10us)
async fn spin() { for i in 0..6000 { yield_now().await; } }
async fn main() {
    let a = spawn spin();
    let b = spawn spin();
    a.await;
    b.await;
})"_qs);
        const RunMetrics metrics = computeMetrics(r.trace);
        QVERIFY2(metrics.tasks[2].scheduled >= 50'000'000,
            qPrintable(QString::number(metrics.tasks[2].scheduled)));
        QVERIFY2(!kinds(r).contains(u"starvation"_qs), qPrintable(kinds(r).join(u", ")));
    }

    void deadlockFires()
    {
        const Run r = run(uR"(async fn main() {
    let inbox = channel(1);
    inbox.recv().await;
})"_qs);
        QCOMPARE(r.trace.report.status, RunStatus::Deadlock);
        const std::vector<Diagnostic> found = diagnose(r.trace, r.program.get());
        QCOMPARE(kinds(r), QStringList { u"deadlock"_qs });
        QCOMPARE(found.front().message,
            u"`main` is left Pending forever, waiting for a value on channel `inbox` that nobody "
            u"sends or closes: "
            "nothing can wake it; close the channel when the last value is sent, or send what the receiver waits for."_qs);
    }

    void lostWakeAfterACompletedRun()
    {
        const Run r = run(
            uR"(async fn consumer(queue) { loop { let v = queue.recv().await; if v == none { break; } } }
async fn main() {
    let queue = channel(4);
    let c = spawn consumer(queue) as "consumer";
    queue.send(1).await;
    sleep(5ms).await;
})"_qs);
        QCOMPARE(r.trace.report.status, RunStatus::Completed);
        const std::vector<Diagnostic> found = diagnose(r.trace, r.program.get());
        QCOMPARE(kinds(r), QStringList { u"deadlock"_qs });
        QCOMPARE(r.trace.taskName(found.front().task), u"consumer"_qs);
    }

    void deadlockIgnoresCancelledTimers()
    {
        // The select's sleep is dropped when the value arrives: it will never wake `consumer`,
        // whose second recv nobody serves.
        const Run r = run(uR"(async fn consumer(queue) {
    select(queue.recv(), sleep(1s)).await;
    queue.recv().await;
}
async fn main() {
    let queue = channel(4);
    let c = spawn consumer(queue) as "consumer";
    sleep(1ms).await;
    queue.send(1).await;
    sleep(5ms).await;
})"_qs);
        QCOMPARE(r.trace.report.status, RunStatus::Completed);
        const std::vector<Diagnostic> found = diagnose(r.trace, r.program.get());
        QCOMPARE(kinds(r), QStringList { u"deadlock"_qs });
        QCOMPARE(r.trace.taskName(found.front().task), u"consumer"_qs);
        QCOMPARE(r.trace.span(found.front().span).line, 3);
    }

    void deadlockKeepsTimersWhenATaskEnds()
    {
        // quick-0 is task 1 and consumer's sleep resource 1: quick-0's end wakes main with
        // aux 1, which names a task, not the timer that will still wake `consumer` at 1 s.
        const Run r = run(uR"(async fn quick() { yield_now().await; }
async fn consumer(queue) { select(sleep(1s), queue.recv()).await; }
async fn main() {
    let queue = channel(4);
    let q = spawn quick();
    let c = spawn consumer(queue) as "consumer";
    q.await;
    sleep(5ms).await;
})"_qs);
        QCOMPARE(r.trace.report.status, RunStatus::Completed);
        QCOMPARE(r.trace.taskName(1), u"quick-0"_qs);
        QCOMPARE(r.trace.tables.resources.at(1).kind, ResourceKind::Timer);
        QCOMPARE(kinds(r), QStringList());
    }

    void blockingPollCountsEveryoneItHeldUp()
    {
        // ticker-0 due at 10 ms waits 91 ms, ticker-1 due at 30 ms 71 ms, quick-0 spawned at
        // 21 ms 80 ms: 242 ms.
        const Run r = run(uR"(runtime current_thread(poll_cost: 0us)
async fn ticker(d) { sleep(d).await; }
async fn quick() { mark("q"); }
async fn main() {
    let a = spawn ticker(10ms);
    let b = spawn ticker(30ms);
    sleep(1ms).await;
    block("read", 20ms);
    let q = spawn quick();
    block("read", 80ms);
    q.await;
})"_qs);
        const std::vector<Diagnostic> found = diagnose(r.trace, r.program.get());
        QCOMPARE(kinds(r), (QStringList { u"blocking_poll"_qs, u"starvation"_qs }));
        QCOMPARE(found.front().message,
            u"`main` held the worker for 100 ms in one poll (2 block calls, the first `read`) "
            u"while 3 other tasks "
            u"waited 242 ms in all; "
            "move the blocking call to spawn_blocking(...).await, or use its async version."_qs);
    }

    void blockingPollIgnoresCancelledTimers()
    {
        // The listener's sleep(50ms) is dropped at 1 ms, long before main blocks over its deadline.
        const Run r = run(uR"(runtime current_thread(poll_cost: 0us)
async fn listener(inbox) {
    select(inbox.recv(), sleep(50ms)).await;
    inbox.recv().await;
}
async fn main() {
    let inbox = channel(1);
    let l = spawn listener(inbox) as "listener";
    sleep(1ms).await;
    inbox.send(1).await;
    sleep(1ms).await;
    block("std::fs::read", 100ms);
    inbox.close();
    l.await;
})"_qs);
        QCOMPARE(r.trace.report.status, RunStatus::Completed);
        QCOMPARE(testing::countEvents(r.trace, EventKind::Cancel), 1);
        QCOMPARE(kinds(r), QStringList());
    }

    void selfWakeStormFires()
    {
        const Run r = run(uR"(runtime current_thread(self_wake_threshold: 50)
async fn spin() { for i in 0..60 { yield_now().await; } }
async fn main() { spawn spin() as "spinner"; sleep(1s).await; })"_qs);
        const std::vector<Diagnostic> found = diagnose(r.trace, r.program.get());
        QCOMPARE(kinds(r), QStringList { u"self_wake_storm"_qs });
        QCOMPARE(r.trace.taskName(found.front().task), u"spinner"_qs);
        QVERIFY(found.front().message.contains(u"woke itself 50 times in a row"));
    }

    void builtinsSayWhatTheyShow_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("variant");
        QTest::addColumn<QStringList>("expected");
        const QStringList none;
        QTest::newRow("page-title") << u"page-title"_qs << QString() << none;
        QTest::newRow("await-in-loop")
            << u"await-in-loop"_qs << QString() << QStringList { u"sequential_awaits"_qs };
        QTest::newRow("await-in-loop fixed") << u"await-in-loop"_qs << u"spawn first"_qs << none;
        QTest::newRow("spawn-first") << u"spawn-first"_qs << QString() << none;
        QTest::newRow("blocking-in-loop") << u"blocking-in-loop"_qs << QString()
                                          << QStringList { u"blocking_poll"_qs, u"starvation"_qs };
        // The reads are awaited one at a time while the pool has threads to spare.
        QTest::newRow("blocking-in-loop fixed") << u"blocking-in-loop"_qs << u"spawn_blocking"_qs
                                                << QStringList { u"sequential_awaits"_qs };
        QTest::newRow("spawn-blocking-fix")
            << u"spawn-blocking-fix"_qs << QString() << QStringList { u"sequential_awaits"_qs };
        QTest::newRow("cpu-heavy")
            << u"cpu-heavy"_qs << QString() << QStringList { u"blocking_poll"_qs };
        QTest::newRow("cpu-heavy-yield") << u"cpu-heavy-yield"_qs << QString() << none;
        QTest::newRow("forgot-await")
            << u"forgot-await"_qs << QString() << QStringList { u"never_polled"_qs };
        QTest::newRow("forgot-await fixed") << u"forgot-await"_qs << u"with .await"_qs << none;
        QTest::newRow("join-fixed-set") << u"join-fixed-set"_qs << QString() << none;
        QTest::newRow("select-race") << u"select-race"_qs << QString() << none;
        QTest::newRow("select-timeout") << u"select-timeout"_qs << QString() << none;
        QTest::newRow("error-propagation") << u"error-propagation"_qs << QString() << none;
        QTest::newRow("chat-blocking") << u"chat-blocking"_qs << QString()
                                       << QStringList { u"blocking_poll"_qs, u"starvation"_qs };
        QTest::newRow("chat-async") << u"chat-async"_qs << QString() << none;
    }
    void builtinsSayWhatTheyShow()
    {
        QFETCH(QString, name);
        QFETCH(QString, variant);
        QFETCH(QStringList, expected);
        QCOMPARE(kinds(runBuiltin(name, variant)), expected);
    }

    void comparisonDeltasAreExact()
    {
        const Run loop = runBuiltin(u"await-in-loop"_qs);
        const Run fixed = runBuiltin(u"await-in-loop"_qs, u"spawn first"_qs);
        const Comparison c =
            compareRuns(loop.trace, u"the loop"_qs, fixed.trace, u"the spawned batch"_qs);
        QCOMPARE(c.headline,
            u"\"the spawned batch\" finished 3.0× sooner than \"the loop\": 120 ms against 360 ms"_qs);
        QCOMPARE(c.elapsedBefore, 360'010'000);
        QCOMPARE(c.elapsedAfter, fixed.trace.report.elapsed);
        QCOMPARE(c.pollsBefore, std::uint64_t(7));
        QCOMPARE(c.pollsAfter, std::uint64_t(13));
        QCOMPARE(c.tasks.size(), std::size_t(4));
        QCOMPARE(c.tasks[0].name, u"main"_qs);
        QCOMPARE(c.tasks[0].before->busy, 70'000);
        QCOMPARE(c.tasks[0].after->busy, 40'000);
        QVERIFY(!c.tasks[1].before);
        QCOMPARE(c.tasks[1].name, u"page_title-0"_qs);

        const Run blocking = runBuiltin(u"blocking-in-loop"_qs);
        const Run pool = runBuiltin(u"spawn-blocking-fix"_qs);
        const Comparison b =
            compareRuns(blocking.trace, u"blocking"_qs, pool.trace, u"spawn_blocking"_qs);
        QCOMPARE(b.longestStallBefore, 200'010'000);
        QCOMPARE(b.longestStallAfter, 10'000);
        QVERIFY(comparisonTable(b).contains(
            QRegularExpression(u"longest stall +200 ms +10 µs +-200 ms"_qs)));

        // A read delivered late is a stall too: alice's message was due at 30.04 ms and came at
        // 600.12 ms, behind carol's blocking read; the async server delivers it on time.
        const Run stalled = runBuiltin(u"chat-blocking"_qs);
        const Run async = runBuiltin(u"chat-async"_qs);
        const Comparison chat =
            compareRuns(stalled.trace, u"blocking"_qs, async.trace, u"async"_qs);
        QCOMPARE(chat.longestStallBefore, 570'080'000);
        const auto alice = std::find_if(chat.tasks.begin(), chat.tasks.end(),
            [](const TaskComparison& t) { return t.name == u"alice"; });
        QVERIFY(alice != chat.tasks.end());
        QCOMPARE(alice->before->late, 570'080'000);
        QCOMPARE(alice->after->late, 0);
        QVERIFY(comparisonTable(chat).contains(
            QRegularExpression(u"  late +570 ms +0 ms +-570 ms"_qs)));

        const Comparison same = compareRuns(loop.trace, u"a"_qs, loop.trace, u"b"_qs);
        QCOMPARE(same.headline, u"both finished in about 360 ms"_qs);
        // Within 5 % but shown as different figures: both are given.
        const Run close = run(u"async fn main() { sleep(366ms).await; }"_qs);
        QCOMPARE(compareRuns(loop.trace, u"a"_qs, close.trace, u"b"_qs).headline,
            u"both finished in about the same time: \"a\" in 360 ms, \"b\" in 366 ms; `main` "
            u"spends 50 µs more being polled in \"a\" than in \"b\""_qs);
    }

    void unfinishedTasksAreCancelledByMainsEndAndStoppedByABoundOrADeadlock()
    {
        // main returns with a task queued: tokio's runtime drop cancels it.
        const Run finished = run(u"async fn spin() { loop { yield_now().await; } }\n"
                                 u"async fn main() { spawn spin(); sleep(1ms).await; }"_qs);
        QVERIFY(summaryTable(finished.trace, QString())
                    .contains(QRegularExpression(u"spin-0 .* cancelled\n"_qs)));
        // A bound stops the run: its tasks were stopped, nothing cancelled them.
        const Run bounded = run(u"runtime current_thread(max_events: 1000)\n"
                                u"async fn spin() { loop { yield_now().await; } }\n"
                                u"async fn main() { let h = spawn spin(); h.await; }"_qs);
        QCOMPARE(bounded.trace.report.status, RunStatus::LimitReached);
        const QString table = summaryTable(bounded.trace, QString());
        QVERIFY2(table.contains(QRegularExpression(u"main .* stopped\n"_qs)), qPrintable(table));
        QVERIFY2(table.contains(QRegularExpression(u"spin-0 .* stopped\n"_qs)), qPrintable(table));
        QCOMPARE(summaryJson(bounded.trace, QString())
                     .value(u"tasks"_qs)
                     .toArray()
                     .at(1)
                     .toObject()
                     .value(u"end"_qs)
                     .toString(),
            u"stopped"_qs);
        // A deadlock stops the run too: main never returned, so nothing cancelled its tasks.
        const Run stuck = run(u"async fn wait(ch) { ch.recv().await; }\n"
                              u"async fn main() { let ch = channel(1); spawn wait(ch); "
                              u"ch.recv().await; }"_qs);
        QCOMPARE(stuck.trace.report.status, RunStatus::Deadlock);
        const QString deadlocked = summaryTable(stuck.trace, QString());
        QVERIFY2(deadlocked.contains(QRegularExpression(u"main .* stopped\n"_qs)),
            qPrintable(deadlocked));
        QVERIFY2(deadlocked.contains(QRegularExpression(u"wait-0 .* stopped\n"_qs)),
            qPrintable(deadlocked));
    }

    void theSummaryGivesExactTimes()
    {
        // As the window's Tasks tab: 249.72 ms of idle, not "250 ms"; zero with its unit.
        const Run chat = runBuiltin(u"chat-blocking"_qs);
        const QString table = summaryTable(chat.trace, QString());
        QVERIFY2(
            table.contains(u"\nbroadcaster  main         16/1     340 µs   450.1 ms       0 ms  "
                           u"249.72 ms       20 µs  700.14 ms  done\n"),
            qPrintable(table));
        QVERIFY2(
            table.endsWith(u"\nelapsed 700.18 ms (virtual clock), completed\n"), qPrintable(table));
    }

    void aRunThatDidNotFinishIsNotFaster()
    {
        const Run loop = runBuiltin(u"await-in-loop"_qs);
        const Run failing = run(u"async fn main() { sleep(1ms).await; fail(\"gave up\"); }"_qs);
        QCOMPARE(compareRuns(loop.trace, u"loop"_qs, failing.trace, u"quitter"_qs).headline,
            u"\"loop\": completed in 360 ms; \"quitter\": failed in 1.01 ms"_qs);
    }

    void theHeadlineNamesEachRunUnambiguously()
    {
        // The same script on a Qt event loop (shown first) and on the model, titled as the window
        // titles them: named by runtime, each figure with its run, the real run first.
        Run real = run(uR"(runtime current_thread(poll_cost: 0us)
async fn relay() { sleep(10ms).await; }
async fn hold() { block("hold", 20ms); }
async fn main() {
    let b = spawn relay() as "broadcaster";
    let h = spawn hold() as "holder";
    b.await;
    h.await;
    sleep(580ms).await;
})"_qs);
        real.trace.virtualClock = false; // the broadcaster's timer is 10 ms late: past tolerance
        const Run model = run(uR"(runtime current_thread(poll_cost: 0us)
async fn relay() { sleep(10ms).await; }
async fn main() { let b = spawn relay() as "broadcaster"; b.await; sleep(595ms).await; })"_qs);
        QCOMPARE(compareRuns(real.trace, u"Chat server, async (Qt event loop)"_qs, model.trace,
                     u"Chat server, async"_qs)
                     .headline,
            u"both finished in about the same time: the real run in 600 ms, the model run in "
            u"605 ms; `broadcaster` spends 10 ms more waiting for a late wake in the real run "
            u"than in the model run"_qs);
        // Shown the other way round, the model run comes first.
        QCOMPARE(compareRuns(model.trace, u"Chat server, async"_qs, real.trace,
                     u"Chat server, async (Qt event loop)"_qs)
                     .headline,
            u"both finished in about the same time: the model run in 605 ms, the real run in "
            u"600 ms; `broadcaster` spends 10 ms less waiting for a late wake in the model run "
            u"than in the real run"_qs);

        // Equal titles on one runtime: by order. Titles with commas are quoted whole.
        const Run loop = runBuiltin(u"await-in-loop"_qs);
        const Run fixed = runBuiltin(u"await-in-loop"_qs, u"spawn first"_qs);
        QCOMPARE(compareRuns(fixed.trace, u"Await"_qs, loop.trace, u"Await"_qs).headline,
            u"the second run took 3.0× longer than the first run: 360 ms against 120 ms"_qs);
        const Run blocking = runBuiltin(u"chat-blocking"_qs);
        const Run async = runBuiltin(u"chat-async"_qs);
        QCOMPARE(compareRuns(blocking.trace, blocking.program->info.title, async.trace,
                     async.program->info.title)
                     .headline,
            u"\"Chat server, async\" finished 1.2× sooner than \"Chat server: one blocking read "
            u"stalls everyone\": 605 ms against 700 ms"_qs);
        // Polls alone differ: the first run's count first.
        const Run one = run(u"runtime current_thread(poll_cost: 0us)\n"
                            u"async fn main() { sleep(10ms).await; }"_qs);
        const Run two = run(u"runtime current_thread(poll_cost: 0us)\n"
                            u"async fn main() { sleep(5ms).await; sleep(5ms).await; }"_qs);
        QCOMPARE(compareRuns(two.trace, u"two sleeps"_qs, one.trace, u"one sleep"_qs).headline,
            u"both finished in about 10 ms; \"two sleeps\" needed 3 polls, \"one sleep\" 2"_qs);
    }

    void comparisonPairsRepeatedNamesInOrder()
    {
        // Both runs name two tasks "w"; the second run has a third one, and an "extra".
        const Run before = run(uR"(runtime current_thread(poll_cost: 0us)
async fn work(d) { sleep(d).await; }
async fn main() { let a = spawn work(10ms) as "w"; let b = spawn work(20ms) as "w"; a.await; b.await; })"_qs);
        const Run after = run(uR"(runtime current_thread(poll_cost: 0us)
async fn work(d) { sleep(d).await; }
async fn main() {
    let a = spawn work(30ms) as "w"; let b = spawn work(40ms) as "w"; let c = spawn work(50ms) as "w";
    let d = spawn work(1ms) as "extra";
    a.await; b.await; c.await; d.await;
})"_qs);
        const Comparison c = compareRuns(before.trace, u"before"_qs, after.trace, u"after"_qs);
        QCOMPARE(c.tasks.size(), std::size_t(5));
        QStringList names;
        for (const TaskComparison& t : c.tasks)
            names << t.name;
        QCOMPARE(names, (QStringList { u"main"_qs, u"w"_qs, u"w"_qs, u"w"_qs, u"extra"_qs }));
        QCOMPARE(c.tasks[1].before->ended, 10'000'000);
        QCOMPARE(c.tasks[1].after->ended, 30'000'000);
        QCOMPARE(c.tasks[2].before->ended, 20'000'000);
        QCOMPARE(c.tasks[2].after->ended, 40'000'000);
        QVERIFY(!c.tasks[3].before);
        QCOMPARE(c.tasks[3].after->ended, 50'000'000);
        QVERIFY(!c.tasks[4].before);
    }

    void runtimeStateFollowsThePlayback()
    {
        const Run r = runBuiltin(u"spawn-first"_qs);
        const Trace& t = r.trace;
        // After main's first poll: the three page loads are queued in spawn order.
        RuntimeState s = runtimeStateAt(t, after(t, EventKind::PollEnd, u"main"_qs));
        QCOMPARE(taskNames(t, s.runQueue), u"page_title-0,page_title-1,page_title-2"_qs);
        QCOMPARE(s.polling, kNoTask);
        QCOMPARE(s.waiting.size(), std::size_t(1));
        QCOMPARE(t.taskName(s.waiting.front().task), u"main"_qs);
        QCOMPARE(s.waiting.front().target, WaitTarget::Task);
        QCOMPARE(t.taskName(s.waiting.front().on), u"page_title-0"_qs);

        // After page_title-1's first poll: one left in the queue, two requests in flight.
        s = runtimeStateAt(t, after(t, EventKind::PollEnd, u"page_title-1"_qs));
        QCOMPARE(taskNames(t, s.runQueue), u"page_title-2"_qs);
        QCOMPARE(s.io.size(), std::size_t(2));
        QCOMPARE(s.io[0].deadline, 80'010'000);
        QCOMPARE(t.taskName(s.io[1].task), u"page_title-1"_qs);

        // Inside page_title-0's second poll.
        s = runtimeStateAt(t, after(t, EventKind::PollStart, u"page_title-0"_qs, 1));
        QCOMPARE(t.taskName(s.polling), u"page_title-0"_qs);
        QCOMPARE(s.time, 80'010'000);
        QCOMPARE(taskNames(t, s.runQueue),
            QString()); // the others' responses are due 10 and 20 µs later
        QCOMPARE(s.io.size(), std::size_t(2));

        // Deferred yields and jobs.
        const Run yields = runBuiltin(u"cpu-heavy-yield"_qs);
        s = runtimeStateAt(yields.trace, after(yields.trace, EventKind::PollEnd, u"checksum"_qs));
        QCOMPARE(taskNames(yields.trace, s.deferredYields), u"checksum"_qs);
        const Run jobs = runBuiltin(u"spawn-blocking-fix"_qs);
        s = runtimeStateAt(jobs.trace, after(jobs.trace, EventKind::PollEnd, u"main"_qs));
        QCOMPARE(s.jobs.size(), std::size_t(1));
        QCOMPARE(s.jobs.front().end, 50'010'000 - 10'000);
    }

    void runtimeReplaySteppingMatchesAFreshReplay()
    {
        // Every built-in scenario, its cursor stepped forward and back, jumping across and onto
        // checkpoints (every 16 events here): each state equals a replay from the first event.
        for (const ScenarioEntry& entry : ScenarioLibrary::builtins()) {
            const Run r = run(entry.source);
            auto trace = std::make_shared<const Trace>(r.trace);
            const std::size_t n = trace->events.size();
            QVERIFY2(n > 4, qPrintable(entry.name));
            RuntimeReplay replay(trace, 16);
            std::vector<std::size_t> points { 0, 1, 2, 3, 2, 1, 0, 17, 16, 15, 14, 33, 32, 31,
                n / 2, n / 2 - 1, n / 2 + 1, n, n - 1, n - 2, 5, n + 10, 0 };
            std::uint32_t random = 12345; // a fixed walk of steps of -40..+40
            std::size_t at = n / 3;
            for (int i = 0; i < 200; ++i) {
                random = random * 1103515245u + 12345u;
                const int step = int((random >> 16) % 81) - 40;
                at = std::size_t(
                    std::clamp<std::ptrdiff_t>(std::ptrdiff_t(at) + step, 0, std::ptrdiff_t(n)));
                points.push_back(at);
            }
            for (const std::size_t p : points) {
                const RuntimeState& stepped = replay.stateAt(p);
                const RuntimeState fresh = runtimeStateAt(*trace, p);
                QVERIFY2(stepped == fresh, qPrintable(u"%1 at %2"_qs.arg(entry.name).arg(p)));
            }
            // Something to compare: the runs hold queued tasks, timers or waiters at some point.
            bool busy = false;
            for (std::size_t p = 0; p <= n && !busy; ++p) {
                const RuntimeState& s = replay.stateAt(p);
                busy =
                    !s.runQueue.empty() || !s.timers.empty() || !s.io.empty() || !s.waiting.empty();
            }
            QVERIFY2(busy, qPrintable(entry.name));
        }
    }
};

QTEST_GUILESS_MAIN(TestAnalysis)
#include "tst_analysis.moc"
