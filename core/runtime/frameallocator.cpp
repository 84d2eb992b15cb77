#include "runtime/frameallocator.h"

#include <array>
#include <new>

namespace pollscope {

namespace {

// Frames up to 2 KiB come from size classes 64 bytes apart (class k holds sizes up to k * 64;
// class 0 stays empty); larger frames go to the global allocator.
constexpr std::size_t kGranule = 64;
constexpr std::size_t kMaxPooled = 2048;
constexpr std::size_t kClasses = kMaxPooled / kGranule + 1;

struct FreeNode {
    FreeNode* next;
};

struct FramePool {
    std::array<FreeNode*, kClasses> freeLists {};
    std::int64_t live = 0;

    ~FramePool()
    {
        for (FreeNode* head : freeLists) {
            while (head) {
                FreeNode* next = head->next;
                ::operator delete(head);
                head = next;
            }
        }
    }
};

thread_local FramePool t_pool;

constexpr bool kPooled =
#if defined(POLLSCOPE_SANITIZED)
    false;
#else
    true;
#endif

std::size_t sizeClass(std::size_t size)
{
    return (size + kGranule - 1) / kGranule;
}

} // namespace

void* FrameAllocator::allocate(std::size_t size)
{
    ++t_pool.live;
    const std::size_t cls = sizeClass(size);
    if (!kPooled || cls >= kClasses)
        return ::operator new(size);
    if (FreeNode* node = t_pool.freeLists[cls]) {
        t_pool.freeLists[cls] = node->next;
        return node;
    }
    return ::operator new(cls* kGranule);
}

void FrameAllocator::deallocate(void* frame, std::size_t size) noexcept
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

std::int64_t FrameAllocator::liveFrames() noexcept
{
    return t_pool.live;
}

} // namespace pollscope
