#pragma once

#include "runtime/channeltable.h"
#include "runtime/runtime.h"
#include "runtime/tasktable.h"
#include "trace/tracerecorder.h"

#include <atomic>
#include <utility>
#include <vector>

namespace pollscope {

/// What both runtimes keep alike: the settings, the recorder and its tables, the tasks and the
/// channels, and the Runtime calls that only look something up or record it. Each runtime adds
/// its own clock, scheduling and resources.
///
/// Contract for a runtime: its destructor calls destroyFrames() (frames call back into the
/// runtime as they are destroyed, so they must go while all of it still exists), and its
/// resource ids are the indexes of the resource records made by recordResource().
/// retainTask()/releaseTask() stay with each runtime: given one shared definition, the compiler
/// inlines it speculatively into every JoinHandle's destructor, and spawning pays for that.
class RecordingRuntime : public Runtime, protected ChannelTable::Host {
public:
    /// Keeps every event of the run (takeTrace() hands them over). Call before run().
    void enableRecording() { m_recorder.enable(); }
    /// Sinks get every event of the run, in batches; adding one enables recording.
    void addSink(TraceSink* sink) { m_recorder.addSink(sink); }
    /// The run stops (RunStatus::Interrupted) soon after `*flag` becomes true. Before run().
    void setInterruptFlag(const std::atomic<bool>* flag) { m_interrupt = flag; }
    /// The source spans events will refer to (the interpreter's statements). Before run().
    void setSpans(std::vector<SourceSpan> spans) { m_recorder.tables().spans = std::move(spans); }

    // Runtime
    const RuntimeSettings& settings() const noexcept final { return m_settings; }
    StringId intern(QAnyStringView text) final;
    void setSpan(SpanId span) final;
    void closeChannel(ResourceId channel) final { m_channels.close(channel, m_current); }
    void cancelChannelWait(ResourceId channel, std::uint32_t token) final;
    void mark(StringId label) final;
    void recordUnpolled(StringId description, SpanId span) final;

protected:
    explicit RecordingRuntime(RuntimeSettings settings)
        : m_settings(settings)
    {
    }
    ~RecordingRuntime() override
    {
        Q_ASSERT_X(m_shuttingDown, "~RecordingRuntime", "a runtime destroys its frames itself");
    }

    /// Takes main's root frame: task 0, idle until the runtime first polls it.
    void addMainTask(std::coroutine_handle<> frame);
    /// Takes a spawned task's root frame, queued, with one reference for its JoinHandle; the
    /// task is named in the tables and spawned where its spawner is in the source.
    TaskId addSpawnedTask(std::coroutine_handle<> frame, StringId name)
    {
        const SpanId span = m_current != kNoTask ? m_tasks.span(m_current) : 0;
        const TaskId task = m_tasks.add(frame, span, 1, TaskState::Queued);
        m_recorder.tables().tasks.push_back(TaskRecord { name, m_current, span });
        return task;
    }
    /// The record of a new timer, I/O, job or channel, made by the current task; its index is
    /// the resource's id.
    ResourceId recordResource(
        ResourceKind kind, StringId label, TimeNs created, TimeNs deadline, std::uint16_t lane);
    /// Records an event of `task` at `time` (now() if negative), where the task currently is
    /// in the source. Inline, as the real-time runtime records three per hop; the clock is read
    /// only for an event that is kept, as reading it is most of what recording costs there.
    void recordEvent(EventKind kind, TaskId task, std::uint32_t aux, std::uint8_t detail = 0,
        std::uint16_t lane = 0, TimeNs time = -1)
    {
        if (!m_recorder.isEnabled()) {
            m_recorder.skip(1);
            return;
        }
        const SpanId span = task < m_tasks.size() ? m_tasks.span(task) : 0;
        m_recorder.keep(
            TraceEvent { time < 0 ? now() : time, task, aux, span, kind, detail, lane });
    }
    /// Destroys the frames left (at shutdown, or in a destructor); what their leaves withdraw
    /// as they go is not recorded.
    void destroyFrames()
    {
        m_shuttingDown = true;
        m_tasks.destroyAll();
    }

    // ChannelTable::Host
    void channelEvent(EventKind kind, TaskId task, ResourceId channel, std::uint8_t detail) final;

    RuntimeSettings m_settings;
    TraceRecorder m_recorder;
    TaskTable m_tasks;
    ChannelTable m_channels { *this };
    const std::atomic<bool>* m_interrupt = nullptr;
    bool m_shuttingDown = false; ///< frames are being torn down; leaves record nothing
};

} // namespace pollscope
