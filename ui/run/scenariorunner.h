#pragma once

#include "analysis/diagnostics.h"
#include "script/compiler.h"
#include "script/interpreter.h"
#include "timeline/timelinemodel.h"
#include "timeline/timelinerenderer.h"
#include "trace/metrics.h"

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
/// 100 ms; the real-time runtime's events arrive as partial traces while the run goes on.
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
    /// A snapshot of a real-time run in progress.
    void partialTrace(std::shared_ptr<const pollscope::Trace> trace);
    void finished(std::shared_ptr<const pollscope::RunResult> result);

private:
    class LiveSink;
    struct Control;

    QCoro::Task<> run(RunRequest request);
    void publishLive();

    std::shared_ptr<Control> m_control; ///< the run in progress, if any
    std::shared_ptr<LiveSink> m_live;
    QTimer m_progress;
    bool m_running = false;
};

} // namespace pollscope
