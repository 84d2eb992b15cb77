#pragma once

#include "runtime/runtime.h"

#include <deque>
#include <memory>
#include <optional>

namespace pollscope {

/// A bounded multi-producer channel (tokio's mpsc::channel(capacity)). Copies share one
/// channel. `send` waits for a free slot and `recv` for a value; both are budgeted. Closing
/// wakes every waiter: pending sends fail, and receives drain what is left, then get nothing.
template <class T>
class Channel {
public:
    explicit Channel(std::uint32_t capacity, QAnyStringView label = {});

    class SendFuture;
    class RecvFuture;

    /// A future that is Ready once `value` is in the channel; its result is false if the
    /// channel was closed first.
    SendFuture send(T value) const { return SendFuture(m_state, std::move(value)); }
    /// A future that is Ready with the next value, or with nothing once closed and empty.
    RecvFuture recv() const { return RecvFuture(m_state); }
    void close() const { m_state->runtime->closeChannel(m_state->resource); }
    std::size_t size() const { return m_state->values.size(); }

private:
    struct State {
        Runtime* runtime;
        ResourceId resource;
        std::deque<T> values;
    };
    std::shared_ptr<State> m_state;

public:
    class SendFuture final : public Future<SendFuture> {
    public:
        SendFuture(std::shared_ptr<State> state, T value);
        SendFuture(SendFuture&& other) noexcept = default; ///< only before the first poll
        ~SendFuture() override;
        bool poll() override;
        bool result() const noexcept { return m_outcome == ChannelPoll::Done; }

    private:
        std::shared_ptr<State> m_state;
        std::optional<T> m_value;
        std::uint32_t m_token = 0;
        ChannelPoll m_outcome = ChannelPoll::Pending;
    };

    class RecvFuture final : public Future<RecvFuture> {
    public:
        explicit RecvFuture(std::shared_ptr<State> state);
        RecvFuture(RecvFuture&& other) noexcept = default; ///< only before the first poll
        ~RecvFuture() override;
        bool poll() override;
        std::optional<T> result() { return std::move(m_value); }

    private:
        std::shared_ptr<State> m_state;
        std::optional<T> m_value;
        std::uint32_t m_token = 0;
        ChannelPoll m_outcome = ChannelPoll::Pending;
    };
};

} // namespace pollscope

#include "runtime/impl/channel.h"
