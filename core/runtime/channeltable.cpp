#include "runtime/channeltable.h"

#include <algorithm>
#include <vector>

namespace pollscope {

void ChannelTable::create(ResourceId channel, std::uint32_t capacity)
{
    m_channels[channel].capacity = std::max<std::uint32_t>(1, capacity);
}

ChannelPoll ChannelTable::pollSend(ResourceId channel, std::uint32_t& token, TaskId current)
{
    State& c = m_channels[channel];
    auto mine = std::find_if(c.senders.begin(), c.senders.end(), [token](const Waiter& w) { return token && w.token == token; });
    if (c.closed) {
        if (mine != c.senders.end()) {
            c.granted -= mine->granted ? 1 : 0;
            c.senders.erase(mine);
        }
        return ChannelPoll::Closed;
    }
    const bool hasSlot = mine != c.senders.end() ? mine->granted : c.senders.empty() && c.size + c.granted < c.capacity;
    if (!hasSlot) {
        if (mine == c.senders.end()) {
            token = ++m_tokens;
            c.senders.push_back(Waiter { token, current, false });
            m_host.channelEvent(EventKind::WaitRegistered, current, channel, std::uint8_t(WaitTarget::ChannelSend));
        }
        return ChannelPoll::Pending;
    }
    if (mine != c.senders.end()) {
        --c.granted;
        c.senders.erase(mine);
    }
    ++c.size;
    m_host.channelEvent(EventKind::ChannelOp, current, channel, std::uint8_t(ChannelOpKind::Send));
    wakeDroppedReceivers(channel, c);
    notifyReceiver(channel, c);
    return ChannelPoll::Done;
}

ChannelPoll ChannelTable::pollRecv(ResourceId channel, std::uint32_t& token, TaskId current)
{
    State& c = m_channels[channel];
    auto mine = std::find_if(c.receivers.begin(), c.receivers.end(), [token](const Waiter& w) { return token && w.token == token; });
    if (c.size > 0 || c.closed) {
        if (mine != c.receivers.end())
            c.receivers.erase(mine);
        if (c.size == 0)
            return ChannelPoll::Closed;
        --c.size;
        m_host.channelEvent(EventKind::ChannelOp, current, channel, std::uint8_t(ChannelOpKind::Recv));
        grantFreedSlot(channel, c);
        return ChannelPoll::Done;
    }
    if (mine != c.receivers.end() && mine->granted) {
        // Woken for a value another receiver took first: wait again, at the back.
        c.receivers.erase(mine);
        mine = c.receivers.end();
    }
    if (mine == c.receivers.end()) {
        // A new registration replaces the waker a dropped receive of this task left.
        if (c.droppedReceivers > 0)
            c.droppedReceivers -= std::uint32_t(std::erase_if(c.receivers,
                [current](const Waiter& w) { return w.dropped && w.task == current; }));
        token = ++m_tokens;
        c.receivers.push_back(Waiter { token, current, false });
        m_host.channelEvent(EventKind::WaitRegistered, current, channel, std::uint8_t(WaitTarget::ChannelRecv));
    }
    return ChannelPoll::Pending;
}

void ChannelTable::grantFreedSlot(ResourceId channel, State& c)
{
    for (Waiter& sender : c.senders) {
        if (c.size + c.granted >= c.capacity)
            return;
        if (sender.granted)
            continue;
        sender.granted = true;
        ++c.granted;
        m_host.channelWake(sender.task, channel);
    }
}

void ChannelTable::notifyReceiver(ResourceId channel, State& c)
{
    // Each buffered value has at most one woken receiver on its way to take it.
    std::uint32_t notified = 0;
    for (Waiter& receiver : c.receivers) {
        if (receiver.dropped)
            continue;
        if (receiver.granted) {
            ++notified;
            continue;
        }
        if (notified >= c.size)
            return;
        receiver.granted = true;
        m_host.channelWake(receiver.task, channel);
        return;
    }
}

void ChannelTable::wakeDroppedReceivers(ResourceId channel, State& c)
{
    if (c.droppedReceivers == 0)
        return;
    c.droppedReceivers = 0;
    std::vector<TaskId> tasks;
    std::erase_if(c.receivers, [&tasks](const Waiter& w) {
        if (w.dropped)
            tasks.push_back(w.task);
        return w.dropped;
    });
    for (const TaskId task : tasks)
        m_host.channelWake(task, channel);
}

void ChannelTable::close(ResourceId channel, TaskId current)
{
    State& c = m_channels[channel];
    if (c.closed)
        return;
    c.closed = true;
    m_host.channelEvent(EventKind::ChannelOp, current, channel, std::uint8_t(ChannelOpKind::Close));
    const auto receivers = std::exchange(c.receivers, {});
    c.droppedReceivers = 0;
    for (const Waiter& w : receivers)
        m_host.channelWake(w.task, channel);
    for (const Waiter& w : c.senders)
        m_host.channelWake(w.task, channel);
}

void ChannelTable::cancelWait(ResourceId channel, std::uint32_t token, TaskId current)
{
    State& c = m_channels[channel];
    const auto matches = [token](const Waiter& w) { return w.token == token; };
    if (auto it = std::find_if(c.receivers.begin(), c.receivers.end(), matches); it != c.receivers.end()) {
        if (!it->granted) {
            // Nothing is withdrawn: the task's waker stays until a value or close wakes it.
            it->dropped = true;
            it->token = 0;
            ++c.droppedReceivers;
            return;
        }
        // A receiver dropped after it was woken passes the value on to the next one.
        c.receivers.erase(it);
        notifyReceiver(channel, c);
    } else if (auto sender = std::find_if(c.senders.begin(), c.senders.end(), matches); sender != c.senders.end()) {
        const bool wasGranted = sender->granted;
        c.senders.erase(sender);
        if (wasGranted) {
            --c.granted;
            grantFreedSlot(channel, c);
        }
    } else {
        return;
    }
    m_host.channelEvent(EventKind::Cancel, current, channel, std::uint8_t(CancelTarget::ChannelWait));
}

} // namespace pollscope
