#pragma once

#include "trace/traceevent.h"

#include <cstddef>

namespace pollscope {

/// The flat, append-only store of a trace's events.
///
/// Shaped for recording cost: on Linux the buffer is an anonymous mapping that grows with
/// mremap (no copying) and asks for transparent huge pages, so appending millions of events
/// costs a store, not a page fault per 170 events. A released log's mapping is kept for the
/// next log to record into (see recycledBytes()). Elsewhere it falls back to realloc.
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
        if (m_end == m_limit) [[unlikely]]
            grow(size() + 1);
        *m_end++ = event;
    }
    void reserve(std::size_t events);
    void clear() noexcept { m_end = m_data; }

    /// The bytes of the one released mapping kept for the next log's first append: the larger
    /// one when two are released, and at most 256 MiB of it. 0 when none is kept (always, off
    /// Linux). Process-wide.
    static std::size_t recycledBytes();

    std::size_t size() const noexcept { return std::size_t(m_end - m_data); }
    bool empty() const noexcept { return m_end == m_data; }
    const TraceEvent* data() const noexcept { return m_data; }
    const TraceEvent& operator[](std::size_t i) const noexcept { return m_data[i]; }
    const TraceEvent& back() const noexcept { return m_end[-1]; }
    const TraceEvent* begin() const noexcept { return m_data; }
    const TraceEvent* end() const noexcept { return m_end; }

private:
    std::size_t capacity() const noexcept { return std::size_t(m_limit - m_data); }
    /// Out of line and cold: push_back() stays a compare and a store.
    [[gnu::noinline, gnu::cold]] void grow(std::size_t minimum);
    void release() noexcept;

    // Pointers rather than sizes: an append compares and bumps one pointer.
    TraceEvent* m_data = nullptr;
    TraceEvent* m_end = nullptr;
    TraceEvent* m_limit = nullptr;
};

} // namespace pollscope
