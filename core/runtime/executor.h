#pragma once

#include "runtime/runtime.h"
#include "runtime/runtimesettings.h"
#include "trace/trace.h"
#include "trace/tracesink.h"

#include <atomic>
#include <deque>
#include <queue>
#include <unordered_map>
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
/// - A task's frame lives until the task finishes and no handle refers to it, or until
///   shutdown: when run() returns, every frame is destroyed (unfinished tasks are cancelled),
///   so handles are only read during the run.
class Executor final : public Runtime
{
public:
    explicit Executor(RuntimeSettings settings = {});
    ~Executor() override;
    Executor(const Executor&) = delete;
    Executor& operator=(const Executor&) = delete;

    /// Keeps every event of the run (takeTrace() hands them over). Call before run().
    void enableRecording() { m_recording = true; }
    /// Sinks get every event of the run, in batches; adding one enables recording.
    void addSink(TraceSink* sink);
    /// The run stops (RunStatus::Interrupted) soon after `*flag` becomes true.
    void setInterruptFlag(const std::atomic<bool>* flag) { m_interrupt = flag; }

    /// Runs `main` to completion (or deadlock, or a bound). An Executor runs once.
    template<class T>
    RunReport run(Task<T> main);

    const RuntimeSettings& settings() const noexcept override { return m_settings; }
    const TraceTables& tables() const { return m_tables; }
    /// The source spans events will refer to (the interpreter's statements). Before run().
    void setSpans(std::vector<SourceSpan> spans) { m_tables.spans = std::move(spans); }
    /// The recorded run: events (if recording), tables and report. Call once, after run().
    Trace takeTrace();

    // Runtime
    TimeNs now() const noexcept override { return m_now; }
    TaskId currentTask() const noexcept override { return m_current; }
    TimeNs sleepDeadline(TimeNs duration) const noexcept override;
    StringId intern(QAnyStringView text) override;
    void setSpan(SpanId span) override;
    bool pollSleep(ResourceId& resource, TimeNs deadline) override;
    bool pollIo(ResourceId& resource, StringId label, TimeNs duration) override;
    bool pollYield(bool& yielded) override;
    bool pollJoin(TaskId target, bool& registered) override;
    bool pollBlockingJob(ResourceId job, bool& registered) override;
    void cancelResource(ResourceId resource) override;
    void cancelJoinWait(TaskId target) override;
    void cancelJobWait(ResourceId job) override;
    ResourceId createChannel(StringId label, std::uint32_t capacity) override;
    ChannelPoll pollSend(ResourceId channel, std::uint32_t& token) override;
    ChannelPoll pollRecv(ResourceId channel, std::uint32_t& token) override;
    void closeChannel(ResourceId channel) override;
    void cancelChannelWait(ResourceId channel, std::uint32_t token) override;
    TaskId spawnFrame(std::coroutine_handle<> frame, PromiseBase& promise, StringId name) override;
    void retainTask(TaskId task) override;
    void releaseTask(TaskId task) override;
    PromiseBase& taskPromise(TaskId task) override;
    ResourceId startBlockingJob(StringId label, TimeNs duration) override;
    void block(StringId label, TimeNs duration, BlockKind kind) override;
    void mark(StringId label) override;
    void recordUnpolled(StringId description, SpanId span) override;
    void abortRun(const QString& message) override;

private:
    enum class TaskState : std::uint8_t { Idle, Queued, Running, Completed, Cancelled };
    enum class ResourceStatus : std::uint8_t { Pending, Fired, Cancelled };

    static constexpr std::uint32_t kNoLink = ~std::uint32_t(0);

    /// Kept at 32 bytes: the scheduler touches one slot per poll, two to a cache line.
    struct TaskSlot {
        std::coroutine_handle<> frame;
        PromiseBase* promise = nullptr;
        SpanId span = 0; ///< where the task currently is in its source
        std::uint32_t polls = 0;
        std::uint32_t handleRefs = 0;
        TaskState state = TaskState::Idle;
        bool wokenWhilePolled = false;
    };
    static_assert(sizeof(TaskSlot) == 32);

    /// A task awaiting another task's handle; links of one target form a list.
    struct WaitLink {
        TaskId waiter;
        std::uint32_t next;
    };

    struct ResourceState {
        TaskId waiter = kNoTask;
        ResourceStatus status = ResourceStatus::Pending;
    };

    struct ChannelWaiter {
        std::uint32_t token;
        TaskId task;
        bool granted; ///< a sender that was handed a freed slot and has yet to use it
    };

    /// Counts and FIFO waiters of one channel; the values live in Channel<T>.
    struct ChannelState {
        std::uint32_t capacity = 1;
        std::uint32_t size = 0; ///< values in the buffer
        std::uint32_t granted = 0; ///< slots handed to waiting senders, not yet filled
        bool closed = false;
        std::deque<ChannelWaiter> senders;
        std::deque<ChannelWaiter> receivers;
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
    class TaskRing
    {
    public:
        bool empty() const { return m_size == 0; }
        std::size_t size() const { return m_size; }
        void push(TaskId task)
        {
            if (m_size == m_ring.size()) [[unlikely]]
                grow();
            m_ring[(m_head + m_size) & (m_ring.size() - 1)] = task;
            ++m_size;
        }
        TaskId pop()
        {
            const TaskId task = m_ring[m_head];
            m_head = (m_head + 1) & (m_ring.size() - 1);
            --m_size;
            return task;
        }
        /// The task `ahead` places behind the front, for prefetching.
        TaskId peek(std::size_t ahead) const { return m_ring[(m_head + ahead) & (m_ring.size() - 1)]; }

    private:
        [[gnu::noinline, gnu::cold]] void grow();

        std::vector<TaskId> m_ring = std::vector<TaskId>(64);
        std::size_t m_head = 0;
        std::size_t m_size = 0;
    };

    RunReport runMain(std::coroutine_handle<> frame, PromiseBase& promise);
    void pollTask(TaskId task);
    /// Tick step (c). Returns false when nothing is left that could ever wake a task.
    bool serviceReactor();
    TimeNs earliestDue(DueQueue& queue) const;
    void fireDue(DueQueue& queue, WakeCause cause);
    void deliverJobEnds();
    void wake(TaskId task, WakeCause cause, std::uint32_t source);
    /// The cooperative budget is spent: self-wake and report Pending (tokio's poll_proceed).
    bool budgetExhausted();
    void complete(TaskId task);
    void addWaiter(TaskId target, TaskId waiter);
    bool removeWaiter(TaskId target, TaskId waiter);
    void prefetchQueued() const;
    ChannelState& channel(ResourceId resource);
    void grantFreedSlot(ResourceId channel);
    void flushSinks();
    void destroyFrame(TaskSlot& slot);
    void shutdown();
    void stop(RunStatus status, QString message);
    [[gnu::cold]] void stopAtLimit();
    ResourceId addResource(ResourceKind kind, StringId label, TimeNs created, TimeNs deadline,
                           std::uint16_t lane = 0);
    void record(EventKind kind, TaskId task, std::uint32_t aux, std::uint8_t detail = 0,
                std::uint16_t lane = 0)
    {
        recordAt(m_now, kind, task, aux, detail, lane);
    }
    void recordAt(TimeNs time, EventKind kind, TaskId task, std::uint32_t aux, std::uint8_t detail,
                  std::uint16_t lane)
    {
        ++m_report.events;
        if (m_recording)
            m_log.push_back(TraceEvent { time, task, aux, m_tasks[task].span, kind, detail, lane });
    }

    RuntimeSettings m_settings;
    TraceTables m_tables;
    EventLog m_log;
    std::size_t m_flushed = 0; ///< events of m_log the sinks have seen
    std::vector<TraceSink*> m_sinks;
    bool m_recording = false;
    const std::atomic<bool>* m_interrupt = nullptr;

    std::vector<TaskSlot> m_tasks;
    std::vector<std::uint32_t> m_firstWaiter; ///< per task: its handle's awaiters (m_waitLinks)
    std::vector<WaitLink> m_waitLinks;
    std::uint32_t m_freeWaitLinks = kNoLink;
    std::vector<ResourceState> m_resourceStates;
    std::unordered_map<ResourceId, ChannelState> m_channels;
    std::uint32_t m_channelTokens = 0;
    TaskRing m_queue;
    TaskRing m_deferredYields;
    DueQueue m_io;
    DueQueue m_timers;
    DueQueue m_jobEnds;
    std::vector<TimeNs> m_laneFreeAt;
    std::uint64_t m_registrations = 0;

    TimeNs m_now = 0;
    TimeNs m_reactorNow = 0; ///< how far the last reactor pass got (tokio's wheel "elapsed")
    TaskId m_current = kNoTask;
    int m_budget = 0;
    bool m_mainWoken = false;
    bool m_started = false;
    bool m_shuttingDown = false;
    bool m_stopped = false;
    RunReport m_report;
};

template<class T>
RunReport Executor::run(Task<T> main)
{
    auto frame = main.release();
    return runMain(frame, frame.promise());
}

/// Runs `main` on a fresh model executor and returns the whole trace.
template<class T>
Trace recordRun(Task<T> main, const RuntimeSettings& settings = {})
{
    Executor executor(settings);
    executor.enableRecording();
    executor.run(std::move(main));
    return executor.takeTrace();
}

} // namespace pollscope
