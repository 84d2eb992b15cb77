#pragma once

#include "runtime/runtimetypes.h"

#include <QElapsedTimer>

namespace pollscope {

/// Nanoseconds of wall-clock time since start(). Where the CPU has an invariant time-stamp
/// counter it reads that (about 12 ns a read against clock_gettime's 31 on the 2-core
/// machine; the real-time runtime reads the clock twice per hop, so this is most of what
/// recording costs), scaled by a rate measured once per process against the monotonic clock;
/// elsewhere it is a QElapsedTimer.
class WallClock
{
public:
    void start() noexcept;
    TimeNs elapsed() const noexcept;

private:
    QElapsedTimer m_fallback;
    std::uint64_t m_startTicks = 0;
    double m_nsPerTick = 0; ///< 0: the counter is not used
};

} // namespace pollscope
