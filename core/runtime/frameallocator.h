#pragma once

#include <cstddef>
#include <cstdint>
#include <new>

namespace pollscope {

/// Allocates coroutine frames from per-thread free lists (spawning and polling stay cheap) and
/// counts the frames alive on this thread, so tests can prove that every frame was freed.
/// Sanitizer builds bypass the pool so AddressSanitizer sees every allocation.
///
/// Contract: a frame is freed on the thread that allocated it (a run, with all its frames,
/// lives on one thread). A thread's chunks are freed when it ends, unless frames it allocated
/// are still counted alive; then they are left to the process rather than freed under them.
///
/// allocate() and deallocate() are inline: a frame's size is known where it is allocated, so a
/// reused frame costs a few instructions. Only a frame the pool does not hold yet is out of line.
class FrameAllocator {
public:
    static void* allocate(std::size_t size)
    {
        ++t_pool.live;
        const std::size_t cls = sizeClass(size);
        if (kPooled && cls < kClasses) {
            if (FreeNode* node = t_pool.freeLists[cls]) [[likely]] {
                t_pool.freeLists[cls] = node->next;
                return node;
            }
        }
        return allocateNew(size);
    }

    static void deallocate(void* frame, std::size_t size) noexcept
    {
        --t_pool.live;
        const std::size_t cls = sizeClass(size);
        if (!kPooled || cls >= kClasses) {
            ::operator delete(frame);
            return;
        }
        auto* node = static_cast<FreeNode*>(frame);
        node->next = t_pool.freeLists[cls];
        t_pool.freeLists[cls] = node;
    }

    /// Frames allocated on this thread and not yet freed.
    static std::int64_t liveFrames() noexcept { return t_pool.live; }

private:
    // Frames up to 2 KiB come from size classes 16 bytes apart (class k holds sizes up to
    // k * 16; class 0 stays empty); larger frames go to the global allocator. Fine classes,
    // carved back to back from chunks, keep frames dense: 100,000 tasks of 80-byte frames
    // take 80 bytes each (malloc's header would make it 96), and round-robin polling streams
    // through as little memory as the frames need.
    static constexpr std::size_t kGranule = 16;
    static constexpr std::size_t kMaxPooled = 2048;
    static constexpr std::size_t kClasses = kMaxPooled / kGranule + 1;
    static constexpr bool kPooled =
#if defined(POLLSCOPE_SANITIZED)
        false;
#else
        true;
#endif

    struct FreeNode {
        FreeNode* next;
    };

    /// Trivially destructible, so the inline paths reach it without a TLS wrapper call; the
    /// free lists go back to the global allocator when the thread ends (PoolReaper).
    struct Pool {
        FreeNode* freeLists[kClasses];
        std::int64_t live;
        std::byte* chunkNext; ///< the unused rest of the newest chunk
        std::size_t chunkLeft;
    };
    struct Chunk {
        Chunk* next;
        std::size_t bytes; ///< kFirstChunkBytes, or kChunkBytes on a huge page
    };
    static_assert(sizeof(Chunk) == kGranule, "frames after a chunk's header stay 16-aligned");
    /// A thread's first chunk: a thread that runs a few coroutines takes a few pages.
    static constexpr std::size_t kFirstChunkBytes = 256 * 1024;
    /// Later chunks are one transparent huge page each: polling 100,000 tasks round-robin
    /// touches 8 MB of frames, more 4 KiB pages than the TLB holds.
    static constexpr std::size_t kChunkBytes = std::size_t(2) << 20;
    static constexpr std::align_val_t kChunkAlignment { kChunkBytes };
    struct PoolReaper;

    static constexpr std::size_t sizeClass(std::size_t size)
    {
        return (size + kGranule - 1) / kGranule;
    }
    [[gnu::noinline]] static void* allocateNew(std::size_t size);

    static constinit thread_local Pool t_pool;
    static thread_local PoolReaper t_reaper;
};

} // namespace pollscope
