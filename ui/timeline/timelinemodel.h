#pragma once

#include "analysis/narration.h"
#include "analysis/timeformat.h"
#include "timeline/timelinecoordinates.h"
#include "trace/hugepageallocator.h"
#include "trace/trace.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace pollscope {

inline constexpr std::uint32_t kNoItem = ~std::uint32_t(0);

enum class LaneKind : std::uint8_t {
    Worker, ///< every poll of every task, as the executor thread ran them
    Task, ///< one task's polls, scheduled and idle time, blocking sections, marks
    Ghost, ///< futures one task created and dropped without a poll, grouped by description
    BlockingPool, ///< the jobs of one blocking-pool lane
};

/// How a task's life ended, for its lane: Cancelled when main's end (or failure) shut the
/// runtime down, Stopped when a deadlock, a runaway bound or the user stopped the run.
enum class TaskEnd : std::uint8_t { Open, Completed, Failed, Cancelled, Stopped };

struct TimelineLane {
    LaneKind kind = LaneKind::Task;
    TaskEnd status = TaskEnd::Open; ///< Task lanes: how the task ended
    TaskId task = kNoTask; ///< Task: the task; Ghost: the task that dropped the futures
    std::uint32_t index = 0; ///< Ghost: its group of ghosts; BlockingPool: the pool lane number
    std::uint32_t firstEvent = 0; ///< the event that makes the lane appear (spawn, job, ghost)
    std::uint32_t endEvent = kNoItem; ///< Task: its Complete or Cancel event; kNoItem: open
    TimeNs begin = 0; ///< Task: spawned
    TimeNs end = 0; ///< Task: completed or cancelled, else the end of the run
};

// Items. Every item keeps the index of the trace event that created it (`event`), so a
// playback cursor can hide what happened after it; spans also keep the event that closed them
// (`endEvent`, kNoItem while open at the end of the run). Point items have start == end.
// On one lane, items of one kind never overlap and are sorted by start, end and event alike.

/// One poll: a box on its task's lane and on the worker lane.
struct PollItem {
    TimeNs start = 0;
    TimeNs end = 0;
    std::uint32_t event = 0; ///< PollStart
    std::uint32_t endEvent = kNoItem; ///< PollEnd
    TaskId task = 0;
    std::uint32_t index = 0; ///< the task's poll index, from 0
    std::uint32_t wake = kNoItem; ///< the arrow into this poll (TimelineModel::wakes())
    PollOutcome outcome = PollOutcome::Pending;
};

/// Scheduled (runnable, waiting in the run queue) or idle (Pending, nothing to do) time.
struct SpanItem {
    TimeNs start = 0;
    TimeNs end = 0;
    std::uint32_t event = 0; ///< the Wake/Spawn/PollEnd that began it
    std::uint32_t endEvent = kNoItem; ///< the PollStart/Wake/Cancel that ended it
};

/// A block(...) or compute(...) section inside a poll.
struct BlockItem {
    TimeNs start = 0;
    TimeNs end = 0;
    std::uint32_t event = 0; ///< BlockStart
    std::uint32_t endEvent = kNoItem; ///< BlockEnd
    TaskId task = 0;
    StringId label = 0;
    BlockKind kind = BlockKind::Block;
};

/// A spawn_blocking job on a blocking-pool lane.
struct JobItem {
    TimeNs start = 0;
    TimeNs end = 0; ///< when it ended, or the shutdown that cancelled it
    std::uint32_t event = 0; ///< JobStart
    std::uint32_t endEvent = kNoItem; ///< JobEnd, or the Cancel at shutdown
    TaskId task = 0; ///< the spawner
    ResourceId resource = 0;
    StringId label = 0;
    /// Still running when the runtime shut down (or, TimelineModel::isStoppedRun(), when the
    /// run stopped).
    bool cancelled = false;
};

/// A point on a lane: a mark, a cancel (a task's end at shutdown or at a stop), a dropped
/// future (a wait a select withdrew), a ghost.
struct PointItem {
    TimeNs start = 0;
    TimeNs end = 0; ///< == start
    std::uint32_t event = 0;
    std::uint32_t aux = 0; ///< Mark: label; cancel, drop: the event's aux; Ghost: description
    std::uint8_t detail = 0; ///< cancel, drop: CancelTarget
};

/// What woke a task, drawn as an arrow from its cause to the poll it led to.
/// Causes: the poll that registered the timer/I/O/channel wait, the finishing task's last
/// poll, the task's own poll for yield_now and a spent budget, a blocking job's end on its
/// pool lane, or the poll that was running when the wake happened (a channel send).
struct WakeArrow {
    TimeNs from = 0;
    TimeNs woken = 0; ///< when the wake happened
    std::uint32_t fromLane = 0;
    std::uint32_t fromPoll = kNoItem; ///< the causing poll, if a poll caused it
    std::uint32_t toPoll = 0; ///< the poll it led to (its start is the arrow's head)
    std::uint32_t event = 0; ///< the Wake event
    WakeCause cause = WakeCause::Timer;
};

/// A spawn: a connector from the parent's lane to the child's at the spawn time.
struct SpawnLink {
    TimeNs start = 0;
    TimeNs end = 0; ///< == start
    std::uint32_t event = 0;
    TaskId parent = kNoTask;
    TaskId child = 0;
};

/// A poll as its task's lane draws it: a compact copy of the PollItem, so that a lane's polls
/// lie contiguously in memory for the binary searches and merged runs of painting.
struct LanePoll {
    TimeNs start = 0;
    TimeNs end = 0;
    std::uint32_t event = 0; ///< PollStart
    std::uint32_t sequence = 0; ///< the PollItem (TimelineModel::poll())
};

/// Index of the first item that ends at or after `time` (items.size() if none). Items are
/// sorted and do not overlap, so their ends are sorted too.
template <class Items>
std::size_t firstIndex(const Items& items, TimeNs time)
{
    std::size_t lo = 0, hi = items.size();
    while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (items[mid].end < time)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/// Index of the last item that starts at or before `time`, or -1 if none.
template <class Items>
std::ptrdiff_t lastIndex(const Items& items, TimeNs time)
{
    std::size_t lo = 0, hi = items.size();
    while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (items[mid].start <= time)
            lo = mid + 1;
        else
            hi = mid;
    }
    return std::ptrdiff_t(lo) - 1;
}

/// How many items, from the front, were created before event `limit` (a playback cursor).
template <class Items>
std::size_t countBeforeEvent(const Items& items, std::size_t limit)
{
    std::size_t lo = 0, hi = items.size();
    while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (items[mid].event < limit)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/// What the timeline draws, built once from a trace: lanes (worker, one per task with its
/// ghost lanes after it, one per blocking-pool lane actually used) holding plain sorted
/// vectors of items, plus the wake arrows and spawn links between lanes.
///
/// Immutable after construction and cheap to share; it keeps the trace alive. Building is one
/// pass over the events plus a stable counting sort per item kind (items of all lanes live in
/// one vector per kind, each lane owning a contiguous slice), so 10M events build in well under
/// a second and lanes cost a few bytes each even with a million tasks.
class TimelineModel
{
public:
    TimelineModel();
    explicit TimelineModel(std::shared_ptr<const Trace> trace);
    TimelineModel(const TimelineModel&) = delete;
    TimelineModel& operator=(const TimelineModel&) = delete;

    const Trace& trace() const { return *m_trace; }
    const std::shared_ptr<const Trace>& sharedTrace() const { return m_trace; }
    const Narration& narration() const { return m_narration; }
    /// [0, end of the run]; never empty.
    TimeRange bounds() const { return m_bounds; }
    std::size_t eventCount() const { return m_trace->events.size(); }

    // Lanes
    int laneCount() const { return int(m_lanes.size()); }
    const TimelineLane& lane(int lane) const { return m_lanes[std::size_t(lane)]; }
    static constexpr int workerLane() { return 0; }
    int laneOfTask(TaskId task) const;
    /// The lane of blocking-pool lane `poolLane`, or -1 if no job ran on it.
    int laneOfPool(int poolLane) const;
    /// "main", "fetch-0", "worker", "blocking pool 0", or a ghost's description.
    QString laneName(int lane) const;
    /// A second, dimmer part: "← main" (the parent), "never polled", "3 jobs".
    QString laneDetail(int lane) const;

    // Polls
    std::size_t pollCount() const { return m_polls.size(); }
    const PollItem& poll(std::size_t sequence) const { return m_polls[sequence]; }
    /// Every poll in the order they started: the worker lane.
    std::span<const PollItem> polls() const { return m_polls; }
    /// Sequence numbers of the Ready polls, for drawing them over merged runs of the worker lane.
    std::span<const std::uint32_t> readyPolls() const { return m_readyPolls; }
    /// The poll that event `event` started (its PollStart), or -1. A binary search: polls are
    /// ordered by their PollStart events.
    std::ptrdiff_t pollOfEvent(std::size_t event) const;
    /// A task lane's polls (empty for other lanes). Only the last can be Ready.
    std::span<const LanePoll> lanePolls(int lane) const;
    /// Parallel to a lane's polls (polls() on the worker lane, lanePolls() on a task lane): the
    /// summed length of the lane's polls before each, so the busy time of any stretch of them
    /// is a difference (the timeline's density of merged polls).
    std::span<const TimeNs> pollTimeBefore(int lane) const;
    /// How many of a lane's polls created before event `limit` overlap `range`, and how long
    /// they ran within it: what a band of dense polls on the timeline stands for.
    struct PollsWithin {
        std::size_t polls = 0;
        TimeNs busy = 0;
    };
    PollsWithin pollsWithin(int lane, TimeRange range, std::size_t limit) const;

    // Items of one lane (empty for lanes of another kind)
    std::span<const SpanItem> scheduled(int lane) const;
    /// Timers and I/O that were due before the reactor could deliver them (the worker was
    /// held): from the deadline to the wake. `event` is the registration, `endEvent` the wake.
    std::span<const SpanItem> late(int lane) const;
    std::span<const SpanItem> idle(int lane) const;
    /// Task lane: its sections; worker lane: all of them.
    std::span<const BlockItem> blocks(int lane) const;
    /// Parallel to blocks(lane): the summed length of the lane's sections before each.
    std::span<const TimeNs> blockTimeBefore(int lane) const;
    std::span<const JobItem> jobs(int lane) const;
    std::span<const PointItem> marks(int lane) const;
    /// The task's end, if the runtime shut down (or the run stopped) before it finished.
    std::span<const PointItem> cancels(int lane) const;
    /// Futures the task dropped while they waited: the timers, I/O, handle, job and channel
    /// waits of a select's losing branches (CancelTarget other than Task and Job). The task
    /// goes on; a dropped await of a task or job does not end that task or job.
    std::span<const PointItem> drops(int lane) const;
    std::span<const PointItem> ghosts(int lane) const;
    /// Whether a deadlock, a runaway bound or the user stopped the run (isStopped): then the
    /// tasks (and blocking jobs) it left unfinished ended stopped rather than cancelled.
    bool isStoppedRun() const { return isStopped(m_trace->report.status); }
    /// Whether a cancel of cancels() is a task's end at a stop (a stopped task's lane ends with
    /// it) rather than a cancellation.
    bool isStop(const PointItem& cancel) const
    {
        return isStoppedRun() && CancelTarget(cancel.detail) == CancelTarget::Task;
    }
    /// Whether a task lane ends TaskEnd::Stopped.
    bool hasStoppedTasks() const { return m_hasStoppedTasks; }
    /// Whether a task or job was cancelled at shutdown: drawn as a cross (not as a stopped
    /// task's or job's square).
    bool hasCancelCrosses() const { return m_hasCancelCrosses; }
    bool hasDrops() const { return !m_drops.empty(); }
    // Whether the whole run (whatever the cursor) has any of these, for the legend.
    bool hasBlocks() const { return !m_blocks.empty(); }
    bool hasJobs() const { return !m_jobs.empty(); }
    bool hasLateWakes() const { return !m_late.empty(); }
    bool hasGhosts() const { return !m_ghosts.empty(); }
    bool hasMarks() const { return !m_marks.empty(); }

    // Between lanes
    std::span<const WakeArrow> wakes() const { return m_wakes; }
    /// Sorted by time; the spawn of task `child` is spawnOf(child).
    std::span<const SpawnLink> spawns() const { return m_spawns; }
    const SpawnLink* spawnOf(TaskId task) const;

    // Playback cursor: `position` polls (0..pollCount()) have run. A position is "after poll
    // position - 1": the cursor stands at that poll's end and its PollEnd is the last event
    // that has happened, so the timeline, the event log, the source line and the status bar
    // all show the same poll. The first position is before any poll (the events before the
    // first poll have happened, the cursor at its start); the last is the whole run.
    /// Events [0, eventLimit) have happened at `position`.
    std::size_t eventLimit(std::size_t position) const;
    /// Where the cursor stands at `position`: the last poll's end (0: the first poll's start;
    /// pollCount(): the end of the run).
    TimeNs cursorTime(std::size_t position) const;
    /// Events [0, eventLimit) have happened when the cursor stands at `time` in the gap after
    /// `position` (between cursorGap(position)): those up to the last poll's PollEnd, then
    /// the gap's events as far as they happened at or before `time`.
    std::size_t eventLimit(std::size_t position, TimeNs time) const;
    /// Where the cursor may stand at `position`: from the last poll's end (0: the run's start)
    /// to the next poll's start (pollCount(): the run's end).
    TimeRange cursorGap(std::size_t position) const;

    // Descriptions for tooltips and the status bar
    /// The line a poll ended at (its PollEnd's span), 0 if unknown.
    int sourceLine(std::size_t sequence) const;
    /// Task, poll index, outcome, start, duration, source line, what woke it, what it waits on.
    QString describePoll(std::size_t sequence) const;
    QString describeSpan(int lane, const SpanItem& span, bool scheduled) const;
    QString describeLate(int lane, const SpanItem& span) const;
    QString describeJob(const JobItem& job) const;
    /// Wake `wake` (of wakes()): who woke whom, why and when, then when the woken task was
    /// polled, if that poll happened before event `limit` (a playback cursor; eventCount() or
    /// more: the whole run).
    QString describeWake(std::size_t wake, std::size_t limit) const;
    /// A mark, a task's cancel or stop, a ghost, or a drop as describeDrops() tells it.
    QString describePoint(int lane, const PointItem& point) const;
    /// Drops [first, last) of `lane`'s drops(), drawn as one symbol: why they were dropped and,
    /// for each, what it waited on and what became of that: "select dropped the losing branch at
    /// 100 ms, line 11: I/O GET slow.example, due at 300 ms, was cancelled". Drops of one select
    /// (same time and line) share that first part; each further select starts a line of its own.
    QString describeDrops(int lane, std::size_t first, std::size_t last) const;
    /// A time as the descriptions show it: exact, to the trace's resolution.
    QString exactTime(TimeNs time) const
    {
        return formatExactTime(time, m_trace->timeResolution());
    }

private:
    /// The events of the gap after `position` polls: [after the last poll's PollEnd, the next
    /// poll's PollStart); at pollCount(), to the end of the log.
    std::pair<std::size_t, std::size_t> gapEvents(std::size_t position) const;

    struct Builder;

    std::shared_ptr<const Trace> m_trace;
    Narration m_narration;
    TimeRange m_bounds { 0, 1 };

    BulkVector<TimelineLane> m_lanes;
    BulkVector<std::uint32_t> m_taskLane; ///< per task
    BulkVector<int> m_poolLane; ///< per pool lane number; -1: unused

    BulkVector<PollItem> m_polls; ///< in the order they started: the worker lane
    BulkVector<LanePoll> m_lanePolls; ///< grouped by task
    BulkVector<std::uint32_t> m_lanePollOffsets;
    BulkVector<std::uint32_t> m_readyPolls; ///< sequence numbers of Ready polls
    BulkVector<TimeNs> m_pollTimeBefore; ///< parallel to m_polls
    BulkVector<TimeNs> m_lanePollTimeBefore; ///< parallel to m_lanePolls

    // Grouped by task, with offsets per task (taskCount + 1).
    BulkVector<SpanItem> m_scheduled;
    BulkVector<std::uint32_t> m_scheduledOffsets;
    BulkVector<SpanItem> m_late;
    BulkVector<std::uint32_t> m_lateOffsets;
    BulkVector<SpanItem> m_idle;
    BulkVector<std::uint32_t> m_idleOffsets;
    BulkVector<BlockItem> m_blocks; ///< in time order: the worker lane
    BulkVector<BlockItem> m_taskBlocks;
    BulkVector<std::uint32_t> m_blockOffsets;
    BulkVector<TimeNs> m_blockTimeBefore; ///< parallel to m_blocks
    BulkVector<TimeNs> m_taskBlockTimeBefore; ///< parallel to m_taskBlocks
    BulkVector<PointItem> m_marks;
    BulkVector<std::uint32_t> m_markOffsets;
    BulkVector<PointItem> m_cancels;
    BulkVector<std::uint32_t> m_cancelOffsets;
    BulkVector<PointItem> m_drops;
    BulkVector<std::uint32_t> m_dropOffsets;
    // Grouped by ghost lane and by pool lane.
    BulkVector<PointItem> m_ghosts;
    BulkVector<std::uint32_t> m_ghostOffsets; ///< per ghost group (TimelineLane::index)
    BulkVector<JobItem> m_jobs;
    BulkVector<std::uint32_t> m_jobOffsets; ///< per pool lane number

    bool m_hasStoppedTasks = false;
    bool m_hasCancelCrosses = false;

    BulkVector<WakeArrow> m_wakes; ///< in the order of the polls they lead to
    BulkVector<SpawnLink> m_spawns;
    BulkVector<std::uint32_t> m_spawnOfTask;
};

} // namespace pollscope
