#pragma once

#include "analysis/timeformat.h"
#include "trace/trace.h"

#include <QString>

#include <cstdint>
#include <vector>

namespace pollscope {

/// Sentences that tell, in poll terms, what a run did: one per poll, for a status bar while
/// stepping through a trace.
///
///   pollSentence: "fetch-1 returned Pending at line 3: waiting for GET b.example, due at 80 ms"
///                 "main returned Ready at line 12 after 4 polls"
///   wakeSentence: "ticker was woken by its timer at 220 ms"
///   stepSentence: "ticker was woken by its timer at 220 ms and returned Pending at line 5:
///                  waiting for a timer due at 240 ms"
///
/// Everything is derived from the trace: what a Pending poll waits on from the WaitRegistered
/// events inside it, or else from the task's next Wake (a yield_now is a Wake with cause Yield
/// after the poll; a spent budget wakes the task during its own poll), and a poll that a runaway
/// bound cut off (RunReport::lastPollCutOff) says so instead. Lines come from the
/// PollEnd event's source span; line 0 (unknown) is left out of the sentence.
///
/// Construction indexes the polls in one pass (16 bytes per poll); sentences are built on
/// demand. The trace must outlive the Narration.
class Narration
{
public:
    Narration() = default;
    explicit Narration(const Trace& trace);

    /// Polls of the run, in the order they started (the playback order).
    std::size_t pollCount() const { return m_polls.size(); }
    /// Index of the PollStart event of poll `sequence`.
    std::size_t pollStartEvent(std::size_t sequence) const { return m_polls[sequence].start; }

    /// What poll `sequence` did: its outcome, line and what it now waits on.
    QString pollSentence(std::size_t sequence) const;
    /// What made poll `sequence` run: its spawn (first poll) or the wake before it.
    QString wakeSentence(std::size_t sequence) const;
    /// What Wake event `event` did, as wakeSentence() tells it: "main was woken when fetch-1
    /// finished at 120 ms". Any wake, not only the first one before a poll.
    QString wakeEventSentence(std::size_t event) const;
    /// Both as one sentence, for the status bar during playback.
    QString stepSentence(std::size_t sequence) const;

private:
    static constexpr std::uint32_t kNone = ~std::uint32_t(0);

    struct PollRecord {
        std::uint32_t start = kNone; ///< PollStart event
        std::uint32_t end = kNone; ///< PollEnd event (kNone: the run stopped inside the poll)
        std::uint32_t cause = kNone; ///< the Spawn or Wake event that made this poll runnable
        std::uint32_t nextWake = kNone; ///< the task's first Wake after this poll started
    };

    QString subject(const PollRecord& poll) const;
    QString predicate(const PollRecord& poll) const;
    /// "was woken by its timer at 220 ms" for Spawn or Wake event `cause`; kNone: empty.
    QString wakeClause(std::uint32_t cause) const;
    QString waitingFor(const PollRecord& poll) const;

    const Trace* m_trace = nullptr;
    BulkVector<PollRecord> m_polls;
};

} // namespace pollscope
