#pragma once

#include "runtime/runtime.h"

#include <deque>
#include <unordered_map>

namespace pollscope {

/// The counts and waiters of a run's channels, shared by both runtimes (the values themselves
/// live in Channel<T>). A channel holds `capacity` values; senders wait for room and receivers
/// for a value, each first come, first served; a freed slot is handed to the first waiting
/// sender, which fills it at its next poll.
class ChannelTable
{
public:
    /// What the channel logic asks of the runtime that owns it.
    class Host
    {
    public:
        virtual void channelWake(TaskId task, ResourceId channel) = 0;
        virtual void channelEvent(EventKind kind, TaskId task, ResourceId channel, std::uint8_t detail) = 0;

    protected:
        ~Host() = default;
    };

    explicit ChannelTable(Host& host)
        : m_host(host)
    {
    }

    void create(ResourceId channel, std::uint32_t capacity);
    /// The runtime has already checked its budget; Done and Closed spend one unit of it.
    ChannelPoll pollSend(ResourceId channel, std::uint32_t& token, TaskId current);
    ChannelPoll pollRecv(ResourceId channel, std::uint32_t& token, TaskId current);
    void close(ResourceId channel, TaskId current);
    void cancelWait(ResourceId channel, std::uint32_t token, TaskId current);

private:
    struct Waiter {
        std::uint32_t token;
        TaskId task;
        /// A sender handed a freed slot that it has yet to fill; a receiver woken for a value
        /// that it has yet to take.
        bool granted;
        /// A receive dropped while it waited: as tokio's receiver waker outlives the recv
        /// future, the next value or close still wakes the task, once.
        bool dropped = false;
    };
    struct State {
        std::uint32_t capacity = 1;
        std::uint32_t size = 0; ///< values in the buffer
        std::uint32_t granted = 0; ///< slots handed to waiting senders, not yet filled
        std::uint32_t droppedReceivers = 0; ///< wakers left by dropped receives
        bool closed = false;
        std::deque<Waiter> senders;
        std::deque<Waiter> receivers;
    };

    void grantFreedSlot(ResourceId channel, State& state);
    /// Wakes the first waiting receiver that no buffered value is already promised to.
    void notifyReceiver(ResourceId channel, State& state);
    /// A value arrived: wakes, once, every task whose dropped receive left its waker.
    void wakeDroppedReceivers(ResourceId channel, State& state);

    Host& m_host;
    std::unordered_map<ResourceId, State> m_channels;
    std::uint32_t m_tokens = 0;
};

} // namespace pollscope
