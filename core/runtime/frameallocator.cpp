#include "runtime/frameallocator.h"

namespace pollscope {

constinit thread_local FrameAllocator::Pool FrameAllocator::t_pool {};

/// Frees the thread's free lists when the thread ends. Armed by the first frame the pool gets.
struct FrameAllocator::PoolReaper {
    bool armed = false;

    ~PoolReaper()
    {
        for (FreeNode*& head : t_pool.freeLists) {
            while (head) {
                FreeNode* next = head->next;
                ::operator delete(head);
                head = next;
            }
        }
    }
};

thread_local FrameAllocator::PoolReaper FrameAllocator::t_reaper;

void* FrameAllocator::allocateNew(std::size_t size)
{
    const std::size_t cls = sizeClass(size);
    if (!kPooled || cls >= kClasses)
        return ::operator new(size);
    // This frame will end on a free list: make sure the thread frees the lists when it ends.
    t_reaper.armed = true;
    return ::operator new(cls* kGranule);
}

} // namespace pollscope
