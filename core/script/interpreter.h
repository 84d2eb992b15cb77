#pragma once

#include "script/program.h"
#include "trace/trace.h"
#include "trace/tracesink.h"

#include <atomic>

namespace pollscope {

/// Which runtime runs the tasks.
enum class RuntimeKind : std::uint8_t {
    Model, ///< the deterministic executor on a virtual clock (tokio's current-thread rules)
    EventLoop, ///< QCoro coroutines on a real Qt event loop, wall-clock time
};

struct RunOptions {
    RuntimeKind runtime = RuntimeKind::Model;
    /// Set to true from another thread to stop the run (RunStatus::Interrupted).
    const std::atomic<bool>* interrupt = nullptr;
    /// Gets the events as the run goes (in batches), besides the returned trace.
    TraceSink* sink = nullptr;
};

/// Runs a compiled scenario: main's fiber is the root task, every `spawn` a task of its own.
/// Returns the whole trace; a script error at run time ends the run with RunStatus::Failed, a
/// runaway bound with RunStatus::LimitReached, each with the error (FILE:LINE:COL, line, caret,
/// then notes of the calls that led there) as its message. The event-loop runtime runs on a
/// new QEventLoop of the calling thread (which needs a QCoreApplication).
Trace runScenario(const script::Program& program, const RunOptions& options = {});

} // namespace pollscope
