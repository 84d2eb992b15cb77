#include "runtime/executor.h"

#include "runtime/taskfailure.h"

#include <algorithm>

namespace pollscope {

QString failureMessage(const std::exception_ptr& error)
{
    try {
        std::rethrow_exception(error);
    } catch (const TaskFailure& failure) {
        return failure.message();
    } catch (const std::exception& e) {
        return QString::fromUtf8(e.what());
    } catch (...) {
        return QStringLiteral("unknown failure");
    }
}

void Executor::TaskRing::grow()
{
    std::vector<TaskId> grown(m_ring.size() * 2);
    for (std::size_t i = 0; i < m_size; ++i)
        grown[i] = m_ring[(m_head + i) & (m_ring.size() - 1)];
    m_ring = std::move(grown);
    m_head = 0;
}

Executor::Executor(RuntimeSettings settings)
    : m_settings(settings)
    , m_laneFreeAt(static_cast<std::size_t>(std::max(1, settings.blockingThreads)), 0)
{
}

Executor::~Executor()
{
    m_shuttingDown = true;
    for (TaskSlot& slot : m_tasks)
        destroyFrame(slot);
}

void Executor::addSink(TraceSink* sink)
{
    m_sinks.push_back(sink);
    m_recording = true;
}

Trace Executor::takeTrace()
{
    Trace trace;
    trace.events = std::move(m_log);
    trace.tables = std::move(m_tables);
    trace.report = m_report;
    trace.settings = m_settings;
    return trace;
}

void Executor::flushSinks()
{
    if (m_sinks.empty() || m_flushed == m_log.size())
        return;
    const std::span<const TraceEvent> batch(m_log.data() + m_flushed, m_log.size() - m_flushed);
    for (TraceSink* sink : m_sinks)
        sink->onEvents(batch, m_tables);
    m_flushed = m_log.size();
}

void Executor::prefetchQueued() const
{
    // Round-robin over many tasks touches a cold slot and frame per poll; fetching them a
    // few polls ahead hides most of that latency.
    if (m_queue.size() > 2)
        __builtin_prefetch(&m_tasks[m_queue.peek(2)]);
    if (m_queue.size() > 1)
        __builtin_prefetch(m_tasks[m_queue.peek(1)].frame.address());
}

RunReport Executor::runMain(std::coroutine_handle<> frame, PromiseBase& promise)
{
    Q_ASSERT_X(!m_started, "Executor::run", "an Executor runs once");
    m_started = true;
    CurrentGuard current(this);

    m_tasks.push_back(TaskSlot { frame, &promise, 0, 0, 0, TaskState::Idle, false });
    m_firstWaiter.push_back(kNoLink);
    m_tables.tasks.push_back(TaskRecord { m_tables.strings.intern(u"main"), kNoTask, 0 });
    record(EventKind::Spawn, kMainTask, kNoTask);
    m_mainWoken = true;

    while (!m_stopped) {
        if (m_interrupt && m_interrupt->load(std::memory_order_relaxed)) {
            stop(RunStatus::Interrupted, QStringLiteral("the run was stopped"));
            break;
        }
        // (a) main, if it was woken since its last poll.
        if (m_mainWoken) {
            m_mainWoken = false;
            pollTask(kMainTask);
            if (m_tasks[kMainTask].state == TaskState::Completed)
                break;
        }
        // (b) up to event_interval tasks from the run queue, including ones queued meanwhile.
        for (int n = 0; n < m_settings.eventInterval && !m_queue.empty() && !m_stopped; ++n) {
            const TaskId task = m_queue.pop();
            prefetchQueued();
            pollTask(task);
        }
        if (m_stopped)
            break;
        // (c) the reactor.
        if (!serviceReactor()) {
            stop(RunStatus::Deadlock,
                 QStringLiteral("deadlock: main is Pending and nothing is left that could wake it"));
        }
        flushSinks();
    }
    m_report.elapsed = m_now;
    shutdown();
    flushSinks();
    return m_report;
}

void Executor::stop(RunStatus status, QString message)
{
    if (m_stopped)
        return;
    m_stopped = true;
    m_report.status = status;
    m_report.message = std::move(message);
}

void Executor::pollTask(TaskId task)
{
    // Hot path: one poll. Spawns during the poll may grow m_tasks, so the slot is looked up
    // again after the frame ran.
    TaskSlot& before = m_tasks[task];
    before.state = TaskState::Running;
    before.wokenWhilePolled = false;
    const std::uint32_t index = before.polls++;
    m_current = task;
    m_budget = m_settings.budget;
    record(EventKind::PollStart, task, index);

    const bool done = pollFrame(before.frame, *before.promise);

    m_now += m_settings.pollCost;
    ++m_report.polls;
    TaskSlot& slot = m_tasks[task];
    if (done) {
        record(EventKind::PollEnd, task, index, std::uint8_t(PollOutcome::Ready));
        complete(task);
    } else {
        record(EventKind::PollEnd, task, index, std::uint8_t(PollOutcome::Pending));
        if (slot.wokenWhilePolled) {
            slot.state = TaskState::Queued;
            m_queue.push(task);
        } else {
            slot.state = TaskState::Idle;
        }
    }
    m_current = kNoTask;

    if (m_report.events > m_settings.maxEvents || m_now > m_settings.maxTime) [[unlikely]]
        stopAtLimit();
}

void Executor::stopAtLimit()
{
    const auto maxSeconds = m_settings.maxTime / 1'000'000'000;
    if (m_report.events > m_settings.maxEvents) {
        stop(RunStatus::LimitReached,
             QStringLiteral("the run stopped after %1 events (max_events); raise the bound in the "
                            "runtime header, e.g. runtime current_thread(max_events: %2)")
                 .arg(m_settings.maxEvents)
                 .arg(m_settings.maxEvents * 2));
    } else {
        stop(RunStatus::LimitReached,
             QStringLiteral("the run stopped at %1 s of virtual time (max_time); raise the bound in "
                            "the runtime header, e.g. runtime current_thread(max_time: %2s)")
                 .arg(maxSeconds)
                 .arg(maxSeconds * 2));
    }
}

void Executor::complete(TaskId task)
{
    TaskSlot& slot = m_tasks[task];
    slot.state = TaskState::Completed;
    StringId message = 0;
    auto status = CompletionStatus::Ok;
    if (slot.promise->error) {
        status = CompletionStatus::Failed;
        message = m_tables.strings.intern(failureMessage(slot.promise->error));
        if (task == kMainTask)
            stop(RunStatus::Failed, m_tables.strings.at(message));
    }
    record(EventKind::Complete, task, message, std::uint8_t(status));
    for (std::uint32_t link = std::exchange(m_firstWaiter[task], kNoLink); link != kNoLink;) {
        const WaitLink waitLink = m_waitLinks[link];
        m_waitLinks[link].next = m_freeWaitLinks;
        m_freeWaitLinks = link;
        wake(waitLink.waiter, WakeCause::TaskDone, task);
        link = waitLink.next;
    }
    TaskSlot& after = m_tasks[task];
    if (after.handleRefs == 0)
        destroyFrame(after);
}

void Executor::addWaiter(TaskId target, TaskId waiter)
{
    std::uint32_t link = m_freeWaitLinks;
    if (link != kNoLink) {
        m_freeWaitLinks = m_waitLinks[link].next;
    } else {
        link = static_cast<std::uint32_t>(m_waitLinks.size());
        m_waitLinks.emplace_back();
    }
    m_waitLinks[link] = WaitLink { waiter, m_firstWaiter[target] };
    m_firstWaiter[target] = link;
}

bool Executor::removeWaiter(TaskId target, TaskId waiter)
{
    for (std::uint32_t* at = &m_firstWaiter[target]; *at != kNoLink; at = &m_waitLinks[*at].next) {
        if (m_waitLinks[*at].waiter != waiter)
            continue;
        const std::uint32_t link = *at;
        *at = m_waitLinks[link].next;
        m_waitLinks[link].next = m_freeWaitLinks;
        m_freeWaitLinks = link;
        return true;
    }
    return false;
}

void Executor::destroyFrame(TaskSlot& slot)
{
    if (!slot.frame)
        return;
    // Destroying a frame can release handles of other tasks (and re-enter here for them).
    auto frame = std::exchange(slot.frame, {});
    slot.promise = nullptr;
    frame.destroy();
}

void Executor::shutdown()
{
    // #[tokio::main]: once main returns, the remaining tasks are never polled again.
    for (TaskId task = 0; task < m_tasks.size(); ++task) {
        TaskSlot& slot = m_tasks[task];
        if (slot.state == TaskState::Completed)
            continue;
        slot.state = TaskState::Cancelled;
        record(EventKind::Cancel, task, task, std::uint8_t(CancelTarget::Task));
    }
    for (ResourceId job = 0; job < m_resourceStates.size(); ++job) {
        const ResourceRecord& r = m_tables.resources[job];
        if (r.kind == ResourceKind::Job && m_resourceStates[job].status == ResourceStatus::Pending
            && r.deadline > m_now) {
            record(EventKind::Cancel, r.task, job, std::uint8_t(CancelTarget::Job), r.lane);
        }
    }
    m_shuttingDown = true;
    for (TaskSlot& slot : m_tasks)
        destroyFrame(slot);
}

bool Executor::serviceReactor()
{
    if (m_queue.empty() && !m_mainWoken && m_deferredYields.empty()) {
        const TimeNs next = std::min({ earliestDue(m_io), earliestDue(m_timers), earliestDue(m_jobEnds) });
        if (next == kNever)
            return false;
        if (next > m_settings.maxTime) {
            m_now = next;
            stopAtLimit();
            return true;
        }
        m_now = std::max(m_now, next);
    }
    m_reactorNow = m_now;
    fireDue(m_io, WakeCause::Io);
    fireDue(m_timers, WakeCause::Timer);
    deliverJobEnds();
    // Waking never defers, so exactly the wakes deferred so far are delivered.
    while (!m_deferredYields.empty())
        wake(m_deferredYields.pop(), WakeCause::Yield, kNoResource);
    return true;
}

TimeNs Executor::earliestDue(DueQueue& queue) const
{
    while (!queue.empty() && m_resourceStates[queue.top().resource].status == ResourceStatus::Cancelled)
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
    while (!m_jobEnds.empty() && m_jobEnds.top().at <= m_now) {
        const ResourceId job = m_jobEnds.top().resource;
        m_jobEnds.pop();
        const ResourceRecord& r = m_tables.resources[job];
        ResourceState& state = m_resourceStates[job];
        state.status = ResourceStatus::Fired;
        recordAt(r.deadline, EventKind::JobEnd, r.task, job, 0, r.lane);
        if (state.waiter != kNoTask)
            wake(state.waiter, WakeCause::BlockingJob, job);
    }
}

void Executor::wake(TaskId task, WakeCause cause, std::uint32_t source)
{
    TaskSlot& slot = m_tasks[task];
    if (task == kMainTask) {
        if (slot.state == TaskState::Completed || m_mainWoken)
            return;
        m_mainWoken = true;
    } else {
        switch (slot.state) {
        case TaskState::Idle:
            slot.state = TaskState::Queued;
            m_queue.push(task);
            break;
        case TaskState::Running:
            if (slot.wokenWhilePolled)
                return;
            slot.wokenWhilePolled = true;
            break;
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
    const TimeNs at = m_now + std::max<TimeNs>(0, duration);
    const TimeNs resolution = m_settings.timerResolution;
    if (resolution <= 1)
        return at;
    return (at + resolution - 1) / resolution * resolution;
}

StringId Executor::intern(QAnyStringView text)
{
    return text.isEmpty() ? 0 : m_tables.strings.intern(text);
}

void Executor::setSpan(SpanId span)
{
    if (m_current != kNoTask)
        m_tasks[m_current].span = span;
}

ResourceId Executor::addResource(ResourceKind kind, StringId label, TimeNs created, TimeNs deadline,
                                 std::uint16_t lane)
{
    const auto id = static_cast<ResourceId>(m_resourceStates.size());
    const SpanId span = m_current != kNoTask ? m_tasks[m_current].span : 0;
    m_tables.resources.push_back(ResourceRecord { kind, m_current, label, span, created, deadline, lane });
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
    if (resource == kNoResource) {
        const TimeNs due = m_now + std::max<TimeNs>(0, duration);
        resource = addResource(ResourceKind::Io, label, m_now, due);
        m_io.push(Due { due, m_registrations++, resource });
        record(EventKind::WaitRegistered, m_current, resource, std::uint8_t(WaitTarget::Io));
        return false;
    }
    return m_resourceStates[resource].status == ResourceStatus::Fired;
}

bool Executor::pollYield(bool& yielded)
{
    if (yielded)
        return true;
    yielded = true;
    m_deferredYields.push(m_current);
    return false;
}

bool Executor::pollJoin(TaskId target, bool& registered)
{
    if (budgetExhausted())
        return false;
    TaskSlot& slot = m_tasks[target];
    if (slot.state == TaskState::Completed) {
        --m_budget;
        return true;
    }
    if (!registered) {
        addWaiter(target, m_current);
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
    const auto target = m_tables.resources[resource].kind == ResourceKind::Io ? CancelTarget::Io
                                                                              : CancelTarget::Timer;
    record(EventKind::Cancel, m_current, resource, std::uint8_t(target));
}

void Executor::cancelJoinWait(TaskId target)
{
    if (m_shuttingDown)
        return;
    if (removeWaiter(target, m_current))
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

TaskId Executor::spawnFrame(std::coroutine_handle<> frame, PromiseBase& promise, StringId name)
{
    const auto task = static_cast<TaskId>(m_tasks.size());
    const SpanId span = m_current != kNoTask ? m_tasks[m_current].span : 0;
    m_tasks.push_back(TaskSlot { frame, &promise, span, 0, 1, TaskState::Queued, false });
    m_firstWaiter.push_back(kNoLink);
    m_tables.tasks.push_back(TaskRecord { name, m_current, span });
    m_queue.push(task);
    record(EventKind::Spawn, task, m_current);
    return task;
}

void Executor::retainTask(TaskId task) { ++m_tasks[task].handleRefs; }

void Executor::releaseTask(TaskId task)
{
    TaskSlot& slot = m_tasks[task];
    if (--slot.handleRefs == 0 && slot.state == TaskState::Completed)
        destroyFrame(slot);
}

PromiseBase& Executor::taskPromise(TaskId task) { return *m_tasks[task].promise; }

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
    const TimeNs end = start + std::max<TimeNs>(0, duration);
    m_laneFreeAt[lane] = end;
    const ResourceId job = addResource(ResourceKind::Job, label, start, end, std::uint16_t(lane));
    m_resourceStates[job].waiter = kNoTask;
    m_jobEnds.push(Due { end, m_registrations++, job });
    recordAt(start, EventKind::JobStart, m_current, job, 0, std::uint16_t(lane));
    return job;
}

void Executor::block(StringId label, TimeNs duration, BlockKind kind)
{
    record(EventKind::BlockStart, m_current, label, std::uint8_t(kind));
    m_now += std::max<TimeNs>(0, duration);
    record(EventKind::BlockEnd, m_current, label, std::uint8_t(kind));
}

void Executor::mark(StringId label) { record(EventKind::Mark, m_current, label); }

void Executor::recordUnpolled(StringId description, SpanId span)
{
    if (m_shuttingDown)
        return;
    ++m_report.events;
    if (m_recording)
        m_log.push_back(TraceEvent { m_now, m_current, description, span, EventKind::Unpolled, 0, 0 });
}

void Executor::abortRun(const QString& message) { stop(RunStatus::Failed, message); }

Executor::ChannelState& Executor::channel(ResourceId resource) { return m_channels[resource]; }

ResourceId Executor::createChannel(StringId label, std::uint32_t capacity)
{
    const ResourceId resource = addResource(ResourceKind::Channel, label, m_now, kNever);
    m_tables.resources[resource].capacity = capacity;
    m_resourceStates[resource].waiter = kNoTask;
    m_channels[resource].capacity = std::max<std::uint32_t>(1, capacity);
    return resource;
}

ChannelPoll Executor::pollSend(ResourceId resource, std::uint32_t& token)
{
    if (budgetExhausted())
        return ChannelPoll::Pending;
    ChannelState& c = channel(resource);
    auto mine = std::find_if(c.senders.begin(), c.senders.end(),
                             [token](const ChannelWaiter& w) { return token && w.token == token; });
    if (c.closed) {
        if (mine != c.senders.end()) {
            c.granted -= mine->granted ? 1 : 0;
            c.senders.erase(mine);
        }
        --m_budget;
        return ChannelPoll::Closed;
    }
    const bool hasSlot = mine != c.senders.end()
        ? mine->granted
        : c.senders.empty() && c.size + c.granted < c.capacity;
    if (!hasSlot) {
        if (mine == c.senders.end()) {
            token = ++m_channelTokens;
            c.senders.push_back(ChannelWaiter { token, m_current, false });
            record(EventKind::WaitRegistered, m_current, resource, std::uint8_t(WaitTarget::ChannelSend));
        }
        return ChannelPoll::Pending;
    }
    if (mine != c.senders.end()) {
        --c.granted;
        c.senders.erase(mine);
    }
    ++c.size;
    --m_budget;
    record(EventKind::ChannelOp, m_current, resource, std::uint8_t(ChannelOpKind::Send));
    if (!c.receivers.empty()) {
        // The first waiting receiver is woken; its registration is used up.
        const TaskId receiver = c.receivers.front().task;
        c.receivers.pop_front();
        wake(receiver, WakeCause::Channel, resource);
    }
    return ChannelPoll::Done;
}

ChannelPoll Executor::pollRecv(ResourceId resource, std::uint32_t& token)
{
    if (budgetExhausted())
        return ChannelPoll::Pending;
    ChannelState& c = channel(resource);
    auto mine = std::find_if(c.receivers.begin(), c.receivers.end(),
                             [token](const ChannelWaiter& w) { return token && w.token == token; });
    if (c.size > 0 || c.closed) {
        if (mine != c.receivers.end())
            c.receivers.erase(mine);
        --m_budget;
        if (c.size == 0)
            return ChannelPoll::Closed;
        --c.size;
        record(EventKind::ChannelOp, m_current, resource, std::uint8_t(ChannelOpKind::Recv));
        grantFreedSlot(resource);
        return ChannelPoll::Done;
    }
    if (mine == c.receivers.end()) {
        token = ++m_channelTokens;
        c.receivers.push_back(ChannelWaiter { token, m_current, false });
        record(EventKind::WaitRegistered, m_current, resource, std::uint8_t(WaitTarget::ChannelRecv));
    }
    return ChannelPoll::Pending;
}

void Executor::grantFreedSlot(ResourceId resource)
{
    ChannelState& c = channel(resource);
    for (ChannelWaiter& sender : c.senders) {
        if (c.size + c.granted >= c.capacity)
            return;
        if (sender.granted)
            continue;
        sender.granted = true;
        ++c.granted;
        wake(sender.task, WakeCause::Channel, resource);
    }
}

void Executor::closeChannel(ResourceId resource)
{
    ChannelState& c = channel(resource);
    if (c.closed)
        return;
    c.closed = true;
    record(EventKind::ChannelOp, m_current, resource, std::uint8_t(ChannelOpKind::Close));
    const auto receivers = std::exchange(c.receivers, {});
    for (const ChannelWaiter& w : receivers)
        wake(w.task, WakeCause::Channel, resource);
    for (const ChannelWaiter& w : c.senders)
        wake(w.task, WakeCause::Channel, resource);
}

void Executor::cancelChannelWait(ResourceId resource, std::uint32_t token)
{
    if (m_shuttingDown)
        return;
    ChannelState& c = channel(resource);
    const auto matches = [token](const ChannelWaiter& w) { return w.token == token; };
    if (auto it = std::find_if(c.receivers.begin(), c.receivers.end(), matches); it != c.receivers.end()) {
        c.receivers.erase(it);
    } else if (auto sender = std::find_if(c.senders.begin(), c.senders.end(), matches);
               sender != c.senders.end()) {
        const bool wasGranted = sender->granted;
        c.senders.erase(sender);
        if (wasGranted) {
            --c.granted;
            grantFreedSlot(resource);
        }
    } else {
        return;
    }
    record(EventKind::Cancel, m_current, resource, std::uint8_t(CancelTarget::ChannelWait));
}

} // namespace pollscope
