#include "script/interpreter.h"

#include "runtime/executor.h"
#include "script/fiber.h"

namespace pollscope {

using namespace script;

Trace runScenario(const Program& program, const RunOptions& options)
{
    Executor executor(program.info.settings);
    executor.enableRecording();
    if (options.sink)
        executor.addSink(options.sink);
    executor.setInterruptFlag(options.interrupt);
    executor.setSpans(program.spans);
    // run() destroys every task frame before it returns, so no value outlives the context.
    ScriptContext context(program, executor);
    Ref<Fiber> main(new Fiber(context, program.mainFunction, {}, program.functions[std::size_t(program.mainFunction)].span));
    executor.run(runTask(std::move(main)));
    return executor.takeTrace();
}

} // namespace pollscope
