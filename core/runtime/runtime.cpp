#include "runtime/runtime.h"

namespace pollscope {

namespace {
thread_local Runtime* t_current = nullptr;
}

Runtime* Runtime::current() noexcept { return t_current; }

Runtime::CurrentGuard::CurrentGuard(Runtime* runtime) noexcept
    : m_previous(t_current)
{
    t_current = runtime;
}

Runtime::CurrentGuard::~CurrentGuard() { t_current = m_previous; }

} // namespace pollscope
