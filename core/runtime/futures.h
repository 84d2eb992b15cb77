#pragma once

#include "runtime/runtime.h"

#include <chrono>

namespace pollscope {

/// `sleep(d)`: Ready once the reactor has reached its deadline. The deadline is fixed when the
/// future is created (now + d, rounded up to the timer resolution); the timer is registered at
/// its first poll. Budgeted.
class SleepFuture final : public Future<SleepFuture> {
public:
    explicit SleepFuture(TimeNs duration);
    SleepFuture(SleepFuture&& other) noexcept; ///< only before the first poll
    SleepFuture& operator=(SleepFuture&&) = delete;
    ~SleepFuture() override;

    bool poll() override { return m_ready = m_runtime->pollSleep(m_resource, m_deadline); }
    void result() const noexcept { }

private:
    Runtime* m_runtime;
    TimeNs m_deadline;
    ResourceId m_resource = kNoResource;
    bool m_ready = false;
};

/// `io(label, d)`: a simulated I/O operation, started at its first poll (Pending), completed
/// by the reactor d later.
class IoFuture final : public Future<IoFuture> {
public:
    IoFuture(QAnyStringView label, TimeNs duration);
    IoFuture(IoFuture&& other) noexcept; ///< only before the first poll
    IoFuture& operator=(IoFuture&&) = delete;
    ~IoFuture() override;

    bool poll() override { return m_ready = m_runtime->pollIo(m_resource, m_label, m_duration); }
    void result() const noexcept { }

private:
    Runtime* m_runtime;
    StringId m_label;
    TimeNs m_duration;
    ResourceId m_resource = kNoResource;
    bool m_ready = false;
};

/// `yield_now()`: Pending on its first poll with the task's wake deferred until the reactor
/// has been serviced; Ready on the next poll of the task, whatever woke it.
///
/// Not a PollNode: a task never suspends on it (awaited directly, its next poll is Ready
/// whatever woke it, so that poll resumes the coroutine without asking this future), and
/// join and select poll their branches by type. So a yielding frame holds one flag rather
/// than a vtable pointer too: 16 bytes less in every task that yields.
class YieldFuture final {
public:
    bool poll()
    {
        if (m_yielded)
            return true;
        m_yielded = true;
        Runtime::current()->deferYield();
        return false;
    }
    void result() const noexcept { }

    bool await_ready() const noexcept { return false; }
    bool await_suspend(std::coroutine_handle<>) { return !poll(); }
    void await_resume() const noexcept { }

private:
    bool m_yielded = false;
};

/// `spawn_blocking(label, d)`: the job starts on the blocking pool when this is created;
/// awaiting it is Ready once the reactor has delivered the job's end. Dropping it does not
/// stop the job. Budgeted.
class BlockingJobFuture final : public Future<BlockingJobFuture> {
public:
    BlockingJobFuture(QAnyStringView label, TimeNs duration);
    BlockingJobFuture(BlockingJobFuture&& other) noexcept; ///< only before the first poll
    BlockingJobFuture& operator=(BlockingJobFuture&&) = delete;
    ~BlockingJobFuture() override;

    bool poll() override { return m_ready = m_runtime->pollBlockingJob(m_job, m_registered); }
    void result() const noexcept { }

private:
    Runtime* m_runtime;
    ResourceId m_job;
    bool m_registered = false;
    bool m_ready = false;
};

template <class T>
class JoinFuture;

/// The handle of a spawned task. Awaiting it (`co_await handle`, or `handle.join()` inside
/// join/select) gives the task's value or rethrows its failure. Dropping the handle does not
/// cancel the task. A handle must not outlive its runtime.
template <class T>
class JoinHandle {
public:
    JoinHandle(Runtime* runtime, TaskId task, detail::TaskPromise<T>& promise) noexcept;
    JoinHandle(JoinHandle&& other) noexcept;
    JoinHandle& operator=(JoinHandle&& other) noexcept;
    JoinHandle(const JoinHandle&) = delete;
    JoinHandle& operator=(const JoinHandle&) = delete;
    ~JoinHandle();

    TaskId task() const noexcept { return m_task; }
    /// A future that is Ready when the task has finished. Budgeted.
    JoinFuture<T> join() const;
    /// Like join(), without a reference of its own: the awaited handle lives until the await
    /// ends (a temporary one too, as it is part of the co_await expression).
    JoinFuture<T> operator co_await() const;

private:
    Runtime* m_runtime;
    detail::TaskPromise<T>* m_promise; ///< valid while a reference to the task is held
    TaskId m_task;
};

template <class T>
class JoinFuture final : public Future<JoinFuture<T>> {
public:
    JoinFuture(JoinFuture&& other) noexcept; ///< only before the first poll
    JoinFuture& operator=(JoinFuture&&) = delete;
    ~JoinFuture() override;

    bool poll() override { return m_ready = m_runtime->pollJoin(m_task, m_registered); }
    /// The task's value (a copy; the handle keeps it) or its failure, rethrown.
    T result() const;

private:
    friend class JoinHandle<T>;
    /// With `holdsReference`, the future keeps the task's frame (and result) on its own, so
    /// it may outlive the handle; without, the handle must outlive it.
    JoinFuture(Runtime* runtime, TaskId task, detail::TaskPromise<T>& promise,
        bool holdsReference) noexcept;

    Runtime* m_runtime;
    detail::TaskPromise<T>* m_promise;
    TaskId m_task;
    bool m_holdsReference;
    bool m_registered = false;
    bool m_ready = false;
};

/// Spawns `task` on the current runtime; it is queued and first polled after the current poll.
template <class T>
JoinHandle<T> spawn(Task<T> task, QAnyStringView name = {});

inline SleepFuture sleep(std::chrono::nanoseconds duration)
{
    return SleepFuture(duration.count());
}
inline IoFuture io(QAnyStringView label, std::chrono::nanoseconds duration)
{
    return IoFuture(label, duration.count());
}
inline YieldFuture yieldNow()
{
    return YieldFuture();
}
inline BlockingJobFuture spawnBlocking(QAnyStringView label, std::chrono::nanoseconds duration)
{
    return BlockingJobFuture(label, duration.count());
}
/// Holds the worker inside the current poll, like a blocking system call.
void block(QAnyStringView label, std::chrono::nanoseconds duration);
/// Holds the worker inside the current poll, like CPU-heavy work.
void compute(QAnyStringView label, std::chrono::nanoseconds duration);
/// Records a labelled mark on the current task's lane.
void mark(QAnyStringView label);

} // namespace pollscope

#include "runtime/impl/futures.h"
