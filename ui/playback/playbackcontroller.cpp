#include "playback/playbackcontroller.h"

#include <algorithm>
#include <cmath>

namespace pollscope {

PlaybackController::PlaybackController(QObject* parent)
    : QObject(parent)
    , m_model(std::make_shared<const TimelineModel>())
{
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &PlaybackController::advance);
    updateTimer();
}

void PlaybackController::setModel(std::shared_ptr<const TimelineModel> model)
{
    pause();
    const qint64 before = pollCount();
    m_model = model ? std::move(model) : std::make_shared<const TimelineModel>();
    if (pollCount() != before)
        emit pollCountChanged(pollCount());
    m_cursorOverride = kNever;
    if (m_position != pollCount()) {
        m_position = pollCount();
        emit positionChanged(m_position);
    }
    // The same position in another run is another cursor.
    emit cursorChanged();
}

TimeNs PlaybackController::cursorTime() const
{
    const auto position = std::size_t(m_position);
    if (m_cursorOverride == kNever)
        return m_model->cursorTime(position);
    // Within the gap: after the last poll that ran, not after the next one starts.
    const TimeRange gap = m_model->cursorGap(position);
    return std::clamp(m_cursorOverride, gap.start, gap.end);
}

std::size_t PlaybackController::eventLimit() const
{
    const auto position = std::size_t(m_position);
    return m_cursorOverride == kNever ? m_model->eventLimit(position)
                                      : m_model->eventLimit(position, cursorTime());
}

void PlaybackController::moveTo(qint64 position, TimeNs cursorOverride)
{
    position = std::clamp<qint64>(position, 0, pollCount());
    const TimeNs before = cursorTime();
    const std::size_t limitBefore = eventLimit();
    const bool moved = position != m_position;
    m_position = position;
    m_cursorOverride = cursorOverride;
    if (moved)
        emit positionChanged(m_position);
    // At a poll's end, a sought cursor has seen what followed the poll and a stepped one not.
    if (moved || cursorTime() != before || eventLimit() != limitBefore)
        emit cursorChanged();
}

void PlaybackController::setPosition(qint64 position)
{
    moveTo(position, kNever);
}

bool PlaybackController::nextPollOfTask(TaskId task)
{
    const int lane = m_model->laneOfTask(task);
    if (lane < 0)
        return false;
    const std::span<const LanePoll> polls = m_model->lanePolls(lane);
    // The task's first poll that has not run yet (sequence >= position).
    const auto it = std::lower_bound(polls.begin(), polls.end(), m_position,
        [](const LanePoll& poll, qint64 p) { return qint64(poll.sequence) < p; });
    if (it == polls.end())
        return false;
    setPosition(qint64(it->sequence) + 1);
    return true;
}

bool PlaybackController::previousPollOfTask(TaskId task)
{
    const int lane = m_model->laneOfTask(task);
    if (lane < 0)
        return false;
    const std::span<const LanePoll> polls = m_model->lanePolls(lane);
    // The task's last poll before the current one (sequence < position - 1).
    const auto it = std::lower_bound(polls.begin(), polls.end(), m_position - 1,
        [](const LanePoll& poll, qint64 p) { return qint64(poll.sequence) < p; });
    if (it == polls.begin())
        return false;
    setPosition(qint64(std::prev(it)->sequence) + 1);
    return true;
}

void PlaybackController::seekToTime(qint64 time)
{
    const std::span<const PollItem> polls = m_model->polls();
    const auto it = std::upper_bound(polls.begin(), polls.end(), TimeNs(time),
        [](TimeNs t, const PollItem& poll) { return t < poll.start; });
    moveTo(qint64(it - polls.begin()), TimeNs(time));
}

void PlaybackController::play()
{
    if (isPlaying() || pollCount() == 0)
        return;
    if (atEnd())
        goToStart();
    m_playTime = cursorTime();
    m_timer.start();
    emit playingChanged(true);
}

void PlaybackController::pause()
{
    if (!isPlaying())
        return;
    m_timer.stop();
    emit playingChanged(false);
}

void PlaybackController::setPollsPerSecond(double pollsPerSecond)
{
    pollsPerSecond = std::clamp(pollsPerSecond, 0.1, 1e7);
    if (m_mode == SpeedMode::PollsPerSecond && pollsPerSecond == m_pollsPerSecond)
        return;
    m_mode = SpeedMode::PollsPerSecond;
    m_pollsPerSecond = pollsPerSecond;
    updateTimer();
    emit speedChanged();
}

void PlaybackController::setVirtualTimeScale(double scale)
{
    scale = std::clamp(scale, 1e-6, 1e3);
    if (m_mode == SpeedMode::VirtualTime && scale == m_virtualScale)
        return;
    m_mode = SpeedMode::VirtualTime;
    m_virtualScale = scale;
    m_playTime = cursorTime();
    updateTimer();
    emit speedChanged();
}

void PlaybackController::updateTimer()
{
    if (m_mode == SpeedMode::VirtualTime) {
        m_timer.setInterval(kFrameInterval);
        m_pollsPerTick = 0;
        return;
    }
    // Slow rates tick once per poll; fast ones every frame with several polls per tick.
    const int interval = std::max(kFrameInterval, int(std::lround(1000.0 / m_pollsPerSecond)));
    m_timer.setInterval(interval);
    m_pollsPerTick = std::max<qint64>(1, std::llround(m_pollsPerSecond * interval / 1000.0));
}

void PlaybackController::advance()
{
    if (atEnd()) {
        pause();
        return;
    }
    if (m_mode == SpeedMode::PollsPerSecond) {
        setPosition(m_position + m_pollsPerTick);
    } else {
        // The nominal interval, not the measured one: playback is reproducible, and a late
        // tick slows it down rather than skipping polls.
        m_playTime += TimeNs(std::llround(m_virtualScale * kFrameInterval * 1e6));
        if (m_playTime >= m_model->bounds().end) {
            goToEnd();
        } else {
            const std::span<const PollItem> polls = m_model->polls();
            const auto it = std::upper_bound(polls.begin(), polls.end(), m_playTime,
                [](TimeNs t, const PollItem& poll) { return t < poll.start; });
            moveTo(std::max(m_position, qint64(it - polls.begin())), m_playTime);
        }
    }
    if (atEnd())
        pause();
}

} // namespace pollscope
