#pragma once

#include "runtime/recordingruntime.h"
#include "trace/trace.h"

#include <queue>

#include <atomic>
#include <memory>
#include <span>
#include <utility>
#include <vector>

namespace pollscope {

/// The model runtime: tokio 1.24's current-thread scheduler on a virtual clock, so the same
/// program gives the same trace every time (DESIGN.md, "Executor semantics").
///
/// Invariants — one thread runs everything; nothing here is shared:
/// - Only pollTask() resumes task frames; every resume of a task is one recorded poll.
/// - A task other than main is in the run queue at most once; waking a queued task does nothing;
///   a task woken during its own poll is queued when that poll ends. Main is never queued: a
///   wake sets `m_mainWoken`, and main is polled once at the start of the next tick.
/// - Virtual time moves only inside a poll (block/compute, then the poll cost) or when the
///   reactor is serviced with nothing runnable; it never goes back.
/// - Sinks see events in the order they happen; the tables an event refers to are filled first.
/// - When run() returns every task frame has been destroyed (unfinished tasks are cancelled),
///   so handles are only read during the run.
/// - The runaway bounds (max_events, max_time) are checked at the start of each tick, so a run
///   stops within one tick (at most event_interval + 1 polls) of crossing one. The script's
///   bounds inside a poll (max_steps, max_tasks) stop it through abortRun(), after that poll.
class Executor final : public RecordingRuntime {
public:
    explicit Executor(RuntimeSettings settings = {});
    ~Executor() override;
    Executor(const Executor&) = delete;
    Executor& operator=(const Executor&) = delete;

    /// Runs `main` to completion (or deadlock, or a bound). An Executor runs once. Sinks
    /// (addSink()) get the events once per tick.
    template <class T>
    RunReport run(Task<T> main);

    /// The recorded run: events (if recording), tables and report. Call once, after run().
    Trace takeTrace() { return m_recorder.take(m_report, m_settings, true); }

    // Runtime
    TimeNs now() const noexcept override { return m_now; }
    TimeNs sleepDeadline(TimeNs duration) const noexcept override;
    bool pollSleep(ResourceId& resource, TimeNs deadline) override;
    bool pollIo(ResourceId& resource, StringId label, TimeNs duration) override;
    bool pollJoin(TaskId target, bool& registered) override;
    bool pollBlockingJob(ResourceId job, bool& registered) override;
    ResourceId createChannel(StringId label, std::uint32_t capacity) override;
    ChannelPoll pollSend(ResourceId channel, std::uint32_t& token) override;
    ChannelPoll pollRecv(ResourceId channel, std::uint32_t& token) override;
    void cancelResource(ResourceId resource) override;
    void cancelJoinWait(TaskId target) override;
    void cancelJobWait(ResourceId job) override;
    TaskId spawnFrame(std::coroutine_handle<> frame, StringId name) override;
    void retainTask(TaskId task) override { m_tasks.retain(task); }
    void releaseTask(TaskId task) override { m_tasks.release(task); }
    ResourceId startBlockingJob(StringId label, TimeNs duration) override;
    void block(StringId label, TimeNs duration, BlockKind kind) override;
    void abortRun(RunStatus status, const QString& message) override { stop(status, message); }

private:
    enum class ResourceStatus : std::uint8_t { Pending, Fired, Cancelled };

    struct ResourceState {
        TaskId waiter = kNoTask;
        ResourceStatus status = ResourceStatus::Pending;
    };

    /// A timer, I/O or job end in the reactor; equal times fire in registration order.
    struct Due {
        TimeNs at;
        std::uint64_t order;
        ResourceId resource;
        bool operator>(const Due& other) const
        {
            return at != other.at ? at > other.at : order > other.order;
        }
    };
    using DueQueue = std::priority_queue<Due, std::vector<Due>, std::greater<>>;

    /// FIFO ring of task ids (the run queue, the deferred yield_now wakes). push and pop are
    /// a few instructions; growing is out of line so the hot path needs no stack frame.
    class TaskRing {
    public:
        bool empty() const { return m_size == 0; }
        std::size_t size() const { return m_size; }
        void push(TaskId task)
        {
            if (m_size > m_mask) [[unlikely]]
                grow(m_size + 1);
            m_ring[(m_head + m_size) & m_mask] = task;
            ++m_size;
        }
        /// Pushes the tasks `admit` returns true for, in order, with one capacity check.
        /// `admit` must not touch this ring.
        template <class Admit>
        void pushIf(std::span<const TaskId> tasks, Admit admit)
        {
            if (m_size + tasks.size() > m_mask + 1) [[unlikely]]
                grow(m_size + tasks.size());
            // Locals, so the stores of `admit` need not reload them.
            TaskId* const ring = m_ring.get();
            const std::size_t mask = m_mask;
            std::size_t end = m_head + m_size;
            for (const TaskId task : tasks) {
                if (admit(task))
                    ring[end++ & mask] = task;
            }
            m_size = end - m_head;
        }
        TaskId pop()
        {
            const TaskId task = m_ring[m_head];
            m_head = (m_head + 1) & m_mask;
            --m_size;
            return task;
        }
        /// The tasks one and two places behind the front, for prefetching; past the end they
        /// are stale (but valid) task ids.
        std::pair<TaskId, TaskId> lookahead() const
        {
            const TaskId* const ring = m_ring.get();
            const std::size_t head = m_head;
            const std::size_t mask = m_mask;
            return { ring[(head + 1) & mask], ring[(head + 2) & mask] };
        }

    private:
        /// Doubles the capacity until it holds `size` tasks.
        [[gnu::noinline, gnu::cold]] void grow(std::size_t size);

        std::unique_ptr<TaskId[]> m_ring = std::make_unique<TaskId[]>(64);
        std::size_t m_mask = 63; ///< capacity - 1; the capacity is a power of two
        std::size_t m_head = 0;
        std::size_t m_size = 0;
    };

    /// Whether an event is kept: asked of the recorder (Checked), or known for the whole run so
    /// the tick loop is compiled once for each case.
    enum class Recording : std::uint8_t { Checked, On, Off };

    RunReport runMain(std::coroutine_handle<> frame);
    template <Recording R>
    void runTicks();
    template <Recording R>
    [[gnu::always_inline]] void pollTask(TaskId task);
    [[gnu::always_inline]] void prefetchQueued() const;
    /// Counts `polls` polls in the report, and their start and end events if they went
    /// unrecorded: once per batch rather than once per poll.
    template <Recording R>
    void countPolls(int polls)
    {
        m_report.polls += std::uint64_t(polls);
        if constexpr (R == Recording::Off)
            m_recorder.skip(2 * std::uint64_t(polls));
    }
    /// Tick step (c). Returns false when nothing is left that could ever wake a task.
    template <Recording R>
    bool serviceReactor();
    template <Recording R>
    void deliverDeferredYields();
    TimeNs earliestDue(DueQueue& queue) const;
    void fireDue(DueQueue& queue, WakeCause cause);
    /// Records the starts of queued jobs and delivers the ends of jobs, up to now.
    void deliverJobEnds();
    /// Wakes `task`: queues it if idle (the common case, inline), else see wakeNotIdle().
    void wake(TaskId task, WakeCause cause, std::uint32_t source)
    {
        TaskSlot& slot = m_tasks[task];
        if (task == kMainTask || slot.state != TaskState::Idle) [[unlikely]] {
            wakeNotIdle(task, cause, source);
            return;
        }
        slot.state = TaskState::Queued;
        m_queue.push(task);
        record(EventKind::Wake, task, source, std::uint8_t(cause));
    }
    /// Never queues: main is polled in step (a), and a task that is not idle is queued, running
    /// or finished.
    void wakeNotIdle(TaskId task, WakeCause cause, std::uint32_t source);
    /// The cooperative budget is spent: self-wake and report Pending (tokio's poll_proceed).
    bool budgetExhausted();
    /// pollJoin() when the join is not simply Ready within budget: out of line.
    [[gnu::noinline]] bool pollJoinNotDone(TaskId target, bool& registered);
    /// The task's poll was Ready: records it, wakes whoever awaits it, frees what nobody needs.
    /// Out of line, so Pending polls do not pay for it in registers.
    template <Recording R>
    [[gnu::noinline]] void complete(TaskId task);
    /// complete() for a task that failed or is awaited already: out of line.
    [[gnu::noinline]] void completeAndWake(TaskId task);
    /// A task ended with an exception: interns its message (returned) and fails the run if it
    /// is main.
    [[gnu::noinline]] StringId taskFailed(TaskId task);
    void shutdown();
    void stop(RunStatus status, QString message);
    [[gnu::cold]] void stopAtLimit();
    ResourceId addResource(
        ResourceKind kind, StringId label, TimeNs created, TimeNs deadline, std::uint16_t lane = 0);

    template <Recording R = Recording::Checked>
    void record(EventKind kind, TaskId task, std::uint32_t aux, std::uint8_t detail = 0,
        std::uint16_t lane = 0)
    {
        if constexpr (R == Recording::Checked)
            recordEvent(kind, task, aux, detail, lane, m_now);
        else if constexpr (R == Recording::On)
            m_recorder.keep(TraceEvent { m_now, task, aux, m_tasks.span(task), kind, detail, lane });
        else
            m_recorder.skip(1);
    }

    // ChannelTable::Host
    void channelWake(TaskId task, ResourceId channel) override
    {
        wake(task, WakeCause::Channel, channel);
    }

    BulkVector<ResourceState> m_resourceStates;
    TaskRing m_queue;
    DueQueue m_io;
    DueQueue m_timers;
    DueQueue m_jobStarts; ///< jobs queued behind busy lanes, until they start
    DueQueue m_jobEnds;
    std::vector<TimeNs> m_laneFreeAt;
    std::uint64_t m_registrations = 0;
    std::size_t m_completedTasks = 0; ///< shutdown() has nothing to cancel once all completed

    TimeNs m_now = 0;
    TimeNs m_reactorNow = 0; ///< how far the last reactor pass got (tokio's wheel "elapsed")
    int m_budget = 0;
    bool m_mainWoken = false;
    bool m_started = false;
    bool m_stopped = false;
    RunReport m_report;
};

template <class T>
RunReport Executor::run(Task<T> main)
{
    return runMain(main.release());
}

/// Runs `main` on a fresh model executor and returns the whole trace.
template <class T>
Trace recordRun(Task<T> main, const RuntimeSettings& settings = {})
{
    Executor executor(settings);
    executor.enableRecording();
    executor.run(std::move(main));
    return executor.takeTrace();
}

} // namespace pollscope
