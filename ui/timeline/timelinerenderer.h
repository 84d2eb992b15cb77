#pragma once

#include "analysis/diagnostics.h"
#include "timeline/timelinemodel.h"
#include "timeline/timelinetheme.h"

#include <QImage>
#include <QRect>
#include <QRectF>
#include <QSize>
#include <QString>

#include <limits>
#include <memory>
#include <span>
#include <utility>
#include <vector>

class QPainter;

namespace pollscope {

/// An event limit that hides nothing.
inline constexpr std::size_t kAllEvents = std::numeric_limits<std::size_t>::max();

/// Where a diagnostic fired: a warning sign on its task's lane at its time.
struct TimelineMarker {
    TimeNs time = 0;
    TaskId task = 0;
    std::uint32_t event = 0; ///< hidden, like everything else, after the playback cursor
    QString text; ///< the tooltip: what went wrong and the fix
    /// Shown before `event` happened from this time on, once `foundAfter` happened: as
    /// Diagnostic::foundAt and foundAfter (isFound()). kNever: not before `event`.
    TimeNs foundAt = kNever;
    std::uint32_t foundAfter = 0;
};

/// Warning signs, shared: a frame, the widget and an export hold them without copying.
using TimelineMarkers = std::shared_ptr<const std::vector<TimelineMarker>>;

/// The warning signs of a run's diagnostics (never null).
TimelineMarkers diagnosticMarkers(const std::vector<Diagnostic>& diagnostics);

/// What to draw and where: everything a frame depends on besides the model and the theme.
struct TimelineViewport {
    QSize size; ///< device-independent pixels
    TimeRange range; ///< the time shown across the lane area
    int scrollY = 0; ///< pixels of lanes scrolled off the top
    /// Playback cursor: items created by events at or after it are hidden (or dimmed).
    std::size_t eventLimit = kAllEvents;
    TimeNs cursorTime = kNever; ///< where the cursor line stands; kNever: no line
    bool dimAfterCursor = false; ///< dim what lies after the cursor instead of hiding it
    std::uint32_t selectedPoll = kNoItem; ///< outlined on its task lane and the worker lane
    TaskId selectedTask = kNoTask; ///< its lane's name is highlighted
    TimeRange rulerSelection; ///< a range being dragged on the ruler; empty: none
    QString title;
    bool showLegend = true;
    /// The visible span ("↔ 104 ms") left of the ruler: the widget's, to read while zooming.
    bool showSpan = true;
    /// Vector output (SVG, PDF): every poll is its own box in its outcome's colour, never merged
    /// into a run with its neighbours, and each is reported by vectorPollBoxes(); lane names,
    /// header, marks and crosses are drawn as text and shapes, hatching as lines, never as
    /// cached images. Same layout and columns as a raster frame; more primitives, so for export.
    bool vector = false;
    /// A picture rather than a scrolling view (export): the lanes that fit whole, from the top,
    /// rather than the top of the next one, and where some do not, a note of how many ("+3
    /// lanes not shown") left of the ruler, where a view shows its span.
    bool wholeLanes = false;
    TimelineMarkers markers; ///< diagnostics, drawn over the lanes; null: none
};

/// A poll's box in a vector frame, in the order the frame painted it.
struct TimelinePollBox {
    QRect rect;
    std::uint32_t sequence = 0; ///< the poll (TimelineModel::poll())
    bool workerLane = false; ///< the worker lane's copy; false: the box on the task's lane
};

/// A dropped future's ring, as a frame painted it: a circle (an SVG `<circle>` in a vector
/// frame) standing for drops [first, last) of its lane (TimelineModel::drops()).
struct TimelineDropRing {
    QRectF circle;
    int lane = 0;
    std::size_t first = 0;
    std::size_t last = 0;
};

/// Where the parts of a frame go.
struct TimelineLayout {
    QRect header; ///< title and legend; empty when there are neither
    QRect ruler;
    QRect labels; ///< lane names
    QRect lanes; ///< the lanes, right of their names
    /// Where time lies across the lanes: range.start kTimeOriginInset px right of
    /// lanes.left(), range.end at lanes.right() + 1 (laneTimeAxis()).
    TimeAxis axis;
    int scrollY = 0;
    int firstLane = 0; ///< visible lanes: [firstLane, lastLane)
    int lastLane = 0;
    /// TimelineViewport::wholeLanes: how many lanes did not fit, and where the note that says
    /// so goes (left of the ruler, above the lane names); 0 and empty when every lane fits.
    int hiddenLanes = 0;
    QRect cutNote;
    bool legendOnOwnRow = false; ///< below the title rather than beside it
    int legendRows = 1; ///< rows the legend wraps into when the frame is narrow

    int laneTop(int lane) const;
    int boxTop(int lane) const;
    int laneCenter(int lane) const;
};

/// What lies under a point of a frame.
struct TimelineHit {
    enum class Kind {
        None,
        Header,
        Ruler,
        LaneName,
        Lane,
        Poll,
        Scheduled,
        Late,
        Idle,
        Job,
        Mark,
        Cancel,
        Drop, ///< index: the first of the drops under the point (see `drops`)
        Ghost,
        Wake, ///< index: into TimelineModel::wakes(); lane: the lane under the point
        Diagnostic, ///< index: into TimelineViewport::markers
    };
    Kind kind = Kind::None;
    int lane = -1;
    std::size_t index = 0; ///< Poll: its sequence number; other items: index in the lane's items
    TimeNs time = 0; ///< the time under the point (ruler and lanes)
    /// On a task lane's boxes: the marks drawn as the symbol under the point, [first, second)
    /// in the lane's marks; whatever the kind, as a poll under a mark is hit as the poll.
    std::pair<std::size_t, std::size_t> marks;
    /// The same for the dropped futures drawn as the ring under the point (in the lane's drops).
    std::pair<std::size_t, std::size_t> drops;
};

/// Paints a timeline: one routine for the widget, image/SVG/PDF export and pixel tests.
///
/// Level of detail, so that a frame costs about the same at 100 events and at 10M: per lane,
/// the visible slice of each item kind is found by binary search (firstIndex/lastIndex, and
/// the playback limit by event index); items closer than a pixel merge into one run found by
/// galloping search, so a lane costs O(columns * log items) however dense; rectangles are
/// batched by colour and drawn without antialiasing; arrows are drawn only where a lane's polls
/// are sparse enough to read them; labels only where they fit. The geometry of a frame is
/// cached by (model, range, size, scroll, cursor): repainting for a selection, hover or
/// ruler drag replays it.
///
/// Pixels are deterministic for a fixed size, device pixel ratio 1 and the bundled font.
class TimelineRenderer
{
public:
    static constexpr int kLaneHeight = 28;
    static constexpr int kBoxTop = 8; ///< from the top of a lane
    static constexpr int kBoxHeight = 14;
    static constexpr int kRulerHeight = 26;
    static constexpr int kHeaderHeight = 30;
    static constexpr int kLabelWidth = 176;
    /// A poll is at least this wide, so that its outcome colour reads at any zoom.
    static constexpr int kMinPollWidth = 3;

    TimelineRenderer();
    ~TimelineRenderer();
    TimelineRenderer(const TimelineRenderer&) = delete;
    TimelineRenderer& operator=(const TimelineRenderer&) = delete;

    void setModel(std::shared_ptr<const TimelineModel> model);
    const std::shared_ptr<const TimelineModel>& model() const { return m_model; }
    void setTheme(const TimelineTheme& theme);
    const TimelineTheme& theme() const { return m_theme; }

    /// Paints a frame at the painter's origin, `viewport.size` large.
    void paint(QPainter& painter, const TimelineViewport& viewport);
    /// A frame as an image (ARGB32 premultiplied, device pixel ratio 1).
    QImage render(const TimelineViewport& viewport);

    TimelineLayout layout(const TimelineViewport& viewport) const;
    /// The legend's entries: the theme's legend as far as the whole run has each symbol
    /// (whatever the cursor and the zoom; diagnostics: `viewport.markers`), with "stopped"
    /// after "cancelled", or in its place, when the run has stopped tasks.
    QList<TimelineTheme::LegendEntry> legendEntries(const TimelineViewport& viewport) const;
    /// Height that shows every lane at `viewport.size.width()` (for export).
    int contentHeight(const TimelineViewport& viewport) const;
    /// What lies under `point`, as the frame draws it: nothing hidden by the playback cursor.
    /// Over each other: warning signs, then a lane's boxes and symbols, then wake arrows
    /// (within 3 px of their line, or on their head), then the spans behind them.
    TimelineHit hitTest(const TimelineViewport& viewport, QPoint point) const;
    /// The box poll `sequence` gets on `lane` (its task lane or the worker lane) when it is
    /// not merged with neighbours: [column(start), max(column(end), column(start) +
    /// kMinPollWidth)).
    QRect pollRect(const TimelineViewport& viewport, int lane, std::size_t sequence) const;

    /// The dropped futures' rings the last frame painted, lane by lane: for an SVG to title them.
    const std::vector<TimelineDropRing>& dropRings() const;
    /// The poll boxes the last frame painted in vector mode (TimelineViewport::vector), in paint
    /// order: Pending boxes, then Ready ones, each group lane by lane. A visible poll has one box
    /// on its task lane and one on the worker lane. Empty after a raster frame.
    const std::vector<TimelinePollBox>& vectorPollBoxes() const;

    /// How many frames rebuilt their geometry rather than replaying the cache.
    int geometryBuilds() const { return m_geometryBuilds; }

private:
    struct Geometry;
    struct Builder;

    void paintHeader(
        QPainter& painter, const TimelineViewport& viewport, const TimelineLayout& layout);
    void paintHeaderContents(
        QPainter& painter, const TimelineViewport& viewport, const TimelineLayout& layout) const;
    void paintLaneNames(
        QPainter& painter, const TimelineViewport& viewport, const TimelineLayout& layout);
    void paintRuler(
        QPainter& painter, const TimelineViewport& viewport, const TimelineLayout& layout) const;
    /// "+3 lanes not shown", left of the ruler of a picture that leaves lanes out.
    void paintCutNote(QPainter& painter, const TimelineLayout& layout) const;
    /// `end`: where the frame stops drawing (kNever: nowhere).
    void paintLaneName(
        QPainter& painter, const QRect& area, int lane, std::size_t limit, TimeNs end) const;
    /// The legend laid out in rows.
    struct LegendRows {
        std::vector<int> widths; ///< of each entry: symbol and label
        std::vector<int> counts; ///< entries in each row, in order
        int gap = 0; ///< between entries
        bool besideTitle = false; ///< on one row, right of the title
    };
    /// The legend of a frame: beside the title where it fits there on one row, else in rows of
    /// its own as wide as the frame. As few rows as it can take, the gap between entries
    /// narrowed where that saves a row, and the entries spread evenly over the rows.
    LegendRows legendRows(const TimelineViewport& viewport) const;
    /// `vector`: hatching as lines rather than a brush pattern.
    void paintLegendSymbol(QPainter& painter, TimelineTheme::Symbol symbol, const QRect& rect,
        bool vector = false) const;
    /// A symbol as a small transparent image, for stamping many of them quickly.
    QImage stamp(TimelineTheme::Symbol symbol, qreal ratio) const;
    void paintMarkers(QPainter& painter, const TimelineViewport& viewport, const TimelineLayout& l) const;
    QRect markerRect(const TimelineViewport& viewport, const TimelineLayout& l, const TimelineMarker& marker) const;
    /// The points of `points` (a task lane's marks or drops) drawn as the symbol (or tick)
    /// nearest column `x`, if it reaches x: [first, second) in `points`.
    std::pair<std::size_t, std::size_t> pointsAt(const TimelineViewport& viewport,
        const TimelineLayout& l, std::span<const PointItem> points, int x) const;

    std::shared_ptr<const TimelineModel> m_model;
    TimelineTheme m_theme;
    std::unique_ptr<Geometry> m_geometry;
    int m_geometryBuilds = 0;
    int m_themeGeneration = 0;
};

} // namespace pollscope
