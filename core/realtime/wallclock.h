#pragma once

#include "runtime/runtimetypes.h"

#include <QElapsedTimer>

#include <algorithm>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <x86intrin.h>
#define POLLSCOPE_HAVE_TSC 1
#endif

namespace pollscope {

/// Nanoseconds of wall-clock time since start(). Where the CPU has an invariant time-stamp
/// counter it reads that (about 12 ns a read against clock_gettime's 31 on the 2-core
/// machine; the real-time runtime reads the clock twice per hop, so this is most of what
/// recording costs), scaled by a rate measured once per process against the monotonic clock;
/// elsewhere it is a QElapsedTimer.
class WallClock
{
public:
    /// The first clock of a process measures the counter's rate (20 ms).
    WallClock();
    void start() noexcept;
    /// Inline: the real-time runtime reads it twice per hop.
    TimeNs elapsed() const noexcept
    {
#ifdef POLLSCOPE_HAVE_TSC
        if (m_nsPerTick > 0) // signed: another core's counter may lag this one's by a few ticks
            return TimeNs(double(std::max<std::int64_t>(0, std::int64_t(__rdtsc() - m_startTicks))) * m_nsPerTick);
#endif
        return m_fallback.nsecsElapsed();
    }

private:
    QElapsedTimer m_fallback;
    std::uint64_t m_startTicks = 0;
    double m_nsPerTick = 0; ///< 0: the counter is not used
};

} // namespace pollscope
