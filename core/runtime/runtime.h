#pragma once

#include "runtime/runtimesettings.h"
#include "runtime/runtimetypes.h"
#include "runtime/task.h"
#include "trace/traceevent.h"

#include <QAnyStringView>

#include <vector>

namespace pollscope {

enum class RunStatus : std::uint8_t; // trace/trace.h

/// The outcome of polling a channel operation.
enum class ChannelPoll : std::uint8_t {
    Pending,
    Done, ///< the value was sent, or one was received
    Closed, ///< the channel is closed (and, for a receive, empty)
};

/// What leaf futures, spawn and in-poll work ask of the runtime that polls them. The model
/// Executor answers on a virtual clock; the real-time runtime answers with a Qt event loop.
///
/// Every call is made from inside a poll of the current task, on the runtime's thread, except
/// cancel*/release*, which also come from destructors when frames are torn down.
class Runtime {
public:
    virtual ~Runtime() = default;

    /// The runtime polling tasks on this thread, or nullptr outside a run.
    static Runtime* current() noexcept { return t_current; }

    /// The task being polled, or kNoTask between polls.
    TaskId currentTask() const noexcept { return m_current; }
    virtual const RuntimeSettings& settings() const noexcept = 0;
    virtual TimeNs now() const noexcept = 0;
    /// The deadline of a sleep created now: now + duration, which the model runtime rounds up
    /// to the timer resolution (tokio's wheel) and the real-time runtime keeps exact (QTimer).
    virtual TimeNs sleepDeadline(TimeNs duration) const noexcept = 0;
    virtual StringId intern(QAnyStringView text) = 0;
    /// The source span later events of the current task carry (the interpreter sets it).
    virtual void setSpan(SpanId span) = 0;

    // Leaf futures. Each returns true when ready. `resource` / `registered` belong to the leaf
    // and remember its registration between polls.
    virtual bool pollSleep(ResourceId& resource, TimeNs deadline) = 0;
    virtual bool pollIo(ResourceId& resource, StringId label, TimeNs duration) = 0;
    virtual bool pollJoin(TaskId target, bool& registered) = 0;
    virtual bool pollBlockingJob(ResourceId job, bool& registered) = 0;
    /// The current task's `yield_now` is Pending: wake the task again, later. The wake waits in
    /// a list that each runtime delivers at its own moment (the model runtime after the next
    /// reactor pass, the real-time one when the poll ends). Inline: a yield is one append.
    void deferYield()
    {
        // Growing is out of line, so that the coroutine that yields needs no stack frame.
        if (m_deferredYields.size() == m_deferredYields.capacity()) [[unlikely]]
            return deferYieldGrowing();
        m_deferredYields.push_back(m_current);
    }

    /// Channels: a bounded FIFO of capacity slots; senders wait for a free slot and receivers
    /// for a value, each in FIFO order. `token` names the operation's registration (0: none).
    /// The runtime keeps counts and waiters; the values themselves live in Channel<T>.
    virtual ResourceId createChannel(StringId label, std::uint32_t capacity) = 0;
    virtual ChannelPoll pollSend(ResourceId channel, std::uint32_t& token) = 0;
    virtual ChannelPoll pollRecv(ResourceId channel, std::uint32_t& token) = 0;
    virtual void closeChannel(ResourceId channel) = 0;

    /// A leaf was dropped while Pending: withdraw its registration (select drops its losers).
    virtual void cancelResource(ResourceId resource) = 0;
    virtual void cancelJoinWait(TaskId target) = 0;
    virtual void cancelJobWait(ResourceId job) = 0;
    virtual void cancelChannelWait(ResourceId channel, std::uint32_t token) = 0;

    /// Takes ownership of a task's root frame (from Task::release()) and queues it; the
    /// spawner's handle holds one reference (retainTask/releaseTask) that keeps a finished
    /// task's result readable.
    virtual TaskId spawnFrame(std::coroutine_handle<> frame, StringId name) = 0;
    virtual void retainTask(TaskId task) = 0;
    virtual void releaseTask(TaskId task) = 0;

    /// Starts a job on the blocking pool now; its end wakes whoever awaits it.
    virtual ResourceId startBlockingJob(StringId label, TimeNs duration) = 0;
    /// Holds the worker for `duration` inside the current poll.
    virtual void block(StringId label, TimeNs duration, BlockKind kind) = 0;
    virtual void mark(StringId label) = 0;
    /// Records a future that was created (at `span`) and dropped without ever being polled.
    virtual void recordUnpolled(StringId description, SpanId span) = 0;
    /// Stops the run after the current poll: with RunStatus::Failed for a script error, with
    /// RunStatus::LimitReached for a runaway bound the poll ran into (max_steps, max_tasks,
    /// max_time passed inside the poll).
    virtual void abortRun(RunStatus status, const QString& message) = 0;

protected:
    TaskId m_current = kNoTask; ///< the task being polled, or kNoTask between polls
    std::vector<TaskId> m_deferredYields; ///< `yield_now` wakes not yet delivered, in order

    /// Makes `runtime` current on this thread for the guard's lifetime.
    class CurrentGuard {
    public:
        explicit CurrentGuard(Runtime* runtime) noexcept;
        ~CurrentGuard();
        CurrentGuard(const CurrentGuard&) = delete;
        CurrentGuard& operator=(const CurrentGuard&) = delete;

    private:
        Runtime* m_previous;
    };

private:
    [[gnu::noinline, gnu::cold]] void deferYieldGrowing();

    // constinit: leaf futures read it on every creation, without a TLS wrapper call.
    static constinit thread_local Runtime* t_current;
};

} // namespace pollscope
