#include "trace/jsonlines.h"

#include "trace/eventpairs.h"
#include "trace/jsonwriter.h"

#include <QIODevice>

#include <cstring>

namespace pollscope {

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

/// Writes one JSON object: `{"event":...,"seq":...` then fields, then `}\n`.
class Line {
public:
    Line(JsonWriter& out, const char* event, std::uint64_t seq)
        : m_out(out)
    {
        m_out.raw("{\"event\":\"")
            .raw(event, std::strlen(event))
            .raw("\",\"seq\":")
            .number(qint64(seq));
    }
    ~Line() { m_out.raw("}\n"); }
    Line& text(const char* key, QStringView value)
    {
        field(key).string(value);
        return *this;
    }
    /// A string escaped beforehand (JsonWriter::escape).
    Line& escaped(const char* key, const QByteArray& value)
    {
        field(key).raw('"').raw(value).raw('"');
        return *this;
    }
    Line& number(const char* key, qint64 value)
    {
        field(key).number(value);
        return *this;
    }
    /// A time in microseconds; null for a time that never comes (a deadline that saturated).
    Line& micros(const char* key, TimeNs ns)
    {
        if (ns == kNever)
            field(key).raw("null", 4);
        else
            field(key).micros(ns);
        return *this;
    }
    Line& line(const Trace& trace, SpanId span)
    {
        if (const SourceSpan& s = trace.span(span); s.isValid())
            number("line", s.line);
        return *this;
    }

private:
    JsonWriter& field(const char* key)
    {
        return m_out.raw(",\"").raw(key, std::strlen(key)).raw("\":");
    }
    JsonWriter& m_out;
};

} // namespace

bool writeJsonLines(const Trace& trace, QIODevice& device)
{
    const auto& events = trace.events;
    const auto& tables = trace.tables;
    const std::vector<std::uint32_t> partner = pairStartsAndEnds(events, tables.tasks.size());
    // Task names repeat on nearly every line: escape each once.
    std::vector<QByteArray> taskNames(tables.tasks.size());
    for (TaskId task = 0; task < taskNames.size(); ++task)
        taskNames[task] = JsonWriter::escape(trace.taskName(task));
    const QByteArray noName;
    const auto name = [&](TaskId task) -> const QByteArray& {
        return task < taskNames.size() ? taskNames[task] : noName;
    };

    JsonWriter out(device);
    std::uint64_t seq = 0;
    for (std::size_t i = 0; i < events.size(); ++i) {
        const TraceEvent& e = events[i];
        const QByteArray& task = name(e.task);
        switch (e.kind) {
        case EventKind::Spawn:
            if (e.aux == kNoTask)
                continue; // main is not spawned by anyone
            Line(out, "spawn", seq++)
                .escaped("parent", name(e.aux))
                .escaped("child", task)
                .micros("t_us", e.time)
                .line(trace, tables.tasks[e.task].spawnSpan);
            break;
        case EventKind::PollStart: {
            Line line(out, "poll", seq++);
            line.escaped("task", task).number("index", e.aux).micros("start_us", e.time);
            if (partner[i] != kUnpaired) {
                const TraceEvent& end = events[partner[i]];
                line.micros("end_us", end.time)
                    .text("outcome", end.outcome() == PollOutcome::Ready ? u"Ready" : u"Pending")
                    .line(trace, end.span);
            }
            break;
        }
        case EventKind::Wake:
            Line(out, "wake", seq++)
                .escaped("task", task)
                .text("cause", wakeCauseName(e.wakeCause()))
                .micros("t_us", e.time)
                .line(trace, e.span);
            break;
        case EventKind::BlockStart: {
            Line line(out, "block", seq++);
            line.escaped("task", task)
                .text("kind", e.blockKind() == BlockKind::Block ? u"block" : u"compute")
                .text("label", trace.string(e.aux))
                .micros("start_us", e.time);
            if (partner[i] != kUnpaired)
                line.micros("end_us", events[partner[i]].time);
            line.line(trace, e.span);
            break;
        }
        case EventKind::JobStart: {
            const ResourceRecord& job = tables.resources[e.aux];
            Line(out, "blocking_job", seq++)
                .escaped("task", task)
                .text("label", trace.string(job.label))
                .number("lane", e.lane)
                .micros("start_us", job.created)
                .micros("end_us", job.deadline)
                .line(trace, job.span);
            break;
        }
        case EventKind::WaitRegistered: {
            Line line(out, "wait", seq++);
            line.escaped("task", task).text("on", waitTargetName(e.waitTarget()));
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
                line.escaped("target", name(e.aux));
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
                .escaped("task", task)
                .text("label", trace.string(e.aux))
                .micros("t_us", e.time)
                .line(trace, e.span);
            break;
        case EventKind::Unpolled:
            Line(out, "unpolled", seq++)
                .escaped("task", task)
                .text("future", trace.string(e.aux))
                .micros("t_us", e.time)
                .line(trace, e.span);
            break;
        case EventKind::Cancel:
            Line(out, "cancel", seq++)
                .escaped("task", task)
                .text("target", cancelTargetName(e.cancelTarget()))
                .micros("t_us", e.time)
                .line(trace, e.span);
            break;
        case EventKind::Complete: {
            Line line(out, "complete", seq++);
            line.escaped("task", task)
                .text("status", e.completion() == CompletionStatus::Ok ? u"ok" : u"failed")
                .micros("t_us", e.time);
            if (e.aux)
                line.text("message", trace.string(e.aux));
            line.line(trace, e.span);
            break;
        }
        case EventKind::ChannelOp:
        case EventKind::PollEnd:
        case EventKind::BlockEnd:
        case EventKind::JobEnd:
            continue;
        }
    }
    out.raw("{\"event\":\"done\",\"clock\":\"");
    if (trace.virtualClock)
        out.raw("virtual");
    else
        out.raw("real");
    out.raw("\",\"elapsed_us\":")
        .micros(trace.report.elapsed)
        .raw(",\"status\":")
        .string(runStatusName(trace.report.status));
    if (!trace.report.message.isEmpty())
        out.raw(",\"message\":").string(trace.report.message);
    out.raw("}\n");
    return out.finish();
}

} // namespace pollscope
