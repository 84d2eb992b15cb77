#include "timeline/timelinemodel.h"

#include <QStringList>

#include <algorithm>
#include <numeric>
#include <unordered_map>

namespace pollscope {

namespace {

/// Arrow sources are recorded by owner while lanes are not laid out yet: a task id, or a
/// blocking-pool lane number with this bit set.
constexpr std::uint32_t kPoolOwner = 0x8000'0000u;

template <class T>
std::span<const T> slice(
    const BulkVector<T>& items, const BulkVector<std::uint32_t>& offsets, std::size_t owner)
{
    if (owner + 1 >= offsets.size())
        return {};
    return std::span<const T>(items.data() + offsets[owner], offsets[owner + 1] - offsets[owner]);
}

/// Stable counting sort of `items` by `owners` (parallel vectors): afterwards each owner's
/// items are contiguous, in their original (time) order, at [offsets[o], offsets[o + 1]).
template <class T>
void groupByOwner(BulkVector<T>& items, const BulkVector<std::uint32_t>& owners,
    std::size_t ownerCount, BulkVector<std::uint32_t>& offsets)
{
    offsets.assign(ownerCount + 1, 0);
    for (const std::uint32_t owner : owners)
        ++offsets[owner + 1];
    std::partial_sum(offsets.begin(), offsets.end(), offsets.begin());
    BulkVector<T> grouped(items.size());
    BulkVector<std::uint32_t> next(offsets.begin(), offsets.end() - 1);
    for (std::size_t i = 0; i < items.size(); ++i)
        grouped[next[owners[i]]++] = items[i];
    items = std::move(grouped);
}

/// Parallel to `items`: the summed length of the items before each in its group, the groups
/// starting at `groupStarts` (ascending; `items` is one group without them).
template <class T>
BulkVector<TimeNs> lengthsBefore(
    const BulkVector<T>& items, const BulkVector<std::uint32_t>& groupStarts = {})
{
    BulkVector<TimeNs> before(items.size());
    auto group = groupStarts.begin();
    TimeNs sum = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
        for (; group != groupStarts.end() && *group <= i; ++group)
            sum = 0;
        before[i] = sum;
        sum += std::max<TimeNs>(0, items[i].end - items[i].start);
    }
    return before;
}

QString outcomeName(PollOutcome outcome)
{
    return outcome == PollOutcome::Ready ? QStringLiteral("Ready") : QStringLiteral("Pending");
}

} // namespace

/// One pass over the events with a little state per task; see the class comment.
struct TimelineModel::Builder {
    struct TaskCursor {
        std::uint32_t openPoll = kNoItem;
        std::uint32_t lastPoll = kNoItem;
        std::uint32_t firstEvent = kNoItem;
        TimeNs runnableSince = kNever;
        std::uint32_t runnableEvent = 0;
        TimeNs idleSince = kNever;
        std::uint32_t idleEvent = 0;
        bool wokenWhilePolled = false;
        // The first wake since the last poll started, waiting for the poll it leads to.
        bool hasWake = false;
        bool fromAtWake = false; ///< the arrow starts at the wake, not at the end of fromPoll
        WakeCause cause = WakeCause::Timer;
        std::uint32_t wakeEvent = 0;
        std::uint32_t fromPoll = kNoItem;
        std::uint32_t fromOwner = 0;
        TimeNs fromTime = 0;
        TimeNs wokenAt = 0;
        // An open block/compute section.
        std::uint32_t blockEvent = kNoItem;
        TimeNs blockStart = 0;
        StringId blockLabel = 0;
        BlockKind blockKind = BlockKind::Block;
    };

    TimelineModel& m;
    const Trace& trace;
    const std::size_t taskCount;
    BulkVector<TaskCursor> tasks;
    BulkVector<std::uint32_t> resourcePoll; ///< the poll that registered a wait on it
    BulkVector<std::uint32_t> resourceWait; ///< its WaitRegistered event
    BulkVector<std::uint32_t> jobOfResource; ///< index into `jobs`
    std::uint32_t running = kNoItem;
    TimeNs latest = 0;

    BulkVector<std::uint32_t> scheduledOwner, idleOwner, markOwner, cancelOwner, dropOwner,
        jobOwner, lateOwner;
    BulkVector<PointItem> ghosts;
    BulkVector<std::uint32_t> ghostOwner; ///< ghost group
    std::unordered_map<std::uint64_t, std::uint32_t> ghostGroupOf; ///< (task, description)
    BulkVector<TaskId> ghostGroupTask;
    BulkVector<std::uint32_t> ghostGroupFirstEvent;
    BulkVector<std::uint32_t> poolFirstEvent; ///< per pool lane number; kNoItem: unused
    BulkVector<TaskEnd> taskEnds;
    BulkVector<TimeNs> taskBegin, taskEndTime;
    BulkVector<std::uint32_t> taskEndEvent;

    Builder(TimelineModel& model, const Trace& t)
        : m(model)
        , trace(t)
        , taskCount(t.tables.tasks.size())
        , tasks(taskCount)
        , resourcePoll(t.tables.resources.size(), kNoItem)
        , resourceWait(t.tables.resources.size(), kNoItem)
        , jobOfResource(t.tables.resources.size(), kNoItem)
        , taskEnds(taskCount, TaskEnd::Open)
        , taskBegin(taskCount, 0)
        , taskEndTime(taskCount, kNever)
        , taskEndEvent(taskCount, kNoItem)
    {
    }

    void addSpan(
        BulkVector<SpanItem>& items, BulkVector<std::uint32_t>& owners, TaskId task, SpanItem span)
    {
        if (span.end <= span.start)
            return; // nothing to draw; zero-length spans are common (pollCost 0, yields)
        items.push_back(span);
        owners.push_back(task);
    }

    void closeSpans(TaskId task, TimeNs at, std::uint32_t event)
    {
        TaskCursor& c = tasks[task];
        if (c.runnableSince != kNever)
            addSpan(m.m_scheduled, scheduledOwner, task,
                { c.runnableSince, at, c.runnableEvent, event });
        if (c.idleSince != kNever)
            addSpan(m.m_idle, idleOwner, task, { c.idleSince, at, c.idleEvent, event });
        c.runnableSince = c.idleSince = kNever;
    }

    /// A timer or I/O woke its task late (Trace::lateWakeDeadline): the worker was held.
    void lateWake(const TraceEvent& e, std::uint32_t i)
    {
        const TimeNs due = trace.lateWakeDeadline(e);
        if (due != kNever && e.aux < resourceWait.size() && resourceWait[e.aux] != kNoItem)
            addSpan(m.m_late, lateOwner, e.task, { due, e.time, resourceWait[e.aux], i });
    }

    void pollStart(const TraceEvent& e, std::uint32_t i)
    {
        closeSpans(e.task, e.time, i);
        TaskCursor& c = tasks[e.task];
        const auto sequence = std::uint32_t(m.m_polls.size());
        PollItem poll { e.time, e.time, i, kNoItem, e.task, e.aux, kNoItem, PollOutcome::Pending };
        if (c.hasWake) {
            WakeArrow arrow;
            arrow.from =
                c.fromAtWake || c.fromPoll == kNoItem ? c.fromTime : m.m_polls[c.fromPoll].end;
            arrow.woken = c.wokenAt;
            arrow.fromLane = c.fromOwner;
            arrow.fromPoll = c.fromPoll;
            arrow.toPoll = sequence;
            arrow.event = c.wakeEvent;
            arrow.cause = c.cause;
            poll.wake = std::uint32_t(m.m_wakes.size());
            m.m_wakes.push_back(arrow);
            c.hasWake = false;
        }
        m.m_polls.push_back(poll);
        c.openPoll = sequence;
        running = sequence;
    }

    void pollEnd(const TraceEvent& e, std::uint32_t i)
    {
        TaskCursor& c = tasks[e.task];
        if (c.openPoll == kNoItem)
            return;
        PollItem& poll = m.m_polls[c.openPoll];
        poll.end = e.time;
        poll.endEvent = i;
        poll.outcome = e.outcome();
        if (poll.outcome == PollOutcome::Ready) {
            m.m_readyPolls.push_back(c.openPoll);
        } else if (c.wokenWhilePolled) {
            c.runnableSince = e.time;
            c.runnableEvent = i;
        } else {
            c.idleSince = e.time;
            c.idleEvent = i;
        }
        c.lastPoll = c.openPoll;
        c.openPoll = kNoItem;
        c.wokenWhilePolled = false;
        running = kNoItem;
    }

    void wake(const TraceEvent& e, std::uint32_t i)
    {
        TaskCursor& c = tasks[e.task];
        if (c.openPoll != kNoItem) {
            c.wokenWhilePolled = true;
        } else {
            if (c.idleSince != kNever) {
                addSpan(m.m_idle, idleOwner, e.task, { c.idleSince, e.time, c.idleEvent, i });
                c.idleSince = kNever;
            }
            if (c.runnableSince == kNever) {
                c.runnableSince = e.time;
                c.runnableEvent = i;
            }
        }
        if (c.hasWake)
            return; // only the wake that made the task runnable is its cause
        c.hasWake = true;
        c.cause = e.wakeCause();
        c.wakeEvent = i;
        c.wokenAt = e.time;
        c.fromAtWake = false;
        c.fromPoll = kNoItem;
        c.fromOwner = e.task;
        c.fromTime = e.time;
        const auto fromPoll = [&](std::uint32_t sequence) {
            if (sequence == kNoItem)
                return;
            c.fromPoll = sequence;
            c.fromOwner = m.m_polls[sequence].task;
        };
        switch (c.cause) {
        case WakeCause::TaskDone:
            if (e.aux < taskCount)
                fromPoll(tasks[e.aux].lastPoll);
            break;
        case WakeCause::BlockingJob:
            if (e.aux < trace.tables.resources.size()) {
                const ResourceRecord& job = trace.tables.resources[e.aux];
                c.fromOwner = kPoolOwner | job.lane;
                c.fromTime = job.deadline;
            }
            break;
        case WakeCause::Yield:
        case WakeCause::Budget:
            fromPoll(c.openPoll != kNoItem ? c.openPoll : c.lastPoll);
            break;
        case WakeCause::Timer:
        case WakeCause::Io:
        case WakeCause::Channel:
            if (running != kNoItem && m.m_polls[running].task != e.task) {
                // Woken by another task's poll (a channel send): the arrow starts there, then.
                fromPoll(running);
                c.fromAtWake = true;
            } else if (e.aux < resourcePoll.size()) {
                fromPoll(resourcePoll[e.aux]);
            }
            break;
        }
    }

    void cancel(const TraceEvent& e, std::uint32_t i)
    {
        // A task's or job's end: a cross when the runtime shut down, a square at a stop.
        const bool stop = isStopped(trace.report.status);
        switch (e.cancelTarget()) {
        case CancelTarget::Job:
            if (e.aux < jobOfResource.size() && jobOfResource[e.aux] != kNoItem) {
                m.m_hasCancelCrosses |= !stop;
                JobItem& job = m.m_jobs[jobOfResource[e.aux]];
                job.cancelled = true;
                job.end = std::max(job.start, e.time);
                job.endEvent = i;
            }
            return;
        case CancelTarget::Task:
            closeSpans(e.task, e.time, i);
            taskEnds[e.task] = stop ? TaskEnd::Stopped : TaskEnd::Cancelled;
            m.m_hasStoppedTasks |= stop;
            taskEndTime[e.task] = e.time;
            taskEndEvent[e.task] = i;
            m.m_hasCancelCrosses |= !stop;
            m.m_cancels.push_back(PointItem { e.time, e.time, i, e.aux, e.detail });
            cancelOwner.push_back(e.task);
            return;
        case CancelTarget::Timer:
        case CancelTarget::Io:
        case CancelTarget::JoinWait:
        case CancelTarget::JobWait:
        case CancelTarget::ChannelWait:
            // A future dropped while it waited (a select's loser): the task goes on.
            m.m_drops.push_back(PointItem { e.time, e.time, i, e.aux, e.detail });
            dropOwner.push_back(e.task);
            return;
        }
    }

    void unpolled(const TraceEvent& e, std::uint32_t i)
    {
        const std::uint64_t key = (std::uint64_t(e.task) << 32) | e.aux;
        auto [it, inserted] = ghostGroupOf.try_emplace(key, std::uint32_t(ghostGroupTask.size()));
        if (inserted) {
            ghostGroupTask.push_back(e.task);
            ghostGroupFirstEvent.push_back(i);
        }
        ghosts.push_back(PointItem { e.time, e.time, i, e.aux, 0 });
        ghostOwner.push_back(it->second);
    }

    void reserve()
    {
        // Growing vectors of millions of items by doubling costs more in copies and page
        // faults than this counting pass.
        std::size_t counts[16] = {};
        for (const TraceEvent& e : trace.events)
            ++counts[std::size_t(e.kind) & 15];
        const auto count = [&](EventKind kind) { return counts[std::size_t(kind)]; };
        m.m_polls.reserve(count(EventKind::PollStart));
        m.m_wakes.reserve(count(EventKind::Wake));
        m.m_scheduled.reserve(count(EventKind::Wake) + count(EventKind::Spawn));
        scheduledOwner.reserve(m.m_scheduled.capacity());
        m.m_idle.reserve(count(EventKind::PollEnd));
        idleOwner.reserve(m.m_idle.capacity());
        m.m_blocks.reserve(count(EventKind::BlockEnd));
        m.m_marks.reserve(count(EventKind::Mark));
        markOwner.reserve(count(EventKind::Mark));
        m.m_spawns.reserve(count(EventKind::Spawn));
    }

    void scan()
    {
        reserve();
        const EventLog& events = trace.events;
        for (std::uint32_t i = 0; i < events.size(); ++i) {
            const TraceEvent& e = events[i];
            latest = std::max(latest, e.time);
            if (e.task >= taskCount)
                continue;
            TaskCursor& c = tasks[e.task];
            switch (e.kind) {
            case EventKind::Spawn:
                c.firstEvent = i;
                taskBegin[e.task] = e.time;
                c.runnableSince = e.time;
                c.runnableEvent = i;
                if (e.aux != kNoTask) {
                    m.m_spawnOfTask[e.task] = std::uint32_t(m.m_spawns.size());
                    m.m_spawns.push_back(SpawnLink { e.time, e.time, i, e.aux, e.task });
                }
                break;
            case EventKind::PollStart:
                pollStart(e, i);
                break;
            case EventKind::PollEnd:
                pollEnd(e, i);
                break;
            case EventKind::Wake:
                lateWake(e, i);
                wake(e, i);
                break;
            case EventKind::WaitRegistered:
                if (e.waitTarget() != WaitTarget::Task && e.aux < resourcePoll.size()) {
                    resourcePoll[e.aux] = c.openPoll;
                    resourceWait[e.aux] = i;
                }
                break;
            case EventKind::BlockStart:
                c.blockEvent = i;
                c.blockStart = e.time;
                c.blockLabel = e.aux;
                c.blockKind = e.blockKind();
                break;
            case EventKind::BlockEnd:
                if (c.blockEvent != kNoItem) {
                    m.m_blocks.push_back(BlockItem {
                        c.blockStart, e.time, c.blockEvent, i, e.task, c.blockLabel, c.blockKind });
                    c.blockEvent = kNoItem;
                }
                break;
            case EventKind::JobStart:
                if (e.aux < trace.tables.resources.size()) {
                    const ResourceRecord& r = trace.tables.resources[e.aux];
                    jobOfResource[e.aux] = std::uint32_t(m.m_jobs.size());
                    m.m_jobs.push_back(JobItem {
                        r.created, r.deadline, i, kNoItem, e.task, e.aux, r.label, false });
                    jobOwner.push_back(e.lane);
                    if (e.lane >= poolFirstEvent.size())
                        poolFirstEvent.resize(std::size_t(e.lane) + 1, kNoItem);
                    if (poolFirstEvent[e.lane] == kNoItem)
                        poolFirstEvent[e.lane] = i;
                    latest = std::max(latest, r.created);
                }
                break;
            case EventKind::JobEnd:
                if (e.aux < jobOfResource.size() && jobOfResource[e.aux] != kNoItem)
                    m.m_jobs[jobOfResource[e.aux]].endEvent = i;
                break;
            case EventKind::Cancel:
                cancel(e, i);
                break;
            case EventKind::Complete:
                taskEnds[e.task] = e.completion() == CompletionStatus::Failed ? TaskEnd::Failed
                                                                              : TaskEnd::Completed;
                taskEndTime[e.task] = e.time;
                taskEndEvent[e.task] = i;
                break;
            case EventKind::Mark:
                m.m_marks.push_back(PointItem { e.time, e.time, i, e.aux, 0 });
                markOwner.push_back(e.task);
                break;
            case EventKind::Unpolled:
                unpolled(e, i);
                break;
            case EventKind::ChannelOp:
                break;
            }
        }
    }

    void finish()
    {
        // The run's end: its clock, or later if a poll or job ran past it.
        TimeNs end = std::max(trace.report.elapsed, latest);
        if (!m.m_polls.empty())
            end = std::max(end, m.m_polls.back().end);
        for (const JobItem& job : m.m_jobs)
            end = std::max(end, job.cancelled ? job.end : std::min(job.end, latest));
        m.m_bounds = TimeRange { 0, std::max<TimeNs>(end, 1'000) };
        for (TaskId task = 0; task < taskCount; ++task)
            closeSpans(task, end, kNoItem); // still open at the end of the run
        layOutLanes();
        group();
    }

    void layOutLanes()
    {
        // Ghost groups after their task's lane, in the order they first appeared.
        BulkVector<std::uint32_t> groups(ghostGroupTask.size());
        std::iota(groups.begin(), groups.end(), 0u);
        std::stable_sort(groups.begin(), groups.end(), [&](std::uint32_t a, std::uint32_t b) {
            return ghostGroupTask[a] < ghostGroupTask[b];
        });
        m.m_lanes.clear();
        m.m_lanes.reserve(1 + taskCount + groups.size() + poolFirstEvent.size());
        m.m_lanes.push_back(TimelineLane { LaneKind::Worker, TaskEnd::Open, kNoTask, 0, 0 });
        m.m_taskLane.assign(taskCount, 0);
        std::size_t nextGroup = 0;
        for (TaskId task = 0; task < taskCount; ++task) {
            m.m_taskLane[task] = std::uint32_t(m.m_lanes.size());
            const std::uint32_t first =
                tasks[task].firstEvent == kNoItem ? 0 : tasks[task].firstEvent;
            const TimeNs end = taskEndTime[task] == kNever ? m.m_bounds.end : taskEndTime[task];
            m.m_lanes.push_back(TimelineLane { LaneKind::Task, taskEnds[task], task, 0, first,
                taskEndEvent[task], taskBegin[task], end });
            for (; nextGroup < groups.size() && ghostGroupTask[groups[nextGroup]] == task;
                 ++nextGroup) {
                const std::uint32_t group = groups[nextGroup];
                m.m_lanes.push_back(TimelineLane {
                    LaneKind::Ghost, TaskEnd::Open, task, group, ghostGroupFirstEvent[group] });
            }
        }
        m.m_poolLane.assign(poolFirstEvent.size(), -1);
        for (std::size_t pool = 0; pool < poolFirstEvent.size(); ++pool) {
            if (poolFirstEvent[pool] == kNoItem)
                continue;
            m.m_poolLane[pool] = int(m.m_lanes.size());
            m.m_lanes.push_back(TimelineLane { LaneKind::BlockingPool, TaskEnd::Open, kNoTask,
                std::uint32_t(pool), poolFirstEvent[pool] });
        }
        for (WakeArrow& arrow : m.m_wakes) {
            if (arrow.fromLane & kPoolOwner) {
                const std::uint32_t pool = arrow.fromLane & ~kPoolOwner;
                arrow.fromLane = pool < m.m_poolLane.size() && m.m_poolLane[pool] >= 0
                    ? std::uint32_t(m.m_poolLane[pool])
                    : m.m_taskLane[m.m_polls[arrow.toPoll].task];
            } else {
                arrow.fromLane = m.m_taskLane[arrow.fromLane];
            }
        }
    }

    void group()
    {
        // Task lanes' polls: compact copies grouped by task (counting sort, stable).
        BulkVector<std::uint32_t> pollTasks(m.m_polls.size());
        m.m_lanePolls.resize(m.m_polls.size());
        for (std::size_t s = 0; s < m.m_polls.size(); ++s) {
            const PollItem& poll = m.m_polls[s];
            pollTasks[s] = poll.task;
            m.m_lanePolls[s] = LanePoll { poll.start, poll.end, poll.event, std::uint32_t(s) };
        }
        groupByOwner(m.m_lanePolls, pollTasks, taskCount, m.m_lanePollOffsets);

        groupByOwner(m.m_scheduled, scheduledOwner, taskCount, m.m_scheduledOffsets);
        groupByOwner(m.m_late, lateOwner, taskCount, m.m_lateOffsets);
        groupByOwner(m.m_idle, idleOwner, taskCount, m.m_idleOffsets);
        groupByOwner(m.m_marks, markOwner, taskCount, m.m_markOffsets);
        groupByOwner(m.m_cancels, cancelOwner, taskCount, m.m_cancelOffsets);
        groupByOwner(m.m_drops, dropOwner, taskCount, m.m_dropOffsets);
        BulkVector<std::uint32_t> blockOwner(m.m_blocks.size());
        for (std::size_t b = 0; b < m.m_blocks.size(); ++b)
            blockOwner[b] = m.m_blocks[b].task;
        m.m_taskBlocks = m.m_blocks;
        groupByOwner(m.m_taskBlocks, blockOwner, taskCount, m.m_blockOffsets);
        m.m_pollTimeBefore = lengthsBefore(m.m_polls);
        m.m_lanePollTimeBefore = lengthsBefore(m.m_lanePolls, m.m_lanePollOffsets);
        m.m_blockTimeBefore = lengthsBefore(m.m_blocks);
        m.m_taskBlockTimeBefore = lengthsBefore(m.m_taskBlocks, m.m_blockOffsets);
        m.m_ghosts = std::move(ghosts);
        groupByOwner(m.m_ghosts, ghostOwner, ghostGroupTask.size(), m.m_ghostOffsets);
        groupByOwner(m.m_jobs, jobOwner, poolFirstEvent.size(), m.m_jobOffsets);
    }
};

TimelineModel::TimelineModel()
    : TimelineModel(std::make_shared<const Trace>())
{
}

TimelineModel::TimelineModel(std::shared_ptr<const Trace> trace)
    : m_trace(trace ? std::move(trace) : std::make_shared<const Trace>())
    , m_narration(*m_trace)
{
    m_spawnOfTask.assign(m_trace->tables.tasks.size(), kNoItem);
    Builder builder(*this, *m_trace);
    builder.scan();
    builder.finish();
}

int TimelineModel::laneOfTask(TaskId task) const
{
    return task < m_taskLane.size() ? int(m_taskLane[task]) : -1;
}

int TimelineModel::laneOfPool(int poolLane) const
{
    return poolLane >= 0 && std::size_t(poolLane) < m_poolLane.size()
        ? m_poolLane[std::size_t(poolLane)]
        : -1;
}

QString TimelineModel::laneName(int lane) const
{
    const TimelineLane& l = m_lanes[std::size_t(lane)];
    switch (l.kind) {
    case LaneKind::Worker:
        return QStringLiteral("worker");
    case LaneKind::Task:
        return m_trace->taskName(l.task);
    case LaneKind::Ghost: {
        const std::span<const PointItem> items = slice(m_ghosts, m_ghostOffsets, l.index);
        return items.empty() ? QString() : m_trace->string(items.front().aux);
    }
    case LaneKind::BlockingPool:
        return QStringLiteral("blocking pool %1").arg(l.index);
    }
    return QString();
}

QString TimelineModel::laneDetail(int lane) const
{
    const TimelineLane& l = m_lanes[std::size_t(lane)];
    switch (l.kind) {
    case LaneKind::Worker:
        return QStringLiteral("executor thread");
    case LaneKind::Task: {
        const TaskId parent = m_trace->tables.tasks[l.task].parent;
        return parent == kNoTask ? QString() : u"\u2190 " + m_trace->taskName(parent);
    }
    case LaneKind::Ghost: {
        const auto count = slice(m_ghosts, m_ghostOffsets, l.index).size();
        return count == 1 ? QStringLiteral("never polled")
                          : QStringLiteral("never polled \u00d7%1").arg(count);
    }
    case LaneKind::BlockingPool: {
        const auto count = slice(m_jobs, m_jobOffsets, l.index).size();
        return count == 1 ? QStringLiteral("1 job") : QStringLiteral("%1 jobs").arg(count);
    }
    }
    return QString();
}

std::ptrdiff_t TimelineModel::pollOfEvent(std::size_t event) const
{
    const std::size_t sequence = countBeforeEvent(m_polls, event);
    return sequence < m_polls.size() && m_polls[sequence].event == event ? std::ptrdiff_t(sequence)
                                                                         : -1;
}

std::span<const LanePoll> TimelineModel::lanePolls(int lane) const
{
    const TimelineLane& l = m_lanes[std::size_t(lane)];
    return l.kind == LaneKind::Task ? slice(m_lanePolls, m_lanePollOffsets, l.task)
                                    : std::span<const LanePoll>();
}

std::span<const TimeNs> TimelineModel::pollTimeBefore(int lane) const
{
    const TimelineLane& l = m_lanes[std::size_t(lane)];
    if (l.kind == LaneKind::Worker)
        return m_pollTimeBefore;
    return l.kind == LaneKind::Task ? slice(m_lanePollTimeBefore, m_lanePollOffsets, l.task)
                                    : std::span<const TimeNs>();
}

TimelineModel::PollsWithin TimelineModel::pollsWithin(
    int lane, TimeRange range, std::size_t limit) const
{
    const auto count = [&](const auto& items) {
        const std::span<const TimeNs> before = pollTimeBefore(lane);
        const std::size_t created = std::min(items.size(), countBeforeEvent(items, limit));
        const std::size_t first = firstIndex(items.first(created), range.start);
        const std::size_t last =
            std::size_t(lastIndex(items.first(created), range.end - 1) + 1); // starts before end
        if (first >= last)
            return PollsWithin {};
        // Whole polls [first, last), less what lies outside the range at either end.
        TimeNs busy =
            before[last - 1] + (items[last - 1].end - items[last - 1].start) - before[first];
        busy -= std::max<TimeNs>(0, range.start - items[first].start);
        busy -= std::max<TimeNs>(0, items[last - 1].end - range.end);
        return PollsWithin { last - first, std::max<TimeNs>(0, busy) };
    };
    const TimelineLane& l = m_lanes[std::size_t(lane)];
    if (l.kind == LaneKind::Worker)
        return count(polls());
    return l.kind == LaneKind::Task ? count(lanePolls(lane)) : PollsWithin {};
}

std::span<const SpanItem> TimelineModel::scheduled(int lane) const
{
    const TimelineLane& l = m_lanes[std::size_t(lane)];
    return l.kind == LaneKind::Task ? slice(m_scheduled, m_scheduledOffsets, l.task)
                                    : std::span<const SpanItem>();
}

std::span<const SpanItem> TimelineModel::late(int lane) const
{
    const TimelineLane& l = m_lanes[std::size_t(lane)];
    return l.kind == LaneKind::Task ? slice(m_late, m_lateOffsets, l.task) : std::span<const SpanItem>();
}

std::span<const SpanItem> TimelineModel::idle(int lane) const
{
    const TimelineLane& l = m_lanes[std::size_t(lane)];
    return l.kind == LaneKind::Task ? slice(m_idle, m_idleOffsets, l.task)
                                    : std::span<const SpanItem>();
}

std::span<const BlockItem> TimelineModel::blocks(int lane) const
{
    const TimelineLane& l = m_lanes[std::size_t(lane)];
    if (l.kind == LaneKind::Worker)
        return m_blocks;
    return l.kind == LaneKind::Task ? slice(m_taskBlocks, m_blockOffsets, l.task)
                                    : std::span<const BlockItem>();
}

std::span<const TimeNs> TimelineModel::blockTimeBefore(int lane) const
{
    const TimelineLane& l = m_lanes[std::size_t(lane)];
    if (l.kind == LaneKind::Worker)
        return m_blockTimeBefore;
    return l.kind == LaneKind::Task ? slice(m_taskBlockTimeBefore, m_blockOffsets, l.task)
                                    : std::span<const TimeNs>();
}

std::span<const JobItem> TimelineModel::jobs(int lane) const
{
    const TimelineLane& l = m_lanes[std::size_t(lane)];
    return l.kind == LaneKind::BlockingPool ? slice(m_jobs, m_jobOffsets, l.index)
                                            : std::span<const JobItem>();
}

std::span<const PointItem> TimelineModel::marks(int lane) const
{
    const TimelineLane& l = m_lanes[std::size_t(lane)];
    return l.kind == LaneKind::Task ? slice(m_marks, m_markOffsets, l.task)
                                    : std::span<const PointItem>();
}

std::span<const PointItem> TimelineModel::cancels(int lane) const
{
    const TimelineLane& l = m_lanes[std::size_t(lane)];
    return l.kind == LaneKind::Task ? slice(m_cancels, m_cancelOffsets, l.task)
                                    : std::span<const PointItem>();
}

std::span<const PointItem> TimelineModel::drops(int lane) const
{
    const TimelineLane& l = m_lanes[std::size_t(lane)];
    return l.kind == LaneKind::Task ? slice(m_drops, m_dropOffsets, l.task)
                                    : std::span<const PointItem>();
}

std::span<const PointItem> TimelineModel::ghosts(int lane) const
{
    const TimelineLane& l = m_lanes[std::size_t(lane)];
    return l.kind == LaneKind::Ghost ? slice(m_ghosts, m_ghostOffsets, l.index)
                                     : std::span<const PointItem>();
}

const SpawnLink* TimelineModel::spawnOf(TaskId task) const
{
    if (task >= m_spawnOfTask.size() || m_spawnOfTask[task] == kNoItem)
        return nullptr;
    return &m_spawns[m_spawnOfTask[task]];
}

std::pair<std::size_t, std::size_t> TimelineModel::gapEvents(std::size_t position) const
{
    position = std::min(position, m_polls.size());
    const std::size_t end = position < m_polls.size() ? m_polls[position].event : eventCount();
    if (position == 0)
        return { 0, end };
    // After the last poll's PollEnd (an unfinished poll: none of the gap has happened).
    const std::uint32_t pollEnd = m_polls[position - 1].endEvent;
    return { pollEnd == kNoItem ? end : std::size_t(pollEnd) + 1, end };
}

std::size_t TimelineModel::eventLimit(std::size_t position) const
{
    // Before the first poll, everything up to it; after a poll, its PollEnd but not what
    // followed it (its Complete, the wakes it caused); at the end, everything.
    const auto [first, end] = gapEvents(position);
    return position == 0 || position >= m_polls.size() ? end : first;
}

TimeNs TimelineModel::cursorTime(std::size_t position) const
{
    if (position >= m_polls.size())
        return m_bounds.end;
    return position == 0 ? m_polls[0].start : m_polls[position - 1].end;
}

std::size_t TimelineModel::eventLimit(std::size_t position, TimeNs time) const
{
    const auto [first, end] = gapEvents(position);
    // A prefix, so that no event shown is later than the cursor even where the log is not in
    // time order (a blocking job's end is recorded with the time the job ended).
    const EventLog& events = m_trace->events;
    std::size_t limit = first;
    while (limit < end && events[limit].time <= time)
        ++limit;
    return limit;
}

TimeRange TimelineModel::cursorGap(std::size_t position) const
{
    position = std::min(position, m_polls.size());
    const TimeNs next = position < m_polls.size() ? m_polls[position].start : m_bounds.end;
    const TimeNs last = position > 0 ? m_polls[position - 1].end : m_bounds.start;
    return TimeRange { std::min(last, next), next };
}

int TimelineModel::sourceLine(std::size_t sequence) const
{
    const PollItem& poll = m_polls[sequence];
    const std::uint32_t event = poll.endEvent != kNoItem ? poll.endEvent : poll.event;
    return m_trace->line(m_trace->events[event].span);
}

QString TimelineModel::describePoll(std::size_t sequence) const
{
    const PollItem& poll = m_polls[sequence];
    QStringList lines;
    lines << QStringLiteral("%1 \u00b7 poll #%2 \u00b7 %3")
                 .arg(m_trace->taskName(poll.task))
                 .arg(poll.index)
                 .arg(outcomeName(poll.outcome));
    QString times = QStringLiteral("start %1 \u00b7 duration %2")
                        .arg(exactTime(poll.start), exactTime(poll.end - poll.start));
    if (const int line = sourceLine(sequence); line > 0)
        times += QStringLiteral(" \u00b7 line %1").arg(line);
    lines << times;
    if (const QString wake = m_narration.wakeSentence(sequence); !wake.isEmpty())
        lines << wake;
    // The scheduled stretch that this poll ended: time spent runnable but not running.
    const std::span<const SpanItem> waits = scheduled(laneOfTask(poll.task));
    if (const std::ptrdiff_t i = lastIndex(waits, poll.start);
        i >= 0 && waits[std::size_t(i)].endEvent == poll.event) {
        const SpanItem& wait = waits[std::size_t(i)];
        lines << QStringLiteral("then waited %1 in the run queue")
                     .arg(exactTime(wait.end - wait.start));
    }
    lines << m_narration.pollSentence(sequence);
    return lines.join(u'\n');
}

QString TimelineModel::describeSpan(int lane, const SpanItem& span, bool isScheduled) const
{
    const QString task = laneName(lane);
    const QString length = exactTime(span.end - span.start);
    if (isScheduled) {
        return QStringLiteral(
            "%1 scheduled for %2 (%3 \u2192 %4): runnable, waiting for the worker")
            .arg(task, length, exactTime(span.start), exactTime(span.end));
    }
    return QStringLiteral("%1 idle for %2 (%3 \u2192 %4): Pending, nothing to do")
        .arg(task, length, exactTime(span.start), exactTime(span.end));
}

QString TimelineModel::describeLate(int lane, const SpanItem& span) const
{
    const TraceEvent& wake = m_trace->events[span.endEvent];
    const ResourceRecord& r = m_trace->tables.resources[wake.aux];
    const QString what = r.kind == ResourceKind::Io ? QStringLiteral("I/O %1").arg(m_trace->string(r.label)) : QStringLiteral("timer");
    return QStringLiteral("%1's %2 was due at %3 but delivered at %4: %5 late, the worker was held")
        .arg(laneName(lane), what, exactTime(span.start), exactTime(span.end),
            exactTime(span.end - span.start));
}

QString TimelineModel::describeJob(const JobItem& job) const
{
    QString text =
        QStringLiteral("blocking job %1, spawned by %2\n%3 \u2192 %4 (%5)")
            .arg(m_trace->string(job.label), m_trace->taskName(job.task), exactTime(job.start),
                exactTime(job.end), exactTime(job.end - job.start));
    if (job.cancelled)
        text += isStoppedRun() ? QStringLiteral("\nstill running when the run stopped")
                               : QStringLiteral("\nstill running when the runtime shut down");
    return text;
}

QString TimelineModel::describeWake(std::size_t wake, std::size_t limit) const
{
    const WakeArrow& arrow = m_wakes[wake];
    const PollItem& poll = m_polls[arrow.toPoll];
    const QString woken = m_trace->taskName(poll.task);
    // Who woke whom: the lane the arrow comes from; an arc from the task's own poll names it once.
    const int lane = laneOfTask(poll.task);
    QStringList lines;
    lines << (int(arrow.fromLane) == lane
            ? QStringLiteral("%1 \u00b7 wake").arg(woken)
            : QStringLiteral("%1 \u2192 %2 \u00b7 wake").arg(laneName(int(arrow.fromLane)), woken));
    lines << m_narration.wakeEventSentence(arrow.event);
    if (poll.event < limit)
        lines << QStringLiteral("%1 polled at %2 (poll #%3), %4 after the wake")
                     .arg(woken, exactTime(poll.start))
                     .arg(poll.index)
                     .arg(exactTime(poll.start - arrow.woken));
    else
        lines << QStringLiteral("%1 not polled yet").arg(woken);
    return lines.join(u'\n');
}

QString TimelineModel::describePoint(int lane, const PointItem& point) const
{
    const TimelineLane& l = m_lanes[std::size_t(lane)];
    const QString at = exactTime(point.start);
    const int line = m_trace->line(m_trace->events[point.event].span);
    const QString where = line > 0 ? QStringLiteral(", line %1").arg(line) : QString();
    if (l.kind == LaneKind::Ghost) {
        return QStringLiteral("%1: created by %2 at %3%4 and dropped without ever being polled "
                              "(a missing .await?)")
            .arg(m_trace->string(point.aux), m_trace->taskName(l.task), at, where);
    }
    const TraceEvent& event = m_trace->events[point.event];
    if (event.kind == EventKind::Mark)
        return QStringLiteral("mark \u201c%1\u201d at %2%3")
            .arg(m_trace->string(point.aux), at, where);
    switch (CancelTarget(point.detail)) {
    case CancelTarget::Task: {
        const RunReport& report = m_trace->report;
        if (isStopped(report.status)) {
            // Why the run stopped, as the report says it (without its position and source).
            const QString why = report.errorMessage.isEmpty() ? report.message.section(u'\n', 0, 0)
                                                              : report.errorMessage;
            return QStringLiteral("%1 stopped at %2, unfinished: %3").arg(laneName(lane), at, why);
        }
        return QStringLiteral("%1 cancelled at %2: main %3 and the runtime shut down")
            .arg(laneName(lane), at,
                report.status == RunStatus::Failed ? u"failed"_qs : u"finished"_qs);
    }
    case CancelTarget::Timer:
    case CancelTarget::Io:
    case CancelTarget::JoinWait:
    case CancelTarget::JobWait:
    case CancelTarget::ChannelWait: {
        const auto drops = this->drops(lane);
        const auto i = std::find_if(drops.begin(), drops.end(),
            [&](const PointItem& drop) { return drop.event == point.event; });
        if (i != drops.end()) {
            const auto index = std::size_t(i - drops.begin());
            return describeDrops(lane, index, index + 1);
        }
        break;
    }
    case CancelTarget::Job:
        break;
    }
    return QString();
}

QString TimelineModel::describeDrops(int lane, std::size_t first, std::size_t last) const
{
    const std::span<const PointItem> drops = this->drops(lane);
    last = std::min(last, drops.size());
    const auto resourceLabel = [&](std::uint32_t resource) {
        return resource < m_trace->tables.resources.size()
            ? m_trace->string(m_trace->tables.resources[resource].label)
            : QString();
    };
    const auto due = [&](std::uint32_t resource) {
        return resource < m_trace->tables.resources.size()
            ? exactTime(m_trace->tables.resources[resource].deadline)
            : QString();
    };
    // What the dropped future waited on, and what became of that.
    const auto what = [&](const PointItem& drop) {
        switch (CancelTarget(drop.detail)) {
        case CancelTarget::Timer:
            return QStringLiteral("the timer due at %1 was cancelled").arg(due(drop.aux));
        case CancelTarget::Io: {
            const QString label = resourceLabel(drop.aux);
            return QStringLiteral("I/O %1due at %2, was cancelled")
                .arg(label.isEmpty() ? QString() : label + u", ", due(drop.aux));
        }
        case CancelTarget::JoinWait:
            // Rule 6: dropping an await of a handle does not cancel the task.
            return QStringLiteral("the await of %1 was dropped; %1 runs on")
                .arg(m_trace->taskName(drop.aux));
        case CancelTarget::JobWait:
            return QStringLiteral("the await of blocking job %1 was dropped; the job runs on")
                .arg(resourceLabel(drop.aux));
        case CancelTarget::ChannelWait:
            return QStringLiteral("the wait on channel %1 was withdrawn")
                .arg(resourceLabel(drop.aux));
        case CancelTarget::Task:
        case CancelTarget::Job:
            break;
        }
        return QString();
    };
    // In the scenario language only a select drops a future while it waits: when one branch is
    // Ready it drops the others (DESIGN rule 7), all in one poll, at the select's line.
    QStringList lines;
    for (std::size_t i = first; i < last;) {
        const TraceEvent& event = m_trace->events[drops[i].event];
        std::size_t next = i + 1;
        while (next < last && drops[next].start == drops[i].start &&
            m_trace->events[drops[next].event].span == event.span)
            ++next;
        const int line = m_trace->line(event.span);
        const QString where = QStringLiteral("at %1%2").arg(exactTime(drops[i].start),
            line > 0 ? QStringLiteral(", line %1").arg(line) : QString());
        if (next - i == 1) {
            lines << QStringLiteral("select dropped the losing branch %1: %2")
                         .arg(where, what(drops[i]));
        } else {
            lines << QStringLiteral("select dropped the losing branches %1:").arg(where);
            for (std::size_t k = i; k < next; ++k)
                lines << u"\u00b7 " + what(drops[k]);
        }
        i = next;
    }
    return lines.join(u'\n');
}

} // namespace pollscope
