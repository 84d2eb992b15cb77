#pragma once

#include "runtime/runtimetypes.h"

#include <cstdint>

namespace pollscope {

/// What a trace event records. The executor emits them through its trace hooks (TraceSink).
enum class EventKind : std::uint8_t {
    Spawn, ///< task = child, aux = parent (kNoTask for main)
    PollStart, ///< task, aux = poll index (from 0)
    PollEnd, ///< task, detail = PollOutcome, aux = poll index
    Wake, ///< task = woken task, detail = WakeCause, aux = cause (task or resource, see WakeCause)
    BlockStart, ///< task, detail = BlockKind, aux = label string
    BlockEnd, ///< task, detail = BlockKind, aux = label string
    JobStart, ///< task = spawner, lane = pool lane, aux = resource (time: when the job starts)
    JobEnd, ///< task = spawner, lane = pool lane, aux = resource (time: when the job ended)
    WaitRegistered, ///< task, detail = WaitTarget, aux = resource or task: what it now waits on
    Unpolled, ///< task, aux = description string: a future created and dropped without a poll
    Cancel, ///< task, detail = CancelTarget, aux = resource or task
    Complete, ///< task, detail = CompletionStatus, aux = failure message string
    Mark, ///< task, aux = label string
    ChannelOp, ///< task, detail = ChannelOpKind, aux = channel resource
};

enum class PollOutcome : std::uint8_t { Pending, Ready };

/// Why a task became runnable; `aux` of a Wake event names the source.
enum class WakeCause : std::uint8_t {
    Timer, ///< aux = timer resource
    Io, ///< aux = I/O resource
    Yield, ///< yield_now's deferred self-wake; aux = kNoResource
    TaskDone, ///< aux = the task whose end was awaited
    BlockingJob, ///< aux = job resource
    Channel, ///< aux = channel resource
    Budget, ///< the cooperative budget ran out; aux = kNoResource
};

enum class BlockKind : std::uint8_t { Block, Compute };

/// What a Pending task registered its waker with.
enum class WaitTarget : std::uint8_t {
    Timer, ///< aux = timer resource (deadline in the resource table)
    Io, ///< aux = I/O resource
    Task, ///< aux = the task whose handle is awaited
    Job, ///< aux = blocking job resource
    ChannelSend, ///< aux = channel resource (full)
    ChannelRecv, ///< aux = channel resource (empty)
};
// yield_now registers nothing: its deferred wake is the Wake event (cause Yield) that follows.

enum class CancelTarget : std::uint8_t {
    Task, ///< aux = task: never polled again after shutdown
    Timer, ///< aux = resource: a dropped sleep
    Io, ///< aux = resource: a dropped I/O operation
    JoinWait, ///< aux = awaited task: a dropped await of a handle
    JobWait, ///< aux = job resource: a dropped await of a blocking job
    ChannelWait, ///< aux = channel resource: a dropped send or recv
    Job, ///< aux = job resource: still running on the pool at shutdown
};

enum class CompletionStatus : std::uint8_t { Ok, Failed };

enum class ChannelOpKind : std::uint8_t { Send, Recv, Close };

/// One event of a run: 24 bytes, strings and spans by index into the trace's side tables.
struct TraceEvent {
    TimeNs time = 0;
    TaskId task = 0;
    std::uint32_t aux = 0;
    SpanId span = 0;
    EventKind kind = EventKind::Mark;
    std::uint8_t detail = 0;
    std::uint16_t lane = 0;

    PollOutcome outcome() const { return static_cast<PollOutcome>(detail); }
    WakeCause wakeCause() const { return static_cast<WakeCause>(detail); }
    BlockKind blockKind() const { return static_cast<BlockKind>(detail); }
    CancelTarget cancelTarget() const { return static_cast<CancelTarget>(detail); }
    CompletionStatus completion() const { return static_cast<CompletionStatus>(detail); }
    WaitTarget waitTarget() const { return static_cast<WaitTarget>(detail); }
};

static_assert(sizeof(TraceEvent) == 24, "a trace event must stay at 24 bytes");

} // namespace pollscope
