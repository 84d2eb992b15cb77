#include "runtime/frameallocator.h"

#include <QtGlobal>

#include <utility>

#if defined(Q_OS_LINUX)
#include <sys/mman.h>
#endif

namespace pollscope {

constinit thread_local FrameAllocator::Pool FrameAllocator::t_pool {};

/// The chunks pooled frames are carved from, freed when the thread ends together with every
/// frame the free lists hold. Constructed (and so armed) when the thread takes its first chunk.
struct FrameAllocator::PoolReaper {
    Chunk* chunks = nullptr;

    ~PoolReaper()
    {
        // A frame still alive lies in some chunk: then the chunks are left to the process.
        if (t_pool.live != 0)
            return;
        t_pool = Pool {};
        while (chunks) {
            Chunk* chunk = std::exchange(chunks, chunks->next);
            if (chunk->bytes == kChunkBytes)
                ::operator delete(chunk, kChunkAlignment);
            else
                ::operator delete(chunk);
        }
    }
};

thread_local FrameAllocator::PoolReaper FrameAllocator::t_reaper;

void* FrameAllocator::allocateNew(std::size_t size)
{
    const std::size_t cls = sizeClass(size);
    if (!kPooled || cls >= kClasses)
        return ::operator new(size);
    // Carved from a chunk, with no allocator header between frames: tasks spawned together
    // lie back to back, and round-robin polling streams through fewer cache lines.
    const std::size_t bytes = cls * kGranule;
    if (t_pool.chunkLeft < bytes) {
        const bool first = t_reaper.chunks == nullptr;
        const std::size_t chunkBytes = first ? kFirstChunkBytes : kChunkBytes;
        void* memory =
            first ? ::operator new(chunkBytes) : ::operator new(chunkBytes, kChunkAlignment);
#if defined(Q_OS_LINUX)
        if (!first)
            ::madvise(memory, chunkBytes, MADV_HUGEPAGE); // a hint; fine if the kernel declines
#endif
        auto* chunk = static_cast<Chunk*>(memory);
        chunk->next = t_reaper.chunks;
        chunk->bytes = chunkBytes;
        t_reaper.chunks = chunk;
        t_pool.chunkNext = reinterpret_cast<std::byte*>(chunk) + sizeof(Chunk);
        t_pool.chunkLeft = chunkBytes - sizeof(Chunk);
    }
    void* frame = t_pool.chunkNext;
    t_pool.chunkNext += bytes;
    t_pool.chunkLeft -= bytes;
    return frame;
}

} // namespace pollscope
