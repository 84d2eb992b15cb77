#pragma once

#include <QtGlobal>

#include <cstddef>
#include <memory>
#include <new>
#include <vector>

#if defined(Q_OS_LINUX)
#include <sys/mman.h>
#endif

namespace pollscope {

/// A std::allocator for arrays that grow as large as a trace: a block of 2 MiB or more is
/// aligned to 2 MiB and advised as transparent huge pages, so filling it costs one page fault
/// per 2 MiB instead of one per 4 KiB. On the project's VM a fault costs about 7 µs, and a
/// timeline model of 3M events built in 4 KiB pages spent most of its time faulting them in.
/// Smaller blocks come from std::allocator.
template <class T>
struct HugePageAllocator {
    using value_type = T;

    static constexpr std::size_t kHugePage = std::size_t(2) << 20;

    HugePageAllocator() noexcept = default;
    template <class U>
    HugePageAllocator(const HugePageAllocator<U>&) noexcept // NOLINT: rebinding converts
    {
    }

    T* allocate(std::size_t n)
    {
        const std::size_t bytes = n * sizeof(T);
        if (bytes < kHugePage)
            return std::allocator<T>().allocate(n);
        void* block = ::operator new(bytes, std::align_val_t(kHugePage));
#if defined(Q_OS_LINUX)
        ::madvise(block, bytes, MADV_HUGEPAGE); // a hint; fine if the kernel declines
#endif
        return static_cast<T*>(block);
    }

    void deallocate(T* block, std::size_t n) noexcept
    {
        const std::size_t bytes = n * sizeof(T);
        if (bytes < kHugePage)
            std::allocator<T>().deallocate(block, n);
        else
            ::operator delete(block, bytes, std::align_val_t(kHugePage));
    }

    template <class U>
    bool operator==(const HugePageAllocator<U>&) const noexcept
    {
        return true;
    }
};

/// A vector whose storage comes in huge pages once it reaches 2 MiB.
template <class T>
using BulkVector = std::vector<T, HugePageAllocator<T>>;

} // namespace pollscope
