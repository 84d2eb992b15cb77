#include "runtime/futures.h"

#include <utility>

namespace pollscope {

SleepFuture::SleepFuture(TimeNs duration)
    : m_runtime(Runtime::current())
    , m_deadline(m_runtime->sleepDeadline(duration))
{
}

SleepFuture::SleepFuture(SleepFuture&& other) noexcept
    : m_runtime(other.m_runtime)
    , m_deadline(other.m_deadline)
    , m_resource(std::exchange(other.m_resource, kNoResource))
    , m_ready(other.m_ready)
{
}

SleepFuture::~SleepFuture()
{
    if (m_resource != kNoResource && !m_ready)
        m_runtime->cancelResource(m_resource);
}

IoFuture::IoFuture(QAnyStringView label, TimeNs duration)
    : m_runtime(Runtime::current())
    , m_label(m_runtime->intern(label))
    , m_duration(duration)
{
}

IoFuture::IoFuture(IoFuture&& other) noexcept
    : m_runtime(other.m_runtime)
    , m_label(other.m_label)
    , m_duration(other.m_duration)
    , m_resource(std::exchange(other.m_resource, kNoResource))
    , m_ready(other.m_ready)
{
}

IoFuture::~IoFuture()
{
    if (m_resource != kNoResource && !m_ready)
        m_runtime->cancelResource(m_resource);
}

BlockingJobFuture::BlockingJobFuture(QAnyStringView label, TimeNs duration)
    : m_runtime(Runtime::current())
    , m_job(m_runtime->startBlockingJob(m_runtime->intern(label), duration))
{
}

BlockingJobFuture::BlockingJobFuture(BlockingJobFuture&& other) noexcept
    : m_runtime(other.m_runtime)
    , m_job(other.m_job)
    , m_registered(std::exchange(other.m_registered, false))
    , m_ready(other.m_ready)
{
}

BlockingJobFuture::~BlockingJobFuture()
{
    if (m_registered && !m_ready)
        m_runtime->cancelJobWait(m_job);
}

void block(QAnyStringView label, std::chrono::nanoseconds duration)
{
    Runtime* runtime = Runtime::current();
    runtime->block(runtime->intern(label), duration.count(), BlockKind::Block);
}

void compute(QAnyStringView label, std::chrono::nanoseconds duration)
{
    Runtime* runtime = Runtime::current();
    runtime->block(runtime->intern(label), duration.count(), BlockKind::Compute);
}

void mark(QAnyStringView label)
{
    Runtime* runtime = Runtime::current();
    runtime->mark(runtime->intern(label));
}

} // namespace pollscope
