// Time <-> pixel maths of the timeline, table-driven and without a GUI.

#include "timeline/timelinecoordinates.h"

#include <QTest>

using namespace pollscope;

namespace {
constexpr TimeNs us = 1'000;
constexpr TimeNs ms = 1'000'000;
constexpr TimeNs s = 1'000'000'000;
} // namespace

class TestTimelineCoordinates : public QObject
{
    Q_OBJECT

private slots:
    void timeToX_data()
    {
        QTest::addColumn<TimeRange>("range");
        QTest::addColumn<double>("left");
        QTest::addColumn<double>("width");
        QTest::addColumn<TimeNs>("time");
        QTest::addColumn<double>("x");
        QTest::newRow("start") << TimeRange { 0, 100 * ms } << 0.0 << 1000.0 << TimeNs(0) << 0.0;
        QTest::newRow("end") << TimeRange { 0, 100 * ms } << 0.0 << 1000.0 << 100 * ms << 1000.0;
        QTest::newRow("middle, offset")
            << TimeRange { 0, 100 * ms } << 176.0 << 1000.0 << 50 * ms << 676.0;
        QTest::newRow("range not at 0")
            << TimeRange { 1 * s, 2 * s } << 10.0 << 500.0 << 1500 * ms << 260.0;
        QTest::newRow("before the range")
            << TimeRange { 10 * ms, 20 * ms } << 0.0 << 100.0 << TimeNs(0) << -100.0;
        QTest::newRow("after the range")
            << TimeRange { 0, 10 * ms } << 0.0 << 100.0 << 30 * ms << 300.0;
        QTest::newRow("nanoseconds") << TimeRange { 0, 100 } << 0.0 << 1000.0 << TimeNs(1) << 10.0;
        QTest::newRow("an hour at full precision")
            << TimeRange { 0, 3600 * s } << 0.0 << 3600.0 << 1800 * s << 1800.0;
        QTest::newRow("empty range") << TimeRange { 5, 5 } << 7.0 << 100.0 << TimeNs(9) << 7.0;
    }
    void timeToX()
    {
        QFETCH(TimeRange, range);
        QFETCH(double, left);
        QFETCH(double, width);
        QFETCH(TimeNs, time);
        QFETCH(double, x);
        QCOMPARE(pollscope::timeToX(time, range, left, width), x);
    }

    void xToTime_data()
    {
        QTest::addColumn<TimeRange>("range");
        QTest::addColumn<double>("x");
        QTest::addColumn<TimeNs>("time");
        QTest::newRow("left edge") << TimeRange { 0, 100 * ms } << 176.0 << TimeNs(0);
        QTest::newRow("right edge") << TimeRange { 0, 100 * ms } << 1176.0 << 100 * ms;
        QTest::newRow("a pixel") << TimeRange { 0, 100 * ms } << 177.0 << 100 * us;
        QTest::newRow("half a pixel rounds") << TimeRange { 0, 1000 } << 176.5 << TimeNs(1);
        QTest::newRow("negative start") << TimeRange { -2 * ms, 98 * ms } << 196.0 << 0 * ms;
    }
    void xToTime()
    {
        QFETCH(TimeRange, range);
        QFETCH(double, x);
        QFETCH(TimeNs, time);
        QCOMPARE(pollscope::xToTime(x, range, 176, 1000), time);
        // And back, to within the half nanosecond that rounding may move it.
        const double halfNs = 0.5 * 1000.0 / double(range.duration());
        QVERIFY(qAbs(pollscope::timeToX(time, range, 176, 1000) - x) <= halfNs + 1e-9);
    }

    void columns_data()
    {
        QTest::addColumn<TimeRange>("range");
        QTest::addColumn<int>("width");
        QTest::newRow("1 px = 100 µs") << TimeRange { 0, 100 * ms } << 1000;
        QTest::newRow("1 px = 3 ns (deep)") << TimeRange { 7, 3007 } << 1000;
        QTest::newRow("1 ns = 7 px") << TimeRange { 100, 200 } << 700;
        QTest::newRow("odd widths") << TimeRange { -3 * ms, 311 * ms } << 1423;
        QTest::newRow("an hour") << TimeRange { 0, 3600 * s } << 1919;
    }
    void columns()
    {
        // columnStart(c) is the first time in column c: exactly the inverse of timeToColumn.
        QFETCH(TimeRange, range);
        QFETCH(int, width);
        const int left = 176;
        for (int column = left; column <= left + width; column += std::max(1, width / 97)) {
            const TimeNs start = columnStart(column, range, left, width);
            QCOMPARE(timeToColumn(start, range, left, width), column);
            QVERIFY(timeToColumn(start - 1, range, left, width) < column);
        }
    }

    void columnsAreClamped()
    {
        const TimeRange range { 0, 100 * ms };
        QCOMPARE(timeToColumn(-3600 * s, range, 176, 1000), 174);
        QCOMPARE(timeToColumn(3600 * s, range, 176, 1000), 1178);
        QCOMPARE(columnStart(174, range, 176, 1000), std::numeric_limits<TimeNs>::min());
        QCOMPARE(columnStart(1179, range, 176, 1000), kNever);
    }

    void laneTimeAxis()
    {
        // Time starts a few pixels into the lanes, so that symbols centred on t = 0 show whole;
        // it ends at their right edge.
        QCOMPARE(kTimeOriginInset, 8);
        QCOMPARE(pollscope::laneTimeAxis(176, 1008), (TimeAxis { 184, 1000 }));
        QCOMPARE(pollscope::laneTimeAxis(0, 100), (TimeAxis { 8, 92 }));
        // Lanes narrower than the inset still map time onto a pixel.
        QCOMPARE(pollscope::laneTimeAxis(176, 4), (TimeAxis { 184, 1 }));
        QCOMPARE(pollscope::laneTimeAxis(176, 0), (TimeAxis { 184, 1 }));
    }

    void tickStep_data()
    {
        QTest::addColumn<TimeNs>("duration");
        QTest::addColumn<double>("width");
        QTest::addColumn<double>("spacing");
        QTest::addColumn<TimeNs>("step");
        QTest::newRow("100 ms over 1000 px, 96 px apart") << 100 * ms << 1000.0 << 96.0 << 10 * ms;
        QTest::newRow("just over a step") << 100 * ms << 1000.0 << 101.0 << 20 * ms;
        QTest::newRow("fives") << 300 * ms << 1000.0 << 96.0 << 50 * ms;
        QTest::newRow("microseconds") << 1 * ms << 1600.0 << 80.0 << 50 * us;
        QTest::newRow("nanoseconds") << TimeNs(100) << 1000.0 << 96.0 << TimeNs(10);
        QTest::newRow("never below 1 ns") << TimeNs(10) << 1000.0 << 96.0 << TimeNs(1);
        QTest::newRow("an hour") << 3600 * s << 1000.0 << 96.0 << 500 * s;
        QTest::newRow("exactly 2") << 2 * s << 100.0 << 10.0 << 200 * ms;
        QTest::newRow("empty") << TimeNs(0) << 1000.0 << 96.0 << TimeNs(1);
        // A timeline squeezed to its lane names: one tick, not one per nanosecond.
        QTest::newRow("no width") << 300 * ms << 0.0 << 96.0 << 500 * ms;
        QTest::newRow("negative width") << 300 * ms << -20.0 << 96.0 << 500 * ms;
    }
    void tickStep()
    {
        QFETCH(TimeNs, duration);
        QFETCH(double, width);
        QFETCH(double, spacing);
        QFETCH(TimeNs, step);
        QCOMPARE(pollscope::tickStep(duration, width, spacing), step);
    }

    void firstTick_data()
    {
        QTest::addColumn<TimeNs>("time");
        QTest::addColumn<TimeNs>("step");
        QTest::addColumn<TimeNs>("tick");
        QTest::newRow("on a tick") << 20 * ms << 10 * ms << 20 * ms;
        QTest::newRow("after a tick") << 21 * ms << 10 * ms << 30 * ms;
        QTest::newRow("zero") << TimeNs(0) << 5 * us << TimeNs(0);
        QTest::newRow("negative") << -5 * ms << 2 * ms << -4 * ms;
        QTest::newRow("negative, on a tick") << -4 * ms << 2 * ms << -4 * ms;
        QTest::newRow("just below zero") << TimeNs(-1) << 1 * s << TimeNs(0);
    }
    void firstTick()
    {
        QFETCH(TimeNs, time);
        QFETCH(TimeNs, step);
        QFETCH(TimeNs, tick);
        QCOMPARE(pollscope::firstTick(time, step), tick);
    }

    void tickLabel_data()
    {
        QTest::addColumn<TimeNs>("time");
        QTest::addColumn<TimeNs>("step");
        QTest::addColumn<QString>("label");
        QTest::newRow("zero") << TimeNs(0) << 10 * ms << u"0"_qs;
        QTest::newRow("ms") << 80 * ms << 10 * ms << u"80 ms"_qs;
        QTest::newRow("µs below a ms") << 250 * us << 50 * us << u"250 µs"_qs;
        QTest::newRow("ms with the step's decimal") << 1200 * us << 200 * us << u"1.2 ms"_qs;
        QTest::newRow("whole ms on a fine ruler") << 1 * ms << 200 * us << u"1 ms"_qs;
        QTest::newRow("two decimals") << 1050 * us << 50 * us << u"1.05 ms"_qs;
        QTest::newRow("seconds") << 2 * s << 1 * s << u"2 s"_qs;
        QTest::newRow("half seconds") << 1500 * ms << 500 * ms << u"1.5 s"_qs;
        QTest::newRow("fine ticks late in a run") << 1 * s + 20 * us << 10 * us << u"1.00002 s"_qs;
        QTest::newRow("nanoseconds") << TimeNs(5) << TimeNs(1) << u"5 ns"_qs;
        QTest::newRow("negative") << -1 * ms << 1 * ms << u"\u22121 ms"_qs;
    }
    void tickLabel()
    {
        QFETCH(TimeNs, time);
        QFETCH(TimeNs, step);
        QFETCH(QString, label);
        QCOMPARE(pollscope::tickLabel(time, step), label);
    }

    void roundedTime_data()
    {
        QTest::addColumn<TimeNs>("time");
        QTest::addColumn<QString>("text");
        QTest::newRow("zero") << TimeNs(0) << u"0"_qs;
        QTest::newRow("three digits") << TimeNs(313'060'800) << u"313 ms"_qs;
        QTest::newRow("two and one") << TimeNs(31'210'400) << u"31.2 ms"_qs;
        QTest::newRow("one and two") << TimeNs(1'234'567'890) << u"1.23 s"_qs;
        QTest::newRow("trailing zeros go") << TimeNs(1'500'000) << u"1.5 ms"_qs;
        QTest::newRow("rounds up a unit") << TimeNs(999'700'000) << u"1 s"_qs;
        QTest::newRow("ns") << TimeNs(750) << u"750 ns"_qs;
        QTest::newRow("µs") << TimeNs(12'500) << u"12.5 µs"_qs;
    }
    void roundedTime()
    {
        QFETCH(TimeNs, time);
        QFETCH(QString, text);
        QCOMPARE(pollscope::roundedTime(time), text);
    }

    void ranges_data()
    {
        QTest::addColumn<QString>("operation");
        QTest::addColumn<TimeRange>("range");
        QTest::addColumn<TimeNs>("argument");
        QTest::addColumn<double>("factor");
        QTest::addColumn<TimeRange>("expected");
        // Bounds: [0, 1 s]; minimum duration 100 ns.
        QTest::newRow("clamp: inside stays")
            << u"clamp"_qs << TimeRange { 100 * ms, 200 * ms } << TimeNs(0) << 1.0
            << TimeRange { 100 * ms, 200 * ms };
        QTest::newRow("clamp: moves in from the left")
            << u"clamp"_qs << TimeRange { -50 * ms, 50 * ms } << TimeNs(0) << 1.0
            << TimeRange { 0, 100 * ms };
        QTest::newRow("clamp: moves in from the right")
            << u"clamp"_qs << TimeRange { 950 * ms, 1050 * ms } << TimeNs(0) << 1.0
            << TimeRange { 900 * ms, 1 * s };
        QTest::newRow("clamp: too long is the bounds")
            << u"clamp"_qs << TimeRange { -5 * s, 5 * s } << TimeNs(0) << 1.0
            << TimeRange { 0, 1 * s };
        QTest::newRow("clamp: too short grows around its middle")
            << u"clamp"_qs << TimeRange { 500 * ms, 500 * ms + 20 } << TimeNs(0) << 1.0
            << TimeRange { 500 * ms - 40, 500 * ms + 60 };
        QTest::newRow("zoom in at the middle") << u"zoom"_qs << TimeRange { 0, 1 * s } << 500 * ms
                                               << 2.0 << TimeRange { 250 * ms, 750 * ms };
        QTest::newRow("zoom in keeps the anchor's place")
            << u"zoom"_qs << TimeRange { 0, 1 * s } << 100 * ms << 2.0
            << TimeRange { 50 * ms, 550 * ms };
        QTest::newRow("zoom out stops at the bounds")
            << u"zoom"_qs << TimeRange { 250 * ms, 750 * ms } << 500 * ms << 0.1
            << TimeRange { 0, 1 * s };
        QTest::newRow("zoom in stops at the minimum")
            << u"zoom"_qs << TimeRange { 0, 1000 } << TimeNs(500) << 1000.0
            << TimeRange { 450, 550 };
        QTest::newRow("pan right") << u"pan"_qs << TimeRange { 0, 100 * ms } << 30 * ms << 1.0
                                   << TimeRange { 30 * ms, 130 * ms };
        QTest::newRow("pan stops at the end") << u"pan"_qs << TimeRange { 800 * ms, 900 * ms }
                                              << 300 * ms << 1.0 << TimeRange { 900 * ms, 1 * s };
        QTest::newRow("pan stops at the start") << u"pan"_qs << TimeRange { 10 * ms, 110 * ms }
                                                << -30 * ms << 1.0 << TimeRange { 0, 100 * ms };
        // Fit: a margin after the end only, never time before the run.
        QTest::newRow("fit: 5% after the end") << u"fit"_qs << TimeRange { 0, 1 * s } << TimeNs(0)
                                               << 0.05 << TimeRange { 0, 1050 * ms };
        QTest::newRow("fit: from a later start")
            << u"fit"_qs << TimeRange { 200 * ms, 700 * ms } << TimeNs(0) << 0.05
            << TimeRange { 200 * ms, 725 * ms };
        QTest::newRow("fit: at least 1 ns")
            << u"fit"_qs << TimeRange { 0, 10 } << TimeNs(0) << 0.05 << TimeRange { 0, 11 };
    }
    void ranges()
    {
        QFETCH(QString, operation);
        QFETCH(TimeRange, range);
        QFETCH(TimeNs, argument);
        QFETCH(double, factor);
        QFETCH(TimeRange, expected);
        const TimeRange bounds { 0, 1 * s };
        TimeRange result;
        if (operation == u"clamp")
            result = clampRange(range, bounds, 100);
        else if (operation == u"zoom")
            result = zoomRange(range, argument, factor, bounds, 100);
        else if (operation == u"pan")
            result = panRange(range, argument, bounds, 100);
        else
            result = fitRange(range, factor);
        QCOMPARE(result.start, expected.start);
        QCOMPARE(result.end, expected.end);
    }
};

QTEST_GUILESS_MAIN(TestTimelineCoordinates)
#include "tst_timelinecoordinates.moc"
