// TimelineModel: lanes and items built from traces of known programs.

#include "runtime/channel.h"
#include "runtime/executor.h"
#include "runtime/futures.h"
#include "runtime/taskfailure.h"
#include "script/compiler.h"
#include "script/interpreter.h"
#include "timeline/timelinemodel.h"

#include <QTest>

using namespace pollscope;
using namespace std::chrono_literals;

namespace {

constexpr TimeNs ms = 1'000'000;
constexpr TimeNs us = 1'000;

Task<> ticker()
{
    for (int i = 0; i < 3; ++i) {
        co_await sleep(20ms);
        mark(QStringLiteral("tick-%1").arg(i));
    }
}

/// main blocks the worker for 200 ms while the ticker it spawned waits in the run queue.
Task<> blockingInPoll()
{
    auto tick = spawn(ticker(), u"ticker");
    block(u"read", 200ms);
    co_await tick;
}

Task<> spawnBlockingFix()
{
    auto tick = spawn(ticker(), u"ticker");
    co_await spawnBlocking(u"read", 200ms);
    co_await tick;
}

Task<> sleeper()
{
    co_await sleep(20ms);
}

/// The sleeper's timer is due at 20 ms, but main computes until 100 ms: a late wake.
Task<> lateTimer()
{
    auto s = spawn(sleeper(), u"sleeper");
    co_await yieldNow(); // let the sleeper register its timer first
    compute(u"crunch", 100ms);
    co_await s;
}

Task<> yielder()
{
    co_await yieldNow();
    co_await yieldNow();
}

Task<> slow()
{
    co_await sleep(100ms);
}

Task<> forgetful()
{
    Runtime* runtime = Runtime::current();
    runtime->recordUnpolled(runtime->intern(u"sleep(10ms)"), 0);
    co_await sleep(1ms);
    runtime->recordUnpolled(runtime->intern(u"sleep(10ms)"), 0);
    runtime->recordUnpolled(runtime->intern(u"save(\"order-1\")"), 0);
    spawn(slow(), u"left-behind");
    spawnBlocking(u"abandoned", 1s);
    co_await sleep(1ms);
}

Task<> producer(Channel<int> channel)
{
    co_await sleep(5ms);
    co_await channel.send(1);
}

Task<> channelWake()
{
    Channel<int> channel(1, u"queue");
    auto p = spawn(producer(channel), u"producer");
    co_await channel.recv();
    co_await p;
}

Task<> yieldLoop(int yields)
{
    for (int i = 0; i < yields; ++i)
        co_await yieldNow();
}

Task<> spawnYielders(int tasks, int yields)
{
    std::vector<JoinHandle<void>> handles;
    for (int k = 0; k < tasks; ++k)
        handles.push_back(spawn(yieldLoop(yields)));
    for (auto& handle : handles)
        co_await handle;
}

Task<> waitForever(Channel<int> channel)
{
    co_await channel.recv();
}

/// main and a task both wait on a channel nobody sends on: a deadlock at 10 µs.
Task<> deadlocked()
{
    Channel<int> channel(1, u"silent");
    spawn(waitForever(channel), u"waiter");
    co_await channel.recv();
}

/// main fails with a task still sleeping: the runtime shuts down and cancels it.
Task<> failsEarly()
{
    spawn(slow(), u"orphan");
    co_await sleep(1ms);
    throw TaskFailure(u"gave up"_qs);
}

std::shared_ptr<const TimelineModel> modelOf(Task<> main, TimeNs pollCost = 10 * us)
{
    RuntimeSettings settings;
    settings.pollCost = pollCost;
    return std::make_shared<const TimelineModel>(
        std::make_shared<const Trace>(recordRun(std::move(main), settings)));
}

QStringList laneNames(const TimelineModel& model)
{
    QStringList names;
    for (int lane = 0; lane < model.laneCount(); ++lane)
        names << model.laneName(lane);
    return names;
}

} // namespace

class TestTimelineModel : public QObject
{
    Q_OBJECT

private slots:
    void lanesAndPolls()
    {
        const auto model = modelOf(blockingInPoll());
        QCOMPARE(laneNames(*model), (QStringList { u"worker"_qs, u"main"_qs, u"ticker"_qs }));
        QCOMPARE(model->lane(0).kind, LaneKind::Worker);
        QCOMPARE(model->laneOfTask(0), 1);
        QCOMPARE(model->laneOfTask(1), 2);
        QCOMPARE(model->laneDetail(2), u"\u2190 main"_qs);
        QCOMPARE(model->laneDetail(1), QString());

        // main: one 200 ms poll (+10 µs cost), then Ready when the ticker is done.
        const auto main = model->lanePolls(1);
        QCOMPARE(main.size(), std::size_t(2));
        const PollItem& first = model->poll(main[0].sequence);
        QCOMPARE(first.start, 0);
        QCOMPARE(first.end, 200 * ms + 10 * us);
        QCOMPARE(first.outcome, PollOutcome::Pending);
        QCOMPARE(model->trace().events[first.event].kind, EventKind::PollStart);
        QCOMPARE(model->trace().events[first.endEvent].kind, EventKind::PollEnd);
        QCOMPARE(model->poll(main[1].sequence).outcome, PollOutcome::Ready);

        // The ticker: 3 sleeps -> 4 polls, first polled when main's poll ended.
        const auto ticks = model->lanePolls(2);
        QCOMPARE(ticks.size(), std::size_t(4));
        QCOMPARE(ticks[0].start, 200 * ms + 10 * us);
        QCOMPARE(model->poll(ticks[3].sequence).index, 3u);

        // The worker lane is every poll in the order they started.
        QCOMPARE(model->polls().size(), std::size_t(6));
        for (std::size_t i = 1; i < model->polls().size(); ++i)
            QVERIFY(model->polls()[i].start >= model->polls()[i - 1].end);
        QCOMPARE(model->readyPolls().size(), std::size_t(2));
    }

    void blockingSectionsScheduledAndIdle()
    {
        const auto model = modelOf(blockingInPoll());
        const auto blocks = model->blocks(1);
        QCOMPARE(blocks.size(), std::size_t(1));
        QCOMPARE(blocks[0].start, 0);
        QCOMPARE(blocks[0].end, 200 * ms);
        QCOMPARE(model->trace().string(blocks[0].label), u"read"_qs);
        QCOMPARE(model->blocks(TimelineModel::workerLane()).size(), std::size_t(1));

        // Spawned at 0, first polled at 200.01 ms: scheduled the whole time.
        const auto scheduled = model->scheduled(2);
        QVERIFY(!scheduled.empty());
        QCOMPARE(scheduled[0].start, 0);
        QCOMPARE(scheduled[0].end, 200 * ms + 10 * us);
        QCOMPARE(model->trace().events[scheduled[0].event].kind, EventKind::Spawn);
        QCOMPARE(model->trace().events[scheduled[0].endEvent].kind, EventKind::PollStart);

        // Between ticks: idle from each poll's end to its timer (+20 ms from its start).
        const auto idle = model->idle(2);
        QCOMPARE(idle.size(), std::size_t(3));
        QCOMPARE(idle[0].start, 200 * ms + 20 * us);
        QCOMPARE(idle[0].end, 221 * ms); // created at 200.01 ms, rounded up to the 1 ms wheel
        QCOMPARE(model->trace().events[idle[0].endEvent].kind, EventKind::Wake);
        // main waits for the ticker: idle until it finishes.
        QCOMPARE(model->idle(1).size(), std::size_t(1));
    }

    void busyTimeBeforeEachPoll()
    {
        // main: poll #0 blocks 200 ms (+ 10 µs poll cost), then the ticker's polls, 10 µs each.
        const auto model = modelOf(blockingInPoll());
        for (int lane = 0; lane < model->laneCount(); ++lane) {
            const auto before = model->pollTimeBefore(lane);
            const bool worker = lane == TimelineModel::workerLane();
            const std::size_t polls =
                worker ? model->polls().size() : model->lanePolls(lane).size();
            QCOMPARE(before.size(), polls);
            TimeNs sum = 0;
            for (std::size_t i = 0; i < polls; ++i) {
                QCOMPARE(before[i], sum);
                const LanePoll poll = worker
                    ? LanePoll { model->polls()[i].start, model->polls()[i].end }
                    : model->lanePolls(lane)[i];
                sum += poll.end - poll.start;
            }
        }
        QCOMPARE(model->pollTimeBefore(TimelineModel::workerLane())[1], 200 * ms + 10 * us);
        const auto ticker = model->pollTimeBefore(2);
        QCOMPARE(ticker.size(), std::size_t(4));
        QCOMPARE(ticker[3], 3 * 10 * us);
        QCOMPARE(model->blockTimeBefore(1).size(), std::size_t(1));
        QCOMPARE(model->blockTimeBefore(1)[0], 0);
        QCOMPARE(model->blockTimeBefore(2).size(), std::size_t(0));
    }

    void pollsWithinARange()
    {
        // main#0 [0, 20 ms], main#1 [30, 50 ms]; the worker lane has the same two.
        const auto model = modelOf([]() -> Task<> { co_await sleep(30ms); }(), 20 * ms);
        constexpr std::size_t all = std::numeric_limits<std::size_t>::max();
        for (const int lane : { 1, TimelineModel::workerLane() }) {
            auto within = model->pollsWithin(lane, TimeRange { 10 * ms, 40 * ms }, all);
            QCOMPARE(within.polls, std::size_t(2));
            QCOMPARE(within.busy, 20 * ms); // 10 ms of each
            within = model->pollsWithin(lane, TimeRange { 21 * ms, 29 * ms }, all);
            QCOMPARE(within.polls, std::size_t(0));
            QCOMPARE(within.busy, 0);
            // Before the second poll has started, only the first counts.
            within = model->pollsWithin(lane, TimeRange { 0, 100 * ms }, model->eventLimit(1));
            QCOMPARE(within.polls, std::size_t(1));
            QCOMPARE(within.busy, 20 * ms);
        }
    }

    void lateWakes()
    {
        const auto model = modelOf(lateTimer(), 0);
        const int lane = model->laneOfTask(1);
        QCOMPARE(model->late(lane).size(), std::size_t(1));
        const SpanItem& late = model->late(lane)[0];
        QCOMPARE(late.start, 20 * ms);
        QCOMPARE(late.end, 100 * ms);
        QCOMPARE(model->trace().events[late.event].kind, EventKind::WaitRegistered);
        QCOMPARE(model->trace().events[late.endEvent].kind, EventKind::Wake);
        QVERIFY(model->describeLate(lane, late).contains(u"due at 20 ms but delivered at 100 ms: 80 ms late"));
        QVERIFY(model->late(model->laneOfTask(kMainTask)).empty());
    }

    void wakeArrows()
    {
        const auto model = modelOf(blockingInPoll());
        const auto ticks = model->lanePolls(2);
        // The ticker's second poll: woken by the timer its first poll registered.
        const PollItem& second = model->poll(ticks[1].sequence);
        QVERIFY(second.wake != kNoItem);
        const WakeArrow& timer = model->wakes()[second.wake];
        QCOMPARE(timer.cause, WakeCause::Timer);
        QCOMPARE(timer.fromLane, 2u);
        QCOMPARE(timer.fromPoll, ticks[0].sequence);
        QCOMPARE(timer.from, model->poll(ticks[0].sequence).end);
        QCOMPARE(timer.toPoll, ticks[1].sequence);
        QCOMPARE(timer.woken, 221 * ms);
        // The first poll of a task has no wake (its spawn link says how it began).
        QCOMPARE(model->poll(ticks[0].sequence).wake, kNoItem);

        // main's last poll: woken by the ticker's end, from the ticker's last poll.
        const auto main = model->lanePolls(1);
        const WakeArrow& done = model->wakes()[model->poll(main[1].sequence).wake];
        QCOMPARE(done.cause, WakeCause::TaskDone);
        QCOMPARE(done.fromLane, 2u);
        QCOMPARE(done.fromPoll, ticks[3].sequence);
        QCOMPARE(done.from, model->poll(ticks[3].sequence).end);

        const SpawnLink* link = model->spawnOf(1);
        QVERIFY(link);
        QCOMPARE(link->parent, 0u);
        QCOMPARE(link->start, 0);
        QCOMPARE(model->spawns().size(), std::size_t(1));
        QCOMPARE(model->spawnOf(0), nullptr);
    }

    void yieldWakesFromItsOwnPoll()
    {
        const auto model = modelOf(yielder());
        const auto polls = model->lanePolls(1);
        QCOMPARE(polls.size(), std::size_t(3));
        const WakeArrow& arrow = model->wakes()[model->poll(polls[1].sequence).wake];
        QCOMPARE(arrow.cause, WakeCause::Yield);
        QCOMPARE(arrow.fromLane, 1u);
        QCOMPARE(arrow.fromPoll, polls[0].sequence);
    }

    void channelWakesFromTheSender()
    {
        const auto model = modelOf(channelWake());
        const int producerLane = model->laneOfTask(1);
        const auto main = model->lanePolls(1);
        const WakeArrow& arrow = model->wakes()[model->poll(main[1].sequence).wake];
        QCOMPARE(arrow.cause, WakeCause::Channel);
        QCOMPARE(int(arrow.fromLane), producerLane);
        // From the moment of the send, inside the producer's poll.
        const PollItem& send = model->poll(arrow.fromPoll);
        QCOMPARE(send.task, 1u);
        QCOMPARE(arrow.from, arrow.woken);
        QVERIFY(arrow.from >= send.start && arrow.from <= send.end);
    }

    void blockingPoolLanes()
    {
        const auto model = modelOf(spawnBlockingFix());
        QCOMPARE(laneNames(*model),
            (QStringList { u"worker"_qs, u"main"_qs, u"ticker"_qs, u"blocking pool 0"_qs }));
        QCOMPARE(model->laneOfPool(0), 3);
        QCOMPARE(model->laneOfPool(1), -1);
        const auto jobs = model->jobs(3);
        QCOMPARE(jobs.size(), std::size_t(1));
        QCOMPARE(jobs[0].start, 0);
        QCOMPARE(jobs[0].end, 200 * ms);
        QVERIFY(!jobs[0].cancelled);
        QCOMPARE(model->trace().events[jobs[0].endEvent].kind, EventKind::JobEnd);
        QCOMPARE(model->laneDetail(3), u"1 job"_qs);
        // main is woken by the job's end, on the pool lane.
        const auto main = model->lanePolls(1);
        const WakeArrow* arrow = nullptr;
        for (const LanePoll& poll : main) {
            if (model->poll(poll.sequence).wake != kNoItem &&
                model->wakes()[model->poll(poll.sequence).wake].cause == WakeCause::BlockingJob)
                arrow = &model->wakes()[model->poll(poll.sequence).wake];
        }
        QVERIFY(arrow);
        QCOMPARE(arrow->fromLane, 3u);
        QCOMPARE(arrow->from, 200 * ms);
        QCOMPARE(arrow->fromPoll, kNoItem);
    }

    void ghostsCancelsAndShutdown()
    {
        const auto model = modelOf(forgetful());
        // Ghost lanes follow their task's lane, one per description.
        QCOMPARE(laneNames(*model),
            (QStringList { u"worker"_qs, u"main"_qs, u"sleep(10ms)"_qs, u"save(\"order-1\")"_qs,
                u"left-behind"_qs, u"blocking pool 0"_qs }));
        QCOMPARE(model->lane(2).kind, LaneKind::Ghost);
        QCOMPARE(model->lane(2).task, 0u);
        QCOMPARE(model->ghosts(2).size(), std::size_t(2));
        QCOMPARE(model->ghosts(2)[0].start, 0);
        QCOMPARE(model->ghosts(2)[1].start, 1 * ms); // during the poll at 1 ms
        QCOMPARE(model->laneDetail(2), u"never polled \u00d72"_qs);
        QCOMPARE(model->laneDetail(3), u"never polled"_qs);
        QCOMPARE(model->trace().events[model->ghosts(3)[0].event].kind, EventKind::Unpolled);

        // main finished; the task it left behind was cancelled at shutdown, and so was the job.
        QCOMPARE(model->lane(1).status, TaskEnd::Completed);
        QCOMPARE(model->lane(4).status, TaskEnd::Cancelled);
        const auto cancels = model->cancels(4);
        QCOMPARE(cancels.size(), std::size_t(1));
        QCOMPARE(CancelTarget(cancels[0].detail), CancelTarget::Task);
        QCOMPARE(model->lane(4).end, cancels[0].start);
        const auto jobs = model->jobs(5);
        QCOMPARE(jobs.size(), std::size_t(1));
        QVERIFY(jobs[0].cancelled);
        QCOMPARE(jobs[0].end, model->trace().report.elapsed);
        QVERIFY(model->describePoint(4, cancels[0]).contains(u"cancelled"));
        QVERIFY(
            model->describePoint(2, model->ghosts(2)[0]).contains(u"without ever being polled"));
    }

    void aDeadlockStopsTheTasksLeft()
    {
        // main never returned, so nothing cancelled them: they end stopped, with the reason.
        const auto model = modelOf(deadlocked());
        QCOMPARE(model->trace().report.status, RunStatus::Deadlock);
        QVERIFY(model->isStoppedRun());
        QCOMPARE(laneNames(*model), (QStringList { u"worker"_qs, u"main"_qs, u"waiter"_qs }));
        for (int lane : { 1, 2 }) {
            QCOMPARE(model->lane(lane).status, TaskEnd::Stopped);
            const auto ends = model->cancels(lane);
            QCOMPARE(ends.size(), std::size_t(1));
            QVERIFY(model->isStop(ends[0]));
            QCOMPARE(model->describePoint(lane, ends[0]),
                model->laneName(lane) +
                    u" stopped at 20 µs, unfinished: deadlock: main is Pending and nothing is "
                    u"left that could wake it"_qs);
        }
    }

    void aBoundInsideAPollStopsTheTasksLeft()
    {
        // max_steps cuts main's first poll off in its loop: the run stopped, as at max_events,
        // so the poll is Pending (not a Ready box) and the tasks end stopped (not failed).
        const CompileResult compiled = compileScenario(u"runtime current_thread(max_steps: 1000)\n"
                                                       u"async fn helper() { sleep(1s).await; }\n"
                                                       u"async fn main() {\n"
                                                       u"    spawn helper();\n"
                                                       u"    loop { mark(\"spin\"); }\n"
                                                       u"}\n"_qs,
            u"bound.scn"_qs);
        QVERIFY(compiled.ok());
        const auto model = std::make_shared<const TimelineModel>(
            std::make_shared<const Trace>(runScenario(*compiled.program)));
        QCOMPARE(model->trace().report.status, RunStatus::LimitReached);
        QVERIFY(model->isStoppedRun());
        QVERIFY(model->hasStoppedTasks());
        QVERIFY(!model->hasCancelCrosses());
        QCOMPARE(laneNames(*model), (QStringList { u"worker"_qs, u"main"_qs, u"helper-0"_qs }));
        for (int lane : { 1, 2 }) {
            QCOMPARE(model->lane(lane).status, TaskEnd::Stopped);
            const auto ends = model->cancels(lane);
            QCOMPARE(ends.size(), std::size_t(1));
            QVERIFY(model->isStop(ends[0]));
            QVERIFY2(model->describePoint(lane, ends[0])
                         .startsWith(model->laneName(lane) +
                             u" stopped at 10 µs, unfinished: this poll ran 1000 steps"_qs),
                qPrintable(model->describePoint(lane, ends[0])));
        }
        QCOMPARE(model->pollCount(), std::size_t(1));
        QCOMPARE(model->poll(0).outcome, PollOutcome::Pending);
        QVERIFY(model->readyPolls().empty());
        // Its tooltip tells that it did not suspend: the bound cut it off at the loop.
        const QString described = model->describePoll(0);
        QVERIFY2(described.startsWith(u"main · poll #0 · Pending\n"), qPrintable(described));
        QVERIFY2(described.endsWith(u"\nmain was cut off at line 5, before it reached an await, "
                                    u"when the run stopped: this poll ran 1000 steps without "
                                    u"waiting on anything: a loop without `.await`? (max_steps; "
                                    u"raise it with runtime current_thread(max_steps: 10000))"_qs),
            qPrintable(described));
    }

    void aFailedMainCancelsTheTasksLeft()
    {
        const auto model = modelOf(failsEarly());
        QCOMPARE(model->trace().report.status, RunStatus::Failed);
        QVERIFY(!model->isStoppedRun());
        QCOMPARE(model->lane(2).status, TaskEnd::Cancelled);
        const auto ends = model->cancels(2);
        QCOMPARE(ends.size(), std::size_t(1));
        QCOMPARE(model->describePoint(2, ends[0]),
            u"orphan cancelled at 1.01 ms: main failed and the runtime shut down"_qs);
    }

    void marks()
    {
        const auto model = modelOf(blockingInPoll());
        const auto marks = model->marks(2);
        QCOMPARE(marks.size(), std::size_t(3));
        QCOMPARE(model->trace().string(marks[1].aux), u"tick-1"_qs);
        QCOMPARE(marks[0].start, 221 * ms); // in the ticker's poll that ran at 221 ms
        QVERIFY(model->marks(1).empty());
    }

    void binarySearches()
    {
        const auto model = modelOf(blockingInPoll());
        const auto ticks = model->lanePolls(2);
        // Polls at 200.01, 221, 241, 261 ms, each 10 µs long.
        QCOMPARE(firstIndex(ticks, 0), std::size_t(0));
        QCOMPARE(firstIndex(ticks, 221 * ms), std::size_t(1));
        QCOMPARE(firstIndex(ticks, 221 * ms + 10 * us), std::size_t(1)); // ends exactly then
        QCOMPARE(firstIndex(ticks, 221 * ms + 11 * us), std::size_t(2));
        QCOMPARE(firstIndex(ticks, 1000 * ms), std::size_t(4));
        QCOMPARE(lastIndex(ticks, 0), std::ptrdiff_t(-1));
        QCOMPARE(lastIndex(ticks, 221 * ms), std::ptrdiff_t(1));
        QCOMPARE(lastIndex(ticks, 221 * ms - 1), std::ptrdiff_t(0));
        QCOMPARE(lastIndex(ticks, 1000 * ms), std::ptrdiff_t(3));
        QCOMPARE(countBeforeEvent(ticks, ticks[2].event), std::size_t(2));
        QCOMPARE(countBeforeEvent(ticks, ticks[2].event + 1), std::size_t(3));
    }

    void cursor()
    {
        const auto model = modelOf(blockingInPoll());
        const std::size_t polls = model->pollCount();
        QCOMPARE(model->eventLimit(0), std::size_t(model->poll(0).event));
        QCOMPARE(model->eventLimit(1), std::size_t(model->poll(1).event));
        QCOMPARE(model->eventLimit(polls), model->eventCount());
        // Position 1: main's poll ran, blocking until 200.01 ms, where the ticker's first poll
        // starts at once.
        QCOMPARE(model->cursorTime(0), 0);
        QCOMPARE(model->cursorTime(1), 200 * ms + 10 * us);
        QCOMPARE(model->cursorTime(polls), model->bounds().end);
        QCOMPARE(model->bounds().start, 0);
        QCOMPARE(model->bounds().end, model->trace().report.elapsed);
        // Every position but the first and the last stands after a poll: at its end, its
        // PollEnd the last event that happened, so that every view shows that poll.
        for (std::size_t p = 1; p < polls; ++p) {
            QCOMPARE(model->cursorTime(p), model->poll(p - 1).end);
            QCOMPARE(model->eventLimit(p), std::size_t(model->poll(p - 1).endEvent) + 1);
            QVERIFY(model->eventLimit(p) <= model->poll(p).event);
        }
    }

    void cursorInAGap()
    {
        // The ticker's first poll ends at 200.02 ms; its timer wakes it at 221 ms, and its
        // second poll starts then. A cursor in between sees the wake only once it is due.
        const auto model = modelOf(blockingInPoll());
        const PollItem& before = model->poll(1);
        const PollItem& after = model->poll(2);
        QCOMPARE(before.end, 200 * ms + 20 * us);
        QCOMPARE(after.start, 221 * ms);
        QCOMPARE(model->cursorGap(2), (TimeRange { before.end, after.start }));
        QCOMPARE(model->cursorGap(0), (TimeRange { 0, 0 }));
        QCOMPARE(model->cursorGap(model->pollCount()),
            (TimeRange { model->polls().back().end, model->bounds().end }));
        const std::size_t stepped = model->eventLimit(2);
        QCOMPARE(stepped, std::size_t(before.endEvent) + 1);
        QCOMPARE(model->eventLimit(2, before.end), stepped);
        QCOMPARE(model->eventLimit(2, 220 * ms), stepped);
        const std::size_t woken = model->eventLimit(2, after.start);
        QCOMPARE(woken, std::size_t(after.event)); // everything before the next poll
        QCOMPARE(model->trace().events[woken - 1].kind, EventKind::Wake);
        // Whatever the time, nothing shown is later than it, and nothing before it is left out.
        for (const TimeNs time : { before.end, 210 * ms, 221 * ms - 1, 221 * ms }) {
            const std::size_t limit = model->eventLimit(2, time);
            for (std::size_t e = 0; e < limit; ++e)
                QVERIFY(model->trace().events[e].time <= time);
            QVERIFY(limit == after.event || model->trace().events[limit].time > time);
        }
        // The end of the run: everything.
        QCOMPARE(model->eventLimit(model->pollCount(), model->bounds().end), model->eventCount());
    }

    void pollOfEvent()
    {
        const auto model = modelOf(spawnYielders(20, 5), 1 * us);
        for (std::size_t p = 0; p < model->pollCount(); ++p)
            QCOMPARE(model->pollOfEvent(model->poll(p).event), std::ptrdiff_t(p));
        // Events that start no poll: the end of the first poll, the first event, past the end.
        QCOMPARE(model->pollOfEvent(model->poll(0).endEvent), std::ptrdiff_t(-1));
        QVERIFY(model->poll(0).event > 0);
        QCOMPARE(model->pollOfEvent(0), std::ptrdiff_t(-1));
        QCOMPARE(model->pollOfEvent(model->eventCount()), std::ptrdiff_t(-1));
        QCOMPARE(TimelineModel().pollOfEvent(0), std::ptrdiff_t(-1));
    }

    void descriptions()
    {
        const auto model = modelOf(blockingInPoll());
        const QString text = model->describePoll(model->lanePolls(2)[1].sequence);
        QVERIFY2(text.startsWith(
                     u"ticker \u00b7 poll #1 \u00b7 Pending\nstart 221 ms \u00b7 duration 10 µs"),
            qPrintable(text));
        QVERIFY2(text.contains(u"ticker was woken by its timer at 221 ms"), qPrintable(text));
        QVERIFY2(text.contains(u"waiting for a timer due at 241 ms"), qPrintable(text));
        const QString first = model->describePoll(model->lanePolls(2)[0].sequence);
        QVERIFY2(first.contains(u"ticker was spawned by main at 0 ms"), qPrintable(first));
        QVERIFY2(first.contains(u"waited 200.01 ms in the run queue"), qPrintable(first));
        QVERIFY(model->describeSpan(2, model->scheduled(2)[0], true)
                    .contains(u"scheduled for 200.01 ms"));
    }

    void emptyModel()
    {
        const TimelineModel model;
        QCOMPARE(model.laneCount(), 1);
        QCOMPARE(model.pollCount(), std::size_t(0));
        QVERIFY(!model.bounds().isEmpty());
        QCOMPARE(model.eventLimit(0), std::size_t(0));
        QVERIFY(model.lanePolls(0).empty());
    }

    void manyTasks()
    {
        // 200 tasks x 50 yields: every poll on exactly one task lane, in order.
        const auto model = modelOf(spawnYielders(200, 50), 1 * us);
        QCOMPARE(model->laneCount(), 1 + 201);
        std::size_t total = 0;
        for (int lane = 1; lane < model->laneCount(); ++lane) {
            const auto polls = model->lanePolls(lane);
            total += polls.size();
            for (std::size_t i = 0; i < polls.size(); ++i) {
                const PollItem& poll = model->poll(polls[i].sequence);
                QCOMPARE(model->laneOfTask(poll.task), lane);
                QCOMPARE(poll.index, std::uint32_t(i));
                QCOMPARE(polls[i].start, poll.start);
                if (i > 0)
                    QVERIFY(
                        polls[i].start >= polls[i - 1].end && polls[i].event > polls[i - 1].event);
            }
        }
        QCOMPARE(total, model->pollCount());
        QCOMPARE(model->readyPolls().size(), std::size_t(201));
    }
};

QTEST_GUILESS_MAIN(TestTimelineModel)
#include "tst_timelinemodel.moc"
