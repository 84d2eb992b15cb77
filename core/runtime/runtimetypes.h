#pragma once

#include <cstdint>
#include <limits>

namespace pollscope {

/// Virtual (model runtime) or wall-clock (Qt runtime) time in nanoseconds since the run started.
using TimeNs = std::int64_t;
/// Index of a task in its run's task table; `main` is always task 0.
using TaskId = std::uint32_t;
/// Index of a timer, I/O operation or blocking job in its run's resource table.
using ResourceId = std::uint32_t;
/// Index into a trace's string table; 0 is the empty string.
using StringId = std::uint32_t;
/// Index into a trace's source-span table; 0 means "no source position".
using SpanId = std::uint32_t;

inline constexpr TaskId kMainTask = 0;
inline constexpr TaskId kNoTask = std::numeric_limits<TaskId>::max();
inline constexpr ResourceId kNoResource = std::numeric_limits<ResourceId>::max();
inline constexpr TimeNs kNever = std::numeric_limits<TimeNs>::max();

/// `at + duration`, a negative duration counting as none; saturates at kNever instead of
/// overflowing (scripts may ask for absurd durations; the run's max_time stops them).
constexpr TimeNs addTime(TimeNs at, TimeNs duration)
{
    if (duration <= 0)
        return at;
    return duration >= kNever - at ? kNever : at + duration;
}

} // namespace pollscope
