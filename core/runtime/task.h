#pragma once

#include "runtime/frameallocator.h"

#include <QtGlobal>

#include <coroutine>
#include <cstddef>
#include <exception>
#include <optional>
#include <type_traits>

namespace pollscope {

/// Something a suspended coroutine waits on, polled as Rust polls a future.
///
/// Contract: `poll()` does one step of work (registering with the runtime on its first call)
/// and returns true once the value is ready; after that it is not polled again. The runtime
/// polls the node a task is suspended on each time it polls the task, woken or not. A node
/// must stay at one address from its first poll until it is ready or destroyed; destroying it
/// earlier withdraws its registrations (this is how `select` drops its losers).
class PollNode {
public:
    virtual ~PollNode() = default;
    virtual bool poll() = 0;
};

/// Makes a PollNode awaitable inside a Task. An await is a poll, as in Rust: `co_await f`
/// polls `f` at once and suspends the coroutine on it only while it is Pending.
/// `Derived` provides `bool poll()` and `result()`.
template <class Derived>
class Future : public PollNode {
public:
    bool await_ready() const noexcept { return false; }
    template <class Promise>
    bool await_suspend(std::coroutine_handle<Promise> coroutine);
    decltype(auto) await_resume();
};

/// Awaits a PollNode owned elsewhere (it must outlive the await); read its value afterwards.
class NodeAwaiter {
public:
    explicit NodeAwaiter(PollNode& node) noexcept
        : m_node(node)
    {
    }
    bool await_ready() const noexcept { return false; }
    template <class Promise>
    bool await_suspend(std::coroutine_handle<Promise> coroutine)
    {
        if (m_node.poll())
            return false;
        coroutine.promise().awaiting = &m_node;
        return true;
    }
    void await_resume() const noexcept { }

private:
    PollNode& m_node;
};

/// The part of a coroutine's promise the runtime needs: what the frame is suspended on.
/// Frames come from FrameAllocator.
struct PromiseBase {
    PollNode* awaiting = nullptr; ///< null before the first resume and while running
    std::exception_ptr error; ///< set when the coroutine ended with an exception (task failure)

    static void* operator new(std::size_t size) { return FrameAllocator::allocate(size); }
    static void operator delete(void* frame, std::size_t size) noexcept
    {
        FrameAllocator::deallocate(frame, size);
    }

    std::suspend_always initial_suspend() const noexcept { return {}; }
    std::suspend_always final_suspend() const noexcept { return {}; }
    void unhandled_exception() noexcept { error = std::current_exception(); }
};

/// The PromiseBase of a task's frame, from the frame's address alone (the compiler's own
/// mapping, as coroutine_handle<P>::promise() uses). It holds for every Task: a
/// TaskPromise<T> begins with its PromiseBase and has PromiseBase's alignment (Task checks),
/// so every Task's promise lies at the same place in its frame.
inline PromiseBase& framePromise(void* frame)
{
    return *static_cast<PromiseBase*>(__builtin_coro_promise(frame, alignof(PromiseBase), false));
}

/// Polls a coroutine frame once: polls the node it is suspended on and, if that is ready (or
/// the frame has not started), resumes it until its next suspension. Returns true once the
/// coroutine has finished.
bool pollFrame(std::coroutine_handle<> frame, PromiseBase& promise);

template <class T>
class Task;

namespace detail {
template <class T>
struct TaskPromise;
}

/// A lazy coroutine: nothing runs until it is awaited (polled) or spawned. Awaiting a Task
/// polls it inside the awaiting task's poll, like calling an `async fn` and `.await`ing it in
/// Rust. The Task owns its frame; it may be moved only before its first poll.
template <class T = void>
class [[nodiscard]] Task final : public Future<Task<T>> {
public:
    using promise_type = detail::TaskPromise<T>;
    using Handle = std::coroutine_handle<promise_type>;

    Task() = default;
    explicit Task(Handle frame) noexcept;
    Task(Task&& other) noexcept;
    Task& operator=(Task&& other) noexcept;
    Task(const Task&) = delete;
    Task& operator=(const Task&) = delete;
    ~Task() override;

    bool poll() override;
    /// The value the coroutine returned; rethrows its failure. Call once, after poll() was true.
    T result();
    /// Gives up ownership of the frame (spawn hands it to the runtime).
    Handle release() noexcept;

private:
    Handle m_frame;
};

} // namespace pollscope

#include "runtime/impl/task.h"
