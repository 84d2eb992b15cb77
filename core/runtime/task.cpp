#include "runtime/task.h"

#include "runtime/frameallocator.h"

namespace pollscope {

void* PromiseBase::operator new(std::size_t size) { return FrameAllocator::allocate(size); }

void PromiseBase::operator delete(void* frame, std::size_t size) noexcept
{
    FrameAllocator::deallocate(frame, size);
}

} // namespace pollscope
