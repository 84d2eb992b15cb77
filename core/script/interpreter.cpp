#include "script/interpreter.h"

#include "realtime/eventloopruntime.h"
#include "runtime/executor.h"
#include "script/fiber.h"
#include "script/scripterror.h"

namespace pollscope {

using namespace script;

namespace {

/// The span of the last event of `kind` of `task`, or of any task for kNoTask (0: none).
SpanId lastSpan(const Trace& trace, EventKind kind, TaskId task)
{
    for (std::size_t i = trace.events.size(); i-- > 0;) {
        const TraceEvent& e = trace.events[i];
        if (e.kind == kind && (task == kNoTask || e.task == task))
            return e.span;
    }
    return 0;
}

/// Gives a report that stopped at `where` its position: errorSpan and errorMessage for the
/// window's problems, and the message as a script error's, with the source line and a caret.
void placeError(RunReport& report, SpanId where, const Trace& trace, const SourceText& source)
{
    report.errorSpan = where;
    report.errorMessage = report.message;
    report.message = ScriptError { SourceLocation::of(trace.span(where)), report.message }
                         .format(source)
                         .trimmed();
}

/// The parts of a run both runtimes share: spans, sink, the script's context and main.
template<class R>
Trace runOn(R& runtime, const Program& program, const RunOptions& options)
{
    runtime.enableRecording();
    if (options.sink)
        runtime.addSink(options.sink);
    runtime.setSpans(program.spans);
    // run() destroys every task frame before it returns, so no value outlives the context.
    ScriptContext context(program, runtime);
    const FunctionCode& main = program.functions[std::size_t(program.mainFunction)];
    Ref<Fiber> fiber(new Fiber(context, program.mainFunction, {}, main.span, Fiber::Origin::Main));
    runtime.run(runTask(std::move(fiber)));
    Trace trace = runtime.takeTrace();
    RunReport& report = trace.report;
    const RunStatus stoppedBy = context.atBound ? RunStatus::LimitReached : RunStatus::Failed;
    if (context.stopped && report.status == stoppedBy) {
        // A script error, or a bound reached inside a poll (max_steps, max_tasks, max_time in
        // a `block`): nothing ran after it, and it is where the interpreter was.
        report.errorSpan = context.stopSpan;
        // The runtime got the text when the run stopped; the notes came as the fibers unwound.
        report.message = context.stopText();
        report.errorMessage = context.stopMessage;
        report.errorNotes = context.stopNotes();
        report.lastPollCutOff = context.atBound;
    } else if (report.status == RunStatus::Failed) {
        // Main failed on its own: at the `fail(...)` call or the `?` on an error (or the
        // `return` of an error value) where it returned, which its completion carries.
        if (const SpanId where = lastSpan(trace, EventKind::Complete, kMainTask))
            placeError(report, where, trace, program.source);
    } else if (report.status == RunStatus::Deadlock) {
        // At the await main is stuck on, where its last poll ended.
        if (const SpanId where = lastSpan(trace, EventKind::PollEnd, kMainTask))
            placeError(report, where, trace, program.source);
    } else if (report.status == RunStatus::LimitReached) {
        // A runaway bound between polls (max_events, max_time): where the last poll before it
        // ended, most likely inside the loop.
        if (const SpanId where = lastSpan(trace, EventKind::PollEnd, kNoTask))
            placeError(report, where, trace, program.source);
    }
    return trace;
}

} // namespace

Trace runScenario(const Program& program, const RunOptions& options)
{
    if (options.runtime == RuntimeKind::Model) {
        Executor executor(program.info.settings);
        executor.setInterruptFlag(options.interrupt);
        return runOn(executor, program, options);
    }
    EventLoopRuntime runtime(program.info.settings);
    runtime.setInterruptFlag(options.interrupt);
    return runOn(runtime, program, options);
}

} // namespace pollscope
