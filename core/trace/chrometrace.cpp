#include "trace/chrometrace.h"

#include "trace/jsonlines.h"

#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

namespace pollscope {

namespace {

constexpr int kWorkerTrack = 1;
constexpr int kReactorTrack = 2;
constexpr int kFirstPoolTrack = 10;
constexpr int kFirstTaskTrack = 1000;

int taskTrack(TaskId task) { return kFirstTaskTrack + int(task); }

QByteArray quoted(const QString& text)
{
    // QJsonDocument escapes exactly as JSON wants; strip the surrounding array.
    const QByteArray json = QJsonDocument(QJsonArray { text }).toJson(QJsonDocument::Compact);
    return json.mid(1, json.size() - 2);
}

class ChromeWriter
{
public:
    explicit ChromeWriter(QIODevice& device)
        : m_device(device)
    {
        m_out.reserve(1 << 20);
        m_out += "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n";
    }

    /// One event object; `fields` is the rest of it, starting with a comma.
    void event(const char* phase, int tid, TimeNs ts, const QByteArray& fields)
    {
        if (!m_first)
            m_out += ",\n";
        m_first = false;
        m_out += "{\"ph\":\"";
        m_out += phase;
        m_out += "\",\"pid\":1,\"tid\":" + QByteArray::number(tid) + ",\"ts\":" + formatMicros(ts) + fields + '}';
        if (m_out.size() > (1 << 20))
            flush();
    }

    void slice(int tid, TimeNs start, TimeNs end, const QString& name, const QByteArray& args = {})
    {
        event("X", tid, start,
              ",\"dur\":" + formatMicros(std::max<TimeNs>(0, end - start)) + ",\"cat\":\"pollscope\",\"name\":" + quoted(name)
                  + (args.isEmpty() ? QByteArray() : ",\"args\":{" + args + '}'));
    }

    void instant(int tid, TimeNs ts, const QString& name, const QByteArray& args = {})
    {
        event("i", tid, ts,
              ",\"s\":\"t\",\"cat\":\"pollscope\",\"name\":" + quoted(name) + (args.isEmpty() ? QByteArray() : ",\"args\":{" + args + '}'));
    }

    void metadata(int tid, const char* name, const QByteArray& args) { event("M", tid, 0, ",\"name\":\"" + QByteArray(name) + "\",\"args\":{" + args + '}'); }

    void flow(int id, int fromTid, TimeNs from, int toTid, TimeNs to, const QString& name)
    {
        const QByteArray common = ",\"cat\":\"pollscope\",\"name\":" + quoted(name) + ",\"id\":" + QByteArray::number(id);
        event("s", fromTid, from, common);
        event("f", toTid, to, common + ",\"bp\":\"e\"");
    }

    bool finish()
    {
        m_out += "\n]}\n";
        return flush();
    }

private:
    bool flush()
    {
        m_ok = m_ok && m_device.write(m_out) == m_out.size();
        m_out.clear();
        return m_ok;
    }

    QIODevice& m_device;
    QByteArray m_out;
    bool m_first = true;
    bool m_ok = true;
};

QString wakeName(const Trace& trace, const TraceEvent& wake)
{
    switch (wake.wakeCause()) {
    case WakeCause::Timer:
        return u"timer fired"_qs;
    case WakeCause::Io:
        return u"I/O ready: "_qs + trace.string(trace.tables.resources[wake.aux].label);
    case WakeCause::Yield:
        return u"yield_now wake"_qs;
    case WakeCause::TaskDone:
        return trace.taskName(wake.aux) + u" finished";
    case WakeCause::BlockingJob:
        return u"blocking job done: "_qs + trace.string(trace.tables.resources[wake.aux].label);
    case WakeCause::Channel:
        return u"channel "_qs + trace.string(trace.tables.resources[wake.aux].label);
    case WakeCause::Budget:
        return u"budget spent"_qs;
    }
    return QString();
}

} // namespace

bool writeChromeTrace(const Trace& trace, const QString& title, QIODevice& device)
{
    ChromeWriter out(device);
    const auto& events = trace.events;
    const std::size_t taskCount = trace.tables.tasks.size();

    out.metadata(0, "process_name", "\"name\":" + quoted(u"Pollscope: "_qs + title));
    out.metadata(kWorkerTrack, "thread_name", "\"name\":\"worker\"");
    out.metadata(kWorkerTrack, "thread_sort_index", "\"sort_index\":0");
    out.metadata(kReactorTrack, "thread_name", "\"name\":\"reactor\"");
    out.metadata(kReactorTrack, "thread_sort_index", "\"sort_index\":1");
    for (TaskId task = 0; task < taskCount; ++task) {
        out.metadata(taskTrack(task), "thread_name", "\"name\":" + quoted(trace.taskName(task)));
        out.metadata(taskTrack(task), "thread_sort_index", "\"sort_index\":" + QByteArray::number(10 + task));
    }
    QSet<int> lanes;
    for (const ResourceRecord& r : trace.tables.resources)
        if (r.kind == ResourceKind::Job)
            lanes.insert(r.lane);
    for (int lane : lanes) {
        out.metadata(kFirstPoolTrack + lane, "thread_name", "\"name\":\"blocking pool " + QByteArray::number(lane) + '"');
        out.metadata(kFirstPoolTrack + lane, "thread_sort_index", "\"sort_index\":" + QByteArray::number(1'000'000 + lane));
    }

    // Pair each poll's start with its end, and each block with its end.
    std::vector<std::size_t> openPoll(taskCount, SIZE_MAX);
    std::vector<std::size_t> openBlock(taskCount, SIZE_MAX);
    std::vector<std::size_t> lastPoll(taskCount, SIZE_MAX); ///< start index of each task's latest poll
    std::vector<TimeNs> runnableSince(taskCount, kNever);
    struct PendingFlow {
        int id;
        int tid;
        TimeNs ts;
        QString name;
    };
    std::vector<std::optional<PendingFlow>> wakeFlow(taskCount);
    std::size_t polling = SIZE_MAX; ///< the poll open on the worker, as an event index
    int nextFlow = 1;

    for (std::size_t i = 0; i < events.size(); ++i) {
        const TraceEvent& e = events[i];
        if (e.task >= taskCount)
            continue;
        const int tid = taskTrack(e.task);
        switch (e.kind) {
        case EventKind::Spawn:
            runnableSince[e.task] = e.time;
            break;
        case EventKind::Wake: {
            if (runnableSince[e.task] == kNever && openPoll[e.task] == SIZE_MAX)
                runnableSince[e.task] = e.time;
            // The arrow starts at what woke the task: the poll that was running, the task
            // whose end it awaited, or the reactor.
            const QString name = wakeName(trace, e);
            PendingFlow flow { nextFlow++, kReactorTrack, e.time, name };
            if (polling != SIZE_MAX) {
                flow.tid = taskTrack(events[polling].task);
                flow.ts = events[polling].time;
            } else if (e.wakeCause() == WakeCause::TaskDone && e.aux < taskCount && lastPoll[e.aux] != SIZE_MAX) {
                flow.tid = taskTrack(e.aux);
                flow.ts = events[lastPoll[e.aux]].time;
            } else {
                out.slice(kReactorTrack, e.time, e.time, name, "\"task\":" + quoted(trace.taskName(e.task)));
            }
            wakeFlow[e.task] = flow;
            break;
        }
        case EventKind::PollStart:
            openPoll[e.task] = i;
            lastPoll[e.task] = i;
            polling = i;
            if (runnableSince[e.task] != kNever && runnableSince[e.task] < e.time)
                out.slice(tid, runnableSince[e.task], e.time, u"scheduled"_qs);
            runnableSince[e.task] = kNever;
            if (wakeFlow[e.task]) {
                const PendingFlow& flow = *wakeFlow[e.task];
                out.flow(flow.id, flow.tid, flow.ts, tid, e.time, flow.name);
                wakeFlow[e.task].reset();
            }
            break;
        case EventKind::PollEnd: {
            if (openPoll[e.task] == SIZE_MAX)
                break;
            const TraceEvent& start = events[openPoll[e.task]];
            const bool ready = e.outcome() == PollOutcome::Ready;
            QByteArray args = "\"task\":" + quoted(trace.taskName(e.task)) + ",\"index\":" + QByteArray::number(e.aux);
            if (const SourceSpan& span = trace.span(e.span); span.isValid())
                args += ",\"line\":" + QByteArray::number(span.line);
            out.slice(tid, start.time, e.time, ready ? u"Ready"_qs : u"Pending"_qs, args);
            out.slice(kWorkerTrack, start.time, e.time, trace.taskName(e.task),
                      "\"outcome\":" + QByteArray(ready ? "\"Ready\"" : "\"Pending\""));
            openPoll[e.task] = SIZE_MAX;
            polling = SIZE_MAX;
            break;
        }
        case EventKind::BlockStart:
            openBlock[e.task] = i;
            break;
        case EventKind::BlockEnd:
            if (openBlock[e.task] != SIZE_MAX) {
                out.slice(tid, events[openBlock[e.task]].time, e.time,
                          (e.blockKind() == BlockKind::Block ? u"block: "_qs : u"compute: "_qs) + trace.string(e.aux));
                openBlock[e.task] = SIZE_MAX;
            }
            break;
        case EventKind::JobStart: {
            const ResourceRecord& job = trace.tables.resources[e.aux];
            out.slice(kFirstPoolTrack + job.lane, job.created, job.deadline, trace.string(job.label),
                      "\"spawned_by\":" + quoted(trace.taskName(e.task)));
            break;
        }
        case EventKind::Mark:
            out.instant(tid, e.time, trace.string(e.aux));
            break;
        case EventKind::Unpolled:
            out.instant(tid, e.time, u"dropped without a poll: "_qs + trace.string(e.aux));
            break;
        case EventKind::Cancel:
            if (e.cancelTarget() == CancelTarget::Task)
                out.instant(tid, e.time, u"cancelled at shutdown"_qs);
            break;
        case EventKind::Complete:
            if (e.completion() == CompletionStatus::Failed)
                out.instant(tid, e.time, u"failed: "_qs + trace.string(e.aux));
            break;
        default:
            break;
        }
    }
    out.instant(kWorkerTrack, trace.report.elapsed,
                QStringLiteral("run %1 after %2 µs").arg(runStatusName(trace.report.status), QString::fromLatin1(formatMicros(trace.report.elapsed))));
    return out.finish();
}

} // namespace pollscope
