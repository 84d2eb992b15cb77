// pollscope-bench: how fast the model executor polls, spawns and records.
//
//   pollscope-bench yield --tasks N --yields K [--traced] [--repeat R]
//   pollscope-bench spawn --tasks N [--traced] [--repeat R]
//   pollscope-bench script --tasks N --yields K [--repeat R]
//   pollscope-bench eventloop --tasks N --yields K [--traced] [--repeat R]
//
// `eventloop` runs the yield benchmark on the real-time runtime: every yield_now reposts the
// task to the Qt event loop, so a poll there costs one queued hop (ns_per_poll).
// `script` compiles and runs a scenario script in which N tasks each yield_now K times,
// always traced (as the window and the command line run scripts), and reports the whole
// parse + run + record time and the cost per interpreted poll.
//
// Each run prints one JSON line. Times are wall-clock nanoseconds of Executor::run(). Timed
// runs follow 200 ms of untimed ones (--warmup MS; `warmup_runs` says how many ran): the first
// runs of a process pay for fresh memory (page faults, frames from operator new) and meet a
// core still reaching its clock: a spawn of 1,000 tasks took about 4 times as long in the
// first run and 1.5 times in the third as from the tenth on. --warmup 0 times them too.
// --default-heap keeps glibc's adaptive heap thresholds.
// --cpu-time times by the thread's CPU clock instead of the wall clock, leaving out the time
// other processes held the core: on a shared machine it compares two builds more steadily
// (it still counts what they cost in caches), but the targets are wall-clock figures.

#include "realtime/eventloopruntime.h"
#include "runtime/executor.h"
#include "runtime/futures.h"
#include "script/compiler.h"
#include "script/interpreter.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

#include <chrono>
#include <cstdio>
#include <malloc.h>
#include <time.h>

using namespace pollscope;

namespace {

Task<> yielder(int yields)
{
    for (int i = 0; i < yields; ++i)
        co_await yieldNow();
}

Task<> spawnYielders(int tasks, int yields)
{
    std::vector<JoinHandle<void>> handles;
    handles.reserve(std::size_t(tasks));
    for (int k = 0; k < tasks; ++k)
        handles.push_back(spawn(yielder(yields)));
    for (auto& handle : handles)
        co_await handle;
}

Task<> finishAtOnce() { co_return; }

Task<> spawnFinishing(int tasks)
{
    std::vector<JoinHandle<void>> handles;
    handles.reserve(std::size_t(tasks));
    for (int k = 0; k < tasks; ++k)
        handles.push_back(spawn(finishAtOnce()));
    for (auto& handle : handles)
        co_await handle;
}

bool g_cpuTime = false;

/// Nanoseconds on the clock the run is timed by (--cpu-time).
std::int64_t clockNs()
{
    if (g_cpuTime) {
        timespec now {};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
        return std::int64_t(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
    }
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

struct Measurement {
    RunReport report;
    std::int64_t elapsedNs = 0;
    std::size_t events = 0;
    std::size_t tableBytes = 0;
};

Measurement measureEventLoop(Task<> main, bool traced)
{
    EventLoopRuntime runtime(RuntimeSettings {});
    if (traced)
        runtime.enableRecording();
    const std::int64_t start = clockNs();
    Measurement m;
    m.report = runtime.run(std::move(main));
    m.elapsedNs = clockNs() - start;
    m.events = runtime.takeTrace().events.size();
    return m;
}

Measurement measure(Task<> main, bool traced)
{
    Executor executor;
    if (traced)
        executor.enableRecording();
    const std::int64_t start = clockNs();
    Measurement m;
    m.report = executor.run(std::move(main));
    m.elapsedNs = clockNs() - start;
    const Trace trace = executor.takeTrace();
    m.events = trace.events.size();
    const TraceTables& tables = trace.tables;
    m.tableBytes = tables.tasks.size() * sizeof(TaskRecord)
        + tables.resources.size() * sizeof(ResourceRecord);
    return m;
}

QString yieldScript(int tasks, int yields)
{
    return QStringLiteral("runtime current_thread(poll_cost: 0us, max_events: 1000000000)\n"
                          "async fn worker() { for i in 0..%2 { yield_now().await; } }\n"
                          "async fn main() {\n"
                          "    let mut handles = [];\n"
                          "    for k in 0..%1 { handles.push(spawn worker()); }\n"
                          "    for handle in handles { handle.await; }\n"
                          "}\n")
        .arg(tasks)
        .arg(yields);
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Measures the model executor."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("bench"), QStringLiteral("yield, spawn, script or eventloop"));
    const QCommandLineOption tasksOption(QStringLiteral("tasks"), QStringLiteral("Tasks to spawn."),
                                         QStringLiteral("N"), QStringLiteral("1000"));
    const QCommandLineOption yieldsOption(QStringLiteral("yields"),
                                          QStringLiteral("yield_now awaits per task."),
                                          QStringLiteral("K"), QStringLiteral("1000"));
    const QCommandLineOption tracedOption(QStringLiteral("traced"),
                                          QStringLiteral("Record every event."));
    const QCommandLineOption repeatOption(QStringLiteral("repeat"),
                                          QStringLiteral("Runs to print, one line each."),
                                          QStringLiteral("R"), QStringLiteral("1"));
    const QCommandLineOption defaultHeapOption(QStringLiteral("default-heap"),
        QStringLiteral("Keep glibc's adaptive heap thresholds (repeats then pay page faults that "
                       "depend on what happens to sit at the top of the heap)."));
    const QCommandLineOption cpuTimeOption(QStringLiteral("cpu-time"),
        QStringLiteral("Time by the thread's CPU clock, not the wall clock."));
    const QCommandLineOption warmupOption(QStringLiteral("warmup"),
        QStringLiteral(
            "Run the case untimed for MS milliseconds first (0: the first run is timed)."),
        QStringLiteral("MS"), QStringLiteral("200"));
    parser.addOptions({ tasksOption, yieldsOption, tracedOption, repeatOption, defaultHeapOption,
        cpuTimeOption, warmupOption });
    parser.process(app);

    const QStringList positional = parser.positionalArguments();
    const QString bench = positional.value(0);
    const QStringList benches { u"yield"_qs, u"spawn"_qs, u"script"_qs, u"eventloop"_qs };
    if (positional.size() != 1 || !benches.contains(bench)) {
        std::fprintf(stderr, "usage: pollscope-bench yield|spawn|script|eventloop [options]; see --help\n");
        return 2;
    }
    const int tasks = parser.value(tasksOption).toInt();
    const int yields = bench != u"spawn" ? parser.value(yieldsOption).toInt() : 0;
    const bool traced = parser.isSet(tracedOption);
    const int repeat = std::max(1, parser.value(repeatOption).toInt());
    g_cpuTime = parser.isSet(cpuTimeOption);
    bool warmupIsNumber = false;
    const std::chrono::milliseconds warmup(parser.value(warmupOption).toInt(&warmupIsNumber));
    if (tasks <= 0 || yields < 0) {
        std::fprintf(stderr, "--tasks must be positive and --yields not negative\n");
        return 2;
    }
    if (!warmupIsNumber || warmup.count() < 0) {
        std::fprintf(stderr, "--warmup takes milliseconds, 0 or more\n");
        return 2;
    }
    if (!parser.isSet(defaultHeapOption)) {
        // Fixed thresholds, so every repeat measures the same thing: by default glibc hands the
        // top of the heap back to the kernel when a run frees it, or not, depending on which
        // small block happens to sit there, and the next run then faults its pages in again.
        mallopt(M_MMAP_THRESHOLD, 32 << 20);
        mallopt(M_TRIM_THRESHOLD, 512 << 20);
    }

    // One run of the chosen case, as its JSON line.
    const auto runOnce = [&]() -> QJsonObject {
        QJsonObject line {
            { u"bench"_qs, bench },
            { u"tasks"_qs, tasks },
            { u"yields"_qs, yields },
        };
        const auto counts = [&line](const RunReport& report, std::int64_t elapsedNs,
                                std::size_t events) {
            line.insert(u"polls"_qs, qint64(report.polls));
            line.insert(u"elapsed_ns"_qs, qint64(elapsedNs));
            line.insert(u"events"_qs, qint64(events));
            line.insert(u"bytes_per_event"_qs, events ? double(sizeof(TraceEvent)) : 0.0);
        };
        if (bench == u"script") {
            const QString source = yieldScript(tasks, yields);
            const std::int64_t start = clockNs();
            const CompileResult compiled = compileScenario(source, u"bench.scn"_qs);
            const std::int64_t compiledAt = clockNs();
            const Trace trace = runScenario(*compiled.program);
            const std::int64_t end = clockNs();
            counts(trace.report, end - start, trace.events.size());
            line.insert(u"traced"_qs, true);
            line.insert(u"compile_ns"_qs, qint64(compiledAt - start));
            line.insert(u"ns_per_poll"_qs, double(end - compiledAt) / double(trace.report.polls));
            return line;
        }
        const Measurement m = bench == u"eventloop"
            ? measureEventLoop(spawnYielders(tasks, yields), traced)
            : measure(
                  bench == u"yield" ? spawnYielders(tasks, yields) : spawnFinishing(tasks), traced);
        counts(m.report, m.elapsedNs, m.events);
        line.insert(u"traced"_qs, traced);
        line.insert(u"table_bytes"_qs, qint64(m.tableBytes));
        if (bench != u"spawn")
            line.insert(u"ns_per_poll"_qs, double(m.elapsedNs) / double(m.report.polls));
        else
            line.insert(u"ns_per_task"_qs, double(m.elapsedNs) / double(tasks));
        return line;
    };

    // Untimed runs first, as benchmark harnesses do: a process's first runs pay for fresh
    // memory, and the core takes a moment to reach its working clock.
    int warmupRuns = 0;
    for (const auto warmUntil = std::chrono::steady_clock::now() + warmup;
         std::chrono::steady_clock::now() < warmUntil; ++warmupRuns)
        runOnce();
    for (int r = 0; r < repeat; ++r) {
        QJsonObject line = runOnce();
        line.insert(u"clock"_qs, g_cpuTime ? u"thread cpu"_qs : u"wall"_qs);
        line.insert(u"warmup_runs"_qs, warmupRuns);
        std::printf("%s\n", QJsonDocument(line).toJson(QJsonDocument::Compact).constData());
        std::fflush(stdout);
    }
    return 0;
}
