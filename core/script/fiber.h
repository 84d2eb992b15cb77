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
    /// What made a fiber: the run (main), a call of an async fn kept as a future (`span` is
    /// the call), or a spawn (`span` is the spawn).
    enum class Origin : std::uint8_t { Main, Call, Spawn };

    Fiber(ScriptContext& context, int function, std::vector<Value> arguments, SpanId span,
        Origin origin);

protected:
    bool pollOnce() override;
    Value makeResult() override { return std::move(m_result); }

private:
    struct Frame {
        const FunctionCode* function;
        int pc;
        int base; ///< first slot on m_stack
    };

    bool resume();
    bool run();
    /// The run stopped in this fiber or in a future it awaits: notes the calls that led there
    /// (noteCallers()), then drops the frames and the stack (values that may point back at this
    /// fiber). After an error it ends the fiber with the run's error (Ready), so the task that
    /// was running fails with it; after a runaway bound the fiber stays Pending, so the poll
    /// that was cut off is not Ready and its task is left unfinished, as a run stopped by
    /// max_events leaves its tasks.
    bool abandon();
    /// Tells the context the calls of this fiber that led to where it stopped, innermost
    /// first: each frame's call (where its caller's pc stopped), then the call or spawn that
    /// made the fiber. Fibers unwind innermost first, so the chain comes out in order.
    void noteCallers() const;
    void enter(int function, int argumentCount);
    /// Returns `value` from the current frame; true when the fiber is done.
    bool leave(Value value);
    /// Starts an awaited leaf in place; false while it is Pending.
    bool awaitLeaf(const Instruction& at);
    bool pollLeaf();
    /// True if `d` is a duration of at least 0; otherwise fails the fiber at `at`.
    bool nonNegativeDuration(const Instruction& at, const QString& what, const Value& d);
    Value callBuiltin(const Instruction& at);
    Value callMethod(const Instruction& at);
    Value spawn(const Instruction& at);
    bool fail(const Instruction& at, const QString& message);
    /// A runaway bound stops the run at `at` (RunStatus::LimitReached); see abandon().
    bool reachBound(const Instruction& at, const QString& message);
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
    /// A future this fiber awaited (another fiber, a join, a leaf held as a value) may have
    /// moved the task's span: the next setSpan() must not be skipped.
    void forgetSpan() { m_lastSpan = ~SpanId(0); }

    std::vector<Frame> m_frames;
    std::vector<Value> m_stack;
    /// The leaf of an `AwaitLeaf` while it is Pending; monostate otherwise.
    std::variant<std::monostate, SleepFuture, IoFuture, YieldFuture> m_leaf;
    Ref<FutureObject> m_awaiting;
    SpanId m_awaitSpan = 0;
    SpanId m_awaitWhere = 0; ///< the `.await` expression of m_awaiting, for errors
    bool m_running = false; ///< inside pollOnce: a poll reaching it again awaits itself
    SpanId m_lastSpan = ~SpanId(0); ///< the span this fiber last set, valid within one poll
    Origin m_origin;
    Value m_result;
};

/// The root of a spawned task (or of main): awaits its fiber; an error value fails the task.
Task<Value> runTask(Ref<Fiber> fiber);

} // namespace pollscope::script
