#include "timeline/timelinerenderer.h"

#include <QFontMetrics>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <array>
#include <climits>
#include <cmath>
#include <limits>
#include <unordered_map>
#include <utility>

namespace pollscope {

namespace {

/// A lane draws wake arrows only when its visible polls are at least this far apart on
/// average; denser arrows are noise (and cost), so they appear as the user zooms in.
constexpr int kArrowSpacing = 14;
/// Spawn links are scanned by time when this few are in range; otherwise per visible lane.
constexpr std::size_t kMaxLinksScanned = 4096;
/// Mark labels are drawn only when this few marks are visible on a lane.
constexpr std::size_t kMaxMarkLabels = 64;
constexpr int kPointSpacing = 6; ///< marks, cancels, drops and ghosts closer than this merge
constexpr int kTickMerge = 8; ///< ... and ticks closer than this
/// At least this far apart: a mark's label and the next symbol, or the label left of it.
constexpr int kMarkLabelGap = 10;
constexpr int kOutlineWidth = 6; ///< boxes at least this wide get an outline and keep apart
/// A merged run at least this wide, of items averaging fewer than kDenseColumns columns each,
/// is drawn as its busy share per column (Builder::addDensity); narrower runs stay solid boxes.
constexpr int kDenseRunWidth = 12;
constexpr std::size_t kDenseColumns = 4;
constexpr int kMinDensityHeight = 4; ///< a column the items touch at all is this tall
constexpr double kDensityStep = 1.5; ///< pixels a share may stray from its bar's height
/// Marks, cancels and drops become ticks when a lane shows more than one per this many pixels.
constexpr std::size_t kTickSpacing = 16;
constexpr int kStampSize = 13; ///< mark and cancel symbols, centred on their point
constexpr int kMarkerSize = 12; ///< diagnostics' warning signs
constexpr int kLegendSymbolWidth = 18;
constexpr int kLegendLabelGap = 5; ///< between a legend symbol and its label
constexpr int kLegendGap = 14; ///< between legend entries, where a row has room
/// ... narrowed down to this before the legend takes another row: all 15 entries fit one row of
/// a frame 1320 px wide.
constexpr int kMinLegendGap = 10;
constexpr int kHeaderMargin = 10; ///< left of the title, either side of the legend
constexpr int kTitleLegendGap = 34; ///< at least, between the title and a legend beside it
constexpr int kLegendRowHeight = TimelineRenderer::kHeaderHeight - 6;

/// Entries `widths` wide in rows at most `width` wide, `gap` apart: each row takes the entries
/// that fit (at least one). Returns how many each row takes.
std::vector<int> fillRows(const std::vector<int>& widths, int gap, int width)
{
    std::vector<int> counts;
    int x = 0;
    for (const int w : widths) {
        if (!counts.empty() && x + gap + w <= width) {
            x += gap + w;
            ++counts.back();
        } else {
            counts.push_back(1);
            x = w;
        }
    }
    return counts;
}

/// timeToColumn and columnStart on a frame's time axis, inline and with the scale computed
/// once: painting calls them millions of times. Same arithmetic, so the same columns, except
/// that columns are clamped to the lanes (2 px either side) rather than to the axis: the
/// kTimeOriginInset columns left of the time origin show what lies just before the range.
struct PixelMap {
    PixelMap(TimeRange r, const TimelineLayout& l)
        : range(r)
        , left(l.axis.left)
        , width(l.axis.width)
        , first(std::min(l.lanes.left(), left) - 2)
        , last(left + width + 2)
        , scale(r.isEmpty() ? 0.0 : double(width) / double(r.duration()))
    {
    }
    TimeRange range;
    int left = 0; ///< range.start's column
    int width = 1;
    int first = 0; ///< the columns returned: [first, last]
    int last = 0;
    double scale = 0;

    int column(TimeNs t) const
    {
        const double x =
            range.isEmpty() ? double(left) : double(left) + double(t - range.start) * scale;
        return int(std::floor(std::clamp(x, double(first), double(last))));
    }
    TimeNs columnTime(int c) const
    {
        if (c <= first)
            return std::numeric_limits<TimeNs>::min();
        if (c > last || range.isEmpty() || width <= 0)
            return kNever;
        TimeNs t = range.start + TimeNs(std::ceil(double(c - left) / scale));
        while (column(t - 1) >= c)
            --t;
        while (column(t) < c)
            ++t;
        return t;
    }
};

/// The time at the lanes' left edge, kTimeOriginInset px before the range: a frame draws (and
/// hits) what lies from it to the range's end.
TimeNs firstDrawnTime(const PixelMap& map, const TimelineLayout& l)
{
    return map.range.isEmpty() ? map.range.start : map.columnTime(l.lanes.left());
}

/// The first index in [lo, hi) whose start is at or after `time`. Probes 1, 2, 4, ... items
/// ahead before bisecting: the end of a merged run is usually close, and the probes stay in
/// cache where a plain bisection of the whole lane would not.
template <class StartOf>
std::size_t gallopToStart(std::size_t lo, std::size_t hi, TimeNs time, StartOf startOf)
{
    std::size_t step = 1;
    while (lo < hi) {
        const std::size_t probe = std::min(hi - 1, lo + step - 1);
        if (startOf(probe) < time) {
            lo = probe + 1;
            step *= 2;
        } else {
            hi = probe;
            break;
        }
    }
    while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (startOf(mid) < time)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/// The slice [first, last) of a lane's items that a frame draws: those that start from `from`
/// (the time at the lanes' left edge) to `to`, created before event `limit`.
template <class Items>
std::pair<std::size_t, std::size_t> visibleSlice(
    const Items& items, TimeNs from, TimeNs to, std::size_t limit)
{
    const std::size_t created = limit == kAllEvents ? items.size() : countBeforeEvent(items, limit);
    const std::size_t first = firstIndex(items, from);
    const std::size_t last = std::min(created, std::size_t(lastIndex(items, to) + 1));
    return { first, std::max(first, last) };
}

/// Whether `count` points in view are drawn as ticks rather than symbols: when they would
/// stand closer than kTickSpacing px on average.
bool pointsAsTicks(std::size_t count, int width)
{
    return count * kTickSpacing > std::size_t(width);
}

/// Points [i, end) are drawn as one symbol (or, `ticks`, one tick) in the column of point `i`:
/// those less than kPointSpacing (kTickMerge) px right of it. `last` ends the visible slice.
template <class Items>
std::size_t pointGroupEnd(
    const Items& items, std::size_t i, std::size_t last, const PixelMap& map, bool ticks)
{
    const int spacing = ticks ? kTickMerge : kPointSpacing;
    return gallopToStart(i + 1, last, map.columnTime(map.column(items[i].start) + spacing),
        [&](std::size_t k) { return items[k].start; });
}

/// Calls onRun(x0, x1, first, last) for each run of items [first, last) within [begin, end)
/// whose pixel extents overlap, each item at least `minWidth` columns wide. Items that merely
/// touch the run (start in column x1) join it too, unless it is a single item at least
/// `keepApart` columns wide: then its edges are visible and worth keeping. Items are sorted and
/// do not overlap in time. Each run covers at least one new column, so a lane costs
/// O(columns * log items) however many items it has.
template <class StartOf, class EndOf, class OnRun>
void forEachRun(std::size_t begin, std::size_t end, const PixelMap& map, int minWidth,
    int keepApart, StartOf startOf, EndOf endOf, OnRun onRun)
{
    std::size_t i = begin;
    while (i < end) {
        const int x0 = map.column(startOf(i));
        int x1 = std::max(x0 + minWidth, map.column(endOf(i)));
        std::size_t j = i + 1;
        while (j < end) {
            // Items that start left of x1 share a column with the run: absorb them at once.
            const bool apart = j == i + 1 && x1 - x0 >= keepApart;
            const std::size_t k =
                gallopToStart(j, end, map.columnTime(apart ? x1 : x1 + 1), startOf);
            if (k == j)
                break;
            x1 = std::max({ x1, map.column(startOf(k - 1)) + minWidth, map.column(endOf(k - 1)) });
            j = k;
        }
        onRun(x0, x1, i, j);
        i = j;
    }
}

struct TextItem {
    QRect rect;
    QString text;
    QColor color;
    QColor background; ///< invalid: none
    int flags = Qt::AlignLeft | Qt::AlignVCenter;
    bool bold = false;
    bool italic = false;
};

/// A label `width` px wide, centred on the visible part of the box [x0, x1) of a lane whose
/// box starts at `boxTop`, on `background`.
TextItem centredBoxLabel(const QString& text, int width, int x0, int x1, int boxTop,
    const TimelineLayout& layout, const QColor& color, const QColor& background)
{
    TextItem item;
    const int left = std::max(x0, layout.lanes.left());
    const int center = (left + std::min(x1, layout.lanes.right())) / 2;
    item.rect = QRect(center - width / 2 - 3, boxTop + 1, width + 6, TimelineRenderer::kBoxHeight - 2);
    item.flags = Qt::AlignCenter;
    item.text = text;
    item.color = color;
    item.background = background;
    return item;
}

QRect outlineRect(const QRect& r)
{
    return r.adjusted(0, 0, -1, -1);
}

void drawTextItems(
    QPainter& painter, const TimelineTheme& theme, const std::vector<TextItem>& texts)
{
    for (const TextItem& text : texts) {
        if (text.background.isValid()) {
            painter.setPen(Qt::NoPen);
            painter.setBrush(text.background);
            painter.drawRect(text.rect);
        }
        QFont font = text.bold ? theme.boldFont : theme.font;
        font.setItalic(text.italic);
        painter.setFont(font);
        painter.setPen(text.color);
        painter.drawText(text.rect, text.flags, text.text);
    }
}

/// How a lane's name looks at a cursor: dimmed before the lane appears, "cancelled" (or
/// "stopped") or "failed" once that happened.
struct LaneNameState {
    bool future = false;
    bool ended = false;
    bool operator==(const LaneNameState&) const = default;
};

/// `cursor`: where the drawing stops (kNever: nowhere); a task spawned after it is still to come.
LaneNameState laneNameState(const TimelineLane& l, std::size_t limit, TimeNs cursor)
{
    const bool later = l.firstEvent >= limit || (l.kind == LaneKind::Task && l.begin > cursor);
    return LaneNameState { limit != kAllEvents && later && l.kind != LaneKind::Worker,
        limit == kAllEvents || (l.endEvent != kNoItem && l.endEvent < limit) };
}

/// Where a frame stops drawing: the playback cursor when it hides what comes after it, else
/// kNever. Besides the events after the limit, nothing that starts after the cursor shows: a
/// late wake is recorded at its registration but starts at the deadline, and a cursor sought
/// into a gap stands before events that still precede the next poll.
TimeNs drawingEnd(const TimelineViewport& viewport)
{
    return viewport.dimAfterCursor || viewport.eventLimit == kAllEvents ? kNever
                                                                        : viewport.cursorTime;
}

/// Whether a frame draws (and hits) an item created by `event` that starts at `start`:
/// nothing created after the event limit, nothing that starts after drawingEnd().
bool isDrawn(const TimelineViewport& viewport, std::uint32_t event, TimeNs start)
{
    const bool created =
        viewport.dimAfterCursor || viewport.eventLimit == kAllEvents || event < viewport.eventLimit;
    return created && start <= drawingEnd(viewport);
}

/// Whether a frame draws (and hits) a diagnostic's warning sign: once its event happened, or
/// once the cursor reached the time it became one (isFound()).
bool isDrawn(const TimelineViewport& viewport, const TimelineMarker& marker)
{
    return isDrawn(viewport, marker.event, marker.time) ||
        (marker.foundAt != kNever && isDrawn(viewport, marker.foundAfter, marker.foundAt));
}

/// A wake arrow as a frame draws it into a task lane.
struct WakeShape {
    std::uint32_t wake = 0; ///< in TimelineModel::wakes()
    /// Woken by a poll of the same lane: a curve over the idle gap from `from` (the causing
    /// poll's top) to `tip`, its control points at height `peak`, and a pixel triangle `head`
    /// pointing down into the box. Else a straight shaft from `from` (the cause's lane centre,
    /// clamped to just beyond the lanes) to `tip` on the woken box's edge, with a head at the
    /// tip and a dot at the start.
    bool arc = false;
    QPointF from;
    QPointF tip;
    qreal peak = 0;
    QRect head; ///< arc: the triangle's rows, from 7 px wide at the top to 1 px

    /// The arc at `t` in [0, 1] (a cubic Bézier, as QPainterPath::cubicTo draws it).
    QPointF arcAt(qreal t) const
    {
        const QPointF c1(from.x() + 4, peak), c2(tip.x() - 4, peak);
        const qreal u = 1 - t;
        return u * u * u * from + 3 * u * u * t * c1 + 3 * u * t * t * c2 + t * t * t * tip;
    }
};

/// Calls onArrow(const WakeShape&) for each wake arrow a frame draws into task lane `lane`:
/// those into its visible polls when they are sparse enough (kArrowSpacing), plus the next
/// poll's if the cursor shows its wake but not the poll yet. An arrow ends where the wake
/// happened; the scheduled shade carries on to the poll. Painting and hit-testing both come
/// here, so that a point hits exactly the arrows a frame shows.
template <class OnArrow>
void forEachWakeArrow(const TimelineModel& model, const TimelineViewport& vp,
    const TimelineLayout& layout, const PixelMap& map, int lane, OnArrow onArrow)
{
    const std::span<const LanePoll> polls = model.lanePolls(lane);
    const std::size_t limit = vp.dimAfterCursor ? kAllEvents : vp.eventLimit;
    const auto [first, last] = visibleSlice(
        polls, firstDrawnTime(map, layout), std::min(vp.range.end, drawingEnd(vp)), limit);
    if (std::size_t(last - first) * kArrowSpacing > std::size_t(layout.lanes.width()))
        return;
    const std::span<const WakeArrow> wakes = model.wakes();
    const int boxTop = layout.boxTop(lane);
    const QRect& area = layout.lanes;
    const std::size_t end = limit != kAllEvents && last < polls.size() ? last + 1 : last;
    for (std::size_t i = first; i < end; ++i) {
        const PollItem& poll = model.poll(polls[i].sequence);
        if (poll.wake == kNoItem)
            continue;
        const WakeArrow& arrow = wakes[poll.wake];
        if (!isDrawn(vp, arrow.event, arrow.woken))
            continue;
        WakeShape shape;
        shape.wake = poll.wake;
        const qreal xt = map.column(arrow.woken) + 0.5;
        const qreal xf = map.column(arrow.from) + 0.5;
        if (int(arrow.fromLane) == lane) {
            if (xt - xf < 10)
                continue; // no room for an arc
            shape.arc = true;
            shape.from = QPointF(xf, boxTop - 0.5);
            shape.tip = QPointF(xt, boxTop - 4.5);
            shape.peak = layout.laneTop(lane) + 1.5;
            shape.head = QRect(int(xt) - 3, boxTop - 5, 7, 4);
            onArrow(std::as_const(shape));
            continue;
        }
        const qreal yf = std::clamp<qreal>(
            layout.laneCenter(int(arrow.fromLane)), area.top() - 4, area.bottom() + 4);
        const qreal yt = yf < boxTop ? boxTop - 0.5 : boxTop + TimelineRenderer::kBoxHeight + 0.5;
        shape.from = QPointF(xf, yf);
        shape.tip = QPointF(xt, yt);
        const QPointF d = shape.tip - shape.from;
        if (std::hypot(d.x(), d.y()) < 2)
            continue; // too short to read as an arrow
        onArrow(std::as_const(shape));
    }
}

/// The distance from `p` to the segment [a, b].
qreal distanceToSegment(QPointF p, QPointF a, QPointF b)
{
    const QPointF d = b - a;
    const qreal lengthSquared = QPointF::dotProduct(d, d);
    const qreal t =
        lengthSquared > 0 ? std::clamp(QPointF::dotProduct(p - a, d) / lengthSquared, 0.0, 1.0) : 0;
    const QPointF v = p - (a + t * d);
    return std::hypot(v.x(), v.y());
}

/// How far the centre of pixel `point` lies from what a frame draws of an arrow: its line, or
/// (0) its head.
qreal distanceToArrow(const WakeShape& shape, QPoint point)
{
    const QPointF p = QPointF(point) + QPointF(0.5, 0.5);
    if (!shape.arc) // the head lies within half its width (3 px) of the shaft
        return distanceToSegment(p, shape.from, shape.tip);
    if (shape.head.contains(point))
        return 0;
    if (p.x() < shape.from.x() - 4 || p.x() > shape.tip.x() + 4)
        return std::numeric_limits<qreal>::max(); // the curve stays between its ends
    // The curve as line segments: at most 6 px tall, so within 0.3 px of it however long.
    constexpr int kSegments = 16;
    qreal distance = std::numeric_limits<qreal>::max();
    QPointF a = shape.from;
    for (int i = 1; i <= kSegments; ++i) {
        const QPointF b = shape.arcAt(qreal(i) / kSegments);
        distance = std::min(distance, distanceToSegment(p, a, b));
        a = b;
    }
    return distance;
}

/// The name of a lane and a dimmer detail after it: "fetch-0  ← main", "worker  executor
/// thread", "never polled  save(\"order-1\")", within `area` (the lane's row of the column),
/// and how a task ended once it has: "fetch-0  ← main · cancelled". That word is what the
/// label is read for: where the whole label does not fit, the detail gives way first (elided,
/// then dropped), then the middle of the name.
void appendLaneName(std::vector<TextItem>& items, const TimelineModel& model,
    const TimelineTheme& theme, const QRect& area, int lane, LaneNameState state)
{
    const TimelineLane& l = model.lane(lane);
    const bool future = state.future;
    const bool ended = state.ended;
    const QRect rect = area.adjusted(10, 0, -6, 0);
    const bool ghost = l.kind == LaneKind::Ghost;
    const QString name = ghost ? model.laneDetail(lane) : model.laneName(lane);
    QString detail = ghost ? model.laneName(lane) : model.laneDetail(lane);
    const bool bad = l.kind == LaneKind::Task && ended &&
        (l.status == TaskEnd::Cancelled || l.status == TaskEnd::Stopped ||
            l.status == TaskEnd::Failed);
    const QString status = !bad          ? QString()
        : l.status == TaskEnd::Cancelled ? QStringLiteral("cancelled")
        : l.status == TaskEnd::Stopped   ? QStringLiteral("stopped")
                                         : QStringLiteral("failed");
    constexpr int kGap = 8; // between the name and the detail
    const QFontMetrics detailMetrics(theme.font);
    TextItem title;
    title.rect = rect;
    title.bold = l.kind == LaneKind::Task;
    title.italic = ghost;
    QFont font = title.bold ? theme.boldFont : theme.font;
    font.setItalic(title.italic);
    const QFontMetrics fm(font);
    const int statusWidth = status.isEmpty() ? 0 : kGap + detailMetrics.horizontalAdvance(status);
    title.text = fm.elidedText(name, Qt::ElideMiddle, rect.width() - statusWidth);
    title.color = future ? theme.dimText : ghost ? theme.ghost : theme.text;
    if (l.kind == LaneKind::Worker || l.kind == LaneKind::BlockingPool)
        title.color = theme.dimText;
    const int used = fm.horizontalAdvance(title.text);
    items.push_back(title);
    TextItem second;
    second.rect = rect.adjusted(used + kGap, 0, 0, 0);
    const QString separator = QStringLiteral(" \u00b7 ");
    const int room = second.rect.width() -
        (status.isEmpty() ? 0 : detailMetrics.horizontalAdvance(separator + status));
    // A detail shows at least its first few characters ("← mai…"), or not at all.
    const int least = std::min(detailMetrics.horizontalAdvance(detail.left(5) + u'\u2026'),
        detailMetrics.horizontalAdvance(detail));
    detail = room < least ? QString() : detailMetrics.elidedText(detail, Qt::ElideRight, room);
    second.text = detail.isEmpty() ? status
        : status.isEmpty()         ? detail
                                   : detail + separator + status;
    if (second.text.isEmpty())
        return;
    second.color = bad && !future ? theme.cancel : theme.dimText;
    items.push_back(second);
}

/// Qt::BDiagPattern over `r` as line segments, for vector output: the lines x + y = 8k, through
/// the centres of the pixels the pattern sets.
void addHatchLines(QPainterPath& path, const QRect& r)
{
    const int x0 = r.left(), x1 = r.left() + r.width();
    const int y0 = r.top(), y1 = r.top() + r.height();
    for (int sum = (x0 + y0) / 8 * 8 + 8; sum < x1 + y1; sum += 8) {
        const int xa = std::max(x0, sum - y1), xb = std::min(x1, sum - y0);
        if (xa >= xb)
            continue;
        path.moveTo(xa, sum - xa);
        path.lineTo(xb, sum - xb);
    }
}

void addArrowHead(QPainterPath& path, QPointF tip, QPointF from, qreal size)
{
    const QPointF d = tip - from;
    const qreal length = std::hypot(d.x(), d.y());
    if (length < 0.01)
        return;
    const QPointF u = d / length;
    const QPointF n(-u.y(), u.x());
    const QPointF back = tip - u * size;
    QPolygonF head;
    head << tip << back + n * (size * 0.5) << back - n * (size * 0.5) << tip;
    path.addPolygon(head);
    // Heads, and the dots added with them, that overlap (two wakes ending at one point) must
    // not cancel out as under the odd-even rule: like addEllipse(), they all run clockwise.
    path.setFillRule(Qt::WindingFill);
}

/// The row a dropped future's ring is centred on: the last of `lane`'s box row, so that the
/// ring hangs from the bottom edge of a poll (or under a mark or cross) at the same time rather
/// than covering it.
int dropRingCentreY(const TimelineLayout& layout, int lane)
{
    return layout.boxTop(lane) + TimelineRenderer::kBoxHeight - 1;
}

constexpr qreal kDropRingRadius = 3;

/// The circle of a dropped future's ring whose point (a stamp's, as symbols are stamped) is
/// `p`: centred on the middle of that pixel.
QRectF dropRing(QPoint p)
{
    return QRectF(p.x() + 0.5 - kDropRingRadius, p.y() + 0.5 - kDropRingRadius, 2 * kDropRingRadius,
        2 * kDropRingRadius);
}

/// A ring, small and grey, filled with the background so that it reads over a box.
void paintDropRing(QPainter& painter, const TimelineTheme& theme, const QRectF& circle)
{
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setPen(QPen(theme.dropped, 1.5));
    painter.setBrush(theme.background);
    painter.drawEllipse(circle);
    painter.restore();
}

} // namespace

struct TimelineRenderer::Geometry {
    struct Key {
        const TimelineModel* model = nullptr;
        int theme = -1;
        QSize size;
        TimeRange range;
        int scrollY = 0;
        std::size_t limit = 0;
        TimeNs cursor = 0;
        bool dim = false;
        QString title;
        bool legend = true;
        bool vector = false;
        bool wholeLanes = false;
        bool operator==(const Key&) const = default;
    };
    Key key;
    bool valid = false;

    std::vector<QRect> stripes, separators, grid;
    std::vector<QRect> idle, scheduled, late;
    std::vector<QRect> pending, ready, pendingOutlines, readyOutlines;
    /// Vector frames: one box per poll instead of `pending` and `ready`; the Pending ones
    /// first, the Ready ones from `readyBoxes` on.
    std::vector<TimelinePollBox> pollBoxes;
    std::size_t readyBoxes = 0;
    std::vector<QRect> jobs, jobOutlines, hatch, wakeTips, markTicks, cancelTicks, dropTicks;
    std::vector<QRectF> ghosts;
    QPainterPath wakeLines, wakeHeads, spawnLines, spawnHeads;
    /// Centres: stamped with pre-rendered symbols. `stops`: tasks' (and jobs') ends at a stop.
    std::vector<QPoint> marks, crosses, stops;
    /// Dropped futures' rings, each with the drops it stands for (TimelineDropRing).
    std::vector<TimelineDropRing> drops;
    QImage markStamp, crossStamp, stopStamp, dropStamp;
    int stampsTheme = -1;
    qreal stampsRatio = 0;
    std::vector<TextItem> boxLabels;

    // Lane names and the header change far less often than the lanes (not when panning or
    // zooming): they are kept as images, at the painter's device pixel ratio.
    struct NameTile {
        QImage image;
        LaneNameState state;
    };
    QString namesKey, headerKey;
    std::unordered_map<int, NameTile> nameTiles; ///< by lane
    QImage header;

    void clear()
    {
        for (auto* rects : { &stripes, &separators, &grid, &idle, &scheduled, &late, &pending,
                 &ready, &pendingOutlines, &readyOutlines, &jobs, &jobOutlines, &hatch, &wakeTips,
                 &markTicks, &cancelTicks, &dropTicks })
            rects->clear();
        ghosts.clear();
        pollBoxes.clear();
        readyBoxes = 0;
        for (auto* path : { &wakeLines, &wakeHeads, &spawnLines, &spawnHeads })
            path->clear();
        marks.clear();
        crosses.clear();
        stops.clear();
        drops.clear();
        boxLabels.clear();
    }
};

/// Fills a Geometry for one viewport: the visible slice of every visible lane.
struct TimelineRenderer::Builder {
    const TimelineModel& model;
    const TimelineTheme& theme;
    const TimelineViewport& vp;
    const TimelineLayout& layout;
    Geometry& g;
    PixelMap map;
    /// The time at the lanes' left edge, kTimeOriginInset px before the range: items from it on
    /// are drawn.
    TimeNs drawnFrom;
    std::size_t limit; ///< kAllEvents: nothing hidden
    TimeNs cursor; ///< drawingEnd(): nothing starts after it, everything ends by it
    QFontMetrics metrics;
    /// The current lane's runs of polls drawn by addDensity(), in time order.
    struct DenseRun {
        int x0, x1;
        TimeNs start, end;
    };
    std::vector<DenseRun> denseRuns;
    /// pollBoxes()' runs of the current lane.
    struct Run {
        int x0, x1;
        std::size_t a, b;
    };
    std::vector<Run> runs;

    Builder(const TimelineModel& m, const TimelineTheme& t, const TimelineViewport& v,
        const TimelineLayout& l, Geometry& geometry)
        : model(m)
        , theme(t)
        , vp(v)
        , layout(l)
        , g(geometry)
        , map { v.range, l }
        , drawnFrom(firstDrawnTime(map, l))
        , limit(v.dimAfterCursor ? kAllEvents : v.eventLimit)
        , cursor(drawingEnd(v))
        , metrics(t.font)
    {
    }

    /// The visible slice [first, last) of a lane's items: in the time range (or in the inset
    /// before it), created before the event limit and started by the cursor.
    template <class Items>
    std::pair<std::size_t, std::size_t> visible(const Items& items) const
    {
        return visibleSlice(items, drawnFrom, std::min(vp.range.end, cursor), limit);
    }

    /// An item's end as seen from the cursor: what goes on past the cursor is still open
    /// there, so it ends at the cursor.
    TimeNs clippedEnd(TimeNs start, TimeNs end) const
    {
        return cursor == kNever ? end : std::max(start, std::min(end, cursor));
    }

    /// forEachRun over visible items, their ends clipped at the cursor.
    template <class Items, class OnRun>
    void forEachItemRun(const Items& items, std::size_t first, std::size_t last, int minWidth,
        int keepApart, OnRun onRun) const
    {
        forEachRun(
            first, last, map, minWidth, keepApart, [&](std::size_t i) { return items[i].start; },
            [&](std::size_t i) { return clippedEnd(items[i].start, items[i].end); }, onRun);
    }

    void build()
    {
        g.clear();
        const QRect& lanes = layout.lanes;
        // Grid at the ruler's major ticks.
        const TimeNs step = tickStep(vp.range.duration(), layout.axis.width, 96);
        for (TimeNs t = std::max<TimeNs>(0, firstTick(drawnFrom, step)); t <= vp.range.end;
             t += step)
            g.grid.push_back(QRect(map.column(t), lanes.top(), 1, lanes.height()));

        for (int lane = layout.firstLane; lane < layout.lastLane; ++lane) {
            const int top = layout.laneTop(lane);
            if (lane % 2 == 1)
                g.stripes.push_back(
                    QRect(lanes.left(), top, lanes.width(), TimelineRenderer::kLaneHeight));
            const TimelineLane& l = model.lane(lane);
            if (l.kind == LaneKind::Worker)
                g.separators.push_back(
                    QRect(0, top + TimelineRenderer::kLaneHeight - 1, vp.size.width(), 1));
            if (l.kind == LaneKind::BlockingPool && lane > 0 &&
                model.lane(lane - 1).kind != LaneKind::BlockingPool)
                g.separators.push_back(QRect(0, top, vp.size.width(), 1));
            switch (l.kind) {
            case LaneKind::Worker:
                workerLane(lane);
                break;
            case LaneKind::Task:
                taskLane(lane);
                break;
            case LaneKind::Ghost:
                points(lane, model.ghosts(lane), PointStyle::Ghost);
                break;
            case LaneKind::BlockingPool:
                poolLane(lane);
                break;
            }
        }
        spawnLinks();
        // Ready boxes over Pending ones, as the batches of a raster frame paint them.
        const auto pending = std::stable_partition(g.pollBoxes.begin(), g.pollBoxes.end(),
            [&](const TimelinePollBox& box) { return !isReady(model.poll(box.sequence)); });
        g.readyBoxes = std::size_t(pending - g.pollBoxes.begin());
    }

    /// Whether a poll shows as Ready: its outcome, once the cursor shows its end.
    bool isReady(const PollItem& poll) const
    {
        return poll.outcome == PollOutcome::Ready && (limit == kAllEvents || poll.endEvent < limit);
    }

    void addBox(int x0, int x1, int top, bool ready, bool single)
    {
        const QRect box(x0, top, x1 - x0, TimelineRenderer::kBoxHeight);
        (ready ? g.ready : g.pending).push_back(box);
        // Outlines only where they read: around one poll, wide enough to show its edges.
        if (single && box.width() >= kOutlineWidth)
            (ready ? g.readyOutlines : g.pendingOutlines).push_back(outlineRect(box));
    }

    /// Whether a merged run of `items` over [x0, x1) is drawn as addDensity() columns.
    static bool isDense(int x0, int x1, std::size_t items)
    {
        return items > 1 && x1 - x0 >= kDenseRunWidth &&
            std::size_t(x1 - x0) < items * kDenseColumns;
    }

    /// Columns [x0, x1) of a merged run of items [a, b) as bars centred on the lane, as tall as
    /// the share of time the items fill around each column, and equal neighbours joined: a
    /// task busy an eighth of the time reads as a thin band, a saturated worker as a full box.
    /// The share is taken over kDenseColumns columns around the column, within the run, so
    /// evenly spaced items give an even band; a column whose window the items touch at all
    /// is kMinDensityHeight tall, even if they take no time.
    /// `before` holds the summed lengths of the lane's items before each
    /// (TimelineModel::pollTimeBefore()); endOf(b - 1) may be cut by the cursor.
    template <class StartOf, class EndOf>
    void addDensity(std::vector<QRect>& out, int x0, int x1, int boxTop, std::size_t a,
        std::size_t b, std::span<const TimeNs> before, StartOf startOf, EndOf endOf) const
    {
        forEachDensityBar(x0, x1, a, b, before, startOf, endOf, [&](int from, int to, int height) {
            out.push_back(densityBar(from, to, boxTop, height));
        });
    }

    static QRect densityBar(int x0, int x1, int boxTop, int height)
    {
        return QRect(x0, boxTop + (TimelineRenderer::kBoxHeight - height) / 2, x1 - x0, height);
    }

    /// addDensity()'s bars as onBar(x0, x1, height), left to right.
    template <class StartOf, class EndOf, class OnBar>
    void forEachDensityBar(int x0, int x1, std::size_t a, std::size_t b,
        std::span<const TimeNs> before, StartOf startOf, EndOf endOf, OnBar onBar) const
    {
        constexpr int kFull = TimelineRenderer::kBoxHeight;
        constexpr int kHalf = int(kDenseColumns) / 2;
        if (map.scale <= 0)
            return;
        // A column's left edge, by the same linear map beyond the lanes as within them.
        const double nsPerColumn = 1.0 / map.scale;
        const auto edgeTime = [&](int column) {
            return map.range.start + TimeNs(double(column - map.left) * nsPerColumn);
        };
        // The items' busy time before an edge, for edges left to right; `next` is the first item
        // that starts at or after it. Each column's window begins at an edge seen kDenseColumns
        // columns earlier, kept in a ring.
        struct Edge {
            TimeNs time = 0;
            TimeNs busy = 0;
            std::size_t next = 0;
        };
        std::size_t next = a;
        const TimeNs beforeRun = before[a];
        const auto edgeAt = [&](int column) {
            const TimeNs t = edgeTime(column);
            // A task's lane has a few items per column: step over them before galloping.
            int step = 0;
            for (; step < 4 && next < b && startOf(next) < t; ++step)
                ++next;
            if (step == 4)
                next = gallopToStart(next, b, t, startOf);
            TimeNs busy = 0;
            if (next > a) {
                const std::size_t i = next - 1;
                busy =
                    before[i] - beforeRun + std::max<TimeNs>(0, std::min(t, endOf(i)) - startOf(i));
            }
            return Edge { t, busy, next };
        };
        std::array<Edge, kDenseColumns> ring;
        const auto slot = [&](int column) -> Edge& {
            return ring[std::size_t(column + int(kDenseColumns)) % kDenseColumns];
        };
        const TimeNs runStart = startOf(a);
        const TimeNs runEnd = endOf(b - 1);
        const int from = std::max(x0, layout.lanes.left());
        const int to = std::min(x1, layout.lanes.left() + layout.lanes.width());
        for (int column = from - kHalf; column < from + kHalf; ++column)
            slot(column) = edgeAt(column);
        int barStart = from;
        int barHeight = 0;
        for (int x = from; x <= to; ++x) {
            int height = 0;
            int skipTo = x; // where the next window that holds an item begins
            if (x < to) {
                const Edge trailing = slot(x - kHalf);
                const Edge leading = slot(x + kHalf) = edgeAt(x + kHalf);
                const bool touched = leading.next > trailing.next ||
                    (trailing.next > a && endOf(trailing.next - 1) > trailing.time);
                if (!touched)
                    skipTo = leading.next == b ? to : map.column(startOf(leading.next)) - kHalf + 1;
                // The window within the run: its first and last columns are not diluted by time
                // outside it.
                const TimeNs span =
                    std::min(leading.time, runEnd) - std::max(trailing.time, runStart);
                if (touched) {
                    const double share =
                        span > 0 ? double(leading.busy - trailing.busy) / double(span) : 0.0;
                    const double exact = share * kFull;
                    // Even heights, so that every bar is centred on the lane as the boxes are;
                    // a bar keeps its height while the share stays within a step of it, so
                    // that the jitter of a few polls more or less per window does not show.
                    height = barHeight > 0 && std::abs(exact - barHeight) <= kDensityStep
                        ? barHeight
                        : std::clamp(2 * int(std::lround(exact / 2)), kMinDensityHeight, kFull);
                }
            }
            if (x == to || height != barHeight) {
                if (barHeight > 0)
                    onBar(barStart, x, barHeight);
                barStart = x;
                barHeight = height;
            }
            // Sparse items (blocks in a run of polls): jump over the empty windows between them.
            if (skipTo > x + int(kDenseColumns)) {
                x = std::min(skipTo, to) - 1;
                for (int column = x + 1 - kHalf; column < x + 1 + kHalf; ++column)
                    slot(column) = edgeAt(column);
            }
        }
    }

    void addBoxLabel(int x0, int x1, int boxTop, const QString& text, bool onReady)
    {
        if (x1 - x0 < 14)
            return;
        const int width = metrics.horizontalAdvance(text);
        if (width + 6 > x1 - x0)
            return;
        TextItem item;
        item.rect = QRect(
            std::max(x0, layout.lanes.left()) + 3, boxTop, width + 2, TimelineRenderer::kBoxHeight);
        if (item.rect.right() > x1 - 2)
            item.rect.moveLeft(x0 + 3);
        item.text = text;
        item.color = onReady ? theme.readyBoxText : theme.boxText;
        item.background = onReady ? theme.ready : theme.pending; // readable over hatching
        g.boxLabels.push_back(item);
    }

    /// Polls of one lane as boxes: merged runs in the Pending colour, single polls in their
    /// outcome's colour. `label(i)` names a poll wide enough to carry a label.
    template <class Items, class Sequence, class Label>
    void pollBoxes(int lane, const Items& items, Sequence sequence, Label label)
    {
        denseRuns.clear();
        const auto [first, last] = visible(items);
        if (first == last)
            return;
        const int boxTop = layout.boxTop(lane);
        const auto startOf = [&](std::size_t i) { return items[i].start; };
        // Only the last visible poll can be cut by the cursor (the cursor sits between polls).
        const PollItem& lastPoll = model.poll(sequence(last - 1));
        const TimeNs lastEnd = clippedEnd(lastPoll.start, lastPoll.end);
        const auto endOf = [&](std::size_t i) { return i == last - 1 ? lastEnd : items[i].end; };
        const bool worker = model.lane(lane).kind == LaneKind::Worker;
        // Dense runs a few columns apart are one stretch of dense polls: one band, no holes.
        runs.clear();
        forEachRun(first, last, map, TimelineRenderer::kMinPollWidth, kOutlineWidth, startOf, endOf,
            [&](int x0, int x1, std::size_t a, std::size_t b) {
                if (!runs.empty()) {
                    Run& previous = runs.back();
                    if (x0 - previous.x1 < int(kDenseColumns) &&
                        isDense(previous.x0, x1, b - previous.a)) {
                        previous.x1 = x1;
                        previous.b = b;
                        return;
                    }
                }
                runs.push_back(Run { x0, x1, a, b });
            });
        for (const auto [x0, x1, a, b] : runs) {
            const bool single = b - a == 1;
            const bool ready = single && model.poll(sequence(a)).outcome == PollOutcome::Ready;
            const bool dense = isDense(x0, x1, b - a);
            if (dense)
                denseRuns.push_back(DenseRun { x0, x1, startOf(a), endOf(b - 1) });
            if (vp.vector) {
                // Every poll its own box, so that an SVG can name each; outlines and labels
                // as the merged runs of a raster frame have them. In a dense run a Pending
                // box is as tall as the density bar at its first column.
                std::vector<int> heights;
                if (dense) {
                    heights.assign(std::size_t(x1 - x0), 0);
                    forEachDensityBar(x0, x1, a, b, model.pollTimeBefore(lane), startOf, endOf,
                        [&](int from, int to, int height) {
                            std::fill(
                                heights.begin() + (from - x0), heights.begin() + (to - x0), height);
                        });
                }
                for (std::size_t i = a; i < b; ++i) {
                    const int left = map.column(startOf(i));
                    const int right =
                        std::max(left + TimelineRenderer::kMinPollWidth, map.column(endOf(i)));
                    QRect box(left, boxTop, right - left, TimelineRenderer::kBoxHeight);
                    if (dense && !isReady(model.poll(sequence(i))))
                        box = densityBar(left, right, boxTop,
                            std::max(kMinDensityHeight,
                                heights[std::size_t(std::clamp(left, x0, x1 - 1) - x0)]));
                    g.pollBoxes.push_back(TimelinePollBox { box, sequence(i), worker });
                }
                if (single && x1 - x0 >= kOutlineWidth)
                    (ready ? g.readyOutlines : g.pendingOutlines)
                        .push_back(
                            outlineRect(QRect(x0, boxTop, x1 - x0, TimelineRenderer::kBoxHeight)));
            } else if (dense) {
                addDensity(
                    g.pending, x0, x1, boxTop, a, b, model.pollTimeBefore(lane), startOf, endOf);
            } else {
                addBox(x0, x1, boxTop, ready, single);
            }
            if (single && x1 - x0 >= 14)
                addBoxLabel(x0, x1, boxTop, label(a), ready);
        }
    }

    /// Whether the poll running on `lane` at `time` was Ready (false between polls).
    bool readyAt(int lane, TimeNs time) const
    {
        const auto readyIn = [&](const auto& polls, auto sequence) {
            // The last poll starting by `time`; one that ends at `time` ran before it.
            const std::ptrdiff_t i = lastIndex(polls, time);
            return i >= 0 && time < polls[std::size_t(i)].end &&
                isReady(model.poll(sequence(std::size_t(i))));
        };
        if (model.lane(lane).kind == LaneKind::Worker)
            return readyIn(model.polls(), [](std::size_t i) { return i; });
        const std::span<const LanePoll> polls = model.lanePolls(lane);
        return readyIn(polls, [&](std::size_t i) { return std::size_t(polls[i].sequence); });
    }

    void blockHatches(int lane)
    {
        const std::span<const BlockItem> blocks = model.blocks(lane);
        const auto [first, last] = visible(blocks);
        const int boxTop = layout.boxTop(lane);
        const auto startOf = [&](std::size_t i) { return blocks[i].start; };
        const auto endOf = [&](std::size_t i) {
            return clippedEnd(blocks[i].start, blocks[i].end);
        };
        // Blocks run inside polls, so each run of them lies in one run of polls. In the dense
        // runs of polls the hatching follows the share of each column spent blocked.
        std::size_t from = first;
        for (const DenseRun& run : denseRuns) {
            from = gallopToStart(from, last, run.start, startOf);
            const std::size_t to = gallopToStart(from, last, run.end, startOf);
            if (to > from)
                addDensity(g.hatch, run.x0, run.x1, boxTop, from, to, model.blockTimeBefore(lane),
                    startOf, endOf);
            from = to;
        }
        std::size_t dense = 0;
        forEachItemRun(blocks, first, last, 1, kOutlineWidth,
            [&](int x0, int x1, std::size_t a, std::size_t b) {
                while (dense < denseRuns.size() && denseRuns[dense].x1 <= x0)
                    ++dense;
                if (dense < denseRuns.size() && denseRuns[dense].x0 <= x0)
                    return; // hatched above
                g.hatch.push_back(QRect(x0, boxTop, x1 - x0, TimelineRenderer::kBoxHeight));
                if (b - a == 1 && x1 - x0 > 40)
                    blockLabel(lane, blocks[a], x0, x1);
            });
    }

    /// "block <label>" centred on the bar [x0, x1) of one block, right of the labels already on
    /// it (a poll's "#0"); elided rather than dropped, so a label that just misses its bar (by
    /// rounding, or a PDF's unshaped text) still shows most of what it says.
    void blockLabel(int lane, const BlockItem& block, int x0, int x1)
    {
        const int boxTop = layout.boxTop(lane);
        const QString kind =
            block.kind == BlockKind::Block ? QStringLiteral("block") : QStringLiteral("compute");
        const QString label = model.trace().string(block.label);
        QString text = label.isEmpty() ? kind : kind + u' ' + label;
        int left = x0;
        for (const TextItem& other : g.boxLabels) {
            if (other.rect.intersects(QRect(left, boxTop, x1 - left, TimelineRenderer::kBoxHeight)))
                left = other.rect.right() + 1;
        }
        const bool fits = metrics.horizontalAdvance(text) + 12 <= x1 - left;
        if (!fits)
            text = metrics.elidedText(text, Qt::ElideRight, x1 - left - 12);
        if (!fits && text.size() <= kind.size() + 2) // no more than "block …"
            return;
        // On the colour of the poll it blocks, so the bar keeps that colour and only the
        // hatching gives way to the text.
        const bool ready = readyAt(lane, block.start);
        g.boxLabels.push_back(centredBoxLabel(text, metrics.horizontalAdvance(text), left, x1,
            boxTop, layout, ready ? theme.readyBoxText : theme.boxText,
            ready ? theme.ready : theme.pending));
    }

    /// Scheduled time and late wakes: a shaded band, a little lower than the boxes.
    void bands(int lane, std::span<const SpanItem> items, std::vector<QRect>& out)
    {
        const auto [first, last] = visible(items);
        const int boxTop = layout.boxTop(lane);
        forEachItemRun(items, first, last, 1, INT_MAX, [&](int x0, int x1, std::size_t, std::size_t) {
            out.push_back(QRect(x0, boxTop + 2, x1 - x0, TimelineRenderer::kBoxHeight - 4));
        });
    }

    enum class PointStyle { Mark, Cancel, Drop, Ghost };

    void points(int lane, std::span<const PointItem> items, PointStyle style)
    {
        const auto [first, last] = visible(items);
        if (first == last)
            return;
        const qreal cy = layout.laneCenter(lane);
        const bool labels = style == PointStyle::Mark && last - first <= kMaxMarkLabels;
        // Many marks, cancels or drops in view: ticks, batched with the rectangles, rather than
        // hundreds of antialiased shapes (a comb that shows where they are dense).
        const bool ticks =
            style != PointStyle::Ghost && pointsAsTicks(last - first, layout.lanes.width());
        std::vector<MarkGroup> labelled;
        for (std::size_t i = first; i < last;) {
            const int x = map.column(items[i].start);
            const qreal cx = x + 0.5;
            const std::size_t next = pointGroupEnd(items, i, last, map, ticks);
            if (ticks) {
                if (style == PointStyle::Drop)
                    g.dropTicks.push_back(QRect(x, dropRingCentreY(layout, lane) - 3, 1, 6));
                else
                    (style == PointStyle::Mark ? g.markTicks : g.cancelTicks)
                        .push_back(QRect(x, int(cy) - 5, 1, 11));
                i = next;
                continue;
            }
            switch (style) {
            case PointStyle::Mark:
                g.marks.push_back(QPoint(x, int(cy)));
                if (labels)
                    labelled.push_back(MarkGroup { x, i, next });
                break;
            case PointStyle::Cancel: {
                // A task's end at a stop outweighs a dropped wait drawn in the same place.
                bool stop = false;
                for (std::size_t k = i; k < next && !stop; ++k)
                    stop = model.isStop(items[k]);
                (stop ? g.stops : g.crosses).push_back(QPoint(x, int(cy)));
                break;
            }
            case PointStyle::Drop:
                g.drops.push_back(TimelineDropRing {
                    dropRing(QPoint(x, dropRingCentreY(layout, lane))), lane, i, next });
                break;
            case PointStyle::Ghost: {
                g.ghosts.push_back(QRectF(
                    cx - 6, layout.boxTop(lane) + 0.5, 12, TimelineRenderer::kBoxHeight - 1));
                const int room =
                    (next < last ? map.column(items[next].start) : layout.lanes.right()) - x - 14;
                const QString text = model.trace().string(items[i].aux);
                const int width = metrics.horizontalAdvance(text);
                if (!text.isEmpty() && width <= room && last - first <= kMaxMarkLabels) {
                    TextItem item;
                    item.rect =
                        QRect(x + 10, layout.boxTop(lane), width + 4, TimelineRenderer::kBoxHeight);
                    item.text = text;
                    item.color = theme.ghost;
                    item.italic = true;
                    g.boxLabels.push_back(item);
                }
                break;
            }
            }
            i = next;
        }
        if (!labelled.empty())
            markLabels(lane, items, labelled);
    }

    /// Marks [a, b) of a lane, drawn as one symbol in column `x`.
    struct MarkGroup {
        int x;
        std::size_t a, b;
    };

    /// Labels each symbol of marks with theirs, joined ("first · second"), right of it and
    /// elided to the room before the next symbol and the lane's next poll, so that a label
    /// starts at its own mark and stops well short of the next. Only the last symbol's label
    /// may go left, where the right edge leaves it less room than its left: then it starts
    /// no nearer the symbol before than halfway, and that one's label stops short of it.
    void markLabels(
        int lane, std::span<const PointItem> items, const std::vector<MarkGroup>& groups)
    {
        const std::span<const LanePoll> polls = model.lanePolls(lane);
        const int half = kStampSize / 2 + 1; // from a symbol's centre to where a label may be
        const auto textOf = [&](const MarkGroup& m) {
            QStringList texts;
            for (std::size_t k = m.a; k < m.b; ++k) {
                if (const QString text = model.trace().string(items[k].aux); !text.isEmpty())
                    texts << text;
            }
            return texts.join(u" \u00b7 ");
        };
        // Right of a symbol: up to `end` and the lane's next poll.
        const auto rightEnd = [&](const MarkGroup& m, int end) {
            const std::size_t next = std::size_t(lastIndex(polls, items[m.a].start) + 1);
            return next < polls.size() ? std::min(end, map.column(polls[next].start) - 4) : end;
        };
        const MarkGroup& lastGroup = groups.back();
        const QString lastText = textOf(lastGroup);
        const int lastRight = rightEnd(lastGroup, layout.lanes.right() + 1);
        int leftOfLast = INT_MAX; // where the last label begins when it is left of its symbol
        if (metrics.horizontalAdvance(lastText) + 4 > lastRight - (lastGroup.x + half)) {
            // Back to the end of the lane's poll before the mark, leaving out one that starts
            // under the symbol (the poll that made the mark), and halfway to the symbol before.
            int from = layout.lanes.left();
            std::ptrdiff_t k = lastIndex(polls, items[lastGroup.a].start);
            if (k >= 0 && map.column(polls[std::size_t(k)].start) >= lastGroup.x - half)
                --k;
            if (k >= 0) {
                const LanePoll& poll = polls[std::size_t(k)];
                from = std::max(from,
                    std::max(map.column(poll.end),
                        map.column(poll.start) + TimelineRenderer::kMinPollWidth) +
                        4);
            }
            if (groups.size() > 1) {
                const int before = groups[groups.size() - 2].x;
                from = std::max(
                    from, std::max((before + lastGroup.x) / 2, before + half) + kMarkLabelGap / 2);
            }
            if (lastGroup.x - half - from > lastRight - (lastGroup.x + half))
                leftOfLast = addMarkLabel(lane, lastText, from, lastGroup.x - half, true);
        }
        for (std::size_t k = 0; k + 1 < groups.size(); ++k) {
            const MarkGroup& m = groups[k];
            const int next = std::min(groups[k + 1].x - half, leftOfLast) - kMarkLabelGap;
            addMarkLabel(lane, textOf(m), m.x + half, rightEnd(m, next), false);
        }
        if (leftOfLast == INT_MAX)
            addMarkLabel(lane, lastText, lastGroup.x + half, lastRight, false);
    }

    /// A mark's label within columns [x0, x1) of `lane`'s boxes, elided to fit, against x0
    /// or, `flushRight`, against x1. Returns where it begins; INT_MAX if too little of it fits
    /// to say anything (the tooltip has it all).
    int addMarkLabel(int lane, QString text, int x0, int x1, bool flushRight)
    {
        const int room = x1 - x0 - 4; // the text's; 2 px either side
        if (text.isEmpty() || room < 12)
            return INT_MAX; // not even a short word: do not measure
        int width = metrics.horizontalAdvance(text);
        if (width > room) {
            text = metrics.elidedText(text, Qt::ElideRight, room);
            if (text.size() < 4)
                return INT_MAX; // "ab…" says nothing
            width = metrics.horizontalAdvance(text);
        }
        TextItem item;
        item.rect = QRect(flushRight ? x1 - (width + 4) : x0, layout.boxTop(lane), width + 4,
            TimelineRenderer::kBoxHeight);
        item.text = text;
        item.color = theme.text;
        item.background = lane % 2 == 1 ? theme.laneStripe : theme.background;
        item.flags = Qt::AlignCenter;
        g.boxLabels.push_back(item);
        return item.rect.left();
    }

    void workerLane(int lane)
    {
        const std::span<const PollItem> polls = model.polls();
        pollBoxes(
            lane, polls, [](std::size_t i) { return std::uint32_t(i); },
            [&](std::size_t i) { return model.trace().taskName(polls[i].task); });
        blockHatches(lane);
        if (vp.vector)
            return; // no merged runs to draw over
        // Ready polls over the merged runs; they are few (one per task).
        const std::span<const std::uint32_t> ready = model.readyPolls();
        struct ReadyView {
            const TimelineModel* model;
            std::span<const std::uint32_t> sequences;
            std::size_t size() const { return sequences.size(); }
            const PollItem& operator[](std::size_t i) const { return model->poll(sequences[i]); }
        } view { &model, ready };
        const auto [first, last] = visible(view);
        const int boxTop = layout.boxTop(lane);
        forEachItemRun(view, first, last, TimelineRenderer::kMinPollWidth, kOutlineWidth,
            [&](int x0, int x1, std::size_t a, std::size_t b) {
                addBox(x0, x1, boxTop, true, b - a == 1);
            });
    }

    void taskLane(int lane)
    {
        // Idle time is the lane's lifeline showing between everything drawn over it (a task's
        // life is busy + scheduled + idle): one rectangle instead of one per idle span.
        const TimelineLane& l = model.lane(lane);
        if (limit == kAllEvents || l.firstEvent < limit) {
            const int x0 = map.column(l.begin);
            const int x1 = map.column(clippedEnd(l.begin, l.end));
            if (x1 > x0)
                g.idle.push_back(QRect(x0, layout.laneCenter(lane), x1 - x0, 1));
        }
        bands(lane, model.scheduled(lane), g.scheduled);
        bands(lane, model.late(lane), g.late);
        const std::span<const LanePoll> polls = model.lanePolls(lane);
        const auto sequence = [&](std::size_t i) { return polls[i].sequence; };
        pollBoxes(lane, polls, sequence, [&](std::size_t i) {
            return QStringLiteral("#%1").arg(model.poll(polls[i].sequence).index);
        });
        // The task's Ready poll (its last) stays blue even inside a merged run.
        const auto [first, last] = visible(polls);
        if (!vp.vector && last > first && last == polls.size()) {
            const PollItem& poll = model.poll(polls[last - 1].sequence);
            if (poll.outcome == PollOutcome::Ready &&
                (limit == kAllEvents || poll.endEvent < limit)) {
                const int x0 = map.column(poll.start);
                addBox(x0, std::max(x0 + TimelineRenderer::kMinPollWidth, map.column(poll.end)),
                    layout.boxTop(lane), true, true);
            }
        }
        blockHatches(lane);
        points(lane, model.drops(lane), PointStyle::Drop);
        points(lane, model.cancels(lane), PointStyle::Cancel);
        points(lane, model.marks(lane), PointStyle::Mark);
        wakeArrows(lane);
    }

    void poolLane(int lane)
    {
        const std::span<const JobItem> jobs = model.jobs(lane);
        const auto [first, last] = visible(jobs);
        const int boxTop = layout.boxTop(lane);
        forEachItemRun(jobs, first, last, 1, kOutlineWidth,
            [&](int x0, int x1, std::size_t a, std::size_t b) {
                const QRect box(x0, boxTop, x1 - x0, TimelineRenderer::kBoxHeight);
                g.jobs.push_back(box);
                g.hatch.push_back(box);
                if (b - a == 1 && box.width() >= kOutlineWidth)
                    g.jobOutlines.push_back(outlineRect(box));
                if (b - a == 1) {
                    const JobItem& job = jobs[a];
                    if (job.cancelled && (limit == kAllEvents || job.endEvent < limit)) {
                        (model.isStoppedRun() ? g.stops : g.crosses)
                            .push_back(QPoint(x1 - 1, layout.laneCenter(lane)));
                    }
                    const QString text = model.trace().string(job.label);
                    const int width = metrics.horizontalAdvance(text);
                    if (!text.isEmpty() && width + 12 <= x1 - x0)
                        g.boxLabels.push_back(
                            centredBoxLabel(text, width, x0, x1, boxTop, layout, theme.text, theme.job));
                }
            });
    }

    /// The lane's wake arrows: lines and heads batched into the frame's paths and rectangles.
    void wakeArrows(int lane)
    {
        forEachWakeArrow(model, vp, layout, map, lane, [&](const WakeShape& shape) {
            if (shape.arc) {
                g.wakeLines.moveTo(shape.from);
                g.wakeLines.cubicTo(shape.from.x() + 4, shape.peak, shape.tip.x() - 4, shape.peak,
                    shape.tip.x(), shape.tip.y());
                // The head points down into the box: a pixel triangle, batched with the
                // rectangles (hundreds of antialiased polygons cost milliseconds).
                const QRect& h = shape.head;
                for (int row = 0; row < h.height(); ++row)
                    g.wakeTips.push_back(
                        QRect(h.left() + row, h.top() + row, h.width() - 2 * row, 1));
                return;
            }
            // Stop the line at the head's base so the tip stays sharp.
            const QPointF d = shape.tip - shape.from;
            g.wakeLines.moveTo(shape.from);
            g.wakeLines.lineTo(shape.tip - d / std::hypot(d.x(), d.y()) * 5);
            addArrowHead(g.wakeHeads, shape.tip, shape.from, 6);
            g.wakeHeads.addEllipse(shape.from, 2, 2);
        });
    }

    /// Spawn connectors, merged: links from one parent in one column share one line (a loop
    /// that spawns a thousand tasks at once draws one line, not a thousand).
    struct Connector {
        int x;
        int parentLane;
        qreal top;
        qreal bottom;
    };
    std::vector<Connector> connectors;
    std::unordered_map<qint64, std::size_t> connectorAt; ///< (x, parent lane) -> connectors

    void spawnLink(const SpawnLink& link)
    {
        if (!isDrawn(vp, link.event, link.start))
            return;
        const int parentLane = model.laneOfTask(link.parent);
        const int childLane = model.laneOfTask(link.child);
        if (parentLane < 0 || childLane < 0)
            return;
        const QRect& area = layout.lanes;
        const int x = map.column(link.start);
        const qreal yp = layout.laneCenter(parentLane);
        const qreal yc = layout.laneCenter(childLane);
        const qreal top = area.top() - 4, bottom = area.bottom() + 4;
        if ((yp < top && yc < top) || (yp > bottom && yc > bottom))
            return;
        // The child's end of the line stops at its arrowhead.
        const qreal direction = yc > yp ? 1 : -1;
        const qreal tip = yc - direction * 4;
        if (childLane >= layout.firstLane && childLane < layout.lastLane)
            addArrowHead(g.spawnHeads, QPointF(x + 0.5, tip), QPointF(x + 0.5, yp), 6);
        const qreal end = std::clamp(tip - direction * 5, top, bottom);
        const qreal from = std::clamp(yp, top, bottom);
        const auto [it, inserted] =
            connectorAt.try_emplace((qint64(x) << 32) | parentLane, connectors.size());
        if (!inserted) {
            Connector& c = connectors[it->second];
            c.top = std::min({ c.top, from, end });
            c.bottom = std::max({ c.bottom, from, end });
            return;
        }
        connectors.push_back(Connector { x, parentLane, std::min(from, end), std::max(from, end) });
    }

    void spawnLinks()
    {
        connectors.clear();
        connectorAt.clear();
        const std::span<const SpawnLink> links = model.spawns();
        const auto [first, last] = visible(links);
        if (last - first <= kMaxLinksScanned) {
            for (std::size_t i = first; i < last; ++i)
                spawnLink(links[i]);
        } else {
            // Too many to scan: the links into the visible lanes.
            for (int lane = layout.firstLane; lane < layout.lastLane; ++lane) {
                const TimelineLane& l = model.lane(lane);
                if (l.kind != LaneKind::Task)
                    continue;
                if (const SpawnLink* link = model.spawnOf(l.task);
                    link && vp.range.contains(link->start))
                    spawnLink(*link);
            }
        }
        const QRect& area = layout.lanes;
        for (const Connector& c : connectors) {
            g.spawnLines.moveTo(c.x + 0.5, c.top);
            g.spawnLines.lineTo(c.x + 0.5, c.bottom);
            const qreal yp = layout.laneCenter(c.parentLane);
            if (yp >= area.top() && yp <= area.bottom())
                g.spawnHeads.addEllipse(QPointF(c.x + 0.5, yp), 2.5, 2.5);
        }
    }
};

int TimelineLayout::laneTop(int lane) const
{
    return lanes.top() + lane * TimelineRenderer::kLaneHeight - scrollY;
}

int TimelineLayout::boxTop(int lane) const
{
    return laneTop(lane) + TimelineRenderer::kBoxTop;
}

int TimelineLayout::laneCenter(int lane) const
{
    return boxTop(lane) + TimelineRenderer::kBoxHeight / 2;
}

TimelineRenderer::TimelineRenderer()
    : m_model(std::make_shared<const TimelineModel>())
    , m_theme(TimelineTheme::light())
    , m_geometry(std::make_unique<Geometry>())
{
}

TimelineRenderer::~TimelineRenderer() = default;

void TimelineRenderer::setModel(std::shared_ptr<const TimelineModel> model)
{
    m_model = model ? std::move(model) : std::make_shared<const TimelineModel>();
    m_geometry->valid = false;
}

void TimelineRenderer::setTheme(const TimelineTheme& theme)
{
    m_theme = theme;
    ++m_themeGeneration;
    m_geometry->valid = false;
}

const std::vector<TimelineDropRing>& TimelineRenderer::dropRings() const
{
    return m_geometry->drops;
}

const std::vector<TimelinePollBox>& TimelineRenderer::vectorPollBoxes() const
{
    return m_geometry->pollBoxes;
}

TimelineLayout TimelineRenderer::layout(const TimelineViewport& viewport) const
{
    TimelineLayout l;
    const int width = viewport.size.width();
    const int height = viewport.size.height();
    int headerHeight = 0;
    if (!viewport.title.isEmpty() || viewport.showLegend)
        headerHeight = kHeaderHeight;
    if (viewport.showLegend) {
        // The legend shares the title's row when both fit; otherwise it takes rows of its own.
        const LegendRows legend = legendRows(viewport);
        l.legendRows = int(legend.counts.size());
        if (!viewport.title.isEmpty() && !legend.besideTitle) {
            l.legendOnOwnRow = true;
            headerHeight += l.legendRows * kLegendRowHeight;
        } else {
            headerHeight += (l.legendRows - 1) * kLegendRowHeight;
        }
    }
    l.header = QRect(0, 0, width, headerHeight);
    l.ruler = QRect(kLabelWidth, headerHeight, std::max(0, width - kLabelWidth), kRulerHeight);
    const int lanesTop = headerHeight + kRulerHeight;
    l.labels = QRect(0, lanesTop, kLabelWidth, std::max(0, height - lanesTop));
    l.lanes = QRect(
        kLabelWidth, lanesTop, std::max(0, width - kLabelWidth), std::max(0, height - lanesTop));
    l.axis = laneTimeAxis(l.lanes.left(), l.lanes.width());
    const int laneCount = m_model->laneCount();
    if (viewport.wholeLanes && laneCount * kLaneHeight > l.lanes.height()) {
        // A picture, not a view to scroll: no lane cut in two, whose boxes and signs would show
        // without its name. The note takes the ruler's empty corner rather than a lane's room.
        const int shown = l.lanes.height() / kLaneHeight;
        l.hiddenLanes = laneCount - shown;
        l.cutNote = QRect(0, l.ruler.top(), kLabelWidth, kRulerHeight);
        l.lanes.setHeight(shown * kLaneHeight);
        l.labels.setHeight(shown * kLaneHeight);
        l.lastLane = shown;
        return l;
    }
    const int maxScroll = std::max(0, laneCount * kLaneHeight - l.lanes.height());
    l.scrollY = std::clamp(viewport.scrollY, 0, maxScroll);
    l.firstLane = std::clamp(l.scrollY / kLaneHeight, 0, laneCount);
    l.lastLane = std::clamp(
        (l.scrollY + l.lanes.height() + kLaneHeight - 1) / kLaneHeight, l.firstLane, laneCount);
    return l;
}

int TimelineRenderer::contentHeight(const TimelineViewport& viewport) const
{
    const TimelineLayout l = layout(viewport);
    return l.lanes.top() + m_model->laneCount() * kLaneHeight;
}

QRect TimelineRenderer::pollRect(
    const TimelineViewport& viewport, int lane, std::size_t sequence) const
{
    const TimelineLayout l = layout(viewport);
    const PixelMap map { viewport.range, l };
    const PollItem& poll = m_model->poll(sequence);
    const int x0 = map.column(poll.start);
    const int x1 = std::max(x0 + kMinPollWidth, map.column(poll.end));
    return QRect(x0, l.boxTop(lane), x1 - x0, kBoxHeight);
}

QImage TimelineRenderer::render(const TimelineViewport& viewport)
{
    QImage image(viewport.size, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(1);
    image.fill(m_theme.background);
    QPainter painter(&image);
    paint(painter, viewport);
    return image;
}

void TimelineRenderer::paint(QPainter& painter, const TimelineViewport& viewport)
{
    const TimelineLayout l = layout(viewport);
    Geometry& g = *m_geometry;
    Geometry::Key key { m_model.get(), m_themeGeneration, viewport.size, viewport.range, l.scrollY,
        viewport.dimAfterCursor ? kAllEvents : viewport.eventLimit, viewport.cursorTime,
        viewport.dimAfterCursor, viewport.title, viewport.showLegend, viewport.vector,
        viewport.wholeLanes };
    if (!g.valid || !(g.key == key)) {
        Builder(*m_model, m_theme, viewport, l, g).build();
        g.key = key;
        g.valid = true;
        ++m_geometryBuilds;
    }
    const TimelineTheme& t = m_theme;
    const PixelMap map { viewport.range, l };
    const bool cursorShown = viewport.cursorTime != kNever;
    const int cursorX = cursorShown ? map.column(viewport.cursorTime) : 0;

    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, false);
    painter.setPen(Qt::NoPen);
    // Header, ruler and lane names paint their own backgrounds.
    painter.fillRect(l.lanes, t.background);

    const auto fillRects = [&](const std::vector<QRect>& rects, const QBrush& brush) {
        if (rects.empty())
            return;
        painter.setPen(Qt::NoPen);
        painter.setBrush(brush);
        painter.drawRects(rects.data(), int(rects.size()));
    };
    const auto outlineRects = [&](const std::vector<QRect>& rects, const QColor& color) {
        if (rects.empty())
            return;
        painter.setPen(QPen(color, 0));
        painter.setBrush(Qt::NoBrush);
        painter.drawRects(rects.data(), int(rects.size()));
    };
    const auto drawTexts = [&](const std::vector<TextItem>& texts) {
        drawTextItems(painter, t, texts);
    };

    // Lanes.
    painter.save();
    painter.setClipRect(l.lanes);
    fillRects(g.stripes, t.laneStripe);
    fillRects(g.grid, t.grid);
    fillRects(g.separators, t.laneSeparator);
    // The cursor's line lies under the items: what happened at the cursor (the last polls,
    // a cancel or mark at the end of the run, boxes widened to kMinPollWidth) stays in sight.
    if (cursorShown)
        painter.fillRect(QRect(cursorX, l.lanes.top(), 2, l.lanes.height()), t.cursor);
    fillRects(g.idle, t.idle);
    fillRects(g.scheduled, t.scheduled);
    fillRects(g.late, t.late);
    fillRects(g.pending, t.pending);
    fillRects(g.ready, t.ready);
    if (!g.pollBoxes.empty()) {
        // One primitive per poll, so that an SVG can name each (TimelineExporter).
        painter.setPen(Qt::NoPen);
        for (std::size_t i = 0; i < g.pollBoxes.size(); ++i) {
            if (i == 0 || i == g.readyBoxes)
                painter.setBrush(i < g.readyBoxes ? t.pending : t.ready);
            painter.drawRect(g.pollBoxes[i].rect);
        }
    }
    outlineRects(g.pendingOutlines, t.pendingEdge);
    outlineRects(g.readyOutlines, t.readyEdge);
    fillRects(g.jobs, t.job);
    if (viewport.vector && !g.hatch.empty()) {
        // The hatch pattern as lines: vector formats render brush patterns poorly or not at all.
        QPainterPath lines;
        for (const QRect& r : g.hatch)
            addHatchLines(lines, r);
        painter.setBrush(Qt::NoBrush);
        painter.setPen(QPen(t.hatch, 1, Qt::SolidLine, Qt::FlatCap)); // not past the box
        painter.drawPath(lines);
        painter.setPen(Qt::NoPen);
    } else {
        fillRects(g.hatch, QBrush(t.hatch, Qt::BDiagPattern));
    }
    outlineRects(g.jobOutlines, t.jobEdge);
    drawTexts(g.boxLabels);

    // Lines 1 px wide: the raster engine's cosmetic stroker draws them many times faster
    // than wider pens, which go through the general path stroker.
    painter.setRenderHint(QPainter::Antialiasing, true);
    if (!g.ghosts.empty()) {
        painter.setPen(QPen(t.ghost, 1.2, Qt::DashLine));
        painter.setBrush(Qt::NoBrush);
        for (const QRectF& ghost : g.ghosts)
            painter.drawRoundedRect(ghost, 3, 3);
    }
    painter.setBrush(Qt::NoBrush);
    painter.setPen(QPen(t.spawn, 1));
    painter.drawPath(g.spawnLines);
    painter.setPen(Qt::NoPen);
    painter.setBrush(t.spawn);
    painter.drawPath(g.spawnHeads);
    painter.setBrush(Qt::NoBrush);
    painter.setPen(QPen(t.wake, 1));
    painter.drawPath(g.wakeLines);
    painter.setPen(Qt::NoPen);
    painter.setBrush(t.wake);
    painter.drawPath(g.wakeHeads);
    painter.setRenderHint(QPainter::Antialiasing, false);
    fillRects(g.wakeTips, t.wake);
    // Marks and crosses are stamped: one antialiased image each, blitted per point; drawn as
    // shapes in vector frames.
    const qreal ratio = painter.device() ? painter.device()->devicePixelRatio() : 1.0;
    if (viewport.vector) {
        const QPoint half(kStampSize / 2 - 1, kStampSize / 2 - 1);
        const QSize symbol(kStampSize - 2, kStampSize - 2);
        // Rings first: a mark or cross at the same time lies over the ring's top.
        for (const TimelineDropRing& ring : g.drops)
            paintDropRing(painter, t, ring.circle);
        for (const QPoint& p : g.marks)
            paintLegendSymbol(painter, TimelineTheme::Symbol::Mark, QRect(p - half, symbol));
        for (const QPoint& p : g.crosses)
            paintLegendSymbol(painter, TimelineTheme::Symbol::Cancel, QRect(p - half, symbol));
        for (const QPoint& p : g.stops)
            paintLegendSymbol(painter, TimelineTheme::Symbol::Stopped, QRect(p - half, symbol));
    } else if (g.stampsTheme != m_themeGeneration || g.stampsRatio != ratio) {
        g.markStamp = stamp(TimelineTheme::Symbol::Mark, ratio);
        g.crossStamp = stamp(TimelineTheme::Symbol::Cancel, ratio);
        g.stopStamp = stamp(TimelineTheme::Symbol::Stopped, ratio);
        g.dropStamp = stamp(TimelineTheme::Symbol::Dropped, ratio);
        g.stampsTheme = m_themeGeneration;
        g.stampsRatio = ratio;
    }
    if (!viewport.vector) {
        for (const TimelineDropRing& ring : g.drops) {
            const QPointF c = ring.circle.center();
            const QPoint p(int(std::floor(c.x())), int(std::floor(c.y())));
            painter.drawImage(p - QPoint(kStampSize / 2, kStampSize / 2), g.dropStamp);
        }
        for (const QPoint& p : g.marks)
            painter.drawImage(p - QPoint(kStampSize / 2, kStampSize / 2), g.markStamp);
        for (const QPoint& p : g.crosses)
            painter.drawImage(p - QPoint(kStampSize / 2, kStampSize / 2), g.crossStamp);
        for (const QPoint& p : g.stops)
            painter.drawImage(p - QPoint(kStampSize / 2, kStampSize / 2), g.stopStamp);
    }
    fillRects(g.markTicks, t.mark);
    fillRects(g.cancelTicks, t.cancel);
    fillRects(g.dropTicks, t.dropped);
    paintMarkers(painter, viewport, l);

    // Selection: the poll's box on its task lane and on the worker lane.
    if (viewport.selectedPoll != kNoItem && viewport.selectedPoll < m_model->pollCount()) {
        const PollItem& poll = m_model->poll(viewport.selectedPoll);
        if (isDrawn(viewport, poll.event, poll.start)) {
            painter.setBrush(Qt::NoBrush);
            painter.setPen(QPen(t.selection, 2));
            for (const int lane : { m_model->laneOfTask(poll.task), TimelineModel::workerLane() }) {
                if (lane < l.firstLane || lane >= l.lastLane)
                    continue;
                const QRect box = pollRect(viewport, lane, viewport.selectedPoll);
                painter.drawRect(box.adjusted(-1, -1, 0, 0));
            }
        }
    }
    // Dim mode: a veil over what happened after the cursor (and its line).
    if (cursorShown && viewport.dimAfterCursor && cursorX + 2 <= l.lanes.right())
        painter.fillRect(QRect(QPoint(std::max(cursorX + 2, l.lanes.left()), l.lanes.top()),
                             l.lanes.bottomRight()),
            t.veil);
    if (!viewport.rulerSelection.isEmpty()) {
        const int x0 = map.column(viewport.rulerSelection.start);
        const int x1 = map.column(viewport.rulerSelection.end);
        QColor band = t.rulerSelection;
        band.setAlpha(48);
        painter.fillRect(QRect(x0, l.lanes.top(), std::max(1, x1 - x0), l.lanes.height()), band);
    }
    painter.restore();
    // Below the lanes a picture shows whole, nothing of those it leaves out: the clip keeps
    // their arrows out of a raster frame, not out of an SVG, which does not clip.
    if (l.hiddenLanes > 0) {
        const int below = l.lanes.bottom() + 1;
        painter.fillRect(
            QRect(0, below, viewport.size.width(), viewport.size.height() - below), t.background);
    }

    paintLaneNames(painter, viewport, l);
    paintRuler(painter, viewport, l);
    paintCutNote(painter, l);

    // The cursor's handle on the ruler, over the ticks (paintRuler() draws its line).
    if (cursorShown && cursorX >= l.lanes.left() && cursorX <= l.lanes.right()) {
        painter.setRenderHint(QPainter::Antialiasing, true);
        painter.setPen(Qt::NoPen);
        painter.setBrush(t.cursor);
        const qreal x = cursorX + 1, y = l.ruler.bottom() + 1;
        painter.drawPolygon(
            QPolygonF({ QPointF(x - 6, y - 8), QPointF(x + 6, y - 8), QPointF(x, y) }));
        painter.setRenderHint(QPainter::Antialiasing, false);
    }
    paintHeader(painter, viewport, l);
    painter.restore();
}

namespace {

/// Paints `paint` into `cache` (sized `rect`, at the painter's pixel ratio) unless `key` is
/// what it was painted for, then draws the image at `rect`.
template <class Paint>
void drawCached(QPainter& painter, QImage& cache, QString& cacheKey, const QString& key,
    const QRect& rect, Paint paint)
{
    if (rect.isEmpty())
        return;
    const qreal ratio = painter.device() ? painter.device()->devicePixelRatio() : 1.0;
    const QString fullKey = key + u'|' + QString::number(ratio);
    if (cache.isNull() || cacheKey != fullKey) {
        cache = QImage(rect.size() * ratio, QImage::Format_ARGB32_Premultiplied);
        cache.setDevicePixelRatio(ratio);
        QPainter p(&cache);
        p.translate(-rect.topLeft());
        paint(p);
        cacheKey = fullKey;
    }
    painter.drawImage(rect.topLeft(), cache);
}

} // namespace

TimelineMarkers diagnosticMarkers(const std::vector<Diagnostic>& diagnostics)
{
    auto markers = std::make_shared<std::vector<TimelineMarker>>();
    markers->reserve(diagnostics.size());
    for (const Diagnostic& d : diagnostics)
        markers->push_back(TimelineMarker { d.time, d.task, std::uint32_t(d.event),
            diagnosticTitle(d.kind) + u": " + d.message, d.foundAt, std::uint32_t(d.foundAfter) });
    return markers;
}

QRect TimelineRenderer::markerRect(const TimelineViewport& viewport, const TimelineLayout& l, const TimelineMarker& marker) const
{
    const int lane = m_model->laneOfTask(marker.task);
    if (lane < l.firstLane || lane >= l.lastLane)
        return {};
    const PixelMap map { viewport.range, l };
    // Columns are clamped to the lanes: a sign outside the drawn times would stand at an edge.
    if (marker.time < firstDrawnTime(map, l) || marker.time > viewport.range.end)
        return {};
    const int x = map.column(marker.time);
    // Above the lane's boxes, pointing at the moment it fired.
    return QRect(x - kMarkerSize / 2, l.boxTop(lane) - kMarkerSize + 3, kMarkerSize, kMarkerSize);
}

void TimelineRenderer::paintMarkers(QPainter& painter, const TimelineViewport& viewport, const TimelineLayout& l) const
{
    if (!viewport.markers)
        return;
    for (const TimelineMarker& marker : *viewport.markers) {
        if (!isDrawn(viewport, marker))
            continue;
        const QRect r = markerRect(viewport, l, marker);
        if (!r.isEmpty())
            paintLegendSymbol(painter, TimelineTheme::Symbol::Diagnostic, r);
    }
}

void TimelineRenderer::paintCutNote(QPainter& painter, const TimelineLayout& l) const
{
    if (l.hiddenLanes == 0)
        return;
    const TimelineTheme& t = m_theme;
    painter.save();
    painter.setFont(t.font);
    painter.setPen(t.dimText);
    const QString text = l.hiddenLanes == 1
        ? QStringLiteral("+1 lane not shown")
        : QStringLiteral("+%1 lanes not shown").arg(l.hiddenLanes);
    painter.drawText(l.cutNote.adjusted(kHeaderMargin, 0, -kHeaderMargin, 0),
        Qt::AlignLeft | Qt::AlignVCenter, text);
    painter.restore();
}

void TimelineRenderer::paintLaneNames(
    QPainter& painter, const TimelineViewport& viewport, const TimelineLayout& l)
{
    // One small image per lane, kept while model, theme, width and pixel ratio stay: scrolling
    // and stepping redraw only the lanes that come into view or change state.
    Geometry& g = *m_geometry;
    const TimelineTheme& t = m_theme;
    const qreal ratio = painter.device() ? painter.device()->devicePixelRatio() : 1.0;
    const QString key = QStringLiteral("%1|%2|%3|%4")
                            .arg(quintptr(m_model.get()))
                            .arg(m_themeGeneration)
                            .arg(l.labels.width())
                            .arg(ratio);
    if (key != g.namesKey || g.nameTiles.size() > 4096) {
        g.nameTiles.clear();
        g.namesKey = key;
    }
    const std::size_t limit = viewport.dimAfterCursor ? kAllEvents : viewport.eventLimit;
    const TimeNs end = drawingEnd(viewport);
    painter.save();
    painter.setClipRect(l.labels);
    painter.fillRect(l.labels, t.header);
    const QRect tileRect(0, 0, l.labels.width(), kLaneHeight);
    for (int lane = l.firstLane; lane < l.lastLane && viewport.vector; ++lane)
        paintLaneName(
            painter, tileRect.translated(l.labels.left(), l.laneTop(lane)), lane, limit, end);
    for (int lane = l.firstLane; lane < l.lastLane && !viewport.vector; ++lane) {
        const LaneNameState state = laneNameState(m_model->lane(lane), limit, end);
        auto [it, inserted] = g.nameTiles.try_emplace(lane);
        Geometry::NameTile& tile = it->second;
        if (inserted || !(tile.state == state)) {
            tile.state = state;
            tile.image = QImage(tileRect.size() * ratio, QImage::Format_ARGB32_Premultiplied);
            tile.image.setDevicePixelRatio(ratio);
            QPainter p(&tile.image);
            paintLaneName(p, tileRect, lane, limit, end);
        }
        painter.drawImage(QPoint(l.labels.left(), l.laneTop(lane)), tile.image);
    }
    // The selected task's name: drawn over its tile, which stays cached whatever is selected.
    if (const int lane = m_model->laneOfTask(viewport.selectedTask);
        lane >= l.firstLane && lane < l.lastLane) {
        const QRect row(l.labels.left(), l.laneTop(lane), l.labels.width(), kLaneHeight);
        QColor tint = t.selection;
        tint.setAlpha(48);
        painter.fillRect(row, tint);
        painter.fillRect(QRect(row.left(), row.top(), 4, row.height()), t.selection);
    }
    painter.fillRect(
        QRect(l.labels.right(), l.labels.top(), 1, l.labels.height()), t.laneSeparator);
    painter.restore();
}

void TimelineRenderer::paintLaneName(
    QPainter& painter, const QRect& area, int lane, std::size_t limit, TimeNs end) const
{
    const TimelineTheme& t = m_theme;
    painter.fillRect(area, lane % 2 == 1 ? t.laneStripe : t.header);
    const LaneKind kind = m_model->lane(lane).kind;
    if (kind == LaneKind::Worker)
        painter.fillRect(
            QRect(area.left(), area.top() + kLaneHeight - 1, area.width(), 1), t.laneSeparator);
    if (kind == LaneKind::BlockingPool && m_model->lane(lane - 1).kind != LaneKind::BlockingPool)
        painter.fillRect(QRect(area.left(), area.top(), area.width(), 1), t.laneSeparator);
    std::vector<TextItem> items;
    appendLaneName(items, *m_model, t, area, lane, laneNameState(m_model->lane(lane), limit, end));
    drawTextItems(painter, t, items);
}

void TimelineRenderer::paintRuler(
    QPainter& painter, const TimelineViewport& viewport, const TimelineLayout& l) const
{
    const TimelineTheme& t = m_theme;
    const QRect& ruler = l.ruler;
    painter.fillRect(QRect(0, ruler.top(), viewport.size.width(), ruler.height()), t.header);
    painter.fillRect(QRect(0, ruler.bottom(), viewport.size.width(), 1), t.laneSeparator);
    painter.fillRect(QRect(l.labels.right(), ruler.top(), 1, ruler.height()), t.laneSeparator);
    if (ruler.width() <= 0 || viewport.range.isEmpty())
        return;
    const PixelMap map { viewport.range, l };
    painter.setFont(t.font);
    const QFontMetrics metrics(t.font);

    // The visible span, in the lane-name column.
    if (viewport.showSpan) {
        painter.setPen(t.dimText);
        const QString span =
            QStringLiteral("\u2194 %1").arg(roundedTime(viewport.range.duration()));
        painter.drawText(QRect(10, ruler.top(), kLabelWidth - 16, ruler.height()),
            Qt::AlignLeft | Qt::AlignVCenter, span);
    }

    painter.save();
    painter.setClipRect(ruler);
    const TimeNs step = tickStep(viewport.range.duration(), l.axis.width, 96);
    // Ticks from the ruler's left edge, in the inset before the time origin too.
    const TimeNs from = map.columnTime(ruler.left());
    const TimeNs mantissa = [&] {
        TimeNs m = step;
        while (m % 10 == 0)
            m /= 10;
        return m;
    }();
    const TimeNs minor = mantissa == 2 ? step / 4 : step / 5;
    if (minor > 0 && minor * 4 <= step) {
        const QColor minorColor = t.tick;
        for (TimeNs tick = std::max<TimeNs>(0, firstTick(from, minor)); tick <= viewport.range.end;
             tick += minor) {
            if (tick % step != 0)
                painter.fillRect(QRect(map.column(tick), ruler.bottom() - 4, 1, 4), minorColor);
        }
    }
    // The playback cursor's line lies under the labels, and a label knocks it out down to the
    // ticks: the time it stands at stays readable. paint() draws its handle over the ticks.
    if (viewport.cursorTime != kNever) {
        const int cursorX = map.column(viewport.cursorTime);
        if (cursorX >= l.lanes.left() && cursorX <= l.lanes.right())
            painter.fillRect(QRect(cursorX, ruler.top(), 2, ruler.height()), t.cursor);
    }
    painter.setPen(t.text);
    int labelsEnd = INT_MIN;
    for (TimeNs tick = std::max<TimeNs>(0, firstTick(from, step)); tick <= viewport.range.end;
         tick += step) {
        const int x = map.column(tick);
        painter.fillRect(QRect(x, ruler.bottom() - 8, 1, 8), t.tick);
        const QString label = tickLabel(tick, step);
        const int width = metrics.horizontalAdvance(label);
        // Just right of its tick, as every label is: one that would be cut at the right edge
        // or come within 8 px of the label before it is dropped, never moved off its tick.
        const int left = x + 4;
        if (left + width > ruler.left() + ruler.width() || left < labelsEnd + 8)
            continue;
        labelsEnd = left + width;
        const QRect rect(left, ruler.top() + 2, width + 2, ruler.height() - 10);
        painter.fillRect(rect.adjusted(-2, -2, 0, 0), t.header);
        painter.drawText(rect, Qt::AlignLeft | Qt::AlignVCenter, label);
    }
    if (!viewport.rulerSelection.isEmpty()) {
        const int x0 = map.column(viewport.rulerSelection.start);
        const int x1 = map.column(viewport.rulerSelection.end);
        QColor band = t.rulerSelection;
        band.setAlpha(90);
        painter.fillRect(QRect(x0, ruler.top(), std::max(1, x1 - x0), ruler.height()), band);
    }
    painter.restore();
}

void TimelineRenderer::paintHeader(
    QPainter& painter, const TimelineViewport& viewport, const TimelineLayout& l)
{
    if (viewport.vector) {
        paintHeaderContents(painter, viewport, l); // text stays text
        return;
    }
    QStringList legend; // the entries vary with the run (a stopped run's)
    for (const TimelineTheme::LegendEntry& entry : legendEntries(viewport))
        legend << entry.label;
    const QString key = QStringLiteral("%1|%2|%3|%4|%5x%6|%7")
                            .arg(m_themeGeneration)
                            .arg(viewport.title)
                            .arg(viewport.showLegend)
                            .arg(l.legendOnOwnRow * 100 + l.legendRows)
                            .arg(l.header.width())
                            .arg(l.header.height())
                            .arg(legend.join(u','));
    drawCached(painter, m_geometry->header, m_geometry->headerKey, key, l.header,
        [&](QPainter& p) { paintHeaderContents(p, viewport, l); });
}

void TimelineRenderer::paintHeaderContents(
    QPainter& painter, const TimelineViewport& viewport, const TimelineLayout& l) const
{
    const TimelineTheme& t = m_theme;
    painter.fillRect(l.header, t.header);
    const int rowHeight = l.legendOnOwnRow ? kHeaderHeight - 4 : l.header.height();
    if (!viewport.title.isEmpty()) {
        painter.setFont(t.titleFont);
        painter.setPen(t.text);
        const QFontMetrics metrics(t.titleFont);
        painter.drawText(QRect(10, 0, l.header.width() - 20, rowHeight),
            Qt::AlignLeft | Qt::AlignVCenter,
            metrics.elidedText(viewport.title, Qt::ElideRight, l.header.width() - 20));
    }
    if (!viewport.showLegend)
        return;
    const QList<TimelineTheme::LegendEntry> entries = legendEntries(viewport);
    const LegendRows legend = legendRows(viewport);
    // One row: right-aligned beside the title, or alone in the header. Several: left-aligned
    // rows of their own, as legendRows() filled them.
    const bool wrapped = l.legendOnOwnRow || l.legendRows > 1;
    const int rowsHeight = l.legendRows * kLegendRowHeight;
    QRect row = l.legendOnOwnRow
        ? QRect(0, l.header.bottom() + 1 - rowsHeight, l.header.width(), kLegendRowHeight)
        : wrapped ? QRect(0, 0, l.header.width(), kLegendRowHeight)
                  : QRect(0, 0, l.header.width(), rowHeight);
    painter.setFont(t.font);
    std::size_t i = 0;
    for (const int count : legend.counts) {
        int rowWidth = -legend.gap;
        for (std::size_t k = i; k < i + std::size_t(count); ++k)
            rowWidth += legend.widths[k] + legend.gap;
        int x = wrapped ? kHeaderMargin
                        : std::max(kHeaderMargin, row.width() - rowWidth - kHeaderMargin);
        for (const std::size_t end = i + std::size_t(count); i < end; ++i) {
            const TimelineTheme::LegendEntry& entry = entries[qsizetype(i)];
            const QRect symbol(x, row.center().y() - 5, kLegendSymbolWidth, 11);
            paintLegendSymbol(painter, entry.symbol, symbol, viewport.vector);
            const int textLeft = x + kLegendSymbolWidth + kLegendLabelGap;
            painter.setPen(t.text);
            painter.drawText(
                QRect(textLeft, row.top(), x + legend.widths[i] - textLeft + 2, row.height()),
                Qt::AlignLeft | Qt::AlignVCenter, entry.label);
            x += legend.widths[i] + legend.gap;
        }
        row.translate(0, kLegendRowHeight);
    }
}

TimelineRenderer::LegendRows TimelineRenderer::legendRows(const TimelineViewport& viewport) const
{
    LegendRows rows;
    const QFontMetrics metrics(m_theme.font);
    for (const TimelineTheme::LegendEntry& entry : legendEntries(viewport))
        rows.widths.push_back(
            kLegendSymbolWidth + kLegendLabelGap + metrics.horizontalAdvance(entry.label));
    const int widest = rows.widths.empty() ? 0 : *std::ranges::max_element(rows.widths);
    const int frame = viewport.size.width() - 2 * kHeaderMargin;
    // As few rows as the narrowest gap allows; then the widest gap that needs no more.
    const auto fill = [&](int width) {
        const std::size_t fewest = fillRows(rows.widths, kMinLegendGap, width).size();
        rows.gap = kLegendGap;
        while (rows.gap > kMinLegendGap && fillRows(rows.widths, rows.gap, width).size() > fewest)
            --rows.gap;
        // Even rows: the narrowest that still take no more rows. (The greedy fill of rows that
        // narrow is the split whose widest row is narrowest.)
        int lo = widest, hi = std::max(widest, width);
        while (lo < hi) {
            const int mid = lo + (hi - lo) / 2;
            if (fillRows(rows.widths, rows.gap, mid).size() <= fewest)
                hi = mid;
            else
                lo = mid + 1;
        }
        rows.counts = fillRows(rows.widths, rows.gap, lo);
    };
    if (!viewport.title.isEmpty()) {
        const int title = QFontMetrics(m_theme.titleFont).horizontalAdvance(viewport.title);
        fill(frame - title - kTitleLegendGap);
        rows.besideTitle = rows.counts.size() == 1;
        if (rows.besideTitle)
            return rows;
    }
    fill(frame);
    return rows;
}

QList<TimelineTheme::LegendEntry> TimelineRenderer::legendEntries(
    const TimelineViewport& viewport) const
{
    // The key lists what the run can show: the basics always (busy share too, as it comes
    // with the zoom), every other symbol only if the whole run has one, wherever the cursor
    // and the zoom are, so that the key stays put while playing or zooming.
    using Symbol = TimelineTheme::Symbol;
    const TimelineModel* model = m_model.get();
    const auto shows = [&](Symbol symbol) {
        switch (symbol) {
        case Symbol::Blocking:
            return model && model->hasBlocks();
        case Symbol::Job:
            return model && model->hasJobs();
        case Symbol::Late:
            return model && model->hasLateWakes();
        case Symbol::Spawn:
            return model && !model->spawns().empty();
        case Symbol::Cancel:
            return model && model->hasCancelCrosses();
        case Symbol::Dropped:
            return model && model->hasDrops();
        case Symbol::Stopped:
            return model && model->hasStoppedTasks();
        case Symbol::Ghost:
            return model && model->hasGhosts();
        case Symbol::Mark:
            return model && model->hasMarks();
        case Symbol::Diagnostic:
            return viewport.markers && !viewport.markers->empty();
        default:
            return true;
        }
    };
    QList<TimelineTheme::LegendEntry> entries;
    for (const TimelineTheme::LegendEntry& entry : m_theme.legend()) {
        if (shows(entry.symbol))
            entries << entry;
        // A stopped run's tasks end in a square, "stopped" beside "cancelled" (or in its place).
        if (entry.symbol == Symbol::Cancel && shows(Symbol::Stopped))
            entries << TimelineTheme::stoppedLegendEntry();
    }
    return entries;
}

QImage TimelineRenderer::stamp(TimelineTheme::Symbol symbol, qreal ratio) const
{
    QImage image(QSize(kStampSize, kStampSize) * ratio, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(ratio);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    paintLegendSymbol(painter, symbol, QRect(1, 1, kStampSize - 2, kStampSize - 2));
    return image;
}

void TimelineRenderer::paintLegendSymbol(
    QPainter& painter, TimelineTheme::Symbol symbol, const QRect& r, bool vector) const
{
    const TimelineTheme& t = m_theme;
    painter.save();
    painter.setPen(Qt::NoPen);
    painter.setBrush(Qt::NoBrush);
    const QPointF c = QRectF(r).center();
    switch (symbol) {
    case TimelineTheme::Symbol::PendingPoll:
        painter.fillRect(r, t.pending);
        painter.setPen(QPen(t.pendingEdge, 0));
        painter.drawRect(outlineRect(r));
        break;
    case TimelineTheme::Symbol::ReadyPoll:
        painter.fillRect(r, t.ready);
        painter.setPen(QPen(t.readyEdge, 0));
        painter.drawRect(outlineRect(r));
        break;
    case TimelineTheme::Symbol::Blocking:
    case TimelineTheme::Symbol::Job: {
        // Hatched as the lanes hatch them: a poll's colour under a block, grey under a job.
        const bool job = symbol == TimelineTheme::Symbol::Job;
        painter.fillRect(r, job ? t.job : t.pending);
        if (vector) {
            QPainterPath lines;
            addHatchLines(lines, r);
            painter.setPen(QPen(t.hatch, 1, Qt::SolidLine, Qt::FlatCap));
            painter.drawPath(lines);
        } else {
            painter.fillRect(r, QBrush(t.hatch, Qt::BDiagPattern));
        }
        painter.setPen(QPen(job ? t.jobEdge : t.pendingEdge, 0));
        painter.drawRect(outlineRect(r));
        break;
    }
    case TimelineTheme::Symbol::BusyShare: {
        // A thin band that thickens: dense polls taking little time, then all of it.
        const int half = r.width() / 2;
        const int thin = kMinDensityHeight;
        painter.fillRect(QRect(r.left(), r.top() + (r.height() - thin) / 2, half, thin), t.pending);
        painter.fillRect(QRect(r.left() + half, r.top(), r.width() - half, r.height()), t.pending);
        break;
    }
    case TimelineTheme::Symbol::Scheduled:
        painter.fillRect(r.adjusted(0, 1, 0, -1), t.scheduled);
        break;
    case TimelineTheme::Symbol::Idle:
        painter.fillRect(QRect(r.left(), r.center().y(), r.width(), 1), t.idle);
        break;
    case TimelineTheme::Symbol::Wake: {
        painter.setRenderHint(QPainter::Antialiasing, true);
        QPainterPath line, head;
        line.moveTo(r.left() + 1, c.y());
        line.lineTo(r.right() - 5, c.y());
        addArrowHead(head, QPointF(r.right() + 1, c.y()), QPointF(r.left(), c.y()), 6);
        head.addEllipse(QPointF(r.left() + 1, c.y()), 2, 2);
        painter.setPen(QPen(t.wake, 1));
        painter.drawPath(line);
        painter.setPen(Qt::NoPen);
        painter.setBrush(t.wake);
        painter.drawPath(head);
        break;
    }
    case TimelineTheme::Symbol::Spawn: {
        painter.setRenderHint(QPainter::Antialiasing, true);
        QPainterPath line, head;
        line.moveTo(c.x(), r.top());
        line.lineTo(c.x(), r.bottom() - 4);
        addArrowHead(head, QPointF(c.x(), r.bottom() + 1), QPointF(c.x(), r.top()), 6);
        head.addEllipse(QPointF(c.x(), r.top() + 1), 2.5, 2.5);
        painter.setPen(QPen(t.spawn, 1));
        painter.drawPath(line);
        painter.setPen(Qt::NoPen);
        painter.setBrush(t.spawn);
        painter.drawPath(head);
        break;
    }
    case TimelineTheme::Symbol::Cancel:
        painter.setRenderHint(QPainter::Antialiasing, true);
        painter.setPen(QPen(t.cancel, 2, Qt::SolidLine, Qt::RoundCap));
        painter.drawLine(QPointF(c.x() - 4, c.y() - 4), QPointF(c.x() + 4, c.y() + 4));
        painter.drawLine(QPointF(c.x() + 4, c.y() - 4), QPointF(c.x() - 4, c.y() + 4));
        break;
    case TimelineTheme::Symbol::Dropped:
        paintDropRing(painter, t,
            QRectF(c.x() - kDropRingRadius, c.y() - kDropRingRadius, 2 * kDropRingRadius,
                2 * kDropRingRadius));
        break;
    case TimelineTheme::Symbol::Stopped: {
        // A square 9 px wide on its point's column, ringed in the background so that it stands
        // out over the end of a box (the last poll often ends where the run stopped).
        const QRect square(int(std::floor(c.x())) - 4, int(std::floor(c.y())) - 4, 9, 9);
        painter.fillRect(square.adjusted(-1, -1, 1, 1), t.background);
        painter.fillRect(square, t.cancel);
        break;
    }
    case TimelineTheme::Symbol::Ghost:
        painter.setRenderHint(QPainter::Antialiasing, true);
        painter.setPen(QPen(t.ghost, 1.2, Qt::DashLine));
        painter.drawRoundedRect(QRectF(c.x() - 6, r.top() + 0.5, 12, r.height() - 1), 3, 3);
        break;
    case TimelineTheme::Symbol::Late:
        painter.fillRect(r.adjusted(0, 1, 0, -1), t.late);
        break;
    case TimelineTheme::Symbol::Diagnostic: {
        // A warning sign: a yellow triangle with a dark edge and an exclamation mark.
        const QRectF sign = QRectF(r).adjusted(0.5, 0.5, -0.5, -0.5);
        painter.setRenderHint(QPainter::Antialiasing, true);
        painter.setPen(QPen(t.diagnosticEdge, 1));
        painter.setBrush(t.diagnostic);
        painter.drawPolygon(QPolygonF({ QPointF(sign.center().x(), sign.top()), sign.bottomRight(), sign.bottomLeft() }));
        painter.setPen(QPen(t.diagnosticEdge, 1.4, Qt::SolidLine, Qt::FlatCap));
        const qreal x = sign.center().x();
        painter.drawLine(QPointF(x, sign.top() + sign.height() * 0.38), QPointF(x, sign.top() + sign.height() * 0.68));
        painter.drawPoint(QPointF(x, sign.top() + sign.height() * 0.82));
        painter.setRenderHint(QPainter::Antialiasing, false);
        break;
    }
    case TimelineTheme::Symbol::Mark: {
        painter.setRenderHint(QPainter::Antialiasing, true);
        painter.setPen(QPen(t.background, 1.5));
        painter.setBrush(t.mark);
        QPolygonF diamond;
        diamond << QPointF(c.x(), c.y() - 5) << QPointF(c.x() + 4, c.y())
                << QPointF(c.x(), c.y() + 5) << QPointF(c.x() - 4, c.y());
        painter.drawPolygon(diamond);
        break;
    }
    }
    painter.restore();
}

std::pair<std::size_t, std::size_t> TimelineRenderer::pointsAt(const TimelineViewport& viewport,
    const TimelineLayout& l, std::span<const PointItem> points, int x) const
{
    // The symbols as Builder::points() draws them: grouped from the first visible point on.
    const PixelMap map { viewport.range, l };
    const auto [first, last] = visibleSlice(points, firstDrawnTime(map, l),
        std::min(viewport.range.end, drawingEnd(viewport)),
        viewport.dimAfterCursor ? kAllEvents : viewport.eventLimit);
    const bool ticks = pointsAsTicks(last - first, l.lanes.width());
    const int reach = ticks ? 3 : kStampSize / 2 + 2;
    std::pair<std::size_t, std::size_t> found;
    int nearest = reach + 1;
    for (std::size_t i = first; i < last;) {
        const int column = map.column(points[i].start);
        if (column - reach > x)
            break;
        const std::size_t next = pointGroupEnd(points, i, last, map, ticks);
        if (std::abs(column - x) < nearest) {
            nearest = std::abs(column - x);
            found = { i, next };
        }
        i = next;
    }
    return found;
}

TimelineHit TimelineRenderer::hitTest(const TimelineViewport& viewport, QPoint point) const
{
    const TimelineLayout l = layout(viewport);
    const PixelMap map { viewport.range, l };
    TimelineHit hit;
    hit.time = xToTime(point.x(), viewport.range, l.axis.left, l.axis.width);
    if (l.header.contains(point)) {
        hit.kind = TimelineHit::Kind::Header;
        return hit;
    }
    if (point.y() >= l.ruler.top() && point.y() <= l.ruler.bottom()) {
        hit.kind = point.x() >= l.ruler.left() ? TimelineHit::Kind::Ruler : TimelineHit::Kind::None;
        return hit;
    }
    if (point.y() < l.lanes.top() || point.y() > l.lanes.bottom())
        return hit;
    const int lane = (point.y() - l.lanes.top() + l.scrollY) / kLaneHeight;
    if (lane < 0 || lane >= m_model->laneCount())
        return hit;
    hit.lane = lane;
    if (point.x() < l.lanes.left()) {
        hit.kind = TimelineHit::Kind::LaneName;
        return hit;
    }
    hit.kind = TimelineHit::Kind::Lane;
    const TimeNs end = drawingEnd(viewport);
    // Warning signs lie over everything else.
    for (std::size_t i = 0; viewport.markers && i < viewport.markers->size(); ++i) {
        const TimelineMarker& marker = (*viewport.markers)[i];
        if (isDrawn(viewport, marker) &&
            markerRect(viewport, l, marker).adjusted(-2, -2, 2, 2).contains(point)) {
            hit.kind = TimelineHit::Kind::Diagnostic;
            hit.index = i;
            return hit;
        }
    }
    const int x = point.x();
    const int boxTop = l.boxTop(lane);
    const bool inBoxRow = point.y() >= boxTop - 3 && point.y() < boxTop + kBoxHeight + 3;

    // The item whose pixels [x0, x1) contain x, or failing that the nearest within 3 px.
    const auto find = [&](const auto& items, int minWidth) -> std::ptrdiff_t {
        if (items.size() == 0)
            return -1;
        const std::size_t from = firstIndex(items, map.columnTime(x - 3));
        std::ptrdiff_t best = -1;
        int bestDistance = 4;
        for (std::size_t i = from; i < items.size() && i < from + 4; ++i) {
            if (!isDrawn(viewport, items[i].event, items[i].start))
                break;
            const int x0 = map.column(items[i].start);
            const int x1 = std::max(x0 + minWidth, map.column(std::min(items[i].end, end)));
            const int distance = x < x0 ? x0 - x : x >= x1 ? x - x1 + 1 : 0;
            if (distance < bestDistance) {
                best = std::ptrdiff_t(i);
                bestDistance = distance;
            }
        }
        return best;
    };

    const TimelineLane& info = m_model->lane(lane);
    if (inBoxRow) {
        if (info.kind == LaneKind::Worker) {
            if (const auto i = find(m_model->polls(), kMinPollWidth); i >= 0) {
                hit.kind = TimelineHit::Kind::Poll;
                hit.index = std::size_t(i);
                return hit;
            }
        } else if (info.kind == LaneKind::Task) {
            hit.marks = pointsAt(viewport, l, m_model->marks(lane), x);
            hit.drops = pointsAt(viewport, l, m_model->drops(lane), x);
            const auto polls = m_model->lanePolls(lane);
            if (const auto i = find(polls, kMinPollWidth); i >= 0) {
                hit.kind = TimelineHit::Kind::Poll;
                hit.index = polls[std::size_t(i)].sequence;
                return hit;
            }
            // A ring hangs below a mark at the same time: each is hit on its own rows.
            const bool hasMarks = hit.marks.second > hit.marks.first;
            const bool hasDrops = hit.drops.second > hit.drops.first;
            const bool ringRows = point.y() > dropRingCentreY(l, lane) - kDropRingRadius;
            if (hasMarks && !(hasDrops && ringRows)) {
                hit.kind = TimelineHit::Kind::Mark;
                hit.index = hit.marks.first;
                return hit;
            }
            if (hasDrops) {
                hit.kind = TimelineHit::Kind::Drop;
                hit.index = hit.drops.first;
                return hit;
            }
            if (const auto i = find(m_model->cancels(lane), 8); i >= 0) {
                hit.kind = TimelineHit::Kind::Cancel;
                hit.index = std::size_t(i);
                return hit;
            }
        } else if (info.kind == LaneKind::Ghost) {
            if (const auto i = find(m_model->ghosts(lane), 8); i >= 0) {
                hit.kind = TimelineHit::Kind::Ghost;
                hit.index = std::size_t(i);
                return hit;
            }
        } else if (info.kind == LaneKind::BlockingPool) {
            if (const auto i = find(m_model->jobs(lane), 1); i >= 0) {
                hit.kind = TimelineHit::Kind::Job;
                hit.index = std::size_t(i);
                return hit;
            }
        }
    }
    // Wake arrows lie over the lanes they cross, under the boxes and symbols above. Any visible
    // task lane's arrows may come from far off, so each is measured; the nearest wins.
    // 3 px off the line, as polls are hit: 3.5 from its centre to a pixel's, so the pixels at
    // a head's edge (3 px from the shaft) hit too.
    constexpr qreal kArrowReach = 3.5;
    qreal nearest = std::numeric_limits<qreal>::max();
    for (int target = l.firstLane; target < l.lastLane; ++target) {
        if (m_model->lane(target).kind != LaneKind::Task)
            continue;
        forEachWakeArrow(*m_model, viewport, l, map, target, [&](const WakeShape& shape) {
            if (const qreal d = distanceToArrow(shape, point); d <= kArrowReach && d < nearest) {
                nearest = d;
                hit.kind = TimelineHit::Kind::Wake;
                hit.index = shape.wake;
            }
        });
    }
    if (hit.kind == TimelineHit::Kind::Wake)
        return hit;
    if (info.kind == LaneKind::Task) {
        const auto inside = [&](std::span<const SpanItem> spans) -> std::ptrdiff_t {
            const std::ptrdiff_t i = lastIndex(spans, hit.time);
            if (i < 0 || spans[std::size_t(i)].end < hit.time || hit.time > end ||
                !isDrawn(viewport, spans[std::size_t(i)].event, spans[std::size_t(i)].start))
                return -1;
            return i;
        };
        if (const auto i = inside(m_model->scheduled(lane)); i >= 0) {
            hit.kind = TimelineHit::Kind::Scheduled;
            hit.index = std::size_t(i);
        } else if (const auto k = inside(m_model->late(lane)); k >= 0) {
            hit.kind = TimelineHit::Kind::Late;
            hit.index = std::size_t(k);
        } else if (const auto j = inside(m_model->idle(lane)); j >= 0) {
            hit.kind = TimelineHit::Kind::Idle;
            hit.index = std::size_t(j);
        }
    }
    return hit;
}

} // namespace pollscope
