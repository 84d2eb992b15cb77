#include "realtime/eventloopruntime.h"

#include "runtime/taskfailure.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QtConcurrent/QtConcurrentRun>
#include <qcoro/qcorofuture.h>

namespace pollscope {

namespace {
constexpr int kMaxPoolThreads = 64; // more lanes than this only queue jobs anyway
constexpr std::chrono::milliseconds kFlushInterval { 16 };
constexpr TimeNs kMaxTimerWait =
    TimeNs(std::numeric_limits<int>::max()) * 1'000'000; // QTimer's int ms
} // namespace

/// Suspends a driver until its next hop: the queued call that schedule() posts resumes it.
class EventLoopRuntime::WakeAwaiter {
public:
    WakeAwaiter(EventLoopRuntime& runtime, TaskId task)
        : m_runtime(runtime)
        , m_task(task)
    {
    }
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> coroutine) noexcept
    {
        m_runtime.m_drivers[m_task].suspended = coroutine;
    }
    void await_resume() const noexcept { }

private:
    EventLoopRuntime& m_runtime;
    TaskId m_task;
};

EventLoopRuntime::EventLoopRuntime(RuntimeSettings settings, QObject* parent)
    : QObject(parent)
    , RecordingRuntime(settings)
    , m_laneBusy(std::size_t(std::clamp(settings.blockingThreads, 1, kMaxPoolThreads)), false)
{
    m_pool.setMaxThreadCount(int(m_laneBusy.size()));
    m_flushTimer.setInterval(kFlushInterval);
    connect(&m_flushTimer, &QTimer::timeout, this, [this] { m_recorder.flush(); });
    m_interruptWatch.setInterval(std::chrono::milliseconds(20));
    connect(&m_interruptWatch, &QTimer::timeout, this, [this] {
        if (interrupted())
            stop(RunStatus::Interrupted, QStringLiteral("the run was stopped"));
    });
    m_timeLimit.setSingleShot(true);
    connect(&m_timeLimit, &QTimer::timeout, this,
        [this] { stop(RunStatus::LimitReached, timeLimitMessage(m_settings, true)); });
}

EventLoopRuntime::~EventLoopRuntime()
{
    {
        std::lock_guard lock(m_stopMutex);
        m_stopRequested = true;
    }
    m_stopSignal.notify_all();
    m_pool.waitForDone();
    destroyFrames();
}

RunReport EventLoopRuntime::runMain(std::coroutine_handle<> frame)
{
    Q_ASSERT_X(!m_started, "EventLoopRuntime::run", "a runtime runs once");
    m_started = true;
    CurrentGuard current(this);
    QEventLoop loop;
    m_loop = &loop;
    m_clock.start();

    addMainTask(frame);
    recordEvent(EventKind::Spawn, kMainTask, kNoTask);
    addDriver(kMainTask);
    m_tasks[kMainTask].state = TaskState::Queued;
    schedule(kMainTask);

    m_flushTimer.start();
    if (m_interrupt)
        m_interruptWatch.start();
    if (m_settings.maxTime < kMaxTimerWait)
        m_timeLimit.start(std::chrono::milliseconds(m_settings.maxTime / 1'000'000));
    if (!m_stopped)
        loop.exec();
    m_report.elapsed = now();
    shutdown();
    m_loop = nullptr;
    m_report.events = m_recorder.count();
    m_recorder.flush();
    return m_report;
}

QCoro::Task<> EventLoopRuntime::drive(TaskId task)
{
    for (;;) {
        co_await WakeAwaiter(*this, task);
        if (m_stopped)
            co_return;
        poll(task);
        if (m_tasks[task].state == TaskState::Completed || m_stopped)
            co_return;
    }
}

void EventLoopRuntime::addDriver(TaskId task)
{
    if (m_drivers.size() <= task)
        m_drivers.resize(task + 1);
    // QCoro tasks start at once: this runs until the driver waits for its first hop.
    m_drivers[task].coroutine = drive(task);
}

void EventLoopRuntime::schedule(TaskId task)
{
    Driver& driver = m_drivers[task];
    if (driver.scheduled)
        return;
    driver.scheduled = true;
    ++m_scheduled;
    QMetaObject::invokeMethod(
        this,
        [this, task] {
            --m_scheduled;
            Driver& d = m_drivers[task];
            d.scheduled = false;
            if (auto coroutine = std::exchange(d.suspended, {}))
                coroutine.resume();
            checkIdle();
        },
        Qt::QueuedConnection);
}

void EventLoopRuntime::poll(TaskId task)
{
    TaskSlot& before = m_tasks[task];
    before.state = TaskState::Running;
    before.wokenWhilePolled = false;
    const std::uint32_t index = before.polls++;
    m_current = task;
    recordEvent(EventKind::PollStart, task, index);
    const bool done = pollFrame(before.coroutine(), before.promise());
    // yield_now on a Qt loop: the task is reposted behind everything already queued.
    for (const TaskId yielded : m_deferredYields)
        wake(yielded, WakeCause::Yield, kNoResource);
    m_deferredYields.clear();
    ++m_report.polls;
    TaskSlot& slot = m_tasks[task];
    const TimeNs end = m_recorder.isEnabled() ? now() : 0;
    recordEvent(EventKind::PollEnd, task, index,
        std::uint8_t(done ? PollOutcome::Ready : PollOutcome::Pending), 0, end);
    if (done) {
        complete(task);
    } else if (slot.wokenWhilePolled) {
        slot.state = TaskState::Queued;
        const Driver& driver = m_drivers[task];
        recordEvent(
            EventKind::Wake, task, driver.wakeSource, std::uint8_t(driver.wakeCause), 0, end);
        schedule(task);
    } else {
        slot.state = TaskState::Idle;
    }
    m_current = kNoTask;
    if (m_recorder.count() > m_settings.maxEvents)
        stop(RunStatus::LimitReached, eventLimitMessage(m_settings));
}

void EventLoopRuntime::complete(TaskId task)
{
    TaskSlot& slot = m_tasks[task];
    slot.state = TaskState::Completed;
    StringId message = 0;
    auto status = CompletionStatus::Ok;
    if (slot.promise().error) {
        status = CompletionStatus::Failed;
        message = m_recorder.tables().strings.intern(failureMessage(slot.promise().error));
    }
    recordEvent(EventKind::Complete, task, message, std::uint8_t(status));
    m_tasks.takeWaiters(task, [&](TaskId waiter) { wake(waiter, WakeCause::TaskDone, task); });
    if (task == kMainTask) {
        if (status == CompletionStatus::Failed)
            stop(RunStatus::Failed, m_recorder.tables().strings.at(message));
        else
            stop(RunStatus::Completed, QString());
    }
    m_tasks.completed(task);
}

void EventLoopRuntime::wake(TaskId task, WakeCause cause, std::uint32_t source)
{
    if (m_shuttingDown)
        return;
    TaskSlot& slot = m_tasks[task];
    switch (slot.state) {
    case TaskState::Idle:
        slot.state = TaskState::Queued;
        schedule(task);
        break;
    case TaskState::Running:
        if (!slot.wokenWhilePolled) {
            slot.wokenWhilePolled = true;
            m_drivers[task].wakeCause = cause;
            m_drivers[task].wakeSource = source;
        }
        return;
    default:
        return;
    }
    recordEvent(EventKind::Wake, task, source, std::uint8_t(cause));
}

void EventLoopRuntime::checkIdle()
{
    // Inside a poll (e.g. a job that ended at once, delivered during its spawner's poll) the
    // task may yet schedule itself; the hop that runs the poll checks again afterwards.
    if (m_current != kNoTask)
        return;
    // Nothing in flight, no timer, no job, and main not done: nothing will ever run again.
    // Checked after every hop, so the lanes (the slow part) only when all else is idle.
    if (m_stopped || m_scheduled != 0 || m_pendingTimers != 0 || !m_waitingJobs.empty())
        return;
    if (std::find(m_laneBusy.begin(), m_laneBusy.end(), true) == m_laneBusy.end())
        stop(RunStatus::Deadlock,
            QStringLiteral("deadlock: main is Pending and nothing is left that could wake it"));
}

void EventLoopRuntime::stop(RunStatus status, const QString& message)
{
    if (m_stopped)
        return;
    m_stopped = true;
    m_report.status = status;
    m_report.message = message;
    {
        std::lock_guard lock(m_stopMutex);
        m_stopRequested = true;
    }
    m_stopSignal.notify_all();
    if (m_loop)
        m_loop->quit();
}

void EventLoopRuntime::shutdown()
{
    m_flushTimer.stop();
    m_timeLimit.stop();
    m_interruptWatch.stop();
    for (TaskId task = 0; task < m_tasks.size(); ++task) {
        TaskSlot& slot = m_tasks[task];
        if (slot.state == TaskState::Completed)
            continue;
        slot.state = TaskState::Cancelled;
        recordEvent(EventKind::Cancel, task, task, std::uint8_t(CancelTarget::Task));
    }
    // Drivers waiting for a hop finish now (they see m_stopped); hops still queued find
    // nothing to resume. Jobs are told to stop and the pool is drained.
    for (Driver& driver : m_drivers)
        if (auto coroutine = std::exchange(driver.suspended, {}))
            coroutine.resume();
    m_pool.waitForDone();
    const auto& resources = m_recorder.tables().resources;
    for (ResourceId r = 0; r < m_resources.size(); ++r) {
        m_resources[r].timer.reset();
        if (resources[r].kind == ResourceKind::Job &&
            m_resources[r].status == ResourceStatus::Pending)
            recordEvent(EventKind::Cancel, resources[r].task, r, std::uint8_t(CancelTarget::Job),
                resources[r].lane);
    }
    destroyFrames();
    // Deliver what is still posted: hops (now no-ops) and the finished futures of stopped jobs,
    // whose awaiting coroutines then end.
    QCoreApplication::sendPostedEvents();
    m_drivers.clear();
}

ResourceId EventLoopRuntime::addResource(
    ResourceKind kind, StringId label, TimeNs created, TimeNs deadline, std::uint16_t lane)
{
    const ResourceId id = recordResource(kind, label, created, deadline, lane);
    m_resources.push_back(ResourceState { m_current, ResourceStatus::Pending, nullptr });
    return id;
}

void EventLoopRuntime::startTimer(ResourceId resource, TimeNs deadline, WakeCause cause)
{
    auto timer = std::make_unique<QTimer>();
    timer->setSingleShot(true);
    timer->setTimerType(Qt::PreciseTimer);
    connect(timer.get(), &QTimer::timeout, this, [this, resource, deadline, cause] {
        ResourceState& state = m_resources[resource];
        if (state.status != ResourceStatus::Pending)
            return;
        if (deadline - now() > 1'000'000) { // a wait longer than one QTimer can take
            armTimer(*state.timer, deadline);
            return;
        }
        state.status = ResourceStatus::Fired;
        --m_pendingTimers;
        wake(state.waiter, cause, resource);
        checkIdle();
    });
    armTimer(*timer, deadline);
    m_resources[resource].timer = std::move(timer);
    ++m_pendingTimers;
}

void EventLoopRuntime::armTimer(QTimer& timer, TimeNs deadline)
{
    // QTimer takes an int of milliseconds: a longer wait is re-armed when the timer fires.
    const TimeNs wait = std::clamp<TimeNs>(deadline - now(), 0, kMaxTimerWait);
    timer.start(std::chrono::milliseconds((wait + 999'999) / 1'000'000));
}

bool EventLoopRuntime::pollSleep(ResourceId& resource, TimeNs deadline)
{
    if (resource == kNoResource) {
        if (deadline <= now())
            return true;
        resource = addResource(ResourceKind::Timer, 0, now(), deadline);
        recordEvent(
            EventKind::WaitRegistered, m_current, resource, std::uint8_t(WaitTarget::Timer));
        startTimer(resource, deadline, WakeCause::Timer);
        return false;
    }
    return m_resources[resource].status == ResourceStatus::Fired;
}

bool EventLoopRuntime::pollIo(ResourceId& resource, StringId label, TimeNs duration)
{
    if (resource == kNoResource) {
        const TimeNs due = addTime(now(), duration);
        resource = addResource(ResourceKind::Io, label, now(), due);
        recordEvent(EventKind::WaitRegistered, m_current, resource, std::uint8_t(WaitTarget::Io));
        startTimer(resource, due, WakeCause::Io);
        return false;
    }
    return m_resources[resource].status == ResourceStatus::Fired;
}

bool EventLoopRuntime::pollJoin(TaskId target, bool& registered)
{
    if (m_tasks[target].state == TaskState::Completed)
        return true;
    if (!registered) {
        m_tasks.addWaiter(target, m_current);
        registered = true;
        recordEvent(EventKind::WaitRegistered, m_current, target, std::uint8_t(WaitTarget::Task));
    }
    return false;
}

bool EventLoopRuntime::pollBlockingJob(ResourceId job, bool& registered)
{
    ResourceState& state = m_resources[job];
    if (state.status == ResourceStatus::Fired)
        return true;
    if (!registered) {
        state.waiter = m_current;
        registered = true;
        recordEvent(EventKind::WaitRegistered, m_current, job, std::uint8_t(WaitTarget::Job));
    }
    return false;
}

ResourceId EventLoopRuntime::createChannel(StringId label, std::uint32_t capacity)
{
    const ResourceId channel = addResource(ResourceKind::Channel, label, now(), kNever);
    m_recorder.tables().resources[channel].capacity = capacity;
    m_channels.create(channel, capacity);
    return channel;
}

ChannelPoll EventLoopRuntime::pollSend(ResourceId channel, std::uint32_t& token)
{
    return m_channels.pollSend(channel, token, m_current);
}

ChannelPoll EventLoopRuntime::pollRecv(ResourceId channel, std::uint32_t& token)
{
    return m_channels.pollRecv(channel, token, m_current);
}

void EventLoopRuntime::cancelResource(ResourceId resource)
{
    if (m_shuttingDown)
        return;
    ResourceState& state = m_resources[resource];
    if (state.status != ResourceStatus::Pending)
        return;
    state.status = ResourceStatus::Cancelled;
    state.timer.reset();
    --m_pendingTimers;
    const bool io = m_recorder.tables().resources[resource].kind == ResourceKind::Io;
    recordEvent(EventKind::Cancel, m_current, resource,
        std::uint8_t(io ? CancelTarget::Io : CancelTarget::Timer));
}

void EventLoopRuntime::cancelJoinWait(TaskId target)
{
    if (!m_shuttingDown && m_tasks.removeWaiter(target, m_current))
        recordEvent(EventKind::Cancel, m_current, target, std::uint8_t(CancelTarget::JoinWait));
}

void EventLoopRuntime::cancelJobWait(ResourceId job)
{
    if (m_shuttingDown)
        return;
    ResourceState& state = m_resources[job];
    if (state.waiter == m_current && state.status == ResourceStatus::Pending) {
        state.waiter = kNoTask;
        recordEvent(EventKind::Cancel, m_current, job, std::uint8_t(CancelTarget::JobWait));
    }
}

TaskId EventLoopRuntime::spawnFrame(std::coroutine_handle<> frame, StringId name)
{
    const TaskId task = addSpawnedTask(frame, name);
    recordEvent(EventKind::Spawn, task, m_current);
    addDriver(task);
    schedule(task);
    return task;
}

ResourceId EventLoopRuntime::startBlockingJob(StringId label, TimeNs duration)
{
    const ResourceId job = addResource(ResourceKind::Job, label, now(), kNever);
    m_resources[job].waiter = kNoTask;
    const auto free = std::find(m_laneBusy.begin(), m_laneBusy.end(), false);
    if (free != m_laneBusy.end() && m_waitingJobs.empty())
        runJob(job, duration, int(free - m_laneBusy.begin()));
    else
        m_waitingJobs.push_back(QueuedJob { job, duration });
    return job;
}

void EventLoopRuntime::runJob(ResourceId job, TimeNs duration, int lane)
{
    m_laneBusy[std::size_t(lane)] = true;
    ResourceRecord& r = m_recorder.tables().resources[job];
    r.lane = std::uint16_t(lane);
    r.created = now();
    recordEvent(EventKind::JobStart, r.task, job, 0, std::uint16_t(lane), r.created);
    // The job sleeps on a pool thread, and wakes early if the run is stopped.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::nanoseconds(duration);
    QFuture<void> future = QtConcurrent::run(&m_pool, [this, deadline] {
        std::unique_lock lock(m_stopMutex);
        m_stopSignal.wait_until(
            lock, deadline, [this] { return m_stopRequested.load() || interrupted(); });
    });
    awaitJob(job, std::move(future));
}

QCoro::Task<> EventLoopRuntime::awaitJob(ResourceId job, QFuture<void> future)
{
    co_await future;
    if (m_shuttingDown)
        co_return;
    ResourceRecord& r = m_recorder.tables().resources[job];
    r.deadline = now();
    m_laneBusy[r.lane] = false;
    recordEvent(EventKind::JobEnd, r.task, job, 0, r.lane, r.deadline);
    ResourceState& state = m_resources[job];
    state.status = ResourceStatus::Fired;
    if (state.waiter != kNoTask)
        wake(state.waiter, WakeCause::BlockingJob, job);
    if (!m_waitingJobs.empty() && !m_stopped) {
        const QueuedJob next = m_waitingJobs.front();
        m_waitingJobs.pop_front();
        runJob(next.job, next.duration, r.lane);
    }
    checkIdle();
}

void EventLoopRuntime::occupy(TimeNs until, BlockKind kind)
{
    // The loop's thread is really held; a stop (a limit, or the interrupt flag, checked every
    // few milliseconds) ends the wait early.
    constexpr TimeNs kSlice = 5'000'000;
    while (now() < until && !m_stopRequested.load(std::memory_order_relaxed)) {
        if (interrupted()) {
            stop(RunStatus::Interrupted, QStringLiteral("the run was stopped"));
            return;
        }
        const TimeNs sliceEnd = std::min(until, now() + kSlice);
        if (kind == BlockKind::Block) {
            std::unique_lock lock(m_stopMutex);
            m_stopSignal.wait_for(lock, std::chrono::nanoseconds(sliceEnd - now()),
                [this] { return m_stopRequested.load(); });
        } else {
            while (now() < sliceEnd) {
                // CPU work: spin.
            }
        }
    }
}

void EventLoopRuntime::block(StringId label, TimeNs duration, BlockKind kind)
{
    recordEvent(EventKind::BlockStart, m_current, label, std::uint8_t(kind));
    occupy(addTime(now(), duration), kind);
    recordEvent(EventKind::BlockEnd, m_current, label, std::uint8_t(kind));
}

} // namespace pollscope
