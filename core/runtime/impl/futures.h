#pragma once

// Implementation of runtime/futures.h. Do not include directly.

#include <utility>

namespace pollscope {

template<class T>
JoinHandle<T>::JoinHandle(Runtime* runtime, TaskId task) noexcept
    : m_runtime(runtime)
    , m_task(task)
{
}

template<class T>
JoinHandle<T>::JoinHandle(JoinHandle&& other) noexcept
    : m_runtime(std::exchange(other.m_runtime, nullptr))
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
    return JoinFuture<T>(m_runtime, m_task);
}

template<class T>
JoinFuture<T>::JoinFuture(Runtime* runtime, TaskId task) noexcept
    : m_runtime(runtime)
    , m_task(task)
{
    m_runtime->retainTask(m_task);
}

template<class T>
JoinFuture<T>::JoinFuture(JoinFuture&& other) noexcept
    : m_runtime(std::exchange(other.m_runtime, nullptr))
    , m_task(other.m_task)
{
}

template<class T>
JoinFuture<T>::~JoinFuture()
{
    if (!m_runtime)
        return;
    if (m_registered && !m_ready)
        m_runtime->cancelJoinWait(m_task);
    m_runtime->releaseTask(m_task);
}

template<class T>
T JoinFuture<T>::result() const
{
    auto& promise = static_cast<detail::TaskPromise<T>&>(m_runtime->taskPromise(m_task));
    if (promise.error)
        std::rethrow_exception(promise.error);
    if constexpr (!std::is_void_v<T>)
        return *promise.value;
}

template<class T>
JoinHandle<T> spawn(Task<T> task, QAnyStringView name)
{
    Runtime* runtime = Runtime::current();
    auto frame = task.release();
    const TaskId id = runtime->spawnFrame(frame, frame.promise(), runtime->intern(name));
    return JoinHandle<T>(runtime, id);
}

} // namespace pollscope
