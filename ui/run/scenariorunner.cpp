#include "run/scenariorunner.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>
#include <qcoro/qcorotask.h>

#include <condition_variable>
#include <coroutine>
#include <mutex>

namespace pollscope {

namespace {

/// Awaits a future and always resumes from the event loop, even when the worker has finished
/// before the co_await (QCoro's awaiter then goes on at once, inside start()): a run's results
/// arrive after start() returns.
template <class T>
struct Resumed {
    QFuture<T> future;

    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> coroutine)
    {
        // A watcher set on a finished future still reports it through a posted event.
        auto* watcher = new QFutureWatcher<T>();
        QObject::connect(watcher, &QFutureWatcherBase::finished, [watcher, coroutine] {
            watcher->deleteLater();
            coroutine.resume();
        });
        watcher->setFuture(future);
    }
    T await_resume() { return future.result(); }
};

/// A real-time run's snapshots are taken at least this far apart (ms)…
constexpr qint64 kMinLiveInterval = 100;
/// …and at least this many times as far apart as the last one took to copy and lay out. The
/// model is laid out in one pass with a counting sort per item kind, which takes no appends,
/// so every snapshot costs time in proportion to the run so far: spacing them by their cost
/// keeps that work to a fixed share of one core (a fifth) instead of growing quadratically.
constexpr qint64 kLiveCostFactor = 4;

/// A live snapshot, laid out on a pool thread.
struct LiveSnapshot {
    std::shared_ptr<const TimelineModel> model; ///< null: nothing new since the last one
    qint64 cost = 0; ///< ms taken
};

} // namespace

/// What a run's worker shares with the runner: the cancel flag, the event count for the
/// progress display, and whether the worker has returned.
struct ScenarioRunner::Control {
    std::atomic<bool> interrupt { false };
    std::atomic<bool> abandoned { false }; ///< the runner is gone: skip laying out the result
    std::atomic<qint64> events { 0 };

    void markDone()
    {
        {
            std::lock_guard lock(m_mutex);
            m_done = true;
        }
        m_doneChanged.notify_all();
    }
    /// Blocks until the worker has returned. Unlike QFuture::waitForFinished(), never runs a
    /// run that has not started yet on the calling thread.
    void waitUntilDone()
    {
        std::unique_lock lock(m_mutex);
        m_doneChanged.wait(lock, [this] { return m_done; });
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_doneChanged;
    bool m_done = false;
};

/// Counts events for the progress display and, for real-time runs, keeps a copy of what has
/// been recorded so the window can show the run as it grows. Called on the run's thread;
/// snapshot() on a pool thread, one at a time.
class ScenarioRunner::LiveSink final : public TraceSink
{
public:
    LiveSink(std::shared_ptr<Control> control, bool keep)
        : m_control(std::move(control))
        , m_keep(keep)
    {
    }

    void onEvents(std::span<const TraceEvent> events, const TraceTables& tables) override
    {
        m_control->events.fetch_add(qint64(events.size()), std::memory_order_relaxed);
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
    const std::shared_ptr<Control> m_control;
    bool m_keep;
    std::mutex m_mutex;
    Trace m_partial;
    bool m_changed = false;
};

QString runTitle(const QString& scenarioTitle, const QString& variant)
{
    return variant.isEmpty() ? scenarioTitle
                             : QStringLiteral("%1 (%2)").arg(scenarioTitle, variant);
}

ScenarioRunner::ScenarioRunner(QObject* parent)
    : QObject(parent)
{
    m_progress.setInterval(100);
    connect(&m_progress, &QTimer::timeout, this, [this] {
        if (m_control)
            emit progress(m_control->events.load(std::memory_order_relaxed));
        publishLive();
    });
}

ScenarioRunner::~ScenarioRunner()
{
    // No event processing here: whoever destroys us must not hear from us any more.
    if (m_control) {
        m_control->abandoned = true;
        m_control->interrupt = true;
        m_control->waitUntilDone();
    }
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

void ScenarioRunner::cancel()
{
    if (m_control)
        m_control->interrupt = true;
}

void ScenarioRunner::waitForIdle()
{
    while (m_running)
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 50);
}

QCoro::Task<> ScenarioRunner::publishLive()
{
    if (!m_live || m_layingOut || (m_sinceLive.isValid() && m_sinceLive.elapsed() < m_liveInterval))
        co_return;
    m_layingOut = true;
    const std::uint64_t runNumber = m_runNumber;
    // Only the sink is shared: the snapshot may outlive the runner and finishes on its own.
    auto layOut = [sink = m_live] {
        QElapsedTimer clock;
        clock.start();
        LiveSnapshot snapshot;
        if (std::shared_ptr<const Trace> trace = sink->snapshot())
            snapshot.model = std::make_shared<const TimelineModel>(std::move(trace));
        snapshot.cost = clock.elapsed();
        return snapshot;
    };
    Resumed<LiveSnapshot> laidOut { QtConcurrent::run(std::move(layOut)) };
    const QPointer<ScenarioRunner> alive(this);
    LiveSnapshot snapshot = co_await laidOut;
    if (!alive)
        co_return;
    m_layingOut = false;
    if (!snapshot.model || runNumber != m_runNumber || !m_running)
        co_return; // nothing new, or its run has ended: finished() has shown the whole of it
    m_sinceLive.start();
    m_liveInterval = std::max(kMinLiveInterval, kLiveCostFactor * snapshot.cost);
    emit partialRun(std::move(snapshot.model));
}

QCoro::Task<> ScenarioRunner::run(RunRequest request)
{
    ++m_runNumber;
    m_sinceLive.invalidate();
    m_liveInterval = kMinLiveInterval;
    m_control = std::make_shared<Control>();
    m_live = std::make_shared<LiveSink>(m_control, request.runtime == RuntimeKind::EventLoop);
    m_progress.start();

    struct Outcome {
        CompileResult compiled;
        std::shared_ptr<RunResult> result;
    };
    // The work is a named object and its future a named local: GCC 12 destroys temporaries
    // inside a co_await expression twice.
    auto work = [request, sink = m_live, control = m_control] {
        struct Done {
            Control& control;
            ~Done() { control.markDone(); }
        } done { *control };
        const std::atomic<bool>* interrupt = &control->interrupt;
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
        if (control->abandoned)
            return out; // nobody will show it
        result->model = std::make_shared<const TimelineModel>(result->trace);
        result->metrics = computeMetrics(*result->trace);
        result->markers = diagnosticMarkers(result->diagnostics);
        const script::ScenarioInfo& info = out.compiled.program->info;
        // A file with no title is named as the scenario list names it.
        result->title =
            runTitle(info.title.isEmpty() ? QFileInfo(request.path).completeBaseName() : info.title,
                info.variant);
        out.result = std::move(result);
        return out;
    };
    Resumed<Outcome> worker { QtConcurrent::run(std::move(work)) };
    const QPointer<ScenarioRunner> alive(this);
    const Outcome outcome = co_await worker;
    if (!alive)
        co_return; // destroyed during the run, after waiting for the worker: emit nothing

    m_progress.stop();
    m_control.reset();
    m_live.reset();
    m_running = false;
    if (!outcome.compiled.ok())
        emit compileFailed(outcome.compiled, request);
    else
        emit finished(outcome.result);
    emit runningChanged(false);
}

} // namespace pollscope
