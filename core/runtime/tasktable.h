#pragma once

#include "runtime/runtimetypes.h"
#include "runtime/task.h"

#include <type_traits>
#include <utility>
#include <vector>

namespace pollscope {

enum class TaskState : std::uint8_t { Idle, Queued, Running, Completed, Cancelled };

/// One task as a runtime keeps it. 32 bytes: a scheduler touches one per poll, two per line.
/// Trivial (no default member values), so the table's vector grows by memmove.
struct TaskSlot {
    void* frame; ///< the coroutine frame's address; null once destroyed
    PromiseBase* promise;
    SpanId span; ///< where the task currently is in its source
    std::uint32_t polls;
    std::uint32_t handleRefs; ///< JoinHandles and awaits that may still read the result
    TaskState state;
    bool wokenWhilePolled;

    std::coroutine_handle<> coroutine() const { return std::coroutine_handle<>::from_address(frame); }
};
static_assert(sizeof(TaskSlot) == 32 && std::is_trivial_v<TaskSlot>);

/// The tasks of a run and the lifetime of their frames, shared by both runtimes.
///
/// A frame lives until its task completes and no handle refers to it, or until destroyAll().
/// Destroying a frame can release handles of other tasks and so re-enter release(): frames
/// are detached from their slot before they are destroyed.
class TaskTable {
public:
    ~TaskTable() { destroyAll(); }

    TaskId add(std::coroutine_handle<> frame, PromiseBase& promise, SpanId span,
        std::uint32_t handleRefs, TaskState state)
    {
        const auto task = static_cast<TaskId>(m_slots.size());
        m_slots.push_back(TaskSlot { frame.address(), &promise, span, 0, handleRefs, state, false });
        ++m_frames;
        return task;
    }
    TaskSlot& operator[](TaskId task) { return m_slots[task]; }
    const TaskSlot& operator[](TaskId task) const { return m_slots[task]; }
    std::size_t size() const { return m_slots.size(); }
    const TaskSlot* data() const { return m_slots.data(); }

    void retain(TaskId task) { ++m_slots[task].handleRefs; }
    void release(TaskId task)
    {
        TaskSlot& slot = m_slots[task];
        if (--slot.handleRefs == 0 && slot.state == TaskState::Completed)
            destroyFrame(task);
    }
    /// A completed task's frame goes as soon as no handle needs its result.
    void completed(TaskId task)
    {
        if (m_slots[task].handleRefs == 0)
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
    /// Removes the tasks awaiting `target` and calls `visit(waiter)` for each, the latest to
    /// begin waiting first. The list is detached before the first call.
    template <class Visit>
    void takeWaiters(TaskId target, Visit&& visit)
    {
        if (!hasWaiters(target))
            return;
        for (std::uint32_t link = std::exchange(m_firstWaiter[target], kNoLink); link != kNoLink;) {
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

    std::vector<TaskSlot> m_slots;
    /// Per task, into m_links; grows on the first wait for a task, so spawning skips it.
    std::vector<std::uint32_t> m_firstWaiter;
    std::vector<WaitLink> m_links;
    std::uint32_t m_freeLinks = kNoLink;
    std::size_t m_frames = 0; ///< slots that still own a frame
};

} // namespace pollscope
