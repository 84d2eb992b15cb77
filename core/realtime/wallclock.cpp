#include "realtime/wallclock.h"

#include <chrono>
#include <thread>

#ifdef POLLSCOPE_HAVE_TSC
#include <cpuid.h>
#endif

namespace pollscope {

namespace {

#ifdef POLLSCOPE_HAVE_TSC
/// Nanoseconds per counter tick, or 0 when the counter does not tick at a constant rate in
/// every power state (CPUID 0x80000007, EDX bit 8: invariant TSC).
double measureNsPerTick()
{
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (!__get_cpuid(0x80000007, &eax, &ebx, &ecx, &edx) || !(edx & (1u << 8)))
        return 0;
    // 20 ms against steady_clock: a read's jitter (< 1 us) is under 50 ppm of it.
    using Clock = std::chrono::steady_clock;
    const auto t0 = Clock::now();
    const std::uint64_t c0 = __rdtsc();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const auto t1 = Clock::now();
    const std::uint64_t c1 = __rdtsc();
    const double ns = std::chrono::duration<double, std::nano>(t1 - t0).count();
    return c1 > c0 ? ns / double(c1 - c0) : 0;
}
#endif

} // namespace

WallClock::WallClock()
{
#ifdef POLLSCOPE_HAVE_TSC
    static const double nsPerTick = measureNsPerTick(); // once per process, thread-safe
    m_nsPerTick = nsPerTick;
#endif
}

void WallClock::start() noexcept
{
#ifdef POLLSCOPE_HAVE_TSC
    m_startTicks = __rdtsc();
#endif
    m_fallback.start();
}

} // namespace pollscope
