#pragma once

// Implementation of runtime/task.h. Do not include directly.

#include <utility>

namespace pollscope {

namespace detail {

template<class T>
struct TaskPromise final : PromiseBase {
    std::optional<T> value;

    Task<T> get_return_object() noexcept
    {
        return Task<T>(std::coroutine_handle<TaskPromise>::from_promise(*this));
    }
    template<class U>
    void return_value(U&& v)
    {
        value.emplace(std::forward<U>(v));
    }
};

template<>
struct TaskPromise<void> final : PromiseBase {
    Task<void> get_return_object() noexcept
    {
        return Task<void>(std::coroutine_handle<TaskPromise>::from_promise(*this));
    }
    void return_void() const noexcept { }
};

} // namespace detail

template<class Derived>
template<class Promise>
bool Future<Derived>::await_suspend(std::coroutine_handle<Promise> coroutine)
{
    // Derived is final, so this call is direct; the first poll happens inside the await.
    if (static_cast<Derived*>(this)->poll())
        return false;
    coroutine.promise().awaiting = this;
    return true;
}

template<class Derived>
decltype(auto) Future<Derived>::await_resume()
{
    return static_cast<Derived*>(this)->result();
}

inline bool pollFrame(std::coroutine_handle<> frame, PromiseBase& promise)
{
    if (promise.awaiting) {
        if (!promise.awaiting->poll())
            return false;
        promise.awaiting = nullptr;
    }
    frame.resume();
    return frame.done();
}

template<class T>
Task<T>::Task(Handle frame) noexcept
    : m_frame(frame)
{
}

template<class T>
Task<T>::Task(Task&& other) noexcept
    : m_frame(std::exchange(other.m_frame, {}))
{
}

template<class T>
Task<T>& Task<T>::operator=(Task&& other) noexcept
{
    if (this != &other) {
        if (m_frame)
            m_frame.destroy();
        m_frame = std::exchange(other.m_frame, {});
    }
    return *this;
}

template<class T>
Task<T>::~Task()
{
    if (m_frame)
        m_frame.destroy();
}

template<class T>
bool Task<T>::poll()
{
    return pollFrame(m_frame, m_frame.promise());
}

template<class T>
T Task<T>::result()
{
    auto& promise = m_frame.promise();
    if (promise.error)
        std::rethrow_exception(promise.error);
    if constexpr (!std::is_void_v<T>)
        return std::move(*promise.value);
}

template<class T>
typename Task<T>::Handle Task<T>::release() noexcept
{
    static_assert(alignof(promise_type) == alignof(PromiseBase), "framePromise() must find the promise");
    Q_ASSERT(&framePromise(m_frame.address()) == &m_frame.promise());
    return std::exchange(m_frame, {});
}

} // namespace pollscope
