#pragma once

#include "realtime/wallclock.h"
#include "runtime/recordingruntime.h"

#include <QFuture>
#include <QObject>
#include <QThreadPool>
#include <QTimer>
#include <qcoro/qcorotask.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>

class QEventLoop;

namespace pollscope {

/// The real-time runtime: the same tasks, run as QCoro coroutines on a Qt event loop with the
/// wall clock. Each wake posts one queued call to the loop (a "hop") that resumes the task's
/// driver coroutine, which polls the task once. Sleeps and I/O are real QTimers, yield_now
/// reposts to the loop, spawn_blocking jobs run on a QThreadPool through QtConcurrent and are
/// awaited with QCoro, and block/compute really occupy the loop's thread.
///
/// Invariants: everything runs on the thread that called run(), except the blocking pool's jobs,
/// which only sleep on the stop condition and touch nothing else of the runtime. A task is
/// scheduled (has a hop in flight) at most once. When run() returns every task frame, driver,
/// timer and job is gone.
class EventLoopRuntime final : public QObject, public RecordingRuntime {
    Q_OBJECT

public:
    explicit EventLoopRuntime(RuntimeSettings settings, QObject* parent = nullptr);
    ~EventLoopRuntime() override;

    /// Runs `main` on a new QEventLoop of the calling thread until it finishes or is stopped
    /// (an interrupt flag stops it even inside a blocking call). Sinks (addSink()) get the
    /// events every 16 ms of the run and at its end.
    template <class T>
    RunReport run(Task<T> main)
    {
        return runMain(main.release());
    }
    Trace takeTrace() { return m_recorder.take(m_report, m_settings, false); }

    // Runtime
    TimeNs now() const noexcept override { return m_clock.elapsed(); }
    TimeNs sleepDeadline(TimeNs duration) const noexcept override
    {
        return addTime(now(), duration);
    }
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
    /// Per task: the coroutine that polls it, suspended until its next hop.
    struct Driver {
        QCoro::Task<> coroutine;
        std::coroutine_handle<> suspended;
        bool scheduled = false;
        /// A wake during the task's own poll takes effect (is reposted) when the poll ends and
        /// is recorded then, with the poll end's timestamp: one clock read for both.
        WakeCause wakeCause = WakeCause::Yield;
        std::uint32_t wakeSource = kNoResource;
    };
    class WakeAwaiter;

    enum class ResourceStatus : std::uint8_t { Pending, Fired, Cancelled };
    struct ResourceState {
        TaskId waiter = kNoTask;
        ResourceStatus status = ResourceStatus::Pending;
        std::unique_ptr<QTimer> timer; ///< sleeps and I/O
    };
    struct QueuedJob {
        ResourceId job;
        TimeNs duration;
    };

    RunReport runMain(std::coroutine_handle<> frame);
    QCoro::Task<> drive(TaskId task);
    void addDriver(TaskId task);
    /// One hop: post the task's next poll to the back of the event loop's queue.
    void schedule(TaskId task);
    void poll(TaskId task);
    void wake(TaskId task, WakeCause cause, std::uint32_t source);
    void complete(TaskId task);
    void checkIdle();
    void stop(RunStatus status, const QString& message);
    void shutdown();
    ResourceId addResource(
        ResourceKind kind, StringId label, TimeNs created, TimeNs deadline, std::uint16_t lane = 0);
    void startTimer(ResourceId resource, TimeNs deadline, WakeCause cause);
    void armTimer(QTimer& timer, TimeNs deadline);
    void runJob(ResourceId job, TimeNs duration, int lane);
    QCoro::Task<> awaitJob(ResourceId job, QFuture<void> future);
    /// Sleeps (or spins, for compute) until `until` on the wall clock, or until stopped.
    void occupy(TimeNs until, BlockKind kind);
    bool interrupted() const { return m_interrupt && m_interrupt->load(std::memory_order_relaxed); }

    // ChannelTable::Host
    void channelWake(TaskId task, ResourceId channel) override
    {
        wake(task, WakeCause::Channel, channel);
    }

    std::vector<Driver> m_drivers;
    std::vector<ResourceState> m_resources;
    WallClock m_clock;
    QEventLoop* m_loop = nullptr;
    QTimer m_flushTimer;
    QTimer m_timeLimit;

    QThreadPool m_pool;
    std::vector<bool> m_laneBusy;
    std::deque<QueuedJob> m_waitingJobs; ///< for a free lane, first come first served

    // Stopping reaches pool threads and blocking calls: guarded by m_stopMutex.
    std::mutex m_stopMutex;
    std::condition_variable m_stopSignal;
    std::atomic<bool> m_stopRequested { false };
    QTimer m_interruptWatch;

    int m_scheduled = 0; ///< hops in flight
    int m_pendingTimers = 0; ///< sleeps and I/O not yet fired or cancelled
    bool m_started = false;
    bool m_stopped = false;
    RunReport m_report;
};

} // namespace pollscope
