#pragma once

// Implementation of runtime/channel.h. Do not include directly.

namespace pollscope {

template<class T>
Channel<T>::Channel(std::uint32_t capacity, QAnyStringView label)
{
    Runtime* runtime = Runtime::current();
    m_state = std::make_shared<State>(
        State { runtime, runtime->createChannel(runtime->intern(label), capacity), {} });
}

template<class T>
Channel<T>::SendFuture::SendFuture(std::shared_ptr<State> state, T value)
    : m_state(std::move(state))
    , m_value(std::move(value))
{
}

template<class T>
Channel<T>::SendFuture::~SendFuture()
{
    if (m_state && m_token && m_outcome == ChannelPoll::Pending)
        m_state->runtime->cancelChannelWait(m_state->resource, m_token);
}

template<class T>
bool Channel<T>::SendFuture::poll()
{
    m_outcome = m_state->runtime->pollSend(m_state->resource, m_token);
    if (m_outcome == ChannelPoll::Done)
        m_state->values.push_back(std::move(*m_value));
    return m_outcome != ChannelPoll::Pending;
}

template<class T>
Channel<T>::RecvFuture::RecvFuture(std::shared_ptr<State> state)
    : m_state(std::move(state))
{
}

template<class T>
Channel<T>::RecvFuture::~RecvFuture()
{
    if (m_state && m_token && m_outcome == ChannelPoll::Pending)
        m_state->runtime->cancelChannelWait(m_state->resource, m_token);
}

template<class T>
bool Channel<T>::RecvFuture::poll()
{
    m_outcome = m_state->runtime->pollRecv(m_state->resource, m_token);
    if (m_outcome == ChannelPoll::Done) {
        m_value = std::move(m_state->values.front());
        m_state->values.pop_front();
    }
    return m_outcome != ChannelPoll::Pending;
}

} // namespace pollscope
