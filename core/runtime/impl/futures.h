#pragma once

// Implementation of runtime/futures.h. Do not include directly.

#include <utility>

namespace pollscope {

template<class T>
JoinHandle<T>::JoinHandle(Runtime* runtime, TaskId task, detail::TaskPromise<T>& promise) noexcept
    : m_runtime(runtime)
    , m_promise(&promise)
    , m_task(task)
{
}

template<class T>
JoinHandle<T>::JoinHandle(JoinHandle&& other) noexcept
    : m_runtime(std::exchange(other.m_runtime, nullptr))
    , m_promise(other.m_promise)
    , m_task(other.m_task)
{
}

template<class T>
JoinHandle<T>& JoinHandle<T>::operator=(JoinHandle&& other) noexcept
{
    if (this != &other) {
        if (m_runtime)
            m_runtime->releaseTask(m_task);
        m_runtime = std::exchange(other.m_runtime, nullptr);
        m_promise = other.m_promise;
        m_task = other.m_task;
    }
    return *this;
}

template<class T>
JoinHandle<T>::~JoinHandle()
{
    if (m_runtime)
        m_runtime->releaseTask(m_task);
}

template<class T>
JoinFuture<T> JoinHandle<T>::join() const
{
    return JoinFuture<T>(m_runtime, m_task, *m_promise, true);
}

template<class T>
JoinFuture<T> JoinHandle<T>::operator co_await() const
{
    return JoinFuture<T>(m_runtime, m_task, *m_promise, false);
}

template<class T>
JoinFuture<T>::JoinFuture(Runtime* runtime, TaskId task, detail::TaskPromise<T>& promise,
    bool holdsReference) noexcept
    : m_runtime(runtime)
    , m_promise(&promise)
    , m_task(task)
    , m_holdsReference(holdsReference)
{
    if (m_holdsReference)
        m_runtime->retainTask(m_task);
}

template<class T>
JoinFuture<T>::JoinFuture(JoinFuture&& other) noexcept
    : m_runtime(std::exchange(other.m_runtime, nullptr))
    , m_promise(other.m_promise)
    , m_task(other.m_task)
    , m_holdsReference(other.m_holdsReference)
{
}

template<class T>
JoinFuture<T>::~JoinFuture()
{
    if (!m_runtime)
        return;
    if (m_registered && !m_ready)
        m_runtime->cancelJoinWait(m_task);
    if (m_holdsReference)
        m_runtime->releaseTask(m_task);
}

template<class T>
T JoinFuture<T>::result() const
{
    if (m_promise->error)
        std::rethrow_exception(m_promise->error);
    if constexpr (!std::is_void_v<T>)
        return *m_promise->value;
}

template<class T>
JoinHandle<T> spawn(Task<T> task, QAnyStringView name)
{
    Runtime* runtime = Runtime::current();
    auto frame = task.release();
    // An unnamed task needs no call to intern its name: the empty string is always 0.
    const StringId nameId = name.isEmpty() ? 0 : runtime->intern(name);
    const TaskId id = runtime->spawnFrame(frame, nameId);
    return JoinHandle<T>(runtime, id, frame.promise());
}

} // namespace pollscope
