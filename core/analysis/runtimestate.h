#pragma once

#include "trace/trace.h"

#include <map>
#include <memory>
#include <set>
#include <vector>

namespace pollscope {

/// What the executor held at one point of a run: derived from the trace by replaying it, so
/// stepping backwards is as exact as stepping forwards.
struct RuntimeState {
    struct Pending {
        ResourceId resource;
        TaskId task;
        TimeNs deadline;
        bool operator==(const Pending&) const = default;
    };
    struct Job {
        ResourceId resource;
        TaskId task;
        int lane;
        TimeNs start;
        TimeNs end;
        bool operator==(const Job&) const = default;
    };
    struct Waiter {
        TaskId task;
        WaitTarget target;
        std::uint32_t on; ///< task or resource, by target
        bool operator==(const Waiter&) const = default;
    };

    TimeNs time = 0;
    TaskId polling = kNoTask; ///< the task being polled, if the point falls inside a poll
    bool mainWoken = false; ///< main runs at the start of the next tick
    std::vector<TaskId> runQueue; ///< front first
    std::vector<TaskId> deferredYields; ///< yield_now wakes waiting for the reactor, in order
    std::vector<Pending> timers; ///< earliest first
    std::vector<Pending> io; ///< earliest first
    std::vector<Job> jobs; ///< started, end not yet delivered
    std::vector<Waiter> waiting; ///< idle tasks waiting on a handle, a channel or a job

    bool operator==(const RuntimeState&) const = default;
};

/// The state after the first `events` events of the trace (a replay from the start).
RuntimeState runtimeStateAt(const Trace& trace, std::size_t events);

/// The runtime's state at a moving point of one trace, for a view that follows playback.
///
/// Moving forward replays only the events in between; moving back restores the nearest
/// checkpoint before the point (one is kept every checkpointInterval() events passed) and
/// replays from there. Each event costs O(log n): the lists are ordered maps with an index by
/// task or resource, and whether a poll yielded (its next wake is a yield_now wake) is found
/// by one backward pass over the trace when the replay is created.
class RuntimeReplay
{
public:
    /// `interval`: events between checkpoints; 0 chooses one from the trace's size.
    explicit RuntimeReplay(std::shared_ptr<const Trace> trace, std::size_t interval = 0);
    ~RuntimeReplay();

    /// The state after the first `events` events (clamped to the trace).
    const RuntimeState& stateAt(std::size_t events);
    const Trace& trace() const { return *m_trace; }
    std::size_t checkpointInterval() const { return m_interval; }

private:
    /// Items in order (insertion order, or by deadline then insertion), each under an owner
    /// (a task or a resource) whose items can all be removed in O(k log n).
    template <class T>
    class OrderedList
    {
    public:
        void insert(std::uint32_t owner, T value, TimeNs rank = 0);
        void erase(std::uint32_t owner);
        void appendTo(std::vector<T>& out) const;

    private:
        using Key = std::pair<TimeNs, std::uint64_t>; ///< (rank, insertion number)
        std::map<Key, T> m_items;
        std::set<std::pair<std::uint32_t, Key>> m_byOwner;
        std::uint64_t m_next = 0;
    };

    /// Everything the replay needs to go on from a point: what a checkpoint holds.
    struct Replay {
        std::size_t position = 0; ///< events replayed
        TimeNs time = 0;
        TaskId polling = kNoTask;
        bool mainWoken = false;
        OrderedList<TaskId> runQueue;
        OrderedList<TaskId> deferredYields;
        OrderedList<RuntimeState::Pending> timers; ///< by resource, ranked by deadline
        OrderedList<RuntimeState::Pending> io;
        OrderedList<RuntimeState::Job> jobs; ///< by resource
        OrderedList<RuntimeState::Waiter> waiting; ///< by task
        std::vector<bool> wokenWhilePolled; ///< per task
        std::vector<bool> registeredInPoll; ///< per task
    };

    void apply(std::size_t index);
    void publish();

    std::shared_ptr<const Trace> m_trace;
    std::size_t m_interval;
    std::vector<bool> m_yieldedAt; ///< per event: a PollEnd whose task's next wake is a yield
    std::vector<Replay> m_checkpoints; ///< at 0, interval, 2 × interval, … as far as replayed
    Replay m_replay;
    RuntimeState m_state;
    bool m_published = false;
};

} // namespace pollscope
