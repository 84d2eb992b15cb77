#include "runtime/recordingruntime.h"

namespace pollscope {

StringId RecordingRuntime::intern(QAnyStringView text)
{
    return text.isEmpty() ? 0 : m_recorder.tables().strings.intern(text);
}

void RecordingRuntime::setSpan(SpanId span)
{
    if (m_current != kNoTask)
        m_tasks.span(m_current) = span;
}

void RecordingRuntime::cancelChannelWait(ResourceId channel, std::uint32_t token)
{
    if (!m_shuttingDown)
        m_channels.cancelWait(channel, token, m_current);
}

void RecordingRuntime::mark(StringId label)
{
    recordEvent(EventKind::Mark, m_current, label);
}

void RecordingRuntime::recordUnpolled(StringId description, SpanId span)
{
    if (!m_shuttingDown)
        m_recorder.record(
            TraceEvent { now(), m_current, description, span, EventKind::Unpolled, 0, 0 });
}

void RecordingRuntime::addMainTask(std::coroutine_handle<> frame)
{
    m_tasks.add(frame, 0, 0, TaskState::Idle);
    TraceTables& tables = m_recorder.tables();
    tables.tasks.push_back(TaskRecord { tables.strings.intern(u"main"), kNoTask, 0 });
}

ResourceId RecordingRuntime::recordResource(
    ResourceKind kind, StringId label, TimeNs created, TimeNs deadline, std::uint16_t lane)
{
    auto& resources = m_recorder.tables().resources;
    const auto id = static_cast<ResourceId>(resources.size());
    const SpanId span = m_current != kNoTask ? m_tasks.span(m_current) : 0;
    resources.push_back(
        ResourceRecord { kind, m_current, label, span, created, deadline, 0, lane });
    return id;
}

void RecordingRuntime::channelEvent(
    EventKind kind, TaskId task, ResourceId channel, std::uint8_t detail)
{
    if (!m_shuttingDown)
        recordEvent(kind, task, channel, detail);
}

} // namespace pollscope
