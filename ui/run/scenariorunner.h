#pragma once

#include "analysis/diagnostics.h"
#include "script/compiler.h"
#include "script/interpreter.h"
#include "timeline/timelinemodel.h"
#include "timeline/timelinerenderer.h"
#include "trace/metrics.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <qcoro/qcorotask.h>

#include <memory>
#include <mutex>

namespace pollscope {

/// What the window asks to run.
struct RunRequest {
    QString source;
    QString path; ///< file name for errors (":/scenarios/x.scn" for built-ins)
    QString variant;
    RuntimeKind runtime = RuntimeKind::Model;
};

/// A run's title: its scenario's, and the variant it runs, if any.
QString runTitle(const QString& scenarioTitle, const QString& variant);

/// A finished run, immutable and shared by the window's views. Everything that costs time in
/// proportion to the run is computed by the worker, so showing a long run never holds the GUI.
struct RunResult {
    RunRequest request;
    std::shared_ptr<const script::Program> program;
    std::shared_ptr<const Trace> trace;
    std::vector<Diagnostic> diagnostics;
    QString title;
    std::shared_ptr<const TimelineModel> model; ///< the trace laid out for the timeline
    RunMetrics metrics; ///< per-task figures (computeMetrics)
    TimelineMarkers markers; ///< the diagnostics' warning signs
};

/// Compiles and runs scenarios off the GUI thread: QtConcurrent runs the work and the
/// runner's QCoro coroutine awaits it, so the window never waits. One run at a time: start()
/// refuses a second while one is in progress. Progress (events recorded) is published every
/// 100 ms. A real-time run is shown as it goes: snapshots of it are laid out off the GUI thread
/// and published at least 100 ms apart, and further apart as the run grows (see publishLive).
///
/// The worker shares only its Control and LiveSink with the runner, never the runner itself.
/// Destroying the runner during a run cancels it and waits for the worker to return without
/// processing events, and emits nothing: the coroutine, resumed later by its future, finds
/// the runner gone and ends.
class ScenarioRunner : public QObject
{
    Q_OBJECT

public:
    explicit ScenarioRunner(QObject* parent = nullptr);
    ~ScenarioRunner() override;

    bool isRunning() const { return m_running; }
    /// Starts a run; false if one is already in progress.
    bool start(const RunRequest& request);
    /// Stops the run in progress (its partial trace still arrives through finished()).
    void cancel();
    /// Waits for the run in progress to end, processing events (for tests and shutdown).
    void waitForIdle();

signals:
    void runningChanged(bool running);
    void compileFailed(const pollscope::CompileResult& result, const pollscope::RunRequest& request);
    /// Events recorded so far, while running.
    void progress(qint64 events);
    /// A snapshot of a real-time run in progress, laid out; never after finished().
    void partialRun(std::shared_ptr<const pollscope::TimelineModel> model);
    void finished(std::shared_ptr<const pollscope::RunResult> result);

private:
    class LiveSink;
    struct Control;

    QCoro::Task<> run(RunRequest request);
    QCoro::Task<> publishLive();

    std::shared_ptr<Control> m_control; ///< the run in progress, if any
    std::shared_ptr<LiveSink> m_live;
    QTimer m_progress;
    bool m_running = false;
    std::uint64_t m_runNumber = 0; ///< runs started: a late snapshot of an earlier run is dropped
    bool m_layingOut = false; ///< a live snapshot is being laid out
    QElapsedTimer m_sinceLive; ///< since the last live snapshot was published
    qint64 m_liveInterval = 0; ///< ms until the next live snapshot may be taken
};

} // namespace pollscope
