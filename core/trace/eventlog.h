#pragma once

#include "trace/traceevent.h"

#include <cstddef>

namespace pollscope {

/// The flat, append-only store of a trace's events.
///
/// Shaped for recording cost: on Linux the buffer is an anonymous mapping that grows with
/// mremap (no copying) and asks for transparent huge pages, so appending millions of events
/// costs a store, not a page fault per 170 events. Elsewhere it falls back to realloc.
class EventLog
{
public:
    EventLog() = default;
    EventLog(const EventLog& other);
    EventLog& operator=(const EventLog& other);
    EventLog(EventLog&& other) noexcept;
    EventLog& operator=(EventLog&& other) noexcept;
    ~EventLog();

    void push_back(const TraceEvent& event)
    {
        if (m_size == m_capacity)
            grow(m_size + 1);
        m_data[m_size++] = event;
    }
    void reserve(std::size_t events);
    void clear() noexcept { m_size = 0; }

    std::size_t size() const noexcept { return m_size; }
    bool empty() const noexcept { return m_size == 0; }
    const TraceEvent* data() const noexcept { return m_data; }
    const TraceEvent& operator[](std::size_t i) const noexcept { return m_data[i]; }
    const TraceEvent& back() const noexcept { return m_data[m_size - 1]; }
    const TraceEvent* begin() const noexcept { return m_data; }
    const TraceEvent* end() const noexcept { return m_data + m_size; }

private:
    void grow(std::size_t minimum);
    void release() noexcept;

    TraceEvent* m_data = nullptr;
    std::size_t m_size = 0;
    std::size_t m_capacity = 0;
};

} // namespace pollscope
