#include "script/interpreter.h"

#include "realtime/eventloopruntime.h"
#include "runtime/executor.h"
#include "script/fiber.h"


namespace pollscope {

using namespace script;

namespace {

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
    Ref<Fiber> fiber(new Fiber(context, program.mainFunction, {}, main.span));
    runtime.run(runTask(std::move(fiber)));
    Trace trace = runtime.takeTrace();
    // Nothing runs after a script error, so a failed run with one failed because of it.
    if (context.failed && trace.report.status == RunStatus::Failed) {
        trace.report.errorSpan = context.failureSpan;
        trace.report.errorMessage = context.failureMessage;
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
