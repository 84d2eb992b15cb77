#pragma once

#include "runtime/runtimetypes.h"
#include "runtime/task.h"

#include <type_traits>
#include <utility>
#include <vector>

namespace pollscope {

enum class TaskState : std::uint8_t { Idle, Queued, Running, Completed, Cancelled };

/// What a scheduler touches of a task on every poll. 16 bytes, four to a cache line: polling
/// many tasks round-robin streams through this table, so what is not needed per poll lives
/// elsewhere (TaskTable's cold side, the frame). Trivial, so the table grows by memmove.
struct TaskSlot {
    void* frame; ///< the coroutine frame's address; null once destroyed
    std::uint32_t polls;
    TaskState state;
    bool wokenWhilePolled;

    std::coroutine_handle<> coroutine() const { return std::coroutine_handle<>::from_address(frame); }
    PromiseBase& promise() const { return framePromise(frame); }
};
static_assert(sizeof(TaskSlot) == 16 && std::is_trivial_v<TaskSlot>);

/// The tasks of a run and the lifetime of their frames, shared by both runtimes.
///
/// A frame lives until its task completes and no handle refers to it, or until destroyAll().
/// Destroying a frame can release handles of other tasks and so re-enter release(): frames
/// are detached from their slot before they are destroyed.
class TaskTable {
public:
    ~TaskTable() { destroyAll(); }

    /// Takes a Task's root frame (from Task::release()).
    TaskId add(std::coroutine_handle<> frame, SpanId span, std::uint32_t handleRefs, TaskState state)
    {
        const auto task = static_cast<TaskId>(m_slots.size());
        m_slots.push_back(TaskSlot { frame.address(), 0, state, false });
        m_cold.push_back(ColdSlot { span, handleRefs });
        ++m_frames;
        return task;
    }
    TaskSlot& operator[](TaskId task) { return m_slots[task]; }
    const TaskSlot& operator[](TaskId task) const { return m_slots[task]; }
    std::size_t size() const { return m_slots.size(); }
    const TaskSlot* data() const { return m_slots.data(); }

    /// Where the task currently is in its source.
    SpanId& span(TaskId task) { return m_cold[task].span; }
    SpanId span(TaskId task) const { return m_cold[task].span; }

    void retain(TaskId task) { ++m_cold[task].handleRefs; }
    void release(TaskId task)
    {
        if (--m_cold[task].handleRefs == 0 && m_slots[task].state == TaskState::Completed)
            destroyFrame(task);
    }
    /// A completed task's frame goes as soon as no handle needs its result.
    void completed(TaskId task)
    {
        if (m_cold[task].handleRefs == 0)
            destroyFrame(task);
    }
    void destroyFrame(TaskId task)
    {
        if (m_slots[task].frame)
            detachAndDestroyFrame(task);
    }
    /// Destroys the frames left; returns at once when there are none (after shutdown, or when
    /// every task completed).
    void destroyAll()
    {
        if (m_frames != 0)
            destroyRemainingFrames();
    }

    /// Tasks awaiting `target`'s handle.
    bool hasWaiters(TaskId target) const
    {
        return target < m_firstWaiter.size() && m_firstWaiter[target] != kNoLink;
    }
    void addWaiter(TaskId target, TaskId waiter);
    bool removeWaiter(TaskId target, TaskId waiter);
    /// Removes the tasks awaiting `target` and calls `visit(waiter)` for each, in the order
    /// they began waiting (as channels serve theirs). The list is detached before the first call.
    template <class Visit>
    void takeWaiters(TaskId target, Visit&& visit)
    {
        if (!hasWaiters(target))
            return;
        // The list holds the latest waiter first: reversed, it holds the earliest first.
        std::uint32_t earliest = kNoLink;
        for (std::uint32_t link = std::exchange(m_firstWaiter[target], kNoLink); link != kNoLink;) {
            const std::uint32_t next = m_links[link].next;
            m_links[link].next = earliest;
            earliest = link;
            link = next;
        }
        for (std::uint32_t link = earliest; link != kNoLink;) {
            const WaitLink waitLink = m_links[link];
            m_links[link].next = m_freeLinks;
            m_freeLinks = link;
            visit(waitLink.waiter);
            link = waitLink.next;
        }
    }

private:
    static constexpr std::uint32_t kNoLink = ~std::uint32_t(0);
    struct WaitLink {
        TaskId waiter;
        std::uint32_t next;
    };

    [[gnu::noinline]] void detachAndDestroyFrame(TaskId task);
    void destroyRemainingFrames();

    /// Per task, what is not needed on every poll.
    struct ColdSlot {
        SpanId span;
        std::uint32_t handleRefs; ///< JoinHandles and awaits that may still read the result
    };

    std::vector<TaskSlot> m_slots;
    std::vector<ColdSlot> m_cold;
    /// Per task, into m_links; grows on the first wait for a task, so spawning skips it.
    std::vector<std::uint32_t> m_firstWaiter;
    std::vector<WaitLink> m_links;
    std::uint32_t m_freeLinks = kNoLink;
    std::size_t m_frames = 0; ///< slots that still own a frame
};

} // namespace pollscope
