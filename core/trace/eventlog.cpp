#include "trace/eventlog.h"

#include <QtGlobal>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <utility>

#if defined(Q_OS_LINUX)
#include <sys/mman.h>
#endif

namespace pollscope {

namespace {

constexpr std::size_t kHugePage = std::size_t(2) << 20;

#if defined(Q_OS_LINUX)
std::size_t mappingBytes(std::size_t events)
{
    const std::size_t bytes = events * sizeof(TraceEvent);
    return (bytes + kHugePage - 1) / kHugePage * kHugePage;
}

/// The mapping of the last log released, kept for the next log to record into. Fresh pages
/// cost the kernel's zeroing of them, as much as the recording's own stores; the pages of a
/// released log cost nothing to reuse. The kept pages are MADV_FREE, so the kernel may take
/// them back when it runs short (they read as zeros again); until then they count in the
/// process's resident memory. One mapping, the larger of two, and at most kMaxKeptBytes of it.
class RecycledMapping {
public:
    /// About 11M events: the largest traces the window is built for are kept whole.
    static constexpr std::size_t kMaxKeptBytes = std::size_t(256) << 20;

    /// Never destroyed: logs may be released during static destruction.
    static RecycledMapping& instance()
    {
        static auto* const recycled = new RecycledMapping;
        return *recycled;
    }

    std::size_t bytes()
    {
        const std::scoped_lock lock(m_mutex);
        return m_bytes;
    }
    /// The kept mapping, if any (its size in `bytes`), now owned by the caller.
    void* take(std::size_t& bytes)
    {
        const std::scoped_lock lock(m_mutex);
        bytes = std::exchange(m_bytes, 0);
        return std::exchange(m_data, nullptr);
    }
    /// Keeps `data` for the next log unless a larger mapping is kept already; unmaps the other.
    void give(void* data, std::size_t bytes)
    {
        if (bytes > kMaxKeptBytes) {
            ::munmap(static_cast<std::byte*>(data) + kMaxKeptBytes, bytes - kMaxKeptBytes);
            bytes = kMaxKeptBytes;
        }
        // Pages the kernel could not reclaim would stay resident for good: keep none then.
        if (::madvise(data, bytes, MADV_FREE) != 0) {
            ::munmap(data, bytes);
            return;
        }
        {
            const std::scoped_lock lock(m_mutex);
            if (bytes > m_bytes) {
                std::swap(data, m_data);
                std::swap(bytes, m_bytes);
            }
        }
        if (data) // unmapped outside the lock: a large mapping takes a while
            ::munmap(data, bytes);
    }

private:
    std::mutex m_mutex;
    void* m_data = nullptr;
    std::size_t m_bytes = 0;
};
#endif

} // namespace

EventLog::EventLog(const EventLog& other)
{
    reserve(other.size());
    if (!other.empty())
        std::memcpy(m_data, other.m_data, other.size() * sizeof(TraceEvent));
    m_end = m_data + other.size();
}

EventLog& EventLog::operator=(const EventLog& other)
{
    if (this != &other) {
        EventLog copy(other);
        *this = std::move(copy);
    }
    return *this;
}

EventLog::EventLog(EventLog&& other) noexcept
    : m_data(std::exchange(other.m_data, nullptr))
    , m_end(std::exchange(other.m_end, nullptr))
    , m_limit(std::exchange(other.m_limit, nullptr))
{
}

EventLog& EventLog::operator=(EventLog&& other) noexcept
{
    if (this != &other) {
        release();
        m_data = std::exchange(other.m_data, nullptr);
        m_end = std::exchange(other.m_end, nullptr);
        m_limit = std::exchange(other.m_limit, nullptr);
    }
    return *this;
}

EventLog::~EventLog() { release(); }

std::size_t EventLog::recycledBytes()
{
#if defined(Q_OS_LINUX)
    return RecycledMapping::instance().bytes();
#else
    return 0;
#endif
}

void EventLog::reserve(std::size_t events)
{
    if (events > capacity())
        grow(events);
}

void EventLog::grow(std::size_t minimum)
{
    const std::size_t size = this->size();
    std::size_t capacity = std::max<std::size_t>({ minimum, this->capacity() * 2, 4096 });
#if defined(Q_OS_LINUX)
    void* data = m_data;
    std::size_t oldBytes = data ? mappingBytes(this->capacity()) : 0;
    if (!data)
        data = RecycledMapping::instance().take(oldBytes);
    const std::size_t newBytes = std::max(oldBytes, mappingBytes(capacity));
    if (newBytes > oldBytes) {
        void* grown = data
            ? ::mremap(data, oldBytes, newBytes, MREMAP_MAYMOVE)
            : ::mmap(nullptr, newBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (grown == MAP_FAILED) {
            if (data != m_data) // a recycled mapping this log does not hold yet
                ::munmap(data, oldBytes);
            throw std::bad_alloc();
        }
        data = grown;
        ::madvise(data, newBytes, MADV_HUGEPAGE); // a hint; fine if the kernel declines
    }
    capacity = newBytes / sizeof(TraceEvent);
#else
    void* data = std::realloc(m_data, capacity * sizeof(TraceEvent));
    if (!data)
        throw std::bad_alloc();
#endif
    m_data = static_cast<TraceEvent*>(data);
    m_end = m_data + size;
    m_limit = m_data + capacity;
}

void EventLog::release() noexcept
{
    if (!m_data)
        return;
#if defined(Q_OS_LINUX)
    RecycledMapping::instance().give(m_data, mappingBytes(capacity()));
#else
    std::free(m_data);
#endif
    m_data = m_end = m_limit = nullptr;
}

} // namespace pollscope
