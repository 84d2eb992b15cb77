#include "runtime/tasktable.h"

#include <utility>

namespace pollscope {

void TaskTable::detachAndDestroyFrame(TaskId task)
{
    TaskSlot& slot = m_slots[task];
    const auto frame = slot.coroutine();
    slot.frame = nullptr;
    --m_frames;
    frame.destroy();
}

void TaskTable::destroyRemainingFrames()
{
    // Destroying a frame can destroy others (release()), so the count is read again each time.
    for (TaskId task = 0; task < m_slots.size() && m_frames != 0; ++task)
        destroyFrame(task);
}

void TaskTable::addWaiter(TaskId target, TaskId waiter)
{
    std::uint32_t link = m_freeLinks;
    if (link != kNoLink) {
        m_freeLinks = m_links[link].next;
    } else {
        link = static_cast<std::uint32_t>(m_links.size());
        m_links.emplace_back();
    }
    if (target >= m_firstWaiter.size())
        m_firstWaiter.resize(std::size_t(target) + 1, kNoLink);
    m_links[link] = WaitLink { waiter, m_firstWaiter[target] };
    m_firstWaiter[target] = link;
}

bool TaskTable::removeWaiter(TaskId target, TaskId waiter)
{
    if (target >= m_firstWaiter.size())
        return false;
    for (std::uint32_t* at = &m_firstWaiter[target]; *at != kNoLink; at = &m_links[*at].next) {
        if (m_links[*at].waiter != waiter)
            continue;
        const std::uint32_t link = *at;
        *at = m_links[link].next;
        m_links[link].next = m_freeLinks;
        m_freeLinks = link;
        return true;
    }
    return false;
}

} // namespace pollscope
