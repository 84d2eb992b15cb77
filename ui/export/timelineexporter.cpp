#include "export/timelineexporter.h"

#include <QPainter>

namespace pollscope {

TimelineExporter::TimelineExporter(std::shared_ptr<const TimelineModel> model)
    : m_model(model ? std::move(model) : std::make_shared<const TimelineModel>())
{
    m_renderer.setModel(m_model);
}

QString TimelineExporter::pollTitle(const TimelineModel& model, std::size_t sequence)
{
    const PollItem& poll = model.poll(sequence);
    return QStringLiteral("%1 \u00b7 poll #%2 \u00b7 %3 \u00b7 at %4 for %5")
        .arg(model.trace().taskName(poll.task))
        .arg(poll.index)
        .arg(poll.outcome == PollOutcome::Ready ? u"Ready"_qs : u"Pending"_qs,
            model.exactTime(poll.start), model.exactTime(poll.end - poll.start));
}

bool TimelineExporter::check(const TimelineExportOptions& options, ImageFormat format)
{
    m_error.clear();
    if (!checkImageOptions(options, format, m_error))
        return false;
    const TimelineViewport v = viewport(options);
    if (v.size.height() > ImageExportOptions::kMaxSide) {
        m_error = QStringLiteral("showing all %1 lanes would take %2 pixels of height, more than "
                                 "%3: choose a height")
                      .arg(m_model->laneCount())
                      .arg(v.size.height())
                      .arg(ImageExportOptions::kMaxSide);
        return false;
    }
    return checkImageSize(v.size, format, options.scale, m_error);
}

void TimelineExporter::applyTheme(const TimelineExportOptions& options)
{
    const bool pdf = options.format == ImageFormat::Pdf;
    const std::pair<bool, bool> key { options.dark, pdf };
    if (m_themeKey == key)
        return;
    TimelineTheme theme = options.dark ? TimelineTheme::dark() : TimelineTheme::light();
    if (pdf) {
        // No ligatures in a PDF: its text copies and searches as typed ("fi", not U+FB01).
        for (QFont* font : { &theme.font, &theme.boldFont, &theme.titleFont })
            font->setStyleStrategy(
                QFont::StyleStrategy(font->styleStrategy() | QFont::PreferNoShaping));
    }
    m_renderer.setTheme(theme);
    m_themeKey = key;
}

TimelineViewport TimelineExporter::viewport(const TimelineExportOptions& options)
{
    applyTheme(options);
    TimelineViewport v;
    v.range = options.range.value_or(fitRange(m_model->bounds()));
    v.title = options.title;
    v.showLegend = true;
    v.showSpan = false; // the zoom's span, meaningless on a slide: the ruler has the times
    v.eventLimit = options.eventLimit;
    v.cursorTime = options.cursorTime;
    v.dimAfterCursor = options.dimAfterCursor;
    v.markers = options.markers;
    v.vector = options.format && *options.format != ImageFormat::Png;
    v.wholeLanes = true; // a picture: lanes cut to the height are left out, and counted
    v.size = QSize(options.width, std::max(options.height, ImageExportOptions::kMinHeight));
    if (options.height == 0)
        v.size.setHeight(m_renderer.contentHeight(v));
    return v;
}

ExportPicture TimelineExporter::picture(const TimelineExportOptions& options)
{
    const TimelineViewport v = viewport(options);
    ExportPicture picture;
    picture.size = v.size;
    picture.background = m_renderer.theme().background;
    picture.title = options.title;
    picture.description = QStringLiteral("A Pollscope timeline");
    picture.paint = [this, v](QPainter& painter) {
        m_renderer.paint(painter, v);
        std::vector<ExportShape> shapes;
        if (!v.vector)
            return shapes;
        shapes.reserve(m_renderer.vectorPollBoxes().size() + m_renderer.dropRings().size());
        for (const TimelinePollBox& box : m_renderer.vectorPollBoxes())
            shapes.push_back(
                { ExportShape::Kind::Box, box.rect, box.workerLane ? u"worker-poll"_qs : u"poll"_qs,
                    pollTitle(*m_model, box.sequence) });
        // The rings after the boxes, as painted: titled as the window's tooltip tells them.
        for (const TimelineDropRing& ring : m_renderer.dropRings())
            shapes.push_back({ ExportShape::Kind::Circle, ring.circle, u"dropped"_qs,
                m_model->describeDrops(ring.lane, ring.first, ring.last) });
        return shapes;
    };
    return picture;
}

} // namespace pollscope
