#pragma once

#include "trace/eventlog.h"

#include <cstdint>
#include <limits>
#include <vector>

namespace pollscope {

inline constexpr std::uint32_t kUnpaired = std::numeric_limits<std::uint32_t>::max();

/// Pairs, per task, each PollStart with the PollEnd that closes it and each BlockStart with its
/// BlockEnd: `partner[i]` is the index of the other event of the pair, or kUnpaired (events of
/// other kinds, a start the run never closed, an end without a start). Events of tasks at or
/// past `taskCount` stay unpaired.
std::vector<std::uint32_t> pairStartsAndEnds(const EventLog& events, std::size_t taskCount);

} // namespace pollscope
