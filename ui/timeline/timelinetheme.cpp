#include "timeline/timelinetheme.h"

#include <QFontDatabase>
#include <QGuiApplication>

#include <mutex>

// Q_INIT_RESOURCE must be used outside any namespace. The resources are compiled into the
// static pollscope_ui library, whose initializer the linker may drop unless it is called.
static void initFontResources()
{
    Q_INIT_RESOURCE(fonts);
}

namespace pollscope {

namespace {

QFont makeFont(int pixelSize, bool bold)
{
    QFont font(TimelineTheme::bundledFontFamily());
    font.setPixelSize(pixelSize);
    font.setBold(bold);
    // Unhinted outlines and no fallback hunting: the same pixels on every machine.
    font.setHintingPreference(QFont::PreferNoHinting);
    font.setStyleStrategy(QFont::PreferAntialias);
    return font;
}

void setFonts(TimelineTheme& theme)
{
    TimelineTheme::registerBundledFonts();
    theme.font = makeFont(12, false);
    theme.boldFont = makeFont(12, true);
    theme.titleFont = makeFont(15, true);
}

} // namespace

QString TimelineTheme::bundledFontFamily()
{
    return QStringLiteral("DejaVu Sans");
}

bool TimelineTheme::registerBundledFonts()
{
    static std::mutex mutex;
    static bool registered = false;
    const std::lock_guard lock(mutex);
    if (registered)
        return true;
    if (!qobject_cast<QGuiApplication*>(QCoreApplication::instance()))
        return false; // the font database needs a GUI application; try again later
    initFontResources();
    const int regular =
        QFontDatabase::addApplicationFont(QStringLiteral(":/pollscope/fonts/DejaVuSans.ttf"));
    const int bold =
        QFontDatabase::addApplicationFont(QStringLiteral(":/pollscope/fonts/DejaVuSans-Bold.ttf"));
    registered = regular >= 0 && bold >= 0;
    return registered;
}

TimelineTheme TimelineTheme::light()
{
    TimelineTheme t;
    t.name = QStringLiteral("light");
    t.isDark = false;
    t.background = QColor(0xffffff);
    t.laneStripe = QColor(0xf5f6f8);
    t.laneSeparator = QColor(0xe3e5e9);
    t.header = QColor(0xeef0f3);
    t.text = QColor(0x1f2328);
    t.dimText = QColor(0x6a7078);
    t.grid = QColor(0xe6e8ec);
    t.tick = QColor(0x8c939c);
    t.pending = QColor(0xe69f00); // Okabe–Ito orange
    t.pendingEdge = QColor(0x9c6b00);
    t.ready = QColor(0x0072b2); // Okabe–Ito blue
    t.readyEdge = QColor(0x004b75);
    t.hatch = QColor(0x2b2118);
    t.job = QColor(0xd5d9df);
    t.jobEdge = QColor(0x7d858f);
    t.scheduled = QColor(0xf6ec9d); // a tint of Okabe–Ito yellow
    t.late = QColor(0xf4c4ae); // a tint of Okabe–Ito vermillion: time the worker stole
    t.idle = QColor(0x9aa0a8);
    t.wake = QColor(0x009e73); // Okabe–Ito bluish green
    t.spawn = QColor(0xcc79a7); // Okabe–Ito reddish purple
    t.cancel = QColor(0xd55e00); // Okabe–Ito vermillion
    t.dropped = QColor(0x80878f);
    t.ghost = QColor(0x8a9099);
    t.mark = QColor(0x3d4450);
    t.diagnostic = QColor(0xf0e442); // Okabe–Ito yellow: a warning sign
    t.diagnosticEdge = QColor(0x1b1b1b);
    t.cursor = QColor(0xd62728);
    t.selection = QColor(0x111111);
    t.rulerSelection = QColor(0x0072b2);
    t.veil = QColor(255, 255, 255, 175);
    t.boxText = QColor(0x1f1400);
    t.readyBoxText = QColor(Qt::white);
    setFonts(t);
    return t;
}

TimelineTheme TimelineTheme::dark()
{
    TimelineTheme t;
    t.name = QStringLiteral("dark");
    t.isDark = true;
    t.background = QColor(0x1c1f24);
    t.laneStripe = QColor(0x22262c);
    t.laneSeparator = QColor(0x2e333a);
    t.header = QColor(0x272b32);
    t.text = QColor(0xe6e8eb);
    t.dimText = QColor(0x98a0ab);
    t.grid = QColor(0x2b3037);
    t.tick = QColor(0x6b7380);
    t.pending = QColor(0xe69f00);
    t.pendingEdge = QColor(0xffc04d);
    t.ready = QColor(0x56b4e9); // Okabe–Ito sky blue: the dark blue vanishes on dark grey
    t.readyEdge = QColor(0xa6dcfa);
    t.hatch = QColor(0x101215);
    t.job = QColor(0x3d444f);
    t.jobEdge = QColor(0x7d8794);
    t.scheduled = QColor(0x5a5424);
    t.late = QColor(0x6b3a26);
    t.idle = QColor(0x6b7380);
    t.wake = QColor(0x2cc99c);
    t.spawn = QColor(0xe391c0);
    t.cancel = QColor(0xff7a33);
    t.dropped = QColor(0x9da5b0);
    t.ghost = QColor(0x8d96a2);
    t.mark = QColor(0xd0d4da);
    t.diagnostic = QColor(0xf0e442);
    t.diagnosticEdge = QColor(0x101214);
    t.cursor = QColor(0xff5c5c);
    t.selection = QColor(0xffffff);
    t.rulerSelection = QColor(0x56b4e9);
    t.veil = QColor(28, 31, 36, 185);
    t.boxText = QColor(0x1f1400);
    t.readyBoxText = QColor(0x0b1f2b); // dark on the light sky blue
    setFonts(t);
    return t;
}

QList<TimelineTheme::LegendEntry> TimelineTheme::legend() const
{
    return {
        { Symbol::PendingPoll, QStringLiteral("Pending") },
        { Symbol::ReadyPoll, QStringLiteral("Ready") },
        { Symbol::Blocking, QStringLiteral("blocking") },
        { Symbol::Job, QStringLiteral("blocking job") },
        { Symbol::BusyShare, QStringLiteral("busy share") },
        { Symbol::Scheduled, QStringLiteral("scheduled") },
        { Symbol::Late, QStringLiteral("late wake") },
        { Symbol::Idle, QStringLiteral("idle") },
        { Symbol::Wake, QStringLiteral("wake") },
        { Symbol::Spawn, QStringLiteral("spawn") },
        { Symbol::Cancel, QStringLiteral("cancelled") },
        { Symbol::Dropped, QStringLiteral("dropped future") },
        { Symbol::Ghost, QStringLiteral("never polled") },
        { Symbol::Mark, QStringLiteral("mark") },
        { Symbol::Diagnostic, QStringLiteral("diagnostic") },
    };
}

TimelineTheme::LegendEntry TimelineTheme::stoppedLegendEntry()
{
    return { Symbol::Stopped, QStringLiteral("stopped") };
}

} // namespace pollscope
