#pragma once

#include "runtime/runtimetypes.h"

#include <QMetaType>
#include <QString>

#include <algorithm>

namespace pollscope {

/// A window of trace time, [start, end], shown across a width of pixels.
struct TimeRange {
    TimeNs start = 0;
    TimeNs end = 0;

    TimeNs duration() const { return end - start; }
    bool isEmpty() const { return end <= start; }
    bool contains(TimeNs time) const { return time >= start && time <= end; }
    /// The least range that holds both (two runs shown on one time axis).
    TimeRange united(const TimeRange& other) const
    {
        return { std::min(start, other.start), std::max(end, other.end) };
    }
    friend bool operator==(const TimeRange&, const TimeRange&) = default;
};

// Time <-> pixel maths for the timeline: free functions, no widgets, so they are tested
// table-driven without a GUI and shared by the renderer, the view and export.
//
// A range maps onto pixels [left, left + width): time `range.start` is at x = left and
// `range.end` at x = left + width.

/// Pixels from the left edge of the lanes to their time origin (the start of the range shown).
/// What is drawn centred on an instant reaches up to 6.5 px left of it (a warning sign, a
/// never-polled bracket, a mark, a cross, a spawn's arrowhead): at t = 0 it would otherwise
/// lie half under the lane names.
inline constexpr int kTimeOriginInset = 8;

/// The pixels a lane area maps its time range onto: range.start at x = left, range.end at
/// x = left + width.
struct TimeAxis {
    int left = 0;
    int width = 1; ///< at least 1
    friend bool operator==(const TimeAxis&, const TimeAxis&) = default;
};

/// The time axis of a lane area [areaLeft, areaLeft + areaWidth): its origin kTimeOriginInset
/// right of the area's left edge, its end at the area's right edge. Everything that turns
/// time into x or back in a lane area (painting, hit-testing, the ruler, zoom and pan) uses it.
TimeAxis laneTimeAxis(int areaLeft, int areaWidth);

/// The x position of `time`; not clamped, so times outside the range land outside it.
double timeToX(TimeNs time, const TimeRange& range, double left, double width);
/// The time at x, rounded to the nearest nanosecond; the inverse of timeToX.
TimeNs xToTime(double x, const TimeRange& range, double left, double width);
/// The pixel column `time` falls in: floor(timeToX), clamped to [left - 2, left + width + 2]
/// so items far outside the range stay cheap to draw and safe to convert to int.
int timeToColumn(TimeNs time, const TimeRange& range, int left, int width);
/// The earliest time whose column is at or right of `column`; columnStart(timeToColumn(t)) <= t.
TimeNs columnStart(int column, const TimeRange& range, int left, int width);

/// The tick step for a ruler: the smallest 1, 2 or 5 x 10^k ns that keeps ticks at least
/// `minSpacing` pixels apart when `duration` spans `width` pixels. At least 1 ns; with no
/// width, at least `duration`.
TimeNs tickStep(TimeNs duration, double width, double minSpacing);
/// The first multiple of `step` at or after `time`.
TimeNs firstTick(TimeNs time, TimeNs step);
/// A ruler label for a tick at `time` on a ruler with ticks every `step`: the largest unit
/// not above the time (ns, µs, ms, s) with just the decimals the step needs: "0", "250 µs",
/// "1.2 ms", "2 s".
QString tickLabel(TimeNs time, TimeNs step);

/// A time for a glance, in the largest unit not above it, with `digits` significant digits:
/// "313 ms", "31.2 ms", "1.23 s", "0".
QString roundedTime(TimeNs time, int digits = 3);

/// What "fit" shows of a run: from its start, which stays at the time origin (no time before
/// the run, so no negative times), to `margin` of its duration (at least 1 ns) after its end,
/// so that what happens at the very end is not under the right edge or the playback cursor.
TimeRange fitRange(const TimeRange& run, double margin = 0.05);

/// `range` moved and shrunk to lie within `bounds`, at least `minDuration` long (or all of
/// `bounds` if that is shorter). Keeps the duration when it can, moving rather than cutting.
TimeRange clampRange(const TimeRange& range, const TimeRange& bounds, TimeNs minDuration);
/// Zooms by `factor` (> 1 zooms in) keeping `anchor` at the same x; then clampRange.
TimeRange zoomRange(const TimeRange& range, TimeNs anchor, double factor, const TimeRange& bounds,
    TimeNs minDuration);
/// Moves by `delta` (later when positive) keeping the duration; then clampRange.
TimeRange panRange(
    const TimeRange& range, TimeNs delta, const TimeRange& bounds, TimeNs minDuration);

} // namespace pollscope

Q_DECLARE_METATYPE(pollscope::TimeRange)
