#include "trace/chrometrace.h"

#include "trace/eventpairs.h"
#include "trace/jsonwriter.h"

#include <QIODevice>

#include <algorithm>
#include <cstring>

namespace pollscope {

namespace {

/// Track ids, in disjoint ranges: the worker, the reactor, one per blocking-pool lane from 10,
/// and one per task from 1000, or from past the last lane when a run has more than 990 lanes.
struct Tracks {
    static constexpr int kWorker = 1;
    static constexpr int kReactor = 2;
    static constexpr int kFirstLane = 10;
    int laneCount = 0; ///< highest lane a job ran on, plus one
    int firstTask() const { return std::max(1000, kFirstLane + laneCount); }
    int lane(int lane) const { return kFirstLane + lane; }
    int task(TaskId task) const { return firstTask() + int(task); }
};

/// Writes Chrome trace events, each `{"ph":..,"pid":1,"tid":..,"ts":..` then its own fields.
/// Names are written in pieces (a prefix, then an escaped label) so nothing is built per event.
class ChromeWriter {
public:
    explicit ChromeWriter(QIODevice& device)
        : m_out(device)
    {
        m_out.raw("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n");
    }

    JsonWriter& out() { return m_out; }

    /// Starts an event object; close it with end().
    JsonWriter& begin(char phase, int tid, TimeNs ts)
    {
        if (!m_first)
            m_out.raw(",\n");
        m_first = false;
        return m_out.raw("{\"ph\":\"")
            .raw(phase)
            .raw("\",\"pid\":1,\"tid\":")
            .number(tid)
            .raw(",\"ts\":")
            .micros(ts);
    }
    void end() { m_out.raw('}'); }

    /// A complete slice up to `,"name":"`: the caller writes the name's inside, then
    /// endName() and optional args.
    JsonWriter& slice(int tid, TimeNs start, TimeNs end)
    {
        return begin('X', tid, start)
            .raw(",\"dur\":")
            .micros(std::max<TimeNs>(0, end - start))
            .raw(",\"cat\":\"pollscope\",\"name\":\"");
    }
    /// An instant up to `,"name":"`.
    JsonWriter& instant(int tid, TimeNs ts)
    {
        return begin('i', tid, ts).raw(",\"s\":\"t\",\"cat\":\"pollscope\",\"name\":\"");
    }
    /// Closes the name; with `argsKey`, opens args with that key: `,"args":{"key":`.
    JsonWriter& endName(const char* argsKey = nullptr)
    {
        m_out.raw('"');
        if (argsKey)
            m_out.raw(",\"args\":{\"").raw(argsKey, std::strlen(argsKey)).raw("\":");
        return m_out;
    }

    void metadata(int tid, const char* name)
    {
        begin('M', tid, 0).raw(",\"name\":\"").raw(name, std::strlen(name)).raw("\",\"args\":{");
    }
    /// A track's name (already escaped) and its place in the viewer's list of tracks.
    void thread(int tid, const QByteArray& escapedName, qint64 sortIndex)
    {
        metadata(tid, "thread_name");
        m_out.raw("\"name\":\"").raw(escapedName).raw("\"}");
        end();
        metadata(tid, "thread_sort_index");
        m_out.raw("\"sort_index\":").number(sortIndex).raw('}');
        end();
    }

    bool finish()
    {
        m_out.raw("\n]}\n");
        return m_out.finish();
    }

private:
    JsonWriter m_out;
    bool m_first = true;
};

/// The inside of a wake's name: what woke the task.
void writeWakeName(
    JsonWriter& out, const Trace& trace, const QByteArray& causeTask, const TraceEvent& wake)
{
    const auto label = [&] {
        return QStringView(trace.string(trace.tables.resources[wake.aux].label));
    };
    switch (wake.wakeCause()) {
    case WakeCause::Timer:
        out.raw("timer fired");
        break;
    case WakeCause::Io:
        out.raw("I/O ready: ").escaped(label());
        break;
    case WakeCause::Yield:
        out.raw("yield_now wake");
        break;
    case WakeCause::TaskDone:
        out.raw(causeTask).raw(" finished");
        break;
    case WakeCause::BlockingJob:
        out.raw("blocking job done: ").escaped(label());
        break;
    case WakeCause::Channel:
        out.raw("channel ").escaped(label());
        break;
    case WakeCause::Budget:
        out.raw("budget spent");
        break;
    }
}

} // namespace

bool writeChromeTrace(const Trace& trace, const QString& title, QIODevice& device)
{
    ChromeWriter writer(device);
    JsonWriter& out = writer.out();
    const auto& events = trace.events;
    const std::size_t taskCount = trace.tables.tasks.size();

    Tracks tracks;
    std::vector<bool> lanes;
    for (const ResourceRecord& r : trace.tables.resources) {
        if (r.kind != ResourceKind::Job)
            continue;
        if (r.lane >= lanes.size())
            lanes.resize(std::size_t(r.lane) + 1, false);
        lanes[r.lane] = true;
    }
    tracks.laneCount = int(lanes.size());
    // Task names repeat on nearly every event: escape each once.
    std::vector<QByteArray> taskNames(taskCount);
    for (TaskId task = 0; task < taskCount; ++task)
        taskNames[task] = JsonWriter::escape(trace.taskName(task));
    const QByteArray noName;
    const auto name = [&](TaskId task) -> const QByteArray& {
        return task < taskCount ? taskNames[task] : noName;
    };

    writer.metadata(0, "process_name");
    out.raw("\"name\":\"Pollscope: ").escaped(title).raw("\"}");
    writer.end();
    // Sorted: worker, reactor, the tasks in spawn order, then the pool's lanes.
    writer.thread(Tracks::kWorker, "worker", 0);
    writer.thread(Tracks::kReactor, "reactor", 1);
    for (TaskId task = 0; task < taskCount; ++task)
        writer.thread(tracks.task(task), taskNames[task], 10 + qint64(task));
    const qint64 firstLaneIndex = std::max<qint64>(1'000'000, 10 + qint64(taskCount));
    for (int lane = 0; lane < tracks.laneCount; ++lane) {
        if (lanes[std::size_t(lane)])
            writer.thread(tracks.lane(lane), "blocking pool " + QByteArray::number(lane),
                firstLaneIndex + lane);
    }

    const std::vector<std::uint32_t> partner = pairStartsAndEnds(events, taskCount);
    std::vector<bool> inPoll(taskCount, false);
    std::vector<std::size_t> lastPoll(
        taskCount, SIZE_MAX); ///< start index of each task's latest poll
    std::vector<TimeNs> runnableSince(taskCount, kNever);
    /// A wake's arrow, drawn when the woken task's next poll starts.
    struct PendingFlow {
        int id = 0; ///< 0: none
        int tid = 0;
        TimeNs ts = 0;
        std::size_t wake = 0; ///< the Wake event, which names the arrow
    };
    std::vector<PendingFlow> wakeFlow(taskCount);
    std::size_t polling = SIZE_MAX; ///< the poll open on the worker, as an event index
    int nextFlow = 1;
    const auto wakeName = [&](const TraceEvent& wake) {
        writeWakeName(
            out, trace, wake.wakeCause() == WakeCause::TaskDone ? name(wake.aux) : noName, wake);
    };

    for (std::size_t i = 0; i < events.size(); ++i) {
        const TraceEvent& e = events[i];
        if (e.task >= taskCount)
            continue;
        const int tid = tracks.task(e.task);
        switch (e.kind) {
        case EventKind::Spawn:
            runnableSince[e.task] = e.time;
            break;
        case EventKind::Wake: {
            if (runnableSince[e.task] == kNever && !inPoll[e.task])
                runnableSince[e.task] = e.time;
            // The arrow starts at what woke the task: the poll that was running, the task
            // whose end it awaited, or the reactor.
            PendingFlow flow { nextFlow++, Tracks::kReactor, e.time, i };
            if (polling != SIZE_MAX) {
                flow.tid = tracks.task(events[polling].task);
                flow.ts = events[polling].time;
            } else if (e.wakeCause() == WakeCause::TaskDone && e.aux < taskCount &&
                lastPoll[e.aux] != SIZE_MAX) {
                flow.tid = tracks.task(e.aux);
                flow.ts = events[lastPoll[e.aux]].time;
            } else {
                writer.slice(Tracks::kReactor, e.time, e.time);
                wakeName(e);
                writer.endName("task").raw('"').raw(name(e.task)).raw("\"}");
                writer.end();
            }
            wakeFlow[e.task] = flow;
            break;
        }
        case EventKind::PollStart:
            inPoll[e.task] = true;
            lastPoll[e.task] = i;
            polling = i;
            if (runnableSince[e.task] != kNever && runnableSince[e.task] < e.time) {
                writer.slice(tid, runnableSince[e.task], e.time).raw("scheduled");
                writer.endName();
                writer.end();
            }
            runnableSince[e.task] = kNever;
            if (const PendingFlow flow = wakeFlow[e.task]; flow.id != 0) {
                for (const bool start : { true, false }) {
                    writer
                        .begin(start ? 's' : 'f', start ? flow.tid : tid, start ? flow.ts : e.time)
                        .raw(",\"cat\":\"pollscope\",\"name\":\"");
                    wakeName(events[flow.wake]);
                    out.raw("\",\"id\":").number(flow.id);
                    if (!start)
                        out.raw(",\"bp\":\"e\"");
                    writer.end();
                }
                wakeFlow[e.task] = PendingFlow {};
            }
            break;
        case EventKind::PollEnd: {
            if (partner[i] == kUnpaired)
                break;
            const TraceEvent& start = events[partner[i]];
            const bool ready = e.outcome() == PollOutcome::Ready;
            writer.slice(tid, start.time, e.time).raw(ready ? "Ready" : "Pending");
            writer.endName("task").raw('"').raw(name(e.task)).raw("\",\"index\":").number(e.aux);
            if (const SourceSpan& span = trace.span(e.span); span.isValid())
                out.raw(",\"line\":").number(span.line);
            out.raw('}');
            writer.end();
            writer.slice(Tracks::kWorker, start.time, e.time).raw(name(e.task));
            writer.endName("outcome").raw(ready ? "\"Ready\"}" : "\"Pending\"}");
            writer.end();
            inPoll[e.task] = false;
            polling = SIZE_MAX;
            break;
        }
        case EventKind::BlockEnd:
            if (partner[i] != kUnpaired) {
                writer.slice(tid, events[partner[i]].time, e.time)
                    .raw(e.blockKind() == BlockKind::Block ? "block: " : "compute: ");
                out.escaped(trace.string(e.aux));
                writer.endName();
                writer.end();
            }
            break;
        case EventKind::JobStart: {
            const ResourceRecord& job = trace.tables.resources[e.aux];
            writer.slice(tracks.lane(job.lane), job.created, job.deadline)
                .escaped(trace.string(job.label));
            writer.endName("spawned_by").raw('"').raw(name(e.task)).raw("\"}");
            writer.end();
            break;
        }
        case EventKind::Mark:
            writer.instant(tid, e.time).escaped(trace.string(e.aux));
            writer.endName();
            writer.end();
            break;
        case EventKind::Unpolled:
            writer.instant(tid, e.time)
                .raw("dropped without a poll: ")
                .escaped(trace.string(e.aux));
            writer.endName();
            writer.end();
            break;
        case EventKind::Cancel:
            if (e.cancelTarget() == CancelTarget::Task) {
                writer.instant(tid, e.time).raw("cancelled at shutdown");
                writer.endName();
                writer.end();
            }
            break;
        case EventKind::Complete:
            if (e.completion() == CompletionStatus::Failed) {
                writer.instant(tid, e.time).raw("failed: ").escaped(trace.string(e.aux));
                writer.endName();
                writer.end();
            }
            break;
        default:
            break;
        }
    }
    writer.instant(Tracks::kWorker, trace.report.elapsed)
        .raw("run ")
        .escaped(runStatusName(trace.report.status))
        .raw(" after ")
        .micros(trace.report.elapsed)
        .raw(" \xc2\xb5s"); // " µs" in UTF-8
    writer.endName();
    writer.end();
    return writer.finish();
}

} // namespace pollscope
