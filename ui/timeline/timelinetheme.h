#pragma once

#include <QColor>
#include <QFont>
#include <QList>
#include <QString>

namespace pollscope {

/// The colours and fonts of a timeline. Pending and Ready are Okabe–Ito orange and blue,
/// which stay distinct under every common colour-vision deficiency; everything else is told
/// apart by shape as well as colour (hatch, shade, line, arrow, cross, square, dashed outline).
/// All colours are opaque so rendering is cheap and pixel tests are exact.
struct TimelineTheme {
    enum class Symbol {
        PendingPoll,
        ReadyPoll,
        Blocking, ///< a block/compute section inside a poll (hatched)
        Job, ///< a job on a blocking-pool thread (grey, hatched)
        BusyShare, ///< polls too dense to tell apart: a band as tall as the time they took
        Scheduled, ///< woken or spawned, waiting in the run queue (shaded)
        Late, ///< a timer or I/O due, not yet delivered: the worker was held
        Idle, ///< Pending with nothing to do (thin line)
        Wake, ///< an arrow from what woke a task to its next poll
        Spawn, ///< a connector from the parent's lane to the child's
        Cancel, ///< a task (or blocking job) cancelled at shutdown (a cross)
        /// A future dropped while it waited, as a select drops its losing branches (a small grey
        /// ring under the box row: the task goes on)
        Dropped,
        /// Still running when a deadlock, a runaway bound or the user stopped the run (a square, as
        /// a player's stop button, in the colour of a cancel: both are ends before the task's own)
        Stopped,
        Ghost, ///< a future created and dropped without a poll
        Mark,
        Diagnostic, ///< where a diagnostic fired (a warning sign)
    };
    struct LegendEntry {
        Symbol symbol;
        QString label;
    };

    QString name;
    bool isDark = false;

    QColor background; ///< behind everything
    QColor laneStripe; ///< every other lane
    QColor laneSeparator;
    QColor header; ///< title row, ruler and lane-name column
    QColor text;
    QColor dimText;
    QColor grid;
    QColor tick;

    QColor pending;
    QColor pendingEdge;
    QColor ready;
    QColor readyEdge;
    QColor hatch; ///< hatch lines over blocking sections and jobs
    QColor job; ///< fill of a blocking-pool job
    QColor jobEdge;
    QColor scheduled;
    QColor late;
    QColor idle;
    QColor wake;
    QColor spawn;
    QColor cancel;
    QColor dropped; ///< the ring of a dropped future: quieter than a cancel
    QColor ghost;
    QColor mark;
    QColor diagnostic; ///< fill of the warning sign
    QColor diagnosticEdge;
    QColor cursor;
    QColor selection;
    QColor rulerSelection;
    QColor veil; ///< laid over what lies after the cursor in dim mode (with alpha)
    QColor boxText; ///< labels inside Pending boxes
    QColor readyBoxText; ///< labels inside Ready boxes

    QFont font; ///< lane names, ticks, labels
    QFont boldFont;
    QFont titleFont;

    static TimelineTheme light();
    static TimelineTheme dark();

    /// What every legend shows, in order.
    QList<LegendEntry> legend() const;
    /// The entry for tasks a deadlock, a bound or the user stopped: a legend adds it after
    /// "cancelled" only for a run that has such tasks.
    static LegendEntry stoppedLegendEntry();

    /// Registers the bundled DejaVu Sans (resources/fonts.qrc) with the application's font
    /// database, once. Returns false if the font could not be loaded. Themes use it by family
    /// name and pixel size, so renders do not depend on the system's fonts or DPI.
    static bool registerBundledFonts();
    static QString bundledFontFamily();
};

} // namespace pollscope
