// The scenario language: errors with positions, what scripts do on the executor, and the
// tokio reference traces reproduced by scripts.

#include "analysis/summary.h"
#include "referencetraces.h"
#include "runtime/frameallocator.h"
#include "script/compiler.h"
#include "script/interpreter.h"
#include "testsupport.h"
#include "trace/jsonlines.h"
#include "trace/metrics.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QTest>

using namespace pollscope;
using namespace pollscope::testing;

namespace {

/// The first error of a script as "LINE:COL: message", or "ok".
QString firstError(const QString& source)
{
    const CompileResult result = compileScenario(source, u"test.scn"_qs);
    if (result.ok())
        return u"ok"_qs;
    const ScriptError& e = result.errors.front();
    return QStringLiteral("%1:%2: %3").arg(e.location.line).arg(e.location.column).arg(e.message);
}

Trace run(const QString& source)
{
    const CompileResult result = compileScenario(source, u"test.scn"_qs);
    if (!result.ok()) {
        qWarning().noquote() << result.errorText();
        return Trace {};
    }
    return runScenario(*result.program);
}

QString main(const QString& body) { return u"async fn main() {\n"_qs + body + u"\n}\n"_qs; }

/// What one task did, each with the line its event carries: "wait timer@7", "Pending@7",
/// "wake timer@7", "cancel io@7", "mark@9", "Ready@10", "complete failed@5". Poll starts and
/// spawns are left out.
QStringList linesOf(const Trace& trace, const QString& task)
{
    QStringList lines;
    for (const TraceEvent& e : trace.events) {
        if (trace.taskName(e.task) != task)
            continue;
        QString what;
        switch (e.kind) {
        case EventKind::PollEnd:
            what = e.outcome() == PollOutcome::Ready ? u"Ready"_qs : u"Pending"_qs;
            break;
        case EventKind::Wake:
            what = u"wake "_qs + wakeCauseName(e.wakeCause());
            break;
        case EventKind::WaitRegistered:
            what = u"wait "_qs + waitTargetName(e.waitTarget());
            break;
        case EventKind::Cancel:
            what = u"cancel "_qs + cancelTargetName(e.cancelTarget());
            break;
        case EventKind::Mark:
            what = u"mark"_qs;
            break;
        case EventKind::Complete:
            what = e.completion() == CompletionStatus::Ok ? u"complete ok"_qs : u"complete failed"_qs;
            break;
        default:
            continue;
        }
        lines << QStringLiteral("%1@%2").arg(what).arg(trace.span(e.span).line);
    }
    return lines;
}

/// Runs `source`, whose main fails, and checks the report's whole message (position, source
/// line, caret), that the report's span is that position (the window marks it), and that main's
/// completion has its line (what --events prints).
void verifyMainFailsWith(const QString& source, const QString& message)
{
    const Trace trace = run(source);
    QCOMPARE(trace.report.status, RunStatus::Failed);
    QCOMPARE(trace.report.message, message);
    const SourceSpan& at = trace.span(trace.report.errorSpan);
    QCOMPARE(u"test.scn:%1:%2:"_qs.arg(at.line).arg(at.column), message.section(u' ', 0, 0));
    const auto complete = std::find_if(trace.events.begin(), trace.events.end(),
        [](const TraceEvent& e) { return e.kind == EventKind::Complete && e.task == kMainTask; });
    QVERIFY(complete != trace.events.end());
    QCOMPARE(trace.span(complete->span).line, at.line);
}

} // namespace

class TestScripts : public QObject
{
    Q_OBJECT

private slots:
    void init() { m_framesBefore = FrameAllocator::liveFrames(); }
    void cleanup() { QCOMPARE(FrameAllocator::liveFrames(), m_framesBefore); }

    void referenceScriptsMatchTokio_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("reference");
        for (const QString& file : QDir(QStringLiteral(POLLSCOPE_TEST_DATA "/tokio")).entryList({ u"*.scn"_qs })) {
            const QString scenario = file.chopped(4);
            if (scenario != u"spawn_blocking") // real clock only; checked below
                QTest::newRow(qPrintable(scenario)) << file << scenario;
        }
    }
    void referenceScriptsMatchTokio()
    {
        QFETCH(QString, file);
        QFETCH(QString, reference);
        static const QHash<QString, PollSequence> tokio = loadReferenceTraces();
        QFile source(QStringLiteral(POLLSCOPE_TEST_DATA "/tokio/") + file);
        QVERIFY(source.open(QIODevice::ReadOnly));
        const Trace trace = run(QString::fromUtf8(source.readAll()));
        QCOMPARE(trace.report.status, RunStatus::Completed);
        const PollSequence ours = pollSequence(trace);
        QCOMPARE(ours.polls, tokio.value(reference).polls);
        QCOMPARE(ours.elapsedUs, tokio.value(reference).elapsedUs);
    }

    /// Scenarios of the scheduling rules that tokio's recorded traces do not reach (budgets,
    /// batches, select losers, channels, lanes, shutdown); each expected sequence was checked
    /// by hand against the rules (DESIGN.md, "Executor semantics", and the language reference
    /// on select) and, where they are silent, tokio 1.24's source.
    void ruleScenariosGiveTheirPollSequences_data()
    {
        QTest::addColumn<QString>("name");
        for (const QString& file :
            QDir(QStringLiteral(POLLSCOPE_TEST_DATA "/rules")).entryList({ u"*.scn"_qs }))
            QTest::newRow(qPrintable(file.chopped(4))) << file.chopped(4);
    }
    void ruleScenariosGiveTheirPollSequences()
    {
        QFETCH(QString, name);
        const QString base = QStringLiteral(POLLSCOPE_TEST_DATA "/rules/") + name;
        QFile source(base + u".scn");
        QFile expected(base + u".polls");
        QVERIFY(source.open(QIODevice::ReadOnly) && expected.open(QIODevice::ReadOnly));
        QStringList polls = QString::fromUtf8(expected.readAll()).split(u'\n', Qt::SkipEmptyParts);
        const QString elapsed = polls.takeLast();
        const Trace trace = run(QString::fromUtf8(source.readAll()));
        QCOMPARE(trace.report.status, RunStatus::Completed);
        const PollSequence ours = pollSequence(trace);
        QCOMPARE(ours.polls, polls);
        QCOMPARE(u"elapsed "_qs + QString::number(ours.elapsedUs), elapsed);
    }

    void spawnBlockingScriptRunsBesideTheWorker()
    {
        QFile source(QStringLiteral(POLLSCOPE_TEST_DATA "/tokio/spawn_blocking.scn"));
        QVERIFY(source.open(QIODevice::ReadOnly));
        const PollSequence run = pollSequence(::run(QString::fromUtf8(source.readAll())));
        QVERIFY(run.polls.contains(u"ticker#5@100000:Ready"_qs));
        QVERIFY(run.polls.contains(u"main#1@200000:Ready"_qs));
        QCOMPARE(run.polls.filter(u"main#"_qs).size(), 2);
        QCOMPARE(run.elapsedUs, 200000);
    }

    void errorsNameLineAndColumn_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("error");
        QTest::newRow("missing main") << u"async fn helper() {}\n"_qs << u"1:1: no `async fn main()`: every scenario needs one to start from"_qs;
        QTest::newRow("unknown function") << main(u"    slep(10ms).await;"_qs) << u"2:5: unknown function `slep`; did you mean `sleep`?"_qs;
        QTest::newRow("invisible character")
            << main(u"    let x = 1;\u200b"_qs) << u"2:15: unexpected character U+200B"_qs;
        QTest::newRow(".await misspelt") << main(u"    sleep(10ms).awiat;"_qs) << u"2:17: unknown field `awiat`; did you mean `.await`?"_qs;
        QTest::newRow("number without unit") << main(u"    sleep(80).await;"_qs)
                                             << u"2:11: `sleep` needs a duration, such as 80ms; this number has no unit"_qs;
        QTest::newRow("unknown unit") << main(u"    sleep(80mx).await;"_qs) << u"2:13: unknown duration unit `mx`; use ns, us, ms or s (e.g. 80ms)"_qs;
        QTest::newRow("argument count") << main(u"    sleep(1ms, 2ms).await;"_qs)
                                        << u"2:5: `sleep` takes 1 argument, found 2 arguments (sleep(duration))"_qs;
        QTest::newRow("wrong argument type") << main(u"    io(5ms, 5ms).await;"_qs)
                                             << u"2:8: `io` needs a string as its 1st argument, found a duration (io(label, duration))"_qs;
        QTest::newRow("undefined name") << main(u"    let x = y;"_qs) << u"2:13: cannot find `y` in this scope"_qs;
        QTest::newRow("suggested name") << main(u"    let handle = 1;\n    let x = handel;"_qs)
                                        << u"3:13: cannot find `handel` in this scope; did you mean `handle`?"_qs;
        QTest::newRow("duplicate function") << main(QString()) + u"async fn main() {}\n"_qs
                                             << u"4:10: function `main` is defined twice (first at line 1)"_qs;
        QTest::newRow("await a number") << main(u"    5.await;"_qs) << u"2:7: `.await` needs a future or a task handle, found a number"_qs;
        QTest::newRow("await in-poll work") << main(u"    block(\"read\", 5ms).await;"_qs)
                                            << u"2:24: `block(...)` runs inside the poll and gives nothing to await; remove `.await`"_qs;
        QTest::newRow("await outside async") << u"fn helper() { sleep(1ms).await; }\n"_qs + main(QString())
                                             << u"1:26: `.await` is only allowed inside an `async fn`"_qs;
        QTest::newRow("immutable") << main(u"    let n = 1;\n    n = 2;"_qs) << u"3:5: cannot assign twice to `n`; declare it with `let mut n`"_qs;
        QTest::newRow("break outside loop") << main(u"    break;"_qs) << u"2:5: `break` outside of a loop"_qs;
        QTest::newRow("missing semicolon") << main(u"    let x = 1\n    let y = 2;"_qs) << u"2:14: expected `;` after the `let` statement, found `let`"_qs;
        QTest::newRow("unterminated string") << main(u"    mark(\"oops);"_qs) << u"2:10: unterminated string: add the closing `\"` on the same line"_qs;
        QTest::newRow("unknown runtime setting") << u"runtime current_thread(pol_cost: 1us)\n"_qs + main(QString())
                                                 << u"1:24: unknown runtime setting `pol_cost`; did you mean `poll_cost`?"_qs;
        QTest::newRow("setting type") << u"runtime current_thread(poll_cost: 10)\n"_qs + main(QString())
                                      << u"1:35: `poll_cost` needs a duration such as 10us"_qs;
        QTest::newRow("zero poll cost is fine") << u"runtime current_thread(poll_cost: 0us)\n"_qs + main(QString()) << u"ok"_qs;
        QTest::newRow("other runtime") << u"runtime multi_thread()\n"_qs + main(QString())
                                       << u"1:9: unknown runtime `multi_thread`: Pollscope models tokio's current_thread runtime"_qs;
        QTest::newRow("spawn a builtin") << main(u"    spawn sleep(1ms);"_qs)
                                         << u"2:11: `spawn` takes an async fn of this scenario; wrap `sleep(...)` in one"_qs;
        QTest::newRow("spawn without call") << main(u"    spawn 5;"_qs) << u"2:11: `spawn` takes a call of an async fn, e.g. `spawn fetch(url)`"_qs;
        QTest::newRow("mixed units") << main(u"    let t = 10ms + 5;"_qs)
                                     << u"2:18: cannot add a duration and a number: give the number a unit, e.g. 80ms"_qs;
        QTest::newRow("builtin name taken") << u"async fn sleep() {}\n"_qs + main(QString())
                                            << u"1:10: `sleep` is a built-in function; choose another name"_qs;
        QTest::newRow("unknown method") << main(u"    let ch = channel(1);\n    ch.push(1);"_qs)
                                        << u"3:5: a channel has no method `push`; it has send, recv, close"_qs;
        QTest::newRow("bad interpolation") << main(u"    mark(\"{who}\");"_qs) << u"2:12: cannot find `who` to put in the string"_qs;
        QTest::newRow("nesting") << main(QString(300, u'(') + u'1' + QString(300, u')') + u';') << u"2:200: nested too deeply"_qs;
        QTest::newRow("long chain") << main(u"    let x = 1"_qs + QString(u" + 1"_qs).repeated(100'000) + u';')
                                    << u"2:807: nested too deeply"_qs;
        QTest::newRow("long postfix chain") << main(u"    let x = f()"_qs + QString(u"?"_qs).repeated(100'000) + u';')
                                            << u"2:214: nested too deeply"_qs;
        QTest::newRow("too many decimals") << main(u"    sleep(1.0000000000000000001s).await;"_qs)
                                           << u"2:11: too many decimal places: a duration has at most 9"_qs;
        QTest::newRow("finer than ns") << main(u"    sleep(1.5ns).await;"_qs) << u"2:11: duration is finer than a nanosecond"_qs;
        QTest::newRow("duration too long") << main(u"    sleep(9223372037s).await;"_qs) << u"2:11: duration is too long"_qs;
        QTest::newRow("number equals duration") << main(u"    let same = 5 == 5ms;"_qs)
                                                << u"2:18: cannot compare a number with a duration: give the number a unit, e.g. 80ms"_qs;
    }
    void errorsNameLineAndColumn()
    {
        QFETCH(QString, source);
        QFETCH(QString, error);
        QCOMPARE(firstError(source), error);
    }

    void severalErrorsInOnePass()
    {
        const CompileResult result = compileScenario(main(u"    slep(1ms).await;\n    let x = ;\n    sleep(5).await;"_qs), u"many.scn"_qs);
        QCOMPARE(result.errors.size(), 3);
        const QString text = result.errorText();
        QVERIFY(text.startsWith(u"many.scn:2:5: error: unknown function `slep`"));
        QVERIFY(text.contains(u"many.scn:3:13: error: expected an expression, found `;`"));
        QVERIFY(text.contains(u" 4 |     sleep(5).await;\n   |           ^\n"));
    }

    void valuesAndControlFlow()
    {
        const Trace trace = run(main(uR"(
    let mut total = 0;
    for i in 0..5 { if i % 2 == 0 { continue; } total += i; }
    let mut n = 0;
    while n < 3 { n = n + 1; }
    loop { n -= 1; if n == 0 { break; } }
    let items = [1, 2, 3];
    let d = 2 * 40ms + 1s / 4;
    let ok = total == 4 && !(n > 0) || false;
    mark("total={total} n={n} items={items} len={items} d={d} ok={ok}");
    mark("second={items}");)"_qs));
        QCOMPARE(trace.report.status, RunStatus::Completed);
        QCOMPARE(marks(trace).first(), u"total=4 n=0 items=[1, 2, 3] len=[1, 2, 3] d=330ms ok=true"_qs);
    }

    void futuresDoNothingUntilAwaited()
    {
        const Trace trace = run(uR"(runtime current_thread(poll_cost: 0us)
async fn work() { mark("ran"); }
async fn main() {
    let later = work();
    mark("created");
    sleep(10ms).await;
    later.await;
})"_qs);
        QCOMPARE(marks(trace), (QStringList { u"created"_qs, u"ran"_qs }));
    }

    void forgottenAwaitIsAGhost()
    {
        const Trace trace = run(uR"(runtime current_thread(poll_cost: 0us)
async fn save(order) { io("INSERT {order}", 30ms).await; }
async fn main() {
    save("a");
    save("b").await;
})"_qs);
        const auto ghost = std::find_if(trace.events.begin(), trace.events.end(),
                                        [](const TraceEvent& e) { return e.kind == EventKind::Unpolled; });
        QVERIFY(ghost != trace.events.end());
        QCOMPARE(trace.string(ghost->aux), u"save(\"a\")"_qs);
        QCOMPARE(trace.span(ghost->span).line, 4);
        QCOMPARE(trace.span(ghost->span).column, 5);
        QCOMPARE(trace.report.elapsed, 30'000'000);
    }

    void eventsCarryTheirStatementsLine()
    {
        const Trace trace = run(uR"(runtime current_thread(poll_cost: 0us)
async fn main() {
    mark("first");
    sleep(5ms).await;
    mark("second");
})"_qs);
        QStringList lines;
        for (const TraceEvent& e : trace.events)
            if (e.kind == EventKind::Mark || e.kind == EventKind::PollEnd || e.kind == EventKind::WaitRegistered)
                lines << QStringLiteral("%1@%2").arg(int(e.kind)).arg(trace.span(e.span).line);
        const auto at = [](EventKind k, int line) { return QStringLiteral("%1@%2").arg(int(k)).arg(line); };
        QCOMPARE(lines, (QStringList { at(EventKind::Mark, 3), at(EventKind::WaitRegistered, 4), at(EventKind::PollEnd, 4),
                                       at(EventKind::Mark, 5), at(EventKind::PollEnd, 6) }));
    }

    void eventsCarryTheLineResponsible_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("task");
        QTest::addColumn<QStringList>("lines");
        // The await of a stored future moves the task's span into that future: the return
        // after it must still set its own.
        QTest::newRow("return of an awaited future") << uR"(runtime current_thread(poll_cost: 10us)
async fn work() {
    sleep(1ms).await;
    return 7;
}
async fn main() {
    let f = work();
    return f.await;
})"_qs << u"main"_qs << QStringList { u"wait timer@3"_qs, u"Pending@3"_qs, u"wake timer@3"_qs, u"Ready@8"_qs,
                                      u"complete ok@8"_qs };
        // A leaf held as a value registers at its first poll, after the other branch ran.
        QTest::newRow("select timeout") << uR"(runtime current_thread(poll_cost: 10us)
async fn fetch(url) {
    io("GET {url}", 300ms).await;
    return "page";
}
async fn main() {
    let outcome = select(fetch("slow.example"), sleep(100ms)).await;
    let i = outcome.index;
    mark("{i}");
})"_qs << u"main"_qs << QStringList { u"wait io@3"_qs, u"wait timer@7"_qs, u"Pending@7"_qs, u"wake timer@7"_qs,
                                      u"cancel io@7"_qs, u"mark@9"_qs, u"Ready@10"_qs, u"complete ok@10"_qs };
        QTest::newRow("recv and handle in a select") << uR"(runtime current_thread(poll_cost: 10us)
async fn fetch(url) {
    io("GET {url}", 300ms).await;
    return "page";
}
async fn ping(out) {
    sleep(50ms).await;
    out.send("pong").await;
}
async fn main() {
    let queue = channel(1);
    let pinger = spawn ping(queue);
    let reply = select(fetch("slow.example"), queue.recv(), pinger).await;
    mark("got reply");
})"_qs << u"main"_qs << QStringList { u"wait io@3"_qs, u"wait channel_recv@13"_qs, u"wait task@13"_qs, u"Pending@13"_qs,
                                      u"wake channel@13"_qs, u"cancel io@13"_qs, u"mark@14"_qs, u"Ready@15"_qs,
                                      u"complete ok@15"_qs };
        // A select waits, and drops its losers, at its own expression: not at the last
        // statement of the branch that happened to run last.
        QTest::newRow("select race") << uR"(runtime current_thread(poll_cost: 10us)
async fn fetch(mirror, delay) {
    io("GET {mirror}", delay).await;
    return mirror;
}
async fn main() {
    let first = select(fetch("eu", 90ms), fetch("us", 60ms)).await;
    let winner = first.value;
    mark("{winner}");
})"_qs << u"main"_qs << QStringList { u"wait io@3"_qs, u"wait io@3"_qs, u"Pending@7"_qs, u"wake io@7"_qs,
                                      u"cancel io@7"_qs, u"mark@9"_qs, u"Ready@10"_qs, u"complete ok@10"_qs };
        QTest::newRow("select timeout, sleep first") << uR"(runtime current_thread(poll_cost: 10us)
async fn fetch(url) {
    io("GET {url}", 300ms).await;
    return "page";
}
async fn main() {
    let outcome = select(sleep(100ms), fetch("slow.example")).await;
    mark("done");
})"_qs << u"main"_qs << QStringList { u"wait timer@7"_qs, u"wait io@3"_qs, u"Pending@7"_qs, u"wake timer@7"_qs,
                                      u"cancel io@7"_qs, u"mark@8"_qs, u"Ready@9"_qs, u"complete ok@9"_qs };
        QTest::newRow("join") << uR"(runtime current_thread(poll_cost: 10us)
async fn fetch(url, delay) {
    io("GET {url}", delay).await;
    return url;
}
async fn main() {
    let pages = join(fetch("a", 20ms), fetch("b", 10ms)).await;
    mark("{pages}");
})"_qs << u"main"_qs << QStringList { u"wait io@3"_qs, u"wait io@3"_qs, u"Pending@7"_qs, u"wake io@7"_qs, u"Pending@7"_qs,
                                      u"wake io@7"_qs, u"mark@8"_qs, u"Ready@9"_qs, u"complete ok@9"_qs };
        // A fiber that fails ends its poll at the `fail` (or the `?` that returns the error),
        // as at a return.
        const QString fetch = uR"(runtime current_thread(poll_cost: 10us)
async fn fetch(url) {
    io("GET {url}", 40ms).await;
    if url == "b" {
        fail("404 Not Found: {url}");
    }
    return url;
}
async fn check(url) {
    let page = fetch(url).await?;
    return page;
}
)"_qs;
        QTest::newRow("fail in a spawned task")
            << fetch + uR"(async fn main() {
    let checker = spawn fetch("b") as "checker";
    let checked = checker.await;
    mark("{checked}");
})"_qs << u"checker"_qs << QStringList { u"wait io@3"_qs, u"Pending@3"_qs, u"wake io@3"_qs, u"Ready@5"_qs, u"complete failed@5"_qs };
        QTest::newRow("? in a spawned task")
            << fetch + uR"(async fn main() {
    let checker = spawn check("b") as "checker";
    let checked = checker.await;
    mark("{checked}");
})"_qs << u"checker"_qs << QStringList { u"wait io@3"_qs, u"Pending@3"_qs, u"wake io@3"_qs, u"Ready@10"_qs, u"complete failed@10"_qs };
        // A runtime error ends the task's poll, and the task, where it happened.
        QTest::newRow("runtime error") << uR"(async fn main() {
    let z = 0;
    sleep(5ms).await;
    mark("slept");
    let x = 5 / z;
    mark("{x}");
})"_qs << u"main"_qs << QStringList { u"wait timer@3"_qs, u"Pending@3"_qs, u"wake timer@3"_qs, u"mark@4"_qs,
                                      u"Ready@5"_qs, u"complete failed@5"_qs };
        // No other branch runs after one failed the run.
        const QString branches = uR"(runtime current_thread(poll_cost: 10us)
async fn divide(a, b) {
    return a / b;
}
async fn other() {
    mark("other ran");
    sleep(1ms).await;
}
)"_qs;
        QTest::newRow("runtime error in a join")
            << branches + u"async fn main() {\n    join(divide(1, 0), other()).await;\n}\n"_qs << u"main"_qs
            << QStringList { u"Ready@3"_qs, u"complete failed@3"_qs };
        QTest::newRow("runtime error in a select")
            << branches + u"async fn main() {\n    select(other(), divide(1, 0)).await;\n}\n"_qs << u"main"_qs
            << QStringList { u"mark@6"_qs, u"wait timer@7"_qs, u"cancel timer@3"_qs, u"Ready@3"_qs, u"complete failed@3"_qs };
    }
    void eventsCarryTheLineResponsible()
    {
        QFETCH(QString, source);
        QFETCH(QString, task);
        QFETCH(QStringList, lines);
        QCOMPARE(linesOf(run(source), task), lines);
    }

    void spawnedTasksAreNamed()
    {
        const Trace trace = run(uR"(
async fn fetch(k) { sleep(1ms).await; return k * 10; }
async fn main() {
    let a = spawn fetch(1);
    let b = spawn fetch(2);
    let c = spawn fetch(3) as "third";
    let values = join(a, b, c).await;
    mark("{values}");
})"_qs);
        QCOMPARE(trace.taskName(1), u"fetch-0"_qs);
        QCOMPARE(trace.taskName(2), u"fetch-1"_qs);
        QCOMPARE(trace.taskName(3), u"third"_qs);
        QCOMPARE(marks(trace), QStringList { u"[10, 20, 30]"_qs });
    }

    void selectGivesIndexAndValueAndDropsTheRest()
    {
        const Trace trace = run(uR"(runtime current_thread(poll_cost: 0us)
async fn fetch(d) { io("GET", d).await; return d; }
async fn main() {
    let first = select(fetch(90ms), fetch(60ms), sleep(200ms)).await;
    let i = first.index;
    let v = first.value;
    mark("{i} {v}");
})"_qs);
        QCOMPARE(marks(trace), QStringList { u"1 60ms"_qs });
        QCOMPARE(trace.report.elapsed, 60'000'000);
        int cancels = 0;
        for (const TraceEvent& e : trace.events)
            cancels += e.kind == EventKind::Cancel;
        QCOMPARE(cancels, 2); // the 90 ms I/O and the 200 ms timer
    }

    void ioIsBudgeted()
    {
        // 128 Ready sleeps spend the budget: the I/O's first poll is Pending and wakes main
        // at once, and only the next poll registers the read.
        const Trace trace = run(uR"(runtime current_thread(poll_cost: 0us)
async fn main() {
    for i in 0..128 { sleep(0ms).await; }
    io("read", 1ms).await;
})"_qs);
        QCOMPARE(pollSequence(trace).polls,
            (QStringList {
                u"main#0@0:Pending"_qs, u"main#1@0:Pending"_qs, u"main#2@1000:Ready"_qs }));
    }

    void aDroppedReceiveLeavesItsWaker()
    {
        // tokio's receiver keeps the waker of a recv that select dropped: the next send wakes
        // the task once (a Pending poll), although it no longer waits on the channel.
        const Trace trace = run(uR"(runtime current_thread(poll_cost: 0us)
async fn reader(ch) {
    select(ch.recv(), sleep(10ms)).await;
    sleep(100ms).await;
    let v = ch.recv().await;
    mark("got {v}");
}
async fn main() {
    let ch = channel(4);
    let h = spawn reader(ch) as "reader";
    sleep(20ms).await;
    ch.send(1).await;
    h.await;
})"_qs);
        const QStringList polls = pollSequence(trace).polls;
        QCOMPARE(polls.filter(u"reader#"_qs),
            (QStringList { u"reader#0@0:Pending"_qs, u"reader#1@10000:Pending"_qs,
                u"reader#2@20000:Pending"_qs, u"reader#3@110000:Ready"_qs }));
        QCOMPARE(marks(trace), QStringList { u"got 1"_qs });
        const bool withdrawn = std::any_of(trace.events.begin(), trace.events.end(),
            [](const TraceEvent& e) { return e.kind == EventKind::Cancel; });
        QVERIFY(!withdrawn);
    }

    void aReceiverWokenForAValueThenDroppedPassesItOn()
    {
        // r1's receive is dropped before any value: it leaves its waker. The value sent at
        // 12 ms wakes r1 once (a Pending poll) and r2, whose select then finds its sleep fired
        // first (one task per batch lets the reactor run before r2's poll) and drops the
        // receive it was woken for: the value passes on to r3.
        const Trace trace = run(uR"(runtime current_thread(poll_cost: 0us, event_interval: 1)
async fn r1(ch) { select(ch.recv(), sleep(1ms)).await; sleep(100ms).await; }
async fn r2(ch) { select(sleep(5ms), ch.recv()).await; }
async fn r3(ch) { let v = ch.recv().await; mark("r3 got {v}"); }
async fn main() {
    let ch = channel(4);
    let a = spawn r1(ch) as "r1";
    let b = spawn r2(ch) as "r2";
    let c = spawn r3(ch) as "r3";
    sleep(2ms).await;
    block("hold", 10ms);
    ch.send(7).await;
    c.await;
    a.await;
})"_qs);
        QCOMPARE(trace.report.status, RunStatus::Completed);
        QCOMPARE(marks(trace), QStringList { u"r3 got 7"_qs });
        QCOMPARE(pollSequence(trace).polls.filter(u"r1#"_qs),
            (QStringList { u"r1#0@0:Pending"_qs, u"r1#1@1000:Pending"_qs, u"r1#2@12000:Pending"_qs,
                u"r1#3@101000:Ready"_qs }));
    }

    void tasksAwaitingOneHandleWakeInTheOrderTheyBeganWaiting()
    {
        const Trace trace = run(uR"(runtime current_thread(poll_cost: 0us)
async fn slow() { sleep(10ms).await; }
async fn waiter(h) { h.await; }
async fn main() {
    let h = spawn slow() as "slow";
    let a = spawn waiter(h) as "a";
    let b = spawn waiter(h) as "b";
    let c = spawn waiter(h) as "c";
    c.await;
})"_qs);
        const QStringList polls = pollSequence(trace).polls;
        const QStringList woken = polls.mid(polls.indexOf(u"slow#1@10000:Ready"_qs) + 1, 3);
        QCOMPARE(woken,
            (QStringList { u"a#1@10000:Ready"_qs, u"b#1@10000:Ready"_qs, u"c#1@10000:Ready"_qs }));
    }

    void errorsPropagateWithQuestionMark()
    {
        const Trace trace = run(uR"(runtime current_thread(poll_cost: 0us)
async fn step(n) { sleep(1ms).await; if n == 2 { fail("step {n} broke"); } return n; }
async fn all() { for n in 0..4 { let v = step(n).await?; mark("step {v}"); } return "done"; }
async fn main() {
    let result = all().await;
    mark("{result}");
    let task = spawn step(2) as "worker";
    let failed = task.await;
    mark("{failed}");
})"_qs);
        QCOMPARE(trace.report.status, RunStatus::Completed);
        QCOMPARE(marks(trace), (QStringList { u"step 0"_qs, u"step 1"_qs, u"error: step 2 broke"_qs, u"error: step 2 broke"_qs }));
        const auto failure = std::find_if(trace.events.begin(), trace.events.end(), [](const TraceEvent& e) {
            return e.kind == EventKind::Complete && e.completion() == CompletionStatus::Failed;
        });
        QVERIFY(failure != trace.events.end());
        QCOMPARE(trace.taskName(failure->task), u"worker"_qs);
    }

    void mainThatFailsFailsTheRun()
    {
        const Trace trace = run(main(u"    fail(\"gave up\");"_qs));
        QCOMPARE(trace.report.status, RunStatus::Failed);
        QVERIFY2(trace.report.message.startsWith(u"test.scn:2:5: error: gave up\n"),
            qPrintable(trace.report.message));
    }

    void channelsConnectTasks()
    {
        const Trace trace = run(uR"(runtime current_thread(poll_cost: 0us)
async fn producer(out) { for i in 0..3 { out.send(i).await; mark("sent {i}"); } out.close(); }
async fn consumer(input) {
    loop {
        let v = input.recv().await;
        if v == none { break; }
        mark("got {v}");
    }
}
async fn main() {
    let queue = channel(1);
    let p = spawn producer(queue);
    let c = spawn consumer(queue);
    p.await;
    c.await;
})"_qs);
        QCOMPARE(marks(trace), (QStringList { u"sent 0"_qs, u"got 0"_qs, u"sent 1"_qs, u"got 1"_qs, u"sent 2"_qs, u"got 2"_qs }));
        const auto channel = std::find_if(trace.tables.resources.begin(), trace.tables.resources.end(),
                                          [](const ResourceRecord& r) { return r.kind == ResourceKind::Channel; });
        QVERIFY(channel != trace.tables.resources.end());
        QCOMPARE(trace.string(channel->label), u"queue"_qs);
    }

    void seededRandomIsRepeatable()
    {
        const QString source = u"seed 7\n"_qs + main(u"    for i in 0..5 { let d = rand(1ms..9ms); sleep(d).await; let n = rand(0..100); mark(\"{d} {n}\"); }"_qs);
        const QStringList first = marks(run(source));
        QCOMPARE(first.size(), 5);
        QCOMPARE(marks(run(source)), first);
        QVERIFY(marks(run(QString(source).replace(u"seed 7"_qs, u"seed 8"_qs))) != first);
    }

    void runtimeErrorsStopTheRunWithAPosition()
    {
        const Trace trace = run(main(u"    let zero = 0;\n    let x = 10 / zero;"_qs));
        QCOMPARE(trace.report.status, RunStatus::Failed);
        QVERIFY2(trace.report.message.startsWith(u"test.scn:3:16: error: division by zero"), qPrintable(trace.report.message));
        // The window marks it in the source from the report's span and bare message.
        const SourceSpan& at = trace.span(trace.report.errorSpan);
        QCOMPARE(at.line, 3);
        QCOMPARE(at.column, 16);
        QCOMPARE(SourceLocation::of(at).length, 1); // the `/`
        QCOMPARE(trace.report.errorMessage, u"division by zero"_qs);
    }

    void mainsFailureIsWhereMainReturned_data()
    {
        QTest::addColumn<QString>("body");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::newRow("fail") << u"    sleep(1ms).await;\n    fail(\"gave up\");"_qs << 3 << 5;
        QTest::newRow("? on a failed task")
            << u"    let h = spawn quit();\n    h.await?;"_qs << 3 << 12;
        QTest::newRow("? on a failing call")
            << u"    let n = 1;\n    let x = quit().await?;"_qs << 3 << 25;
    }

    void mainsFailureIsWhereMainReturned()
    {
        QFETCH(QString, body);
        QFETCH(int, line);
        QFETCH(int, column);
        const Trace trace = run(main(body) + u"\nasync fn quit() { fail(\"gave up\"); }"_qs);
        QCOMPARE(trace.report.status, RunStatus::Failed);
        QCOMPARE(trace.report.errorMessage, u"gave up"_qs);
        const SourceSpan& at = trace.span(trace.report.errorSpan);
        QCOMPARE(at.line, line);
        QCOMPARE(at.column, column);
        QVERIFY2(trace.report.message.startsWith(
                     u"test.scn:%1:%2: error: gave up\n"_qs.arg(line).arg(column)),
            qPrintable(trace.report.message));
    }

    void mainsFailureIsAtTheFailOrTheQuestionMark_data()
    {
        QTest::addColumn<QString>("body");
        QTest::addColumn<QString>("message");
        QTest::newRow("fail in a let")
            << u"    let x = fail(\"boom\");"_qs
            << u"test.scn:2:13: error: boom\n 2 |     let x = fail(\"boom\");\n   |             ^~~~~~~~~~~~"_qs;
        QTest::newRow("? in a let")
            << u"    let y = f()?;"_qs
            << u"test.scn:2:16: error: boom\n 2 |     let y = f()?;\n   |                ^"_qs;
        QTest::newRow("? on a failed task's handle")
            << u"    let h = spawn quit();\n    let v = h.await?;"_qs
            << u"test.scn:3:20: error: boom\n 3 |     let v = h.await?;\n   |                    ^"_qs;
        QTest::newRow("fail as an argument")
            << u"    mark(fail(\"boom\"));"_qs
            << u"test.scn:2:10: error: boom\n 2 |     mark(fail(\"boom\"));\n   |          ^~~~~~~~~~~~"_qs;
        QTest::newRow("? in an argument")
            << u"    mark(f()?);"_qs
            << u"test.scn:2:13: error: boom\n 2 |     mark(f()?);\n   |             ^"_qs;
        QTest::newRow("fail in a return")
            << u"    return fail(\"boom\");"_qs
            << u"test.scn:2:12: error: boom\n 2 |     return fail(\"boom\");\n   |            ^~~~~~~~~~~~"_qs;
        QTest::newRow("? in a return")
            << u"    return f()?;"_qs
            << u"test.scn:2:15: error: boom\n 2 |     return f()?;\n   |               ^"_qs;
        QTest::newRow("fail in an if condition")
            << u"    if fail(\"boom\") { mark(\"go\"); }"_qs
            << u"test.scn:2:8: error: boom\n 2 |     if fail(\"boom\") { mark(\"go\"); }\n   |        ^~~~~~~~~~~~"_qs;
        QTest::newRow("? in an if condition")
            << u"    if f()? { mark(\"go\"); }"_qs
            << u"test.scn:2:11: error: boom\n 2 |     if f()? { mark(\"go\"); }\n   |           ^"_qs;
        QTest::newRow("fail on the let's second line")
            << u"    let x =\n        fail(\"boom\");"_qs
            << u"test.scn:3:9: error: boom\n 3 |         fail(\"boom\");\n   |         ^~~~~~~~~~~~"_qs;
    }

    /// A failed main is reported at the expression that returned the error, not at the start
    /// of its statement: the whole `fail(...)` call, or the `?` that passed the error on (the
    /// operand is just left of it, and with two `?` in a statement it says which one fired).
    void mainsFailureIsAtTheFailOrTheQuestionMark()
    {
        QFETCH(QString, body);
        QFETCH(QString, message);
        verifyMainFailsWith(main(body) +
                u"fn f() { return fail(\"boom\"); }\n"
                u"async fn quit() { sleep(1ms).await; fail(\"boom\"); }\n"_qs,
            message);
    }

    void runtimeErrorsAreAtTheirOperator_data()
    {
        QTest::addColumn<QString>("body");
        QTest::addColumn<QString>("message");
        QTest::newRow("division by zero in an argument")
            << u"    let zero = 0;\n    sleep(1ms / zero).await;"_qs
            << u"test.scn:3:15: error: division by zero\n 3 |     sleep(1ms / zero).await;\n   |               ^"_qs;
        QTest::newRow("remainder by zero in a return")
            << u"    let zero = 0;\n    return 1 % zero;"_qs
            << u"test.scn:3:14: error: remainder by zero\n 3 |     return 1 % zero;\n   |              ^"_qs;
        QTest::newRow("index out of range in a let")
            << u"    let items = [1, 2, 3];\n    let x = 1 + items[5];"_qs
            << u"test.scn:3:22: error: index 5 is out of range: the list has 3 items\n"
               u" 3 |     let x = 1 + items[5];\n   |                      ^"_qs;
        QTest::newRow("index out of range in an if condition")
            << u"    let items = [true, false];\n    if items[2] { mark(\"go\"); }"_qs
            << u"test.scn:3:13: error: index 2 is out of range: the list has 2 items\n"
               u" 3 |     if items[2] { mark(\"go\"); }\n   |             ^"_qs;
        QTest::newRow("index out of range of a one-item list")
            << u"    let items = [7];\n    mark(items[1]);"_qs
            << u"test.scn:3:15: error: index 1 is out of range: the list has 1 item\n"
               u" 3 |     mark(items[1]);\n   |               ^"_qs;
    }

    /// Errors of the interpreter itself inside a statement: at the operator that failed.
    void runtimeErrorsAreAtTheirOperator()
    {
        QFETCH(QString, body);
        QFETCH(QString, message);
        verifyMainFailsWith(main(body), message);
    }

    void aRuntimeErrorNamesTheCallsThatLedThere_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("message");
        QTest::newRow("an async fn awaited where it is called")
            << u"async fn work(d) { sleep(d).await; }\n"
               u"async fn main() { work(10).await; }\n"_qs
            << u"test.scn:1:20: error: `sleep` needs a duration, found a number\n"
               u" 1 | async fn work(d) { sleep(d).await; }\n"
               u"   |                    ^~~~~~~~\n"
               u"test.scn:2:19: note: `work` called from here\n"
               u" 2 | async fn main() { work(10).await; }\n"
               u"   |                   ^~~~~~~~"_qs;
        QTest::newRow("a fn, inside an async fn")
            << u"fn ratio(a, b) { return a / b; }\n"
               u"async fn share(n) { let r = ratio(n, 0); }\n"
               u"async fn main() { share(6).await; }\n"_qs
            << u"test.scn:1:27: error: division by zero\n"
               u" 1 | fn ratio(a, b) { return a / b; }\n"
               u"   |                           ^\n"
               u"test.scn:2:29: note: `ratio` called from here\n"
               u" 2 | async fn share(n) { let r = ratio(n, 0); }\n"
               u"   |                             ^~~~~~~~~~~\n"
               u"test.scn:3:19: note: `share` called from here\n"
               u" 3 | async fn main() { share(6).await; }\n"
               u"   |                   ^~~~~~~~"_qs;
        // A stored future runs as a fiber of its own: its call, then the calls of the fiber that
        // polls it (through the join).
        QTest::newRow("a stored future in a join")
            << u"async fn work(d) { sleep(d).await; }\n"
               u"async fn both(d) { let f = work(d); join(f, sleep(1ms)).await; }\n"
               u"async fn main() { both(5).await; }\n"_qs
            << u"test.scn:1:20: error: `sleep` needs a duration, found a number\n"
               u" 1 | async fn work(d) { sleep(d).await; }\n"
               u"   |                    ^~~~~~~~\n"
               u"test.scn:2:28: note: `work` called from here\n"
               u" 2 | async fn both(d) { let f = work(d); join(f, sleep(1ms)).await; }\n"
               u"   |                            ^~~~~~~\n"
               u"test.scn:3:19: note: `both` called from here\n"
               u" 3 | async fn main() { both(5).await; }\n"
               u"   |                   ^~~~~~~"_qs;
        QTest::newRow("a spawned task")
            << u"async fn work(d) { sleep(1ms).await; sleep(d).await; }\n"
               u"async fn main() { let h = spawn work(3); h.await; }\n"_qs
            << u"test.scn:1:38: error: `sleep` needs a duration, found a number\n"
               u" 1 | async fn work(d) { sleep(1ms).await; sleep(d).await; }\n"
               u"   |                                      ^~~~~~~~\n"
               u"test.scn:2:27: note: `work` spawned from here\n"
               u" 2 | async fn main() { let h = spawn work(3); h.await; }\n"
               u"   |                           ^~~~~"_qs;
        // The calls of a recursion from one place are one note.
        QTest::newRow("recursion")
            << u"fn down(n) { if n == 0 { return 1 / n; } return down(n - 1); }\n"
               u"async fn main() { down(3); }\n"_qs
            << u"test.scn:1:35: error: division by zero\n"
               u" 1 | fn down(n) { if n == 0 { return 1 / n; } return down(n - 1); }\n"
               u"   |                                   ^\n"
               u"test.scn:1:49: note: `down` called from here (3 nested calls)\n"
               u" 1 | fn down(n) { if n == 0 { return 1 / n; } return down(n - 1); }\n"
               u"   |                                                 ^~~~~~~~~~~\n"
               u"test.scn:2:19: note: `down` called from here\n"
               u" 2 | async fn main() { down(3); }\n"
               u"   |                   ^~~~~~~"_qs;
        // At most four notes: the calls further out are counted.
        QTest::newRow("a long chain")
            << u"fn f(x) { return x / 0; }\nfn e(x) { return f(x); }\nfn d(x) { return e(x); }\n"
               u"fn c(x) { return d(x); }\nfn b(x) { return c(x); }\nasync fn main() { b(1); }\n"_qs
            << u"test.scn:1:20: error: division by zero\n"
               u" 1 | fn f(x) { return x / 0; }\n"
               u"   |                    ^\n"
               u"test.scn:2:18: note: `f` called from here\n"
               u" 2 | fn e(x) { return f(x); }\n"
               u"   |                  ^~~~\n"
               u"test.scn:3:18: note: `e` called from here\n"
               u" 3 | fn d(x) { return e(x); }\n"
               u"   |                  ^~~~\n"
               u"test.scn:4:18: note: `d` called from here\n"
               u" 4 | fn c(x) { return d(x); }\n"
               u"   |                  ^~~~\n"
               u"test.scn:5:18: note: `c` called from here\n"
               u" 5 | fn b(x) { return c(x); }\n"
               u"   |                  ^~~~\n"
               u"test.scn: note: and 1 more call further out"_qs;
        // A bound reached inside a call is placed the same way.
        QTest::newRow("a bound inside a call")
            << u"runtime current_thread(max_steps: 100)\n"
               u"fn spin() { loop { } }\n"
               u"async fn main() { spin(); }\n"_qs
            << u"test.scn:2:13: error: this poll ran 100 steps without waiting on anything: a loop "
               u"without `.await`? (max_steps; raise it with runtime current_thread(max_steps: "
               u"1000))\n"
               u" 2 | fn spin() { loop { } }\n"
               u"   |             ^~~~\n"
               u"test.scn:3:19: note: `spin` called from here\n"
               u" 3 | async fn main() { spin(); }\n"
               u"   |                   ^~~~~~"_qs;
    }
    /// A runtime error stays where it happened (FILE:LINE:COL first), and notes after it name
    /// the calls that led there, innermost first: where the values it was given came from.
    void aRuntimeErrorNamesTheCallsThatLedThere()
    {
        QFETCH(QString, source);
        QFETCH(QString, message);
        const Trace trace = run(source);
        QVERIFY(trace.report.status == RunStatus::Failed ||
            trace.report.status == RunStatus::LimitReached);
        QCOMPARE(trace.report.message, message);
        const SourceSpan& at = trace.span(trace.report.errorSpan);
        QCOMPARE(u"test.scn:%1:%2:"_qs.arg(at.line).arg(at.column), message.section(u' ', 0, 0));
        QVERIFY(!trace.report.errorMessage.contains(u"note"));
        // The report keeps the notes' places for the window: one per "note:" line.
        QCOMPARE(qsizetype(trace.report.errorNotes.size()), message.count(u": note: "_qs));
        for (const ErrorNote& note : trace.report.errorNotes) {
            const SourceSpan& span = trace.span(note.span);
            const QString prefix = span.isValid()
                ? u"test.scn:%1:%2: note: "_qs.arg(span.line).arg(span.column)
                : u"test.scn: note: "_qs;
            QVERIFY2(message.contains(prefix + note.message + u'\n') ||
                    message.endsWith(prefix + note.message),
                qPrintable(note.message));
        }
    }

    void runawayScriptsStopAtABound_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("bound");
        QTest::addColumn<RunStatus>("status");
        QTest::newRow("yield forever") << u"runtime current_thread(max_events: 5000)\n"_qs +
                main(u"    loop { yield_now().await; }"_qs)
                                       << u"max_events"_qs << RunStatus::LimitReached;
        QTest::newRow("sleep forever") << u"runtime current_thread(max_time: 2s)\n"_qs +
                main(u"    loop { sleep(100ms).await; }"_qs)
                                       << u"max_time"_qs << RunStatus::LimitReached;
        QTest::newRow("spin without await") << u"runtime current_thread(max_steps: 100000)\n"_qs +
                main(u"    let mut n = 0;\n    loop { n += 1; }"_qs)
                                            << u"max_steps"_qs << RunStatus::LimitReached;
        QTest::newRow("compute forever") << u"runtime current_thread(max_time: 1s)\n"_qs +
                main(u"    loop { compute(\"spin\", 10ms); }"_qs)
                                         << u"max_time"_qs << RunStatus::LimitReached;
        QTest::newRow("sleep past the end of time") << main(u"    sleep(9223372036s).await;"_qs)
                                                    << u"max_time"_qs << RunStatus::LimitReached;
        // Not a runaway bound but the interpreter's own stack: an error.
        QTest::newRow("endless recursion")
            << u"fn deep(n) { return deep(n + 1); }\n"_qs + main(u"    deep(0);"_qs)
            << u"endless recursion"_qs << RunStatus::Failed;
        QTest::newRow("spawns that spawn")
            << u"runtime current_thread(max_tasks: 1000)\n"
               u"async fn f() { spawn f(); spawn f(); sleep(1s).await; }\n"_qs +
                main(u"    spawn f();\n    sleep(3000s).await;"_qs)
            << u"max_tasks"_qs << RunStatus::LimitReached;
    }

    void theEventBoundCountsInGoodEnglish()
    {
        const Trace one =
            run(u"runtime current_thread(max_events: 1)\n"_qs + main(u"    sleep(1ms).await;"_qs));
        QCOMPARE(one.report.status, RunStatus::LimitReached);
        QVERIFY2(one.report.errorMessage.startsWith(u"the run stopped after 1 event (max_events)"),
            qPrintable(one.report.errorMessage));
    }

    void buildingLongStringsCostsSteps()
    {
        // Display caps what a string shows of another at 10,000 characters, so this string
        // stays at about 20,000; each such interpolation counts as 312 steps, not one.
        const Trace trace = run(u"runtime current_thread(max_steps: 100000)\n"_qs + main(uR"(    let mut s = "x";
    let mut n = 0;
    loop { s = "{s}{s}"; n += 1; mark("{n}"); })"_qs));
        QCOMPARE(trace.report.status, RunStatus::LimitReached);
        QVERIFY2(trace.report.message.contains(u"max_steps"), qPrintable(trace.report.message));
        const qsizetype rounds = marks(trace).size();
        QVERIFY2(rounds > 100 && rounds < 1000, qPrintable(QString::number(rounds)));
    }
    void runawayScriptsStopAtABound()
    {
        QFETCH(QString, source);
        QFETCH(QString, bound);
        QFETCH(RunStatus, status);
        const Trace trace = run(source);
        QCOMPARE(trace.report.status, status);
        QVERIFY2(trace.report.message.contains(bound), qPrintable(trace.report.message));
    }

    void everyRunawayBoundEndsTheRunAlike_data()
    {
        // Each run leaves main and a sleeping helper unfinished. max_events and max_time stop
        // the run between polls; the other three inside one, cutting that poll off.
        QTest::addColumn<QString>("header");
        QTest::addColumn<QString>("body");
        QTest::addColumn<QString>("bound");
        QTest::addColumn<int>("line");
        QTest::addColumn<bool>("cutOff");
        QTest::newRow("max_events")
            << u"max_events: 200"_qs << u"    loop { yield_now().await; }"_qs << u"(max_events)"_qs
            << 5 << false;
        QTest::newRow("max_time") << u"max_time: 50ms"_qs << u"    loop { sleep(10ms).await; }"_qs
                                  << u"(max_time)"_qs << 5 << false;
        QTest::newRow("max_steps")
            << u"max_steps: 1000"_qs << u"    let mut n = 0;\n    loop { n += 1; }"_qs
            << u"(max_steps;"_qs << 6 << true;
        QTest::newRow("max_tasks")
            << u"max_tasks: 3"_qs << u"    for i in 0..10 { spawn helper(); }"_qs
            << u"(max_tasks;"_qs << 5 << true;
        QTest::newRow("max_time inside a block")
            << u"max_time: 50ms"_qs << u"    block(\"read\", 1s);"_qs << u"max_time"_qs << 5
            << true;
    }
    /// Whichever bound stops a run, it ends "limit reached" where the script was, no poll it
    /// cut off is Ready, and the tasks still running end stopped, not failed or cancelled.
    void everyRunawayBoundEndsTheRunAlike()
    {
        QFETCH(QString, header);
        QFETCH(QString, body);
        QFETCH(QString, bound);
        QFETCH(int, line);
        QFETCH(bool, cutOff);
        const Trace trace = run(u"runtime current_thread(%1)\n"
                                u"async fn helper() { sleep(1s).await; }\n"_qs.arg(header) +
            main(u"    spawn helper();\n"_qs + body));
        QCOMPARE(trace.report.status, RunStatus::LimitReached);
        QVERIFY2(trace.report.message.startsWith(u"test.scn:%1:"_qs.arg(line)),
            qPrintable(trace.report.message));
        QVERIFY2(trace.report.errorMessage.contains(bound), qPrintable(trace.report.errorMessage));
        QCOMPARE(trace.span(trace.report.errorSpan).line, line);
        QCOMPARE(trace.report.lastPollCutOff, cutOff);
        // Nothing finished: every poll, the one cut off too, is Pending, and none completes.
        QCOMPARE(countEvents(trace, EventKind::Complete), 0);
        const TraceEvent* lastPoll = nullptr;
        for (const TraceEvent& e : trace.events) {
            if (e.kind != EventKind::PollEnd)
                continue;
            QCOMPARE(e.outcome(), PollOutcome::Pending);
            lastPoll = &e;
        }
        QVERIFY(lastPoll);
        QCOMPARE(trace.taskName(lastPoll->task), u"main"_qs);
        QCOMPARE(trace.span(lastPoll->span).line, line);
        const RunMetrics metrics = computeMetrics(trace);
        QVERIFY(metrics.tasks.size() >= 2);
        for (const TaskMetrics& task : metrics.tasks)
            QCOMPARE(taskEnd(task, trace.report.status), u"stopped"_qs);
    }

    void aSpinningLoopIsWhereTheStepBoundStopsIt_data()
    {
        // Loops whose bodies do little but jump back (where the compiler used to put no
        // position, so the error pointed at line 1): the bound stops them on their line.
        QTest::addColumn<QString>("loop");
        QTest::addColumn<int>("line");
        QTest::newRow("empty loop") << u"    loop { }"_qs << 3;
        QTest::newRow("while") << u"    let mut n = 0;\n    while true { n = 5; }"_qs << 4;
        QTest::newRow("for over a range") << u"    for i in 0..100000000 { let x = 1; }"_qs << 3;
    }
    void aSpinningLoopIsWhereTheStepBoundStopsIt()
    {
        QFETCH(QString, loop);
        QFETCH(int, line);
        for (const int steps : { 100000, 100001, 100002, 100003 }) { // wherever in the loop
            const Trace trace =
                run(u"runtime current_thread(max_steps: %1)\n"_qs.arg(steps) + main(loop));
            QCOMPARE(trace.report.status, RunStatus::LimitReached);
            QVERIFY2(trace.report.message.startsWith(u"test.scn:%1:"_qs.arg(line)),
                qPrintable(trace.report.message));
            QVERIFY2(trace.report.message.contains(u"this poll ran %1 steps"_qs.arg(steps)),
                qPrintable(trace.report.message));
        }
    }

    void listsTooDeepToCompareAreAnError()
    {
        // 32 levels compare (shared sublists once per pair); 33 cannot be told apart, and
        // saying "false" would be a wrong answer.
        const auto compare = [&](int levels) {
            return run(main(uR"(    let mut a = [1];
    let mut b = [1];
    for i in 0..%1 { a = [a, a]; b = [b, b]; }
    let same = a == b;
    mark("{same}");)"_qs.arg(levels)));
        };
        QCOMPARE(marks(compare(31)), QStringList { u"true"_qs });
        const Trace tooDeep = compare(33);
        QCOMPARE(tooDeep.report.status, RunStatus::Failed);
        QVERIFY2(tooDeep.report.message.startsWith(
                     u"test.scn:5:18: error: cannot compare lists nested more than 32 deep"),
            qPrintable(tooDeep.report.message));
    }

    void aFutureAwaitedByTwoTasksIsAnError()
    {
        // Its wake goes to the task that polled it first: main would wait forever.
        const Trace shared = run(uR"(async fn w(f) { f.await; }
async fn main() {
    let f = sleep(5ms);
    spawn w(f);
    sleep(1ms).await;
    f.await;
})"_qs);
        QCOMPARE(shared.report.status, RunStatus::Failed);
        QVERIFY2(shared.report.message.startsWith(
                     u"test.scn:3:13: error: this future is awaited by two tasks"),
            qPrintable(shared.report.message));
        // Handed to another task before anyone polls it, or awaited again once ready, it is fine.
        const Trace handed = run(uR"(async fn w(f) { f.await; mark("slept"); }
async fn main() {
    let f = sleep(5ms);
    let h = spawn w(f);
    h.await;
    f.await;
    mark("again");
})"_qs);
        QCOMPARE(handed.report.status, RunStatus::Completed);
        QCOMPARE(marks(handed), (QStringList { u"slept"_qs, u"again"_qs }));
    }

    void aFutureThatAwaitsItselfFailsCleanly()
    {
        const Trace trace = run(uR"(async fn me(ch) {
    let f = ch.recv().await;
    f.await;
}
async fn main() {
    let ch = channel(1);
    let f = me(ch);
    ch.send(f).await;
    f.await;
})"_qs);
        QCOMPARE(trace.report.status, RunStatus::Failed);
        QVERIFY2(trace.report.message.startsWith(u"test.scn:3:7: error: a future cannot await itself"), qPrintable(trace.report.message));
    }

    void aRuntimeErrorFailsTheTaskThatHitIt()
    {
        // The error is raised in the fiber `main` awaits; main's poll still ends its task failed.
        const Trace trace = run(uR"(async fn g(l) { l[0].await; }
async fn main() {
    let l = [];
    let f = g(l);
    l.push(f);
    f.await;
})"_qs);
        QCOMPARE(trace.report.status, RunStatus::Failed);
        const auto completion = std::find_if(trace.events.begin(), trace.events.end(),
            [](const TraceEvent& e) { return e.kind == EventKind::Complete; });
        QVERIFY(completion != trace.events.end());
        QCOMPARE(completion->completion(), CompletionStatus::Failed);
        QCOMPARE(trace.string(completion->aux), trace.report.message);
    }

    void deeplyNestedStoredFuturesStopAtABound()
    {
        const Trace trace = run(uR"(async fn down(n) {
    if n == 0 { return 0; }
    let inner = down(n - 1);
    return inner.await + 1;
}
async fn main() { down(100000).await; })"_qs);
        QCOMPARE(trace.report.status, RunStatus::Failed);
        QVERIFY2(trace.report.message.contains(u"recursion too deep"), qPrintable(trace.report.message));
    }

    void sharedListsDisplayAndCompareInBoundedTime()
    {
        // 2^30 paths through 31 lists: display is cut off and equality compares each pair once.
        const Trace trace = run(main(uR"(    let mut a = [1];
    let mut b = [1];
    for i in 0..30 { a = [a, a]; b = [b, b]; }
    let same = a == b;
    mark("{a}");
    mark("{same}");)"_qs));
        QCOMPARE(trace.report.status, RunStatus::Completed);
        const QStringList shown = marks(trace);
        QCOMPARE(shown.size(), 2);
        QCOMPARE(shown[0].size(), script::Value::kMaxDisplayLength + 1);
        QVERIFY(shown[0].startsWith(u"[[[[") && shown[0].endsWith(u'…'));
        QCOMPARE(shown[1], u"true"_qs);
    }

    void anUnawaitedJoinIsOneGhost()
    {
        const Trace trace = run(uR"(async fn work(n) { sleep(1ms).await; }
async fn main() {
    join(work(1), work(2));
    select(work(3), work(4));
    let h = spawn work(5);
    join(h, work(6));
})"_qs);
        QCOMPARE(trace.report.status, RunStatus::Completed);
        QStringList ghosts;
        for (const TraceEvent& e : trace.events)
            if (e.kind == EventKind::Unpolled)
                ghosts << trace.string(e.aux);
        QCOMPARE(ghosts, (QStringList { u"join(work(1), work(2))"_qs, u"select(work(3), work(4))"_qs, u"join(h, work(6))"_qs }));
    }

    void aBrokenVariantDoesNotHideTheItemsAfterIt()
    {
        const CompileResult result = compileScenario(uR"(async fn main() {}
variant "fix" {
    async fn main() { let = 1; }
}
async fn helper() { slep(1ms).await; }
)"_qs, u"v.scn"_qs);
        QCOMPARE(result.errors.size(), 2);
        QCOMPARE(result.errors[0].location.line, 3);
        QCOMPARE(result.errors[1].location.line, 5);
    }

    void theLimitMessageSuggestsAValidHeader()
    {
        const Trace trace = run(u"runtime current_thread(max_time: 500us)\n"_qs + main(u"    loop { sleep(100us).await; }"_qs));
        QCOMPARE(trace.report.status, RunStatus::LimitReached);
        // Where the run was when it stopped: the sleep inside the loop.
        QVERIFY2(trace.report.message.startsWith(u"test.scn:3:12: error: the run stopped at "),
            qPrintable(trace.report.message));
        const QString message = trace.report.errorMessage;
        QVERIFY2(message.contains(u"stopped at 500us of virtual time"), qPrintable(message));
        const QString suggested = message.mid(message.indexOf(u"e.g. ") + 5);
        QCOMPARE(suggested, u"runtime current_thread(max_time: 1ms)"_qs);
        QCOMPARE(firstError(suggested + u'\n' + main(QString())), u"ok"_qs);
    }

    void aSleepPastTheBoundEndsTheRunAtTheBound()
    {
        const Trace trace = run(u"runtime current_thread(max_time: 2s)\n"_qs + main(u"    sleep(1000s).await;"_qs));
        QCOMPARE(trace.report.status, RunStatus::LimitReached);
        QCOMPARE(trace.report.elapsed, TimeNs(2'000'000'000));
    }

    void aQueuedJobThatNeverStartsIsNotDrawn()
    {
        // One lane: "b" waits for "a", but main ends at 50 ms, before either lane frees up.
        const Trace trace = run(u"runtime current_thread(blocking_threads: 1, poll_cost: 0us)\n"_qs
                                + main(u"    let a = spawn_blocking(\"a\", 100ms);\n    let b = spawn_blocking(\"b\", 100ms);\n    sleep(50ms).await;"_qs));
        QCOMPARE(trace.report.status, RunStatus::Completed);
        QCOMPARE(trace.report.elapsed, 50'000'000);
        QCOMPARE(countEvents(trace, EventKind::JobStart), 1);
        for (const TraceEvent& e : trace.events)
            QVERIFY(e.time <= trace.report.elapsed);
    }

    void deadlockIsReported()
    {
        const Trace trace = run(main(u"    let ch = channel(1);\n    ch.recv().await;"_qs));
        QCOMPARE(trace.report.status, RunStatus::Deadlock);
    }

    void variantsReplaceFunctionsAndSettings()
    {
        const QString source = uR"(runtime current_thread(poll_cost: 0us)
async fn main() { sleep(10ms).await; }
variant "slower" {
    about "twice as long"
    runtime current_thread(poll_cost: 1ms)
    async fn main() { sleep(20ms).await; }
})"_qs;
        const CompileResult base = compileScenario(source, u"v.scn"_qs);
        QVERIFY(base.ok());
        QCOMPARE(base.program->variants, QStringList { u"slower"_qs });
        QCOMPARE(runScenario(*base.program).report.elapsed, 10'000'000);
        const CompileResult slower = compileScenario(source, u"v.scn"_qs, u"slower"_qs);
        QVERIFY(slower.ok());
        QCOMPARE(slower.program->info.variantAbout, u"twice as long"_qs);
        QCOMPARE(runScenario(*slower.program).report.elapsed, 21'000'000);
        QVERIFY(!compileScenario(source, u"v.scn"_qs, u"missing"_qs).ok());
    }

    void arbitraryInputNeverCrashes()
    {
        // Random soup of the language's own tokens: the parser must report, never crash or hang.
        const QStringList pieces { u"async"_qs, u"fn"_qs,  u"main"_qs, u"("_qs,  u")"_qs,     u"{"_qs,    u"}"_qs,
                                   u"let"_qs,   u"mut"_qs, u"x"_qs,    u"="_qs,  u"1"_qs,     u"80ms"_qs, u";"_qs,
                                   u".await"_qs, u"?"_qs,  u"sleep"_qs, u"\""_qs, u"for"_qs,  u"in"_qs,   u".."_qs,
                                   u"spawn"_qs, u"if"_qs,  u"else"_qs, u"loop"_qs, u"break"_qs, u"["_qs,   u"]"_qs,
                                   u","_qs,     u"\n"_qs,  u"@"_qs,    u"{x}"_qs, u"variant"_qs, u"runtime"_qs };
        QRandomGenerator random(42);
        for (int round = 0; round < 2000; ++round) {
            QString source;
            const int length = random.bounded(1, 60);
            for (int i = 0; i < length; ++i)
                source += pieces[random.bounded(int(pieces.size()))] + u' ';
            const CompileResult result = compileScenario(source, u"fuzz.scn"_qs);
            if (result.ok()) {
                const Trace trace = runScenario(*result.program);
                QVERIFY(trace.report.status != RunStatus::Interrupted);
            } else {
                QVERIFY(!result.errorText().isEmpty());
            }
        }
    }

private:
    std::int64_t m_framesBefore = 0;
};

QTEST_GUILESS_MAIN(TestScripts)
#include "tst_scripts.moc"
