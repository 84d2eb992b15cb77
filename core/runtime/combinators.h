#pragma once

#include "runtime/task.h"

#include <array>
#include <cstddef>
#include <optional>
#include <tuple>
#include <variant>

namespace pollscope {

template <class F>
using FutureResult = decltype(std::declval<F&>().result());

/// A future's result as a value: `void` becomes std::monostate.
template <class F>
using FutureValue =
    std::conditional_t<std::is_void_v<FutureResult<F>>, std::monostate, FutureResult<F>>;

/// tokio::join!'s fairness rule, shared by every join: the k-th poll (from 0) starts at branch
/// k mod n and wraps around; finished branches are not polled again. `pollBranch(i)` polls
/// branch i and returns true when it is ready. Returns true when every branch is done.
template <class PollBranch>
bool pollJoinBranches(
    std::size_t count, std::size_t& nextStart, bool* done, PollBranch&& pollBranch);

/// `join(a, b, ...)`: runs its branches inside one task with one waker; Ready when all are,
/// with a tuple of their values.
template <class... Fs>
class JoinAll final : public Future<JoinAll<Fs...>> {
public:
    explicit JoinAll(Fs... branches);
    bool poll() override;
    std::tuple<FutureValue<Fs>...> result();

private:
    /// Polls branch `i`, by its type: a branch need not be a PollNode.
    template <std::size_t... I>
    bool pollBranch(std::size_t i, std::index_sequence<I...>);

    std::tuple<Fs...> m_branches;
    std::array<bool, sizeof...(Fs)> m_done {};
    std::size_t m_nextStart = 0;
};

/// `select(a, b, ...)` (tokio's `select! { biased; ... }`): polls the branches in written
/// order; the first Ready one wins and the others are dropped at once, withdrawing their
/// timers, I/O and handle-awaits. The value's index is the winning branch.
template <class... Fs>
class SelectAny final : public Future<SelectAny<Fs...>> {
public:
    explicit SelectAny(Fs... branches);
    bool poll() override;
    std::variant<FutureValue<Fs>...> result();

private:
    template <std::size_t... I>
    bool pollInOrder(std::index_sequence<I...>);
    template <std::size_t... I>
    std::variant<FutureValue<Fs>...> takeWinner(std::index_sequence<I...>);

    std::tuple<std::optional<Fs>...> m_branches;
    std::size_t m_winner = sizeof...(Fs);
};

template <class... Fs>
JoinAll<std::decay_t<Fs>...> join(Fs&&... branches)
{
    return JoinAll<std::decay_t<Fs>...>(std::forward<Fs>(branches)...);
}

template <class... Fs>
SelectAny<std::decay_t<Fs>...> select(Fs&&... branches)
{
    return SelectAny<std::decay_t<Fs>...>(std::forward<Fs>(branches)...);
}

} // namespace pollscope

#include "runtime/impl/combinators.h"
