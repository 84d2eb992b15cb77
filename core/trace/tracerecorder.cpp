#include "trace/tracerecorder.h"

namespace pollscope {

void TraceRecorder::addSink(TraceSink* sink)
{
    m_sinks.push_back(sink);
    m_enabled = true;
}

void TraceRecorder::flush()
{
    if (m_sinks.empty() || m_flushed == m_log.size())
        return;
    const std::span<const TraceEvent> batch(m_log.data() + m_flushed, m_log.size() - m_flushed);
    for (TraceSink* sink : m_sinks)
        sink->onEvents(batch, m_tables);
    m_flushed = m_log.size();
}

Trace TraceRecorder::take(
    const RunReport& report, const RuntimeSettings& settings, bool virtualClock)
{
    Trace trace;
    trace.events = std::move(m_log);
    trace.tables = std::move(m_tables);
    trace.report = report;
    trace.settings = settings;
    trace.virtualClock = virtualClock;
    m_flushed = 0;
    return trace;
}

} // namespace pollscope
