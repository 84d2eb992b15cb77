#include "trace/eventlog.h"

#include <QtGlobal>

#include <algorithm>
#include <cstdlib>
#include <cstring>
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
    const std::size_t oldBytes = m_data ? mappingBytes(this->capacity()) : 0;
    const std::size_t newBytes = mappingBytes(capacity);
    void* data = m_data
        ? ::mremap(m_data, oldBytes, newBytes, MREMAP_MAYMOVE)
        : ::mmap(nullptr, newBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (data == MAP_FAILED)
        throw std::bad_alloc();
    ::madvise(data, newBytes, MADV_HUGEPAGE); // a hint; fine if the kernel declines
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
    ::munmap(m_data, mappingBytes(capacity()));
#else
    std::free(m_data);
#endif
    m_data = m_end = m_limit = nullptr;
}

} // namespace pollscope
