#pragma once

#include "script/scriptobjects.h"

#include <variant>

namespace pollscope::script {

/// A call of an async fn: the bytecode interpreter. Each poll runs the fiber until an await
/// is Pending (the poll is Pending) or the function returns (Ready). An async fn awaited where
/// it is called runs inline as another frame of the same fiber, as Rust compiles it; a stored
/// future of an async fn, or a join/select branch, is a fiber of its own.
class Fiber final : public FutureObject
{
public:
    Fiber(ScriptContext& context, int function, std::vector<Value> arguments, SpanId span);

protected:
    bool pollOnce() override;
    Value makeResult() override { return std::move(m_result); }

private:
    struct Frame {
        const FunctionCode* function;
        int pc;
        int base; ///< first slot on m_stack
    };

    bool run();
    void enter(int function, int argumentCount);
    /// Returns `value` from the current frame; true when the fiber is done.
    bool leave(Value value);
    /// Makes `value` the awaited future and polls it; false while it is Pending.
    /// Starts an awaited leaf in place; false while it is Pending.
    bool awaitLeaf(const Instruction& at);
    bool pollLeaf();
    Value callBuiltin(const Instruction& at);
    Value callMethod(const Instruction& at);
    Value spawn(const Instruction& at);
    bool fail(const Instruction& at, const QString& message);
    Value pop()
    {
        Value value = std::move(m_stack.back());
        m_stack.pop_back();
        return value;
    }
    std::vector<Value> popArguments(int count);
    Ref<FutureObject> toFuture(const Value& value, const Instruction& at);
    /// Tells the runtime which statement the task is at; skips the call when it already knows.
    void setSpan(SpanId span)
    {
        if (span != m_lastSpan) {
            m_lastSpan = span;
            m_context.runtime.setSpan(span);
        }
    }

    std::vector<Frame> m_frames;
    std::vector<Value> m_stack;
    /// The leaf of an `AwaitLeaf` while it is Pending; monostate otherwise.
    std::variant<std::monostate, SleepFuture, IoFuture, YieldFuture> m_leaf;
    Ref<FutureObject> m_awaiting;
    SpanId m_awaitSpan = 0;
    SpanId m_lastSpan = ~SpanId(0); ///< the span this fiber last set, valid within one poll
    Value m_result;
};

/// The root of a spawned task (or of main): awaits its fiber; an error value fails the task.
Task<Value> runTask(Ref<Fiber> fiber);

} // namespace pollscope::script
