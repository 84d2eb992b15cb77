#include "runtime/tasktable.h"

#include <utility>

namespace pollscope {

TaskId TaskTable::add(std::coroutine_handle<> frame, PromiseBase& promise, SpanId span, std::uint32_t handleRefs, TaskState state)
{
    const auto task = static_cast<TaskId>(m_slots.size());
    m_slots.push_back(TaskSlot { frame, &promise, span, 0, handleRefs, state, false });
    m_firstWaiter.push_back(kNoLink);
    return task;
}

void TaskTable::release(TaskId task)
{
    TaskSlot& slot = m_slots[task];
    if (--slot.handleRefs == 0 && slot.state == TaskState::Completed)
        destroyFrame(task);
}

void TaskTable::completed(TaskId task)
{
    if (m_slots[task].handleRefs == 0)
        destroyFrame(task);
}

void TaskTable::destroyFrame(TaskId task)
{
    TaskSlot& slot = m_slots[task];
    if (!slot.frame)
        return;
    auto frame = std::exchange(slot.frame, {});
    slot.promise = nullptr;
    frame.destroy();
}

void TaskTable::destroyAll()
{
    for (TaskId task = 0; task < m_slots.size(); ++task)
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
    m_links[link] = WaitLink { waiter, m_firstWaiter[target] };
    m_firstWaiter[target] = link;
}

bool TaskTable::removeWaiter(TaskId target, TaskId waiter)
{
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

std::vector<TaskId> TaskTable::takeWaiters(TaskId target)
{
    std::vector<TaskId> waiters;
    for (std::uint32_t link = std::exchange(m_firstWaiter[target], kNoLink); link != kNoLink;) {
        const WaitLink waitLink = m_links[link];
        m_links[link].next = m_freeLinks;
        m_freeLinks = link;
        waiters.push_back(waitLink.waiter);
        link = waitLink.next;
    }
    return waiters;
}

} // namespace pollscope
