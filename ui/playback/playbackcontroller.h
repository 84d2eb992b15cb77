#pragma once

#include "timeline/timelinemodel.h"

#include <QObject>
#include <QTimer>

#include <memory>

namespace pollscope {

/// A cursor over a run's polls, for stepping and playing a trace.
///
/// The position counts the polls that have run: 0 (none) to pollCount() (the whole run). At
/// position p > 0 the playback stands after poll p - 1 (currentPoll()): the cursor at its end,
/// its PollEnd the last event that happened (TimelineModel::eventLimit()). A time the user
/// sought to, or the virtual time of a playback in VirtualTime mode, moves the cursor within
/// the gap before the next poll, and then the gap's events up to the cursor have happened too.
/// Either way eventLimit() and cursorTime() agree: every view shows what they say. Every
/// setter signals only real changes.
class PlaybackController : public QObject
{
    Q_OBJECT

public:
    enum class SpeedMode {
        PollsPerSecond, ///< a fixed number of polls per wall-clock second
        VirtualTime, ///< virtual time runs at a fraction of wall-clock time
    };
    Q_ENUM(SpeedMode)

    /// Timer interval: one frame at 60 Hz, or longer for slow poll rates.
    static constexpr int kFrameInterval = 16;

    explicit PlaybackController(QObject* parent = nullptr);

    /// Shows a run: stops playing and moves to its end (everything visible).
    void setModel(std::shared_ptr<const TimelineModel> model);
    const std::shared_ptr<const TimelineModel>& model() const { return m_model; }

    qint64 position() const { return m_position; }
    qint64 pollCount() const { return qint64(m_model->pollCount()); }
    bool atStart() const { return m_position == 0; }
    bool atEnd() const { return m_position == pollCount(); }
    /// The poll that ran last (position - 1), or -1 at the start.
    qint64 currentPoll() const { return m_position - 1; }
    /// Events [0, eventLimit()) have happened: none of them is later than cursorTime().
    std::size_t eventLimit() const;
    TimeNs cursorTime() const;

    bool isPlaying() const { return m_timer.isActive(); }
    SpeedMode speedMode() const { return m_mode; }
    double pollsPerSecond() const { return m_pollsPerSecond; }
    /// Virtual seconds per wall-clock second in VirtualTime mode (0.1: ten times slower).
    int timerInterval() const { return m_timer.interval(); }

public slots:
    void setPosition(qint64 position);
    void stepForward() { setPosition(m_position + 1); }
    void stepBack() { setPosition(m_position - 1); }
    void goToStart() { setPosition(0); }
    void goToEnd() { setPosition(pollCount()); }
    /// Moves so that `task`'s next poll (at or after the position) is the one that just ran.
    /// Returns false, and stays, if the task has no later poll.
    bool nextPollOfTask(pollscope::TaskId task);
    /// Moves so that `task`'s poll before the current one is the one that just ran.
    bool previousPollOfTask(pollscope::TaskId task);
    /// Moves to `time`: every poll that started at or before it has run; the cursor stands at
    /// `time` (within the gap between the last poll and the next).
    void seekToTime(qint64 time);

    void play();
    void pause();
    void togglePlaying() { isPlaying() ? pause() : play(); }
    void setPollsPerSecond(double pollsPerSecond);
    void setVirtualTimeScale(double scale);
    /// One timer tick: what playing does every timerInterval() ms. Public so that tests and a
    /// "step by a frame" action need no real time.
    void advance();

signals:
    void positionChanged(qint64 position);
    /// The cursor moved: the position, or the cursor time within a gap between polls.
    void cursorChanged();
    void playingChanged(bool playing);
    void speedChanged();
    void pollCountChanged(qint64 count);

private:
    void moveTo(qint64 position, TimeNs cursorOverride);
    void updateTimer();

    std::shared_ptr<const TimelineModel> m_model;
    QTimer m_timer;
    qint64 m_position = 0;
    TimeNs m_cursorOverride = kNever; ///< kNever: TimelineModel::cursorTime(m_position)
    SpeedMode m_mode = SpeedMode::PollsPerSecond;
    double m_pollsPerSecond = 4;
    double m_virtualScale = 0.1;
    qint64 m_pollsPerTick = 1;
    TimeNs m_playTime = 0; ///< VirtualTime mode: the virtual time playback has reached
};

} // namespace pollscope
