#pragma once

#include <cstddef>
#include <cstdint>

namespace pollscope {

/// Allocates coroutine frames from per-thread free lists (spawning and polling stay cheap) and
/// counts the frames alive on this thread, so tests can prove that every frame was freed.
/// Sanitizer builds bypass the pool so AddressSanitizer sees every allocation.
class FrameAllocator
{
public:
    static void* allocate(std::size_t size);
    static void deallocate(void* frame, std::size_t size) noexcept;
    /// Frames allocated on this thread and not yet freed.
    static std::int64_t liveFrames() noexcept;
};

} // namespace pollscope
