#include "runtime/runtime.h"

namespace pollscope {

constinit thread_local Runtime* Runtime::t_current = nullptr;

Runtime::CurrentGuard::CurrentGuard(Runtime* runtime) noexcept
    : m_previous(t_current)
{
    t_current = runtime;
}

Runtime::CurrentGuard::~CurrentGuard() { t_current = m_previous; }

void Runtime::deferYieldGrowing() { m_deferredYields.push_back(m_current); }

} // namespace pollscope
