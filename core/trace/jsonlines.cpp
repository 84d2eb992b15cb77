#include "trace/jsonlines.h"

#include <QIODevice>

namespace pollscope {

QByteArray formatMicros(TimeNs ns)
{
    if (ns % 1000 == 0)
        return QByteArray::number(ns / 1000);
    const char* sign = ns < 0 ? "-" : "";
    const TimeNs magnitude = ns < 0 ? -ns : ns;
    return sign + QByteArray::number(magnitude / 1000) + '.'
        + QByteArray::number(magnitude % 1000).rightJustified(3, '0');
}

QString wakeCauseName(WakeCause cause)
{
    switch (cause) {
    case WakeCause::Timer:
        return QStringLiteral("timer");
    case WakeCause::Io:
        return QStringLiteral("io");
    case WakeCause::Yield:
        return QStringLiteral("yield");
    case WakeCause::TaskDone:
        return QStringLiteral("task");
    case WakeCause::BlockingJob:
        return QStringLiteral("blocking_job");
    case WakeCause::Channel:
        return QStringLiteral("channel");
    case WakeCause::Budget:
        return QStringLiteral("budget");
    }
    return QString();
}

QString waitTargetName(WaitTarget target)
{
    switch (target) {
    case WaitTarget::Timer:
        return QStringLiteral("timer");
    case WaitTarget::Io:
        return QStringLiteral("io");
    case WaitTarget::Task:
        return QStringLiteral("task");
    case WaitTarget::Job:
        return QStringLiteral("blocking_job");
    case WaitTarget::ChannelSend:
        return QStringLiteral("channel_send");
    case WaitTarget::ChannelRecv:
        return QStringLiteral("channel_recv");
    }
    return QString();
}

QString cancelTargetName(CancelTarget target)
{
    switch (target) {
    case CancelTarget::Task:
        return QStringLiteral("task");
    case CancelTarget::Timer:
        return QStringLiteral("timer");
    case CancelTarget::Io:
        return QStringLiteral("io");
    case CancelTarget::JoinWait:
        return QStringLiteral("join_wait");
    case CancelTarget::JobWait:
        return QStringLiteral("job_wait");
    case CancelTarget::ChannelWait:
        return QStringLiteral("channel_wait");
    case CancelTarget::Job:
        return QStringLiteral("job");
    }
    return QString();
}

namespace {

void appendJsonString(QByteArray& out, QStringView text)
{
    out += '"';
    for (const char c : text.toUtf8()) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\t') {
            out += "\\t";
        } else if (byte < 0x20) {
            out += "\\u00" + QByteArray::number(byte, 16).rightJustified(2, '0');
        } else {
            out += c;
        }
    }
    out += '"';
}

/// Builds one JSON object: `{"event":...,"seq":...` then fields, then `}\n`.
class Line
{
public:
    Line(QByteArray& out, const char* event, std::uint64_t seq)
        : m_out(out)
    {
        m_out += "{\"event\":\"";
        m_out += event;
        m_out += "\",\"seq\":";
        m_out += QByteArray::number(seq);
    }
    ~Line() { m_out += "}\n"; }
    Line& text(const char* key, QStringView value)
    {
        field(key);
        appendJsonString(m_out, value);
        return *this;
    }
    Line& number(const char* key, qint64 value)
    {
        field(key);
        m_out += QByteArray::number(value);
        return *this;
    }
    Line& micros(const char* key, TimeNs ns)
    {
        field(key);
        m_out += formatMicros(ns);
        return *this;
    }
    Line& line(const Trace& trace, SpanId span)
    {
        if (const SourceSpan& s = trace.span(span); s.isValid())
            number("line", s.line);
        return *this;
    }

private:
    void field(const char* key)
    {
        m_out += ",\"";
        m_out += key;
        m_out += "\":";
    }
    QByteArray& m_out;
};

/// For each PollStart/BlockStart, the index of the event that closes it.
std::vector<std::uint32_t> matchEnds(const EventLog& events, std::size_t taskCount)
{
    std::vector<std::uint32_t> ends(events.size(), 0);
    std::vector<std::uint32_t> openPoll(taskCount, 0);
    std::vector<std::uint32_t> openBlock(taskCount, 0);
    for (std::uint32_t i = 0; i < events.size(); ++i) {
        const TraceEvent& e = events[i];
        if (e.task >= taskCount)
            continue;
        switch (e.kind) {
        case EventKind::PollStart:
            openPoll[e.task] = i;
            break;
        case EventKind::PollEnd:
            ends[openPoll[e.task]] = i;
            break;
        case EventKind::BlockStart:
            openBlock[e.task] = i;
            break;
        case EventKind::BlockEnd:
            ends[openBlock[e.task]] = i;
            break;
        default:
            break;
        }
    }
    return ends;
}

} // namespace

bool writeJsonLines(const Trace& trace, QIODevice& device)
{
    const auto& events = trace.events;
    const auto& tables = trace.tables;
    const std::vector<std::uint32_t> ends = matchEnds(events, tables.tasks.size());
    QByteArray out;
    out.reserve(1 << 20);
    std::uint64_t seq = 0;
    for (std::size_t i = 0; i < events.size(); ++i) {
        const TraceEvent& e = events[i];
        const QString task = trace.taskName(e.task);
        switch (e.kind) {
        case EventKind::Spawn:
            if (e.aux == kNoTask)
                continue; // main is not spawned by anyone
            Line(out, "spawn", seq++)
                .text("parent", trace.taskName(e.aux))
                .text("child", task)
                .micros("t_us", e.time)
                .line(trace, tables.tasks[e.task].spawnSpan);
            break;
        case EventKind::PollStart: {
            const TraceEvent* end = ends[i] ? &events[ends[i]] : nullptr;
            Line line(out, "poll", seq++);
            line.text("task", task).number("index", e.aux).micros("start_us", e.time);
            if (end) {
                line.micros("end_us", end->time)
                    .text("outcome", end->outcome() == PollOutcome::Ready ? u"Ready" : u"Pending")
                    .line(trace, end->span);
            }
            break;
        }
        case EventKind::Wake:
            Line(out, "wake", seq++)
                .text("task", task)
                .text("cause", wakeCauseName(e.wakeCause()))
                .micros("t_us", e.time)
                .line(trace, e.span);
            break;
        case EventKind::BlockStart: {
            Line line(out, "block", seq++);
            line.text("task", task)
                .text("kind", e.blockKind() == BlockKind::Block ? u"block" : u"compute")
                .text("label", trace.string(e.aux))
                .micros("start_us", e.time);
            if (ends[i])
                line.micros("end_us", events[ends[i]].time);
            line.line(trace, e.span);
            break;
        }
        case EventKind::JobStart: {
            const ResourceRecord& job = tables.resources[e.aux];
            Line(out, "blocking_job", seq++)
                .text("task", task)
                .text("label", trace.string(job.label))
                .number("lane", e.lane)
                .micros("start_us", job.created)
                .micros("end_us", job.deadline)
                .line(trace, job.span);
            break;
        }
        case EventKind::WaitRegistered: {
            Line line(out, "wait", seq++);
            line.text("task", task).text("on", waitTargetName(e.waitTarget()));
            switch (e.waitTarget()) {
            case WaitTarget::Timer:
            case WaitTarget::Io:
            case WaitTarget::Job: {
                const ResourceRecord& r = tables.resources[e.aux];
                if (r.label)
                    line.text("label", trace.string(r.label));
                line.micros("deadline_us", r.deadline);
                break;
            }
            case WaitTarget::Task:
                line.text("target", trace.taskName(e.aux));
                break;
            case WaitTarget::ChannelSend:
            case WaitTarget::ChannelRecv:
                line.text("channel", trace.string(tables.resources[e.aux].label));
                break;
            }
            line.micros("t_us", e.time).line(trace, e.span);
            break;
        }
        case EventKind::Mark:
            Line(out, "mark", seq++)
                .text("task", task)
                .text("label", trace.string(e.aux))
                .micros("t_us", e.time)
                .line(trace, e.span);
            break;
        case EventKind::Unpolled:
            Line(out, "unpolled", seq++)
                .text("task", task)
                .text("future", trace.string(e.aux))
                .micros("t_us", e.time)
                .line(trace, e.span);
            break;
        case EventKind::Cancel:
            Line(out, "cancel", seq++)
                .text("task", task)
                .text("target", cancelTargetName(e.cancelTarget()))
                .micros("t_us", e.time)
                .line(trace, e.span);
            break;
        case EventKind::Complete: {
            Line line(out, "complete", seq++);
            line.text("task", task)
                .text("status", e.completion() == CompletionStatus::Ok ? u"ok" : u"failed")
                .micros("t_us", e.time);
            if (e.aux)
                line.text("message", trace.string(e.aux));
            break;
        }
        case EventKind::ChannelOp:
        case EventKind::PollEnd:
        case EventKind::BlockEnd:
        case EventKind::JobEnd:
            continue;
        }
        if (out.size() > (1 << 20)) {
            if (device.write(out) != out.size())
                return false;
            out.clear();
        }
    }
    out += "{\"event\":\"done\",\"clock\":\"";
    out += trace.virtualClock ? "virtual" : "real";
    out += "\",\"elapsed_us\":" + formatMicros(trace.report.elapsed) + ",\"status\":";
    appendJsonString(out, runStatusName(trace.report.status));
    if (!trace.report.message.isEmpty()) {
        out += ",\"message\":";
        appendJsonString(out, trace.report.message);
    }
    out += "}\n";
    return device.write(out) == out.size();
}

} // namespace pollscope
