// PlaybackController: a cursor over a run's polls, with change-only signals.

#include "playback/playbackcontroller.h"
#include "runtime/executor.h"
#include "runtime/futures.h"

#include <QSignalSpy>
#include <QTest>

using namespace pollscope;
using namespace std::chrono_literals;

namespace {

constexpr TimeNs ms = 1'000'000;

Task<> fetch(std::chrono::milliseconds d)
{
    co_await io(u"GET", d);
}

/// Seven polls of 10 µs: main#0, fetch-0#0, fetch-1#0 at the start; fetch-0#1 (80.01 ms,
/// Ready), main#1 (80.02 ms); fetch-1#1 (120.03 ms, Ready), main#2 (Ready).
Task<> fetchTwo()
{
    auto a = spawn(fetch(80ms), u"fetch-0");
    auto b = spawn(fetch(120ms), u"fetch-1");
    co_await a;
    co_await b;
}

std::shared_ptr<const TimelineModel> model()
{
    RuntimeSettings settings;
    settings.pollCost = 10'000;
    return std::make_shared<const TimelineModel>(
        std::make_shared<const Trace>(recordRun(fetchTwo(), settings)));
}

QStringList pollTasks(const TimelineModel& model)
{
    QStringList tasks;
    for (const PollItem& poll : model.polls())
        tasks << model.trace().taskName(poll.task) + u'#' + QString::number(poll.index);
    return tasks;
}

} // namespace

class TestPlaybackController : public QObject
{
    Q_OBJECT

private slots:
    void theRunIsAsExpected()
    {
        QCOMPARE(pollTasks(*model()),
            (QStringList { u"main#0"_qs, u"fetch-0#0"_qs, u"fetch-1#0"_qs, u"fetch-0#1"_qs,
                u"main#1"_qs, u"fetch-1#1"_qs, u"main#2"_qs }));
    }

    void setModelShowsTheWholeRun()
    {
        PlaybackController playback;
        QSignalSpy position(&playback, &PlaybackController::positionChanged);
        QSignalSpy count(&playback, &PlaybackController::pollCountChanged);
        QSignalSpy cursor(&playback, &PlaybackController::cursorChanged);
        QCOMPARE(playback.pollCount(), 0);
        QVERIFY(playback.atStart() && playback.atEnd());

        const auto run = model();
        playback.setModel(run);
        QCOMPARE(playback.position(), 7);
        QVERIFY(playback.atEnd());
        QCOMPARE(position.count(), 1);
        QCOMPARE(position.takeFirst().at(0).toLongLong(), 7);
        QCOMPARE(count.count(), 1);
        QCOMPARE(cursor.count(), 1);
        QCOMPARE(playback.eventLimit(), run->eventCount());
        QCOMPARE(playback.cursorTime(), run->bounds().end);

        // Another run with as many polls: same position, but a new cursor.
        playback.setModel(model());
        QCOMPARE(position.count(), 0);
        QCOMPARE(count.count(), 1);
        QCOMPARE(cursor.count(), 2);
    }

    void stepping()
    {
        PlaybackController playback;
        const auto run = model();
        playback.setModel(run);
        QSignalSpy position(&playback, &PlaybackController::positionChanged);
        QSignalSpy cursor(&playback, &PlaybackController::cursorChanged);

        playback.stepForward(); // already at the end
        QCOMPARE(position.count(), 0);
        QCOMPARE(cursor.count(), 0);

        playback.stepBack();
        QCOMPARE(playback.position(), 6);
        QCOMPARE(playback.currentPoll(), 5);
        QCOMPARE(position.count(), 1);
        QCOMPARE(cursor.count(), 1);
        QCOMPARE(playback.eventLimit(), run->eventLimit(6));
        QCOMPARE(playback.eventLimit(), std::size_t(run->poll(5).endEvent) + 1);
        QCOMPARE(playback.cursorTime(), run->poll(5).end);

        playback.goToStart();
        QCOMPARE(playback.position(), 0);
        QCOMPARE(playback.currentPoll(), -1);
        QCOMPARE(playback.eventLimit(), std::size_t(run->poll(0).event));
        playback.goToStart();
        playback.stepBack();
        QCOMPARE(position.count(), 2);
        QCOMPARE(cursor.count(), 2);

        playback.setPosition(100);
        QCOMPARE(playback.position(), 7);
        playback.setPosition(-5);
        QCOMPARE(playback.position(), 0);
        playback.goToEnd();
        QCOMPARE(position.count(), 5);
        QCOMPARE(cursor.count(), 5);
    }

    void jumpsBetweenATasksPolls()
    {
        PlaybackController playback;
        playback.setModel(model());
        playback.goToStart();
        QSignalSpy position(&playback, &PlaybackController::positionChanged);
        const TaskId fetch1 = 2;
        QVERIFY(playback.nextPollOfTask(fetch1));
        QCOMPARE(playback.position(), 3); // fetch-1#0 (sequence 2) just ran
        QVERIFY(playback.nextPollOfTask(fetch1));
        QCOMPARE(playback.position(), 6); // fetch-1#1 (sequence 5)
        QVERIFY(!playback.nextPollOfTask(fetch1));
        QCOMPARE(playback.position(), 6);
        QCOMPARE(position.count(), 2);

        QVERIFY(playback.previousPollOfTask(fetch1));
        QCOMPARE(playback.position(), 3);
        QVERIFY(!playback.previousPollOfTask(fetch1));
        QCOMPARE(playback.position(), 3);
        QVERIFY(!playback.nextPollOfTask(42));
        QCOMPARE(position.count(), 3);

        // main's next poll from position 3 is main#1, sequence 4.
        QVERIFY(playback.nextPollOfTask(0));
        QCOMPARE(playback.position(), 5);
    }

    void seekToTime()
    {
        PlaybackController playback;
        const auto run = model();
        playback.setModel(run);
        QSignalSpy position(&playback, &PlaybackController::positionChanged);
        QSignalSpy cursor(&playback, &PlaybackController::cursorChanged);

        // At 100 ms, polls 0..4 have started (main#1 at 80.02 ms); fetch-1#1 starts at 120.03 ms.
        playback.seekToTime(100 * ms);
        QCOMPARE(playback.position(), 5);
        QCOMPARE(playback.cursorTime(), 100 * ms);
        QCOMPARE(position.count(), 1);
        QCOMPARE(cursor.count(), 1);
        // Within the same gap: only the cursor moves.
        playback.seekToTime(110 * ms);
        QCOMPARE(playback.cursorTime(), 110 * ms);
        QCOMPARE(position.count(), 1);
        QCOMPARE(cursor.count(), 2);
        playback.seekToTime(110 * ms);
        QCOMPARE(cursor.count(), 2);
        // Stepping forgets the sought time.
        playback.stepBack();
        QCOMPARE(playback.cursorTime(), run->poll(3).end);
        QCOMPARE(playback.eventLimit(), std::size_t(run->poll(3).endEvent) + 1);
        // A time inside a poll: that poll has run; the cursor stands at its end.
        playback.seekToTime(5'000);
        QCOMPARE(playback.position(), 1);
        QCOMPARE(playback.cursorTime(), run->poll(0).end);
        playback.seekToTime(-1);
        QCOMPARE(playback.position(), 0);
    }

    void aStepStandsAfterThePollThatRan()
    {
        // fetch-1#0 ends at 30 µs; fetch-0's wake at 80.01 ms leads to fetch-0#1. After a step
        // past fetch-1#0 the cursor is at its end and the wake has not happened yet.
        PlaybackController playback;
        const auto run = model();
        playback.setModel(run);
        playback.goToStart();
        for (int i = 0; i < 3; ++i)
            playback.stepForward();
        QCOMPARE(playback.currentPoll(), 2);
        QCOMPARE(playback.cursorTime(), 30'000);
        QCOMPARE(playback.eventLimit(), std::size_t(run->poll(2).endEvent) + 1);
        QCOMPARE(run->trace().events[playback.eventLimit() - 1].kind, EventKind::PollEnd);
        // Every position between the first and the last, stepped to in either direction.
        const auto standsAfterCurrentPoll = [&] {
            const PollItem& poll = run->poll(std::size_t(playback.currentPoll()));
            return playback.cursorTime() == poll.end &&
                playback.eventLimit() == std::size_t(poll.endEvent) + 1;
        };
        playback.goToStart();
        while (playback.position() + 1 < playback.pollCount()) {
            playback.stepForward();
            QVERIFY2(standsAfterCurrentPoll(), qPrintable(QString::number(playback.position())));
        }
        while (playback.position() > 1) {
            playback.stepBack();
            QVERIFY2(standsAfterCurrentPoll(), qPrintable(QString::number(playback.position())));
        }
        // So does the next poll of a task.
        playback.goToStart();
        QVERIFY(playback.nextPollOfTask(run->poll(3).task));
        QCOMPARE(playback.position(), 2);
        QVERIFY(standsAfterCurrentPoll());
        QVERIFY(playback.nextPollOfTask(run->poll(3).task));
        QCOMPARE(playback.position(), 4);
        QVERIFY(standsAfterCurrentPoll());
    }

    void nothingShownIsLaterThanTheCursor_data()
    {
        QTest::addColumn<double>("scale");
        QTest::newRow("real time") << 1.0;
        QTest::newRow("time / 10") << 0.1;
        QTest::newRow("time / 100") << 0.01;
    }

    void nothingShownIsLaterThanTheCursor()
    {
        // Playing in virtual time, the cursor crosses the gaps between polls: the events that
        // have happened are those up to it, and no later one.
        QFETCH(double, scale);
        PlaybackController playback;
        const auto run = model();
        playback.setModel(run);
        playback.setVirtualTimeScale(scale);
        playback.goToStart();
        playback.play();
        const EventLog& events = run->trace().events;
        int ticks = 0;
        while (playback.isPlaying()) {
            playback.advance(); // the timer's work, without the timer
            ++ticks;
            const std::size_t limit = playback.eventLimit();
            const TimeNs cursor = playback.cursorTime();
            for (std::size_t e = 0; e < limit; ++e)
                QVERIFY2(events[e].time <= cursor,
                    qPrintable(QStringLiteral("event %1 at %2 ns, cursor at %3 ns")
                                   .arg(e)
                                   .arg(events[e].time)
                                   .arg(cursor)));
            // ... and what the current poll did has happened.
            if (playback.currentPoll() >= 0 && !playback.atEnd()) {
                const PollItem& poll = run->poll(std::size_t(playback.currentPoll()));
                QVERIFY(limit > poll.endEvent);
                QVERIFY(cursor >= poll.end);
            }
        }
        QVERIFY(playback.atEnd());
        QCOMPARE(playback.eventLimit(), run->eventCount());
        QVERIFY(ticks >= int(120 / (16 * scale))); // 120 ms of the run in 16 ms ticks
    }

    void playAndPause()
    {
        PlaybackController playback;
        playback.setModel(model());
        QSignalSpy playing(&playback, &PlaybackController::playingChanged);
        QSignalSpy position(&playback, &PlaybackController::positionChanged);

        playback.play(); // at the end: starts over
        QVERIFY(playback.isPlaying());
        QCOMPARE(playback.position(), 0);
        QCOMPARE(playing.count(), 1);
        QCOMPARE(playing.takeFirst().at(0).toBool(), true);
        playback.play();
        QCOMPARE(playing.count(), 0);

        playback.advance();
        QCOMPARE(playback.position(), 1);
        playback.pause();
        playback.pause();
        QCOMPARE(playing.count(), 1);
        QVERIFY(!playback.isPlaying());

        // Playing into the end stops there.
        playback.setPosition(6);
        playback.togglePlaying();
        QVERIFY(playback.isPlaying());
        playback.advance();
        QVERIFY(playback.atEnd());
        QVERIFY(!playback.isPlaying());
        QCOMPARE(playing.count(), 3);
        QCOMPARE(position.count(), 4); // 7 -> 0 -> 1 -> 6 -> 7
    }

    void pollsPerSecond()
    {
        PlaybackController playback;
        QSignalSpy speed(&playback, &PlaybackController::speedChanged);
        QCOMPARE(playback.speedMode(), PlaybackController::SpeedMode::PollsPerSecond);
        QCOMPARE(playback.pollsPerSecond(), 4.0);
        QCOMPARE(playback.timerInterval(), 250);
        playback.setPollsPerSecond(4);
        QCOMPARE(speed.count(), 0);
        playback.setPollsPerSecond(120); // faster than frames: two polls per 16 ms tick
        QCOMPARE(playback.timerInterval(), PlaybackController::kFrameInterval);
        QCOMPARE(speed.count(), 1);
        playback.setModel(model());
        playback.goToStart();
        playback.play();
        playback.advance();
        QCOMPARE(playback.position(), 2);
        playback.setPollsPerSecond(10);
        QCOMPARE(playback.timerInterval(), 100);
        playback.advance();
        QCOMPARE(playback.position(), 3);
        QCOMPARE(speed.count(), 2);
    }

    void virtualTime()
    {
        PlaybackController playback;
        const auto run = model();
        playback.setModel(run);
        QSignalSpy speed(&playback, &PlaybackController::speedChanged);
        playback.setVirtualTimeScale(1.0); // real time: 16 ms of the run per 16 ms tick
        QCOMPARE(playback.speedMode(), PlaybackController::SpeedMode::VirtualTime);
        QCOMPARE(speed.count(), 1);
        playback.setVirtualTimeScale(1.0);
        QCOMPARE(speed.count(), 1);

        playback.goToStart();
        playback.play();
        QSignalSpy position(&playback, &PlaybackController::positionChanged);
        QSignalSpy cursor(&playback, &PlaybackController::cursorChanged);
        playback.advance(); // 16 ms: the three polls at the start have run
        QCOMPARE(playback.position(), 3);
        QCOMPARE(playback.cursorTime(), 16 * ms);
        playback.advance(); // 32 ms: nothing new, but time runs on
        QCOMPARE(playback.position(), 3);
        QCOMPARE(playback.cursorTime(), 32 * ms);
        QCOMPARE(position.count(), 1);
        QCOMPARE(cursor.count(), 2);
        for (int i = 0; i < 4; ++i)
            playback.advance(); // 96 ms: fetch-0#1 and main#1 have run
        QCOMPARE(playback.position(), 5);
        QCOMPARE(playback.cursorTime(), 96 * ms);
        for (int i = 0; i < 10 && playback.isPlaying(); ++i)
            playback.advance();
        QVERIFY(playback.atEnd());
        QVERIFY(!playback.isPlaying());
    }

    void theTimerDrivesPlayback()
    {
        PlaybackController playback;
        playback.setModel(model());
        playback.setPollsPerSecond(1000);
        playback.goToStart();
        QSignalSpy position(&playback, &PlaybackController::positionChanged);
        playback.play();
        QVERIFY(position.wait(5000));
        QVERIFY(playback.position() > 0);
        playback.pause();
    }
};

QTEST_GUILESS_MAIN(TestPlaybackController)
#include "tst_playbackcontroller.moc"
