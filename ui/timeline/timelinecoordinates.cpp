#include "timeline/timelinecoordinates.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace pollscope {

TimeAxis laneTimeAxis(int areaLeft, int areaWidth)
{
    return TimeAxis { areaLeft + kTimeOriginInset, std::max(1, areaWidth - kTimeOriginInset) };
}

double timeToX(TimeNs time, const TimeRange& range, double left, double width)
{
    if (range.isEmpty())
        return left;
    // Scale first: (time - start) * width could exceed 2^53 for an hour-long trace.
    return left + double(time - range.start) * (width / double(range.duration()));
}

TimeNs xToTime(double x, const TimeRange& range, double left, double width)
{
    if (width <= 0)
        return range.start;
    return range.start + std::llround((x - left) * (double(range.duration()) / width));
}

int timeToColumn(TimeNs time, const TimeRange& range, int left, int width)
{
    const double x = timeToX(time, range, left, width);
    const double clamped = std::clamp(x, double(left) - 2.0, double(left) + double(width) + 2.0);
    return int(std::floor(clamped));
}

TimeNs columnStart(int column, const TimeRange& range, int left, int width)
{
    if (column <= left - 2)
        return std::numeric_limits<TimeNs>::min();
    if (column > left + width + 2 || range.isEmpty() || width <= 0)
        return kNever;
    // The inverse mapping is exact to well under a nanosecond; the loops fix its rounding.
    TimeNs t = range.start +
        TimeNs(std::ceil(double(column - left) * (double(range.duration()) / double(width))));
    while (timeToColumn(t - 1, range, left, width) >= column)
        --t;
    while (timeToColumn(t, range, left, width) < column)
        ++t;
    return t;
}

TimeNs tickStep(TimeNs duration, double width, double minSpacing)
{
    if (duration <= 0)
        return 1;
    // No room at all: a step as long as the span, not 1 ns (a loop over the ticks would step
    // through every nanosecond of it).
    const double wanted = width > 0 ? double(duration) * minSpacing / width : double(duration);
    TimeNs decade = 1;
    for (;;) {
        for (const TimeNs mantissa : { 1, 2, 5 }) {
            if (double(mantissa * decade) >= wanted)
                return mantissa * decade;
        }
        if (decade > std::numeric_limits<TimeNs>::max() / 100)
            return decade * 10;
        decade *= 10;
    }
}

TimeNs firstTick(TimeNs time, TimeNs step)
{
    if (step <= 0)
        return time;
    TimeNs q = time / step; // truncates towards zero
    if (q * step < time)
        ++q;
    return q * step;
}

QString tickLabel(TimeNs time, TimeNs step)
{
    if (time == 0)
        return QStringLiteral("0");
    const TimeNs magnitude = time < 0 ? -time : time;
    struct Unit {
        TimeNs ns;
        const char16_t* name;
    };
    static constexpr Unit units[] = { { 1'000'000'000, u"s" }, { 1'000'000, u"ms" },
        { 1'000, u"µs" }, { 1, u"ns" } };
    Unit unit = units[3];
    for (const Unit& u : units) {
        if (magnitude >= u.ns) {
            unit = u;
            break;
        }
    }
    // Decimals the step needs in this unit: 200 µs in ms -> 1, 50 µs in ms -> 2.
    int decimals = 0;
    TimeNs place = unit.ns;
    while (place > 1 && step % place != 0) {
        place /= 10;
        ++decimals;
    }
    QString text = QString::number(magnitude / unit.ns);
    if (decimals > 0) {
        QString digits =
            QString::number((magnitude % unit.ns) / place).rightJustified(decimals, u'0');
        while (digits.endsWith(u'0'))
            digits.chop(1);
        if (!digits.isEmpty())
            text += u'.' + digits;
    }
    if (time < 0)
        text.prepend(u'\u2212'); // minus sign
    return text + u' ' + QStringView(unit.name);
}

QString roundedTime(TimeNs time, int digits)
{
    if (time == 0)
        return QStringLiteral("0");
    const TimeNs magnitude = time < 0 ? -time : time;
    struct Unit {
        TimeNs ns;
        const char16_t* name;
    };
    static constexpr Unit units[] = { { 1, u"ns" }, { 1'000, u"µs" }, { 1'000'000, u"ms" },
        { 1'000'000'000, u"s" } };
    std::size_t u = 3;
    while (u > 0 && magnitude < units[u].ns)
        --u;
    for (;;) {
        const double value = double(magnitude) / double(units[u].ns);
        const int integerDigits = value >= 100 ? 3 : value >= 10 ? 2 : 1;
        QString text = QString::number(value, 'f', std::max(0, digits - integerDigits));
        if (u < 3 && text.toDouble() >= 1000) {
            ++u; // 999.7 ms rounds to 1000 ms: say 1 s
            continue;
        }
        if (text.contains(u'.')) {
            while (text.endsWith(u'0'))
                text.chop(1);
            if (text.endsWith(u'.'))
                text.chop(1);
        }
        if (time < 0)
            text.prepend(u'\u2212');
        return text + u' ' + QStringView(units[u].name);
    }
}

TimeRange fitRange(const TimeRange& run, double margin)
{
    const TimeNs pad = std::max<TimeNs>(1, std::llround(double(run.duration()) * margin));
    return TimeRange { run.start, run.end + pad };
}

TimeRange clampRange(const TimeRange& range, const TimeRange& bounds, TimeNs minDuration)
{
    if (bounds.isEmpty())
        return bounds;
    const TimeNs wanted = std::max(range.duration(), std::min(minDuration, bounds.duration()));
    if (wanted >= bounds.duration())
        return bounds;
    // Grow around the middle when the range is shorter than the minimum.
    TimeNs start = range.start - (wanted - range.duration()) / 2;
    start = std::clamp(start, bounds.start, bounds.end - wanted);
    return TimeRange { start, start + wanted };
}

TimeRange zoomRange(const TimeRange& range, TimeNs anchor, double factor, const TimeRange& bounds,
    TimeNs minDuration)
{
    if (factor <= 0 || range.isEmpty())
        return clampRange(range, bounds, minDuration);
    const TimeNs duration = std::max<TimeNs>(
        std::max<TimeNs>(1, minDuration), std::llround(double(range.duration()) / factor));
    const double at = double(anchor - range.start) / double(range.duration());
    const TimeNs start = anchor - std::llround(at * double(duration));
    return clampRange(TimeRange { start, start + duration }, bounds, minDuration);
}

TimeRange panRange(
    const TimeRange& range, TimeNs delta, const TimeRange& bounds, TimeNs minDuration)
{
    return clampRange(TimeRange { range.start + delta, range.end + delta }, bounds, minDuration);
}

} // namespace pollscope
