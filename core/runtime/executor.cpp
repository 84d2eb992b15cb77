#include "runtime/executor.h"

#include "runtime/taskfailure.h"

#include <algorithm>

namespace pollscope {

void Executor::TaskRing::grow(std::size_t size)
{
    std::size_t capacity = (m_mask + 1) * 2;
    while (capacity < size)
        capacity *= 2;
    // Value-initialised: entries past the end stay valid task ids for prefetchQueued().
    auto grown = std::make_unique<TaskId[]>(capacity);
    const std::size_t tillWrap = std::min(m_size, m_mask + 1 - m_head);
    std::copy_n(m_ring.get() + m_head, tillWrap, grown.get());
    std::copy_n(m_ring.get(), m_size - tillWrap, grown.get() + tillWrap);
    m_ring = std::move(grown);
    m_mask = capacity - 1;
    m_head = 0;
}

Executor::Executor(RuntimeSettings settings)
    : RecordingRuntime(settings)
    , m_laneFreeAt(static_cast<std::size_t>(std::max(1, settings.blockingThreads)), 0)
{
}

Executor::~Executor()
{
    // Frames left after a run that never started, or an exception out of run().
    destroyFrames();
}

inline void Executor::prefetchQueued() const
{
    // Round-robin over many tasks touches a cold slot and frame per poll; fetching them a
    // few polls ahead hides most of that latency. A prefetch of a freed frame is harmless.
    // A couple of thousand tasks (about 130 bytes each: slot, frame, queue entry) stay in
    // the core's own cache, where the prefetch would only cost instructions.
    constexpr std::size_t kCachedTasks = 2048;
    if (m_queue.size() < kCachedTasks)
        return;
    const auto [next, afterNext] = m_queue.lookahead();
    __builtin_prefetch(m_tasks.data() + afterNext);
    __builtin_prefetch(m_tasks[next].frame);
}

template <Executor::Recording R>
void Executor::complete(TaskId task)
{
    // Most tasks end well with nobody waiting for them yet: that path makes no call, unless
    // the frame can go at once.
    TaskSlot& slot = m_tasks[task];
    if (slot.promise().error || m_tasks.hasWaiters(task)) [[unlikely]]
        return completeAndWake(task);
    slot.state = TaskState::Completed;
    ++m_completedTasks;
    record<R>(EventKind::Complete, task, 0, std::uint8_t(CompletionStatus::Ok));
    m_tasks.completed(task);
}

template <Executor::Recording R>
inline void Executor::pollTask(TaskId task)
{
    // Hot path: one poll. Spawns during the poll may grow m_tasks, so the slot is looked up
    // again after the frame ran.
    TaskSlot& before = m_tasks[task];
    before.state = TaskState::Running;
    before.wokenWhilePolled = false;
    const std::uint32_t index = before.polls++;
    m_current = task;
    m_budget = m_settings.budget;
    if constexpr (R == Recording::On)
        record<R>(EventKind::PollStart, task, index);

    const bool done = pollFrame(before.coroutine(), before.promise());

    if (m_settings.pollCost > 0) // by default a poll costs no time, and then m_now is not stored
        m_now = addTime(m_now, m_settings.pollCost);
    TaskSlot& slot = m_tasks[task];
    const PollOutcome outcome = done ? PollOutcome::Ready : PollOutcome::Pending;
    if constexpr (R == Recording::On)
        record<R>(EventKind::PollEnd, task, index, std::uint8_t(outcome));
    if (done) {
        complete<R>(task);
    } else if (slot.wokenWhilePolled) {
        slot.state = TaskState::Queued;
        m_queue.push(task);
    } else {
        slot.state = TaskState::Idle;
    }
    m_current = kNoTask;
}

RunReport Executor::runMain(std::coroutine_handle<> frame)
{
    Q_ASSERT_X(!m_started, "Executor::run", "an Executor runs once");
    m_started = true;
    CurrentGuard current(this);

    addMainTask(frame);
    record(EventKind::Spawn, kMainTask, kNoTask);
    m_mainWoken = true;

    if (m_recorder.isEnabled())
        runTicks<Recording::On>();
    else
        runTicks<Recording::Off>();

    m_report.elapsed = m_now;
    shutdown();
    m_report.events = m_recorder.count();
    m_recorder.flush();
    return m_report;
}

template <Executor::Recording R>
void Executor::runTicks()
{
    const int eventInterval = m_settings.eventInterval;
    while (!m_stopped) {
        if (m_interrupt && m_interrupt->load(std::memory_order_relaxed)) {
            stop(RunStatus::Interrupted, QStringLiteral("the run was stopped"));
            break;
        }
        // The runaway bounds, once a tick: a tick is at most event_interval + 1 polls.
        if (m_recorder.count() > m_settings.maxEvents || m_now > m_settings.maxTime) [[unlikely]] {
            stopAtLimit();
            break;
        }
        // (a) main, if it was woken since its last poll.
        if (m_mainWoken) {
            m_mainWoken = false;
            pollTask<R>(kMainTask);
            countPolls<R>(1);
            if (m_tasks[kMainTask].state == TaskState::Completed)
                break;
        }
        // (b) up to event_interval tasks from the run queue, including ones queued meanwhile.
        int polled = 0;
        for (; polled < eventInterval && !m_queue.empty() && !m_stopped; ++polled) {
            const TaskId task = m_queue.pop();
            prefetchQueued();
            pollTask<R>(task);
        }
        countPolls<R>(polled);
        if (m_stopped)
            break;
        // (c) the reactor.
        if (!serviceReactor<R>()) {
            stop(RunStatus::Deadlock,
                QStringLiteral("deadlock: main is Pending and nothing is left that could wake it"));
        }
        m_recorder.flush();
    }
}

void Executor::stop(RunStatus status, QString message)
{
    if (m_stopped)
        return;
    m_stopped = true;
    m_report.status = status;
    m_report.message = std::move(message);
}

void Executor::stopAtLimit()
{
    const bool events = m_recorder.count() > m_settings.maxEvents;
    stop(RunStatus::LimitReached,
        events ? eventLimitMessage(m_settings) : timeLimitMessage(m_settings, false));
}

void Executor::completeAndWake(TaskId task)
{
    TaskSlot& slot = m_tasks[task];
    slot.state = TaskState::Completed;
    ++m_completedTasks;
    const bool ok = !slot.promise().error;
    const StringId message = ok ? 0 : taskFailed(task);
    const auto status = ok ? CompletionStatus::Ok : CompletionStatus::Failed;
    record(EventKind::Complete, task, message, std::uint8_t(status));
    m_tasks.takeWaiters(task, [&](TaskId waiter) { wake(waiter, WakeCause::TaskDone, task); });
    m_tasks.completed(task);
}

StringId Executor::taskFailed(TaskId task)
{
    const StringId message =
        m_recorder.tables().strings.intern(failureMessage(m_tasks[task].promise().error));
    if (task == kMainTask)
        stop(RunStatus::Failed, m_recorder.tables().strings.at(message));
    return message;
}

void Executor::shutdown()
{
    // #[tokio::main]: once main returns, the remaining tasks are never polled again. Nothing to
    // cancel when every task completed.
    for (TaskId task = 0; task < m_tasks.size() && m_completedTasks < m_tasks.size(); ++task) {
        TaskSlot& slot = m_tasks[task];
        if (slot.state == TaskState::Completed)
            continue;
        slot.state = TaskState::Cancelled;
        record(EventKind::Cancel, task, task, std::uint8_t(CancelTarget::Task));
    }
    const auto& resources = m_recorder.tables().resources;
    for (ResourceId job = 0; job < m_resourceStates.size(); ++job) {
        const ResourceRecord& r = resources[job];
        if (r.kind == ResourceKind::Job &&
            m_resourceStates[job].status == ResourceStatus::Pending && r.deadline > m_now)
            record(EventKind::Cancel, r.task, job, std::uint8_t(CancelTarget::Job), r.lane);
    }
    destroyFrames();
}

template <Executor::Recording R>
bool Executor::serviceReactor()
{
    if (m_queue.empty() && !m_mainWoken && m_deferredYields.empty()) {
        const TimeNs next =
            std::min({ earliestDue(m_io), earliestDue(m_timers), earliestDue(m_jobEnds) });
        if (next == kNever)
            return false;
        if (next > m_settings.maxTime) {
            // Nothing happens before the bound, so the run ends at it, not at the far deadline.
            m_now = std::max(m_now, m_settings.maxTime);
            stopAtLimit();
            return true;
        }
        m_now = std::max(m_now, next);
    }
    m_reactorNow = m_now;
    fireDue(m_io, WakeCause::Io);
    fireDue(m_timers, WakeCause::Timer);
    deliverJobEnds();
    deliverDeferredYields<R>();
    return true;
}

template <Executor::Recording R>
void Executor::deliverDeferredYields()
{
    // wake() for each, in order. Waking never defers, so exactly the wakes deferred so far
    // are delivered. Unrecorded wakes that queue a task are counted at once.
    const std::size_t queuedBefore = m_queue.size();
    m_queue.pushIf(m_deferredYields, [this](TaskId task) {
        TaskSlot& slot = m_tasks[task];
        if (task == kMainTask || slot.state != TaskState::Idle) [[unlikely]] {
            wakeNotIdle(task, WakeCause::Yield, kNoResource);
            return false;
        }
        slot.state = TaskState::Queued;
        if constexpr (R == Recording::On)
            record<R>(EventKind::Wake, task, kNoResource, std::uint8_t(WakeCause::Yield));
        return true;
    });
    if constexpr (R == Recording::Off)
        m_recorder.skip(m_queue.size() - queuedBefore);
    m_deferredYields.clear();
}

TimeNs Executor::earliestDue(DueQueue& queue) const
{
    while (!queue.empty() &&
        m_resourceStates[queue.top().resource].status == ResourceStatus::Cancelled)
        queue.pop();
    return queue.empty() ? kNever : queue.top().at;
}

void Executor::fireDue(DueQueue& queue, WakeCause cause)
{
    while (!queue.empty() && queue.top().at <= m_now) {
        const ResourceId resource = queue.top().resource;
        queue.pop();
        ResourceState& state = m_resourceStates[resource];
        if (state.status != ResourceStatus::Pending)
            continue;
        state.status = ResourceStatus::Fired;
        wake(state.waiter, cause, resource);
    }
}

void Executor::deliverJobEnds()
{
    // Starts of queued jobs and ends, in time order; at equal times in the order they were
    // planned, so a lane's previous job ends before the next one starts.
    while (true) {
        const bool start = !m_jobStarts.empty() && m_jobStarts.top().at <= m_now;
        const bool end = !m_jobEnds.empty() && m_jobEnds.top().at <= m_now;
        if (!start && !end)
            return;
        if (start && (!end || m_jobEnds.top() > m_jobStarts.top())) {
            const ResourceId job = m_jobStarts.top().resource;
            m_jobStarts.pop();
            const ResourceRecord& r = m_recorder.tables().resources[job];
            recordEvent(EventKind::JobStart, r.task, job, 0, r.lane, r.created);
            continue;
        }
        const ResourceId job = m_jobEnds.top().resource;
        m_jobEnds.pop();
        const ResourceRecord& r = m_recorder.tables().resources[job];
        ResourceState& state = m_resourceStates[job];
        state.status = ResourceStatus::Fired;
        recordEvent(EventKind::JobEnd, r.task, job, 0, r.lane, r.deadline);
        if (state.waiter != kNoTask)
            wake(state.waiter, WakeCause::BlockingJob, job);
    }
}

void Executor::wakeNotIdle(TaskId task, WakeCause cause, std::uint32_t source)
{
    TaskSlot& slot = m_tasks[task];
    if (task == kMainTask) {
        if (slot.state == TaskState::Completed || m_mainWoken)
            return;
        m_mainWoken = true;
    } else {
        switch (slot.state) {
        case TaskState::Running:
            if (slot.wokenWhilePolled)
                return;
            slot.wokenWhilePolled = true;
            break;
        case TaskState::Idle: // wake() queues it
        case TaskState::Queued:
        case TaskState::Completed:
        case TaskState::Cancelled:
            return;
        }
    }
    record(EventKind::Wake, task, source, std::uint8_t(cause));
}

bool Executor::budgetExhausted()
{
    if (m_budget > 0)
        return false;
    wake(m_current, WakeCause::Budget, kNoResource);
    return true;
}

TimeNs Executor::sleepDeadline(TimeNs duration) const noexcept
{
    const TimeNs at = addTime(m_now, duration);
    const TimeNs resolution = m_settings.timerResolution;
    if (resolution <= 1 || at > kNever - resolution)
        return at;
    return (at + resolution - 1) / resolution * resolution;
}

ResourceId Executor::addResource(
    ResourceKind kind, StringId label, TimeNs created, TimeNs deadline, std::uint16_t lane)
{
    const ResourceId id = recordResource(kind, label, created, deadline, lane);
    m_resourceStates.push_back(ResourceState { m_current, ResourceStatus::Pending });
    return id;
}

bool Executor::pollSleep(ResourceId& resource, TimeNs deadline)
{
    if (budgetExhausted())
        return false;
    if (resource == kNoResource) {
        // Registered at its first poll; already due if the last reactor pass reached it.
        if (deadline <= m_reactorNow) {
            --m_budget;
            return true;
        }
        resource = addResource(ResourceKind::Timer, 0, m_now, deadline);
        m_timers.push(Due { deadline, m_registrations++, resource });
        record(EventKind::WaitRegistered, m_current, resource, std::uint8_t(WaitTarget::Timer));
        return false;
    }
    if (m_resourceStates[resource].status != ResourceStatus::Fired)
        return false;
    --m_budget;
    return true;
}

bool Executor::pollIo(ResourceId& resource, StringId label, TimeNs duration)
{
    // Budgeted as tokio's I/O readiness is (Registration::poll_ready asks coop first).
    if (budgetExhausted())
        return false;
    if (resource == kNoResource) {
        const TimeNs due = addTime(m_now, duration);
        resource = addResource(ResourceKind::Io, label, m_now, due);
        m_io.push(Due { due, m_registrations++, resource });
        record(EventKind::WaitRegistered, m_current, resource, std::uint8_t(WaitTarget::Io));
        return false;
    }
    if (m_resourceStates[resource].status != ResourceStatus::Fired)
        return false;
    --m_budget;
    return true;
}

bool Executor::pollJoin(TaskId target, bool& registered)
{
    // Most joins find their task finished: that path makes no call and needs no stack frame.
    if (m_budget > 0 && m_tasks[target].state == TaskState::Completed) {
        --m_budget;
        return true;
    }
    return pollJoinNotDone(target, registered);
}

bool Executor::pollJoinNotDone(TaskId target, bool& registered)
{
    if (budgetExhausted())
        return false;
    TaskSlot& slot = m_tasks[target];
    if (slot.state == TaskState::Completed) {
        --m_budget;
        return true;
    }
    if (!registered) {
        m_tasks.addWaiter(target, m_current);
        registered = true;
        record(EventKind::WaitRegistered, m_current, target, std::uint8_t(WaitTarget::Task));
    }
    return false;
}

bool Executor::pollBlockingJob(ResourceId job, bool& registered)
{
    if (budgetExhausted())
        return false;
    ResourceState& state = m_resourceStates[job];
    if (state.status == ResourceStatus::Fired) {
        --m_budget;
        return true;
    }
    if (!registered) {
        state.waiter = m_current;
        registered = true;
        record(EventKind::WaitRegistered, m_current, job, std::uint8_t(WaitTarget::Job));
    }
    return false;
}

void Executor::cancelResource(ResourceId resource)
{
    if (m_shuttingDown)
        return;
    ResourceState& state = m_resourceStates[resource];
    if (state.status != ResourceStatus::Pending)
        return;
    state.status = ResourceStatus::Cancelled;
    const auto target = m_recorder.tables().resources[resource].kind == ResourceKind::Io
        ? CancelTarget::Io
        : CancelTarget::Timer;
    record(EventKind::Cancel, m_current, resource, std::uint8_t(target));
}

void Executor::cancelJoinWait(TaskId target)
{
    if (m_shuttingDown)
        return;
    if (m_tasks.removeWaiter(target, m_current))
        record(EventKind::Cancel, m_current, target, std::uint8_t(CancelTarget::JoinWait));
}

void Executor::cancelJobWait(ResourceId job)
{
    if (m_shuttingDown)
        return;
    ResourceState& state = m_resourceStates[job];
    if (state.waiter == m_current && state.status == ResourceStatus::Pending) {
        state.waiter = kNoTask;
        record(EventKind::Cancel, m_current, job, std::uint8_t(CancelTarget::JobWait));
    }
}

TaskId Executor::spawnFrame(std::coroutine_handle<> frame, StringId name)
{
    const TaskId task = addSpawnedTask(frame, name);
    m_queue.push(task);
    record(EventKind::Spawn, task, m_current);
    return task;
}

ResourceId Executor::startBlockingJob(StringId label, TimeNs duration)
{
    // FIFO over the lanes: the job takes the lowest free lane, or waits for the one that
    // frees first. Lanes run in parallel with the worker on the virtual clock.
    std::size_t lane = 0;
    for (std::size_t i = 0; i < m_laneFreeAt.size(); ++i) {
        if (m_laneFreeAt[i] <= m_now) {
            lane = i;
            break;
        }
        if (m_laneFreeAt[i] < m_laneFreeAt[lane])
            lane = i;
    }
    const TimeNs start = std::max(m_now, m_laneFreeAt[lane]);
    const TimeNs end = addTime(start, duration);
    m_laneFreeAt[lane] = end;
    const ResourceId job = addResource(ResourceKind::Job, label, start, end, std::uint16_t(lane));
    m_resourceStates[job].waiter = kNoTask;
    // A job queued behind busy lanes starts when the reactor reaches its start (if the run
    // lasts that long); it is recorded then.
    if (start > m_now)
        m_jobStarts.push(Due { start, m_registrations++, job });
    else
        recordEvent(EventKind::JobStart, m_current, job, 0, std::uint16_t(lane), start);
    m_jobEnds.push(Due { end, m_registrations++, job });
    return job;
}

void Executor::block(StringId label, TimeNs duration, BlockKind kind)
{
    record(EventKind::BlockStart, m_current, label, std::uint8_t(kind));
    m_now = addTime(m_now, duration);
    record(EventKind::BlockEnd, m_current, label, std::uint8_t(kind));
}

ResourceId Executor::createChannel(StringId label, std::uint32_t capacity)
{
    const ResourceId channel = addResource(ResourceKind::Channel, label, m_now, kNever);
    m_recorder.tables().resources[channel].capacity = capacity;
    m_channels.create(channel, capacity);
    return channel;
}

ChannelPoll Executor::pollSend(ResourceId channel, std::uint32_t& token)
{
    if (budgetExhausted())
        return ChannelPoll::Pending;
    const ChannelPoll outcome = m_channels.pollSend(channel, token, m_current);
    m_budget -= outcome != ChannelPoll::Pending ? 1 : 0;
    return outcome;
}

ChannelPoll Executor::pollRecv(ResourceId channel, std::uint32_t& token)
{
    if (budgetExhausted())
        return ChannelPoll::Pending;
    const ChannelPoll outcome = m_channels.pollRecv(channel, token, m_current);
    m_budget -= outcome != ChannelPoll::Pending ? 1 : 0;
    return outcome;
}

} // namespace pollscope
