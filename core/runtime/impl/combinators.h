#pragma once

// Implementation of runtime/combinators.h. Do not include directly.

#include <utility>

namespace pollscope {

namespace detail {

template<class F>
FutureValue<F> takeResult(F& future)
{
    if constexpr (std::is_void_v<FutureResult<F>>) {
        future.result();
        return std::monostate {};
    } else {
        return future.result();
    }
}

} // namespace detail

template<class PollBranch>
bool pollJoinBranches(std::size_t count, std::size_t& nextStart, bool* done, PollBranch&& pollBranch)
{
    const std::size_t start = nextStart;
    nextStart = start + 1 == count ? 0 : start + 1;
    bool allDone = true;
    for (std::size_t k = 0; k < count; ++k) {
        const std::size_t i = start + k < count ? start + k : start + k - count;
        if (done[i])
            continue;
        done[i] = pollBranch(i);
        allDone = allDone && done[i];
    }
    return allDone;
}

template<class... Fs>
JoinAll<Fs...>::JoinAll(Fs... branches)
    : m_branches(std::move(branches)...)
{
}

template<class... Fs>
bool JoinAll<Fs...>::poll()
{
    return pollJoinBranches(sizeof...(Fs), m_nextStart, m_done.data(),
        [this](std::size_t i) { return pollBranch(i, std::index_sequence_for<Fs...> {}); });
}

template <class... Fs>
template <std::size_t... I>
bool JoinAll<Fs...>::pollBranch(std::size_t i, std::index_sequence<I...>)
{
    bool ready = false;
    ((I == i ? (ready = std::get<I>(m_branches).poll(), true) : false) || ...);
    return ready;
}

template<class... Fs>
std::tuple<FutureValue<Fs>...> JoinAll<Fs...>::result()
{
    return std::apply(
        [](auto&... branch) { return std::tuple<FutureValue<Fs>...>(detail::takeResult(branch)...); },
        m_branches);
}

template<class... Fs>
SelectAny<Fs...>::SelectAny(Fs... branches)
    : m_branches(std::optional<Fs>(std::move(branches))...)
{
}

template<class... Fs>
bool SelectAny<Fs...>::poll()
{
    return pollInOrder(std::index_sequence_for<Fs...> {});
}

template<class... Fs>
template<std::size_t... I>
bool SelectAny<Fs...>::pollInOrder(std::index_sequence<I...>)
{
    // Short-circuits at the first Ready branch, in written order.
    const bool ready = ((std::get<I>(m_branches)->poll() ? (m_winner = I, true) : false) || ...);
    if (ready)
        ((I != m_winner ? (std::get<I>(m_branches).reset(), 0) : 0), ...);
    return ready;
}

template<class... Fs>
std::variant<FutureValue<Fs>...> SelectAny<Fs...>::result()
{
    return takeWinner(std::index_sequence_for<Fs...> {});
}

template<class... Fs>
template<std::size_t... I>
std::variant<FutureValue<Fs>...> SelectAny<Fs...>::takeWinner(std::index_sequence<I...>)
{
    std::variant<FutureValue<Fs>...> value;
    ((I == m_winner
          ? (value.template emplace<I>(detail::takeResult(*std::get<I>(m_branches))), true)
          : false)
     || ...);
    return value;
}

} // namespace pollscope
