#pragma once

#include "runtime/channel.h"
#include "runtime/futures.h"
#include "script/program.h"
#include "script/value.h"

#include <atomic>

namespace pollscope::script {

/// What one run of a program shares between its fibers: the runtime, per-run values of the
/// constants, the random sequence and the bounds. One per run, on the run's thread.
class ScriptContext
{
public:
    ScriptContext(const Program& program, Runtime& runtime);

    const Program& program;
    Runtime& runtime;
    std::vector<Value> constants;
    std::vector<int> spawnCounts; ///< per function: names tasks `<fn>-<k>`
    std::uint64_t spawned = 0; ///< tasks spawned so far, against the max_tasks bound
    int channelCount = 0;
    std::uint64_t randomState;
    std::uint64_t maxStepsPerPoll;
    /// A runtime error or a runaway bound stopped the run inside the current poll: nothing
    /// runs on, and every future polled inside another returns at once.
    bool stopped = false;
    /// It was a runaway bound (max_steps, max_tasks, max_time inside a poll), not an error: the
    /// poll it cut off ends Pending and its task is left unfinished, as at max_events.
    bool atBound = false;
    SpanId stopSpan = 0; ///< where the error or the bound stopped the run
    QString stopMessage; ///< what it says, without position and caret
    /// Futures being polled inside one another right now (a fiber awaiting a stored future,
    /// a join's branches, ...): each level is a native call, so it is bounded.
    int pollDepth = 0;
    static constexpr int kMaxPollDepth = 256;
    /// Notes of the calls that led to an error, at most; the calls past them are counted.
    static constexpr std::size_t kMaxCallNotes = 4;

    /// Reports a script error at `where` and stops the run: the task whose poll hit it fails
    /// (RunStatus::Failed), with stopText() as its error once its fibers have unwound.
    void runtimeError(SpanId where, const QString& message);
    /// A runaway bound was reached at `where`: stops the run (RunStatus::LimitReached) with
    /// `message` placed as an error's; the task whose poll reached it is left unfinished.
    void boundReached(SpanId where, const QString& message);
    /// A call that led to the error or bound: the fibers note theirs as the run unwinds through
    /// them (Fiber::abandon()), innermost first, so that nothing is kept for it while the run
    /// goes well. Calls repeated from one place (recursion) make one note.
    void noteCall(SpanId where, const QString& callee, bool bySpawn);
    /// The calls noted so far, innermost first; a last note without a span counts those past
    /// kMaxCallNotes.
    std::vector<ErrorNote> stopNotes() const;
    /// The error or bound as the run reports it: FILE:LINE:COL, the source line and a caret,
    /// then a note for each call that led there, each with its line and caret.
    QString stopText() const;
    /// The source text of a span, for describing futures ("fetch(url)").
    QString sourceText(SpanId span) const;
    std::uint64_t nextRandom();

private:
    struct NotedCall {
        SpanId where;
        QString callee;
        bool bySpawn; ///< the spawn of a task, not a call
        int times;
    };

    void stop(RunStatus status, SpanId where, const QString& message);

    std::vector<NotedCall> m_calls;
    int m_callsLeft = 0; ///< calls past kMaxCallNotes: counted, not noted
};

/// A future of the scenario language: a leaf (sleep, io, ...), an async fn call, a join or a
/// select. Polled through PollNode; dropped without ever being polled, it records an Unpolled
/// event (the forgotten `.await`), unless its work runs anyway (a task handle's join, a
/// spawn_blocking job) or it was handed to a join or select, whose own event stands for it.
class FutureObject : public Object, public PollNode
{
public:
    FutureObject(ScriptContext& context, SpanId span, bool ghostIfUnpolled = true);
    ~FutureObject() override;

    bool poll() final
    {
        m_polled = true;
        if (!m_ready) {
            if (m_context.pollDepth >= ScriptContext::kMaxPollDepth) [[unlikely]]
                return nestedTooDeeply();
            // Its wakes go to the task that polled it first.
            const TaskId task = m_context.runtime.currentTask();
            if (m_owner != task) [[unlikely]] {
                if (m_owner != kNoTask)
                    return awaitedByTwoTasks();
                m_owner = task;
            }
            ++m_context.pollDepth;
            m_ready = pollOnce();
            --m_context.pollDepth;
        }
        return m_ready;
    }
    /// The value, once ready; a future awaited again gives it again.
    Value result();
    QString description() const { return m_context.sourceText(m_span); }
    /// The expression that made it: a call, a spawn, a leaf, a join or select.
    SpanId span() const { return m_span; }
    /// Dropping it unpolled is expected (a select's loser): no Unpolled event.
    void disown() { m_ghostIfUnpolled = false; }

protected:
    /// One poll. A future that returns Pending with the context stopped has stopped the run.
    virtual bool pollOnce() = 0;
    virtual Value makeResult() = 0;
    /// Attributes what the task does next (registrations, cancels, the end of its poll) to this
    /// future's expression. A future held as a value is polled wherever it is awaited, after
    /// whatever other fiber of the task set the span last.
    void setTaskSpan() const { m_context.runtime.setSpan(m_span); }
    ScriptContext& m_context;

private:
    /// Fail the run at this future's expression; Pending, so that nothing runs on.
    bool nestedTooDeeply();
    bool awaitedByTwoTasks();

    SpanId m_span;
    bool m_ghostIfUnpolled;
    TaskId m_owner = kNoTask; ///< the task that polled it first
    bool m_polled = false;
    bool m_ready = false;
    bool m_hasResult = false;
    Value m_result;
};

/// A leaf future of the core runtime, wrapped as a script future with no value.
template<class Leaf>
class LeafFuture final : public FutureObject
{
public:
    template<class... Args>
    LeafFuture(ScriptContext& context, SpanId span, bool ghostIfUnpolled, Args&&... args)
        : FutureObject(context, span, ghostIfUnpolled)
        , m_leaf(std::forward<Args>(args)...)
    {
    }

protected:
    bool pollOnce() override
    {
        setTaskSpan();
        return m_leaf.poll();
    }
    Value makeResult() override { return Value(); }

private:
    Leaf m_leaf;
};

class HandleObject final : public Object
{
public:
    HandleObject(JoinHandle<Value> taskHandle, QString taskName)
        : handle(std::move(taskHandle))
        , name(std::move(taskName))
    {
    }
    JoinHandle<Value> handle;
    QString name;
};

class ChannelObject final : public Object
{
public:
    ChannelObject(std::uint32_t capacity, QString channelLabel)
        : channel(capacity, channelLabel)
        , label(std::move(channelLabel))
    {
    }
    Channel<Value> channel;
    QString label;
};

/// `handle.await`: the task's value, or its failure as an error value.
class JoinFutureObject final : public FutureObject
{
public:
    JoinFutureObject(ScriptContext& context, SpanId span, const HandleObject& handle)
        : FutureObject(context, span, false) // the task runs whether or not it is awaited
        , m_join(handle.handle.join())
    {
    }

protected:
    bool pollOnce() override
    {
        setTaskSpan();
        return m_join.poll();
    }
    Value makeResult() override;

private:
    JoinFuture<Value> m_join;
};

class SendFutureObject final : public FutureObject
{
public:
    SendFutureObject(ScriptContext& context, SpanId span, const ChannelObject& channel, Value value)
        : FutureObject(context, span)
        , m_send(channel.channel.send(std::move(value)))
    {
    }

protected:
    bool pollOnce() override
    {
        setTaskSpan();
        return m_send.poll();
    }
    Value makeResult() override { return Value::boolean(m_send.result()); }

private:
    Channel<Value>::SendFuture m_send;
};

class RecvFutureObject final : public FutureObject
{
public:
    RecvFutureObject(ScriptContext& context, SpanId span, const ChannelObject& channel)
        : FutureObject(context, span)
        , m_recv(channel.channel.recv())
    {
    }

protected:
    bool pollOnce() override
    {
        setTaskSpan();
        return m_recv.poll();
    }
    Value makeResult() override { return m_recv.result().value_or(Value()); }

private:
    Channel<Value>::RecvFuture m_recv;
};

/// `join(a, b, ...)`: the list of the branches' values, in written order.
class JoinAllObject final : public FutureObject
{
public:
    JoinAllObject(ScriptContext& context, SpanId span, std::vector<Ref<FutureObject>> branches);
    ~JoinAllObject() override;

protected:
    bool pollOnce() override;
    Value makeResult() override;

private:
    std::vector<Ref<FutureObject>> m_branches;
    std::unique_ptr<bool[]> m_done;
    std::size_t m_nextStart = 0;
};

/// `select(a, b, ...)`: `.index` and `.value` of the first branch to be Ready.
class SelectObject final : public FutureObject
{
public:
    SelectObject(ScriptContext& context, SpanId span, std::vector<Ref<FutureObject>> branches);
    ~SelectObject() override;

protected:
    bool pollOnce() override;
    Value makeResult() override;

private:
    std::vector<Ref<FutureObject>> m_branches;
    std::size_t m_winner = 0;
    Value m_value;
};

/// Iteration state of a `for` loop, kept in a hidden slot.
class IteratorObject final : public Object
{
public:
    Value items; ///< a list, or none for a range
    qint64 next = 0;
    qint64 end = 0;
    bool durations = false;
};

} // namespace pollscope::script
