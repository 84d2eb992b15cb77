#include "run/scenariorunner.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QtConcurrent/QtConcurrentRun>

#include <qcoro/qcorofuture.h>

namespace pollscope {

/// Counts events for the progress display and, for real-time runs, keeps a copy of what has
/// been recorded so the window can show the run as it grows. Called on the run's thread;
/// snapshot() on the GUI thread.
class ScenarioRunner::LiveSink final : public TraceSink
{
public:
    LiveSink(std::atomic<qint64>& counter, bool keep)
        : m_counter(counter)
        , m_keep(keep)
    {
    }

    void onEvents(std::span<const TraceEvent> events, const TraceTables& tables) override
    {
        m_counter.fetch_add(qint64(events.size()), std::memory_order_relaxed);
        if (!m_keep)
            return;
        std::lock_guard lock(m_mutex);
        for (const TraceEvent& e : events)
            m_partial.events.push_back(e);
        m_partial.tables = tables; // small for real-time runs; strings are shared, not copied
        m_changed = true;
    }

    /// The run so far, if anything new arrived since the last snapshot.
    std::shared_ptr<const Trace> snapshot()
    {
        std::lock_guard lock(m_mutex);
        if (!m_changed)
            return nullptr;
        m_changed = false;
        auto trace = std::make_shared<Trace>(m_partial);
        trace->virtualClock = false;
        if (!trace->events.empty())
            trace->report.elapsed = trace->events.back().time;
        return trace;
    }

private:
    std::atomic<qint64>& m_counter;
    bool m_keep;
    std::mutex m_mutex;
    Trace m_partial;
    bool m_changed = false;
};

ScenarioRunner::ScenarioRunner(QObject* parent)
    : QObject(parent)
{
    m_progress.setInterval(100);
    connect(&m_progress, &QTimer::timeout, this, [this] {
        emit progress(m_events.load(std::memory_order_relaxed));
        publishLive();
    });
}

ScenarioRunner::~ScenarioRunner()
{
    cancel();
    waitForIdle();
}

bool ScenarioRunner::start(const RunRequest& request)
{
    if (m_running)
        return false;
    m_running = true;
    emit runningChanged(true);
    run(request);
    return true;
}

void ScenarioRunner::cancel() { m_interrupt = true; }

void ScenarioRunner::waitForIdle()
{
    while (m_running)
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 50);
}

void ScenarioRunner::publishLive()
{
    if (!m_live)
        return;
    if (std::shared_ptr<const Trace> partial = m_live->snapshot())
        emit partialTrace(std::move(partial));
}

QCoro::Task<> ScenarioRunner::run(RunRequest request)
{
    m_interrupt = false;
    m_events = 0;
    m_live = std::make_shared<LiveSink>(m_events, request.runtime == RuntimeKind::EventLoop);
    m_progress.start();

    struct Outcome {
        CompileResult compiled;
        std::shared_ptr<RunResult> result;
    };
    // The work is a named object and its future a named local: GCC 12 destroys temporaries
    // inside a co_await expression twice.
    auto work = [request, sink = m_live, interrupt = &m_interrupt] {
        Outcome out;
        out.compiled = compileScenario(request.source, request.path, request.variant);
        if (!out.compiled.ok())
            return out;
        RunOptions options;
        options.runtime = request.runtime;
        options.interrupt = interrupt;
        options.sink = sink.get();
        auto result = std::make_shared<RunResult>();
        result->request = request;
        result->program = out.compiled.program;
        result->trace = std::make_shared<const Trace>(runScenario(*out.compiled.program, options));
        if (!interrupt->load())
            result->diagnostics = diagnose(*result->trace, request.runtime == RuntimeKind::Model ? out.compiled.program.get() : nullptr);
        const script::ScenarioInfo& info = out.compiled.program->info;
        result->title = info.title;
        if (!info.variant.isEmpty())
            result->title += QStringLiteral(" (%1)").arg(info.variant);
        out.result = std::move(result);
        return out;
    };
    QFuture<Outcome> future = QtConcurrent::run(std::move(work));
    const Outcome outcome = co_await future;

    m_progress.stop();
    m_live.reset();
    m_running = false;
    if (!outcome.compiled.ok())
        emit compileFailed(outcome.compiled, request);
    else
        emit finished(outcome.result);
    emit runningChanged(false);
}

} // namespace pollscope
