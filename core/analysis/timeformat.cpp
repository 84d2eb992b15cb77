#include "analysis/timeformat.h"

#include <cmath>

namespace pollscope {

namespace {
constexpr TimeNs kMicrosecond = 1'000;
constexpr TimeNs kMillisecond = 1'000'000;
constexpr TimeNs kSecond = 1'000'000'000;
} // namespace

QString formatTime(TimeNs ns)
{
    if (ns == kNever)
        return u"-"_qs;
    if (ns == 0)
        return u"0 ms"_qs; // a time has a unit, zero too (as formatExactTime says it)
    const double abs = std::abs(double(ns));
    auto fixed = [](double value, const char16_t* unit) -> QString {
        // Three significant digits, trailing zeros dropped: 120 ms, 1.5 s, 35.2 µs.
        const int decimals = std::abs(value) >= 100 ? 0 : std::abs(value) >= 10 ? 1 : 2;
        QString text = QString::number(value, 'f', decimals);
        if (text.contains(u'.')) {
            while (text.endsWith(u'0'))
                text.chop(1);
            if (text.endsWith(u'.'))
                text.chop(1);
        }
        return text + u' ' + QStringView(unit);
    };
    const double sign = ns < 0 ? -1 : 1;
    if (abs >= 1e9)
        return fixed(sign * abs / 1e9, u"s");
    if (abs >= 1e6)
        return fixed(sign * abs / 1e6, u"ms");
    if (abs >= 1e3)
        return fixed(sign * abs / 1e3, u"µs");
    return fixed(sign * abs, u"ns");
}

QString formatExactTime(TimeNs time, TimeNs resolution)
{
    if (resolution > 1) // to the nearest multiple, half away from zero
        time = (time < 0 ? time - resolution / 2 : time + resolution / 2) / resolution * resolution;
    if (time == 0)
        return QStringLiteral("0 ms");
    struct Unit {
        TimeNs ns;
        int decimals; ///< digits of a nanosecond fraction in this unit
        const char16_t* name;
    };
    static constexpr Unit units[] = { { kSecond, 9, u"s" }, { kMillisecond, 6, u"ms" },
        { kMicrosecond, 3, u"µs" }, { 1, 0, u"ns" } };
    const TimeNs magnitude = time < 0 ? -time : time;
    const Unit* unit = &units[3];
    for (const Unit& u : units) {
        if (magnitude >= u.ns) {
            unit = &u;
            break;
        }
    }
    QString text = QString::number(magnitude / unit->ns);
    if (const TimeNs fraction = magnitude % unit->ns) {
        QString digits = QString::number(fraction).rightJustified(unit->decimals, u'0');
        while (digits.endsWith(u'0'))
            digits.chop(1);
        text += u'.' + digits;
    }
    if (time < 0)
        text.prepend(u'-');
    return text + u' ' + QStringView(unit->name);
}

} // namespace pollscope
