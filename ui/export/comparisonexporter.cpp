#include "export/comparisonexporter.h"

#include "window/messagetext.h"

#include <QFontMetrics>
#include <QPainter>

namespace pollscope {

namespace {

/// The headline's text flags: wrapped at word boundaries, from the top left.
constexpr int kHeadlineFlags = Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap;

} // namespace

ComparisonExporter::ComparisonExporter(ComparedRun first, ComparedRun second)
    : m_runs { std::move(first), std::move(second) }
{
    for (std::size_t i = 0; i < m_runs.size(); ++i)
        m_timelines[i] = std::make_unique<TimelineExporter>(m_runs[i].model);
}

TimeRange ComparisonExporter::wholeRange() const
{
    // As the comparison window fits both runs; a missing model is an empty run.
    TimeRange both;
    bool any = false;
    for (const ComparedRun& run : m_runs) {
        if (!run.model)
            continue;
        both = any ? both.united(run.model->bounds()) : run.model->bounds();
        any = true;
    }
    return fitRange(both);
}

QFont ComparisonExporter::headlineFont(const ComparisonExportOptions& options)
{
    // The timeline's theme for these options (a PDF's fonts are unshaped): its title font.
    TimelineExportOptions probe;
    static_cast<ImageExportOptions&>(probe) = options;
    m_timelines[0]->viewport(probe);
    QFont font = m_timelines[0]->renderer().theme().titleFont;
    font.setPixelSize(kHeadlinePixelSize);
    return font;
}

ComparisonExporter::Layout ComparisonExporter::layout(const ComparisonExportOptions& options)
{
    Layout l;
    const int width = options.width;
    const QString headline = messageToPlainText(options.headline).trimmed();
    int top = 0;
    if (!headline.isEmpty()) {
        const int textWidth = std::max(1, width - 2 * kHeadlinePadding);
        const QRect text = QFontMetrics(headlineFont(options))
                               .boundingRect(QRect(0, 0, textWidth, ImageExportOptions::kMaxSide),
                                   kHeadlineFlags, headline);
        l.headline = QRect(0, 0, width, text.height() + 2 * kHeadlinePadding);
        top = l.headline.height();
    }
    std::array<int, 2> needs {};
    for (std::size_t i = 0; i < 2; ++i) {
        TimelineExportOptions& o = l.sections[i].options;
        static_cast<ImageExportOptions&>(o) = options;
        o.range = options.range.value_or(wholeRange());
        o.title = m_runs[i].title;
        o.markers = m_runs[i].markers;
        o.height = 0;
        needs[i] = m_timelines[i]->viewport(o).size.height();
    }
    std::array<int, 2> heights = needs;
    if (options.height != 0) {
        // The height below the headline is shared: see the class's comment.
        const int available = options.height - top - kSectionGap;
        const int half = available / 2;
        if (needs[0] + needs[1] > available) {
            if (needs[0] <= half)
                heights = { needs[0], available - needs[0] };
            else if (needs[1] <= half)
                heights = { available - needs[1], needs[1] };
            else
                heights = { available - half, half };
        }
    }
    for (std::size_t i = 0; i < 2; ++i) {
        l.sections[i].options.height = heights[i];
        l.sections[i].rect = QRect(0, top, width, heights[i]);
        top += heights[i] + kSectionGap;
    }
    top -= kSectionGap;
    l.size = QSize(width, options.height != 0 ? options.height : top);
    return l;
}

bool ComparisonExporter::check(const ComparisonExportOptions& options, ImageFormat format)
{
    m_error.clear();
    for (const ComparedRun& run : m_runs) {
        if (!run.model) {
            m_error = QStringLiteral("a comparison needs two runs");
            return false;
        }
    }
    if (!checkImageOptions(options, format, m_error))
        return false;
    ComparisonExportOptions o = options;
    o.format = format;
    const Layout l = layout(o);
    if (options.height == 0 && l.size.height() > ImageExportOptions::kMaxSide) {
        m_error = QStringLiteral("showing all lanes of both runs would take %1 pixels of height, "
                                 "more than %2: choose a height")
                      .arg(l.size.height())
                      .arg(ImageExportOptions::kMaxSide);
        return false;
    }
    // Each timeline gets at least the least height of an export.
    const int least = l.headline.height() + kSectionGap + 2 * ImageExportOptions::kMinHeight;
    if (options.height != 0 && options.height < least) {
        m_error = QStringLiteral("the height must be at least %1 pixels for two timelines, not %2")
                      .arg(least)
                      .arg(options.height);
        return false;
    }
    return checkImageSize(l.size, format, options.scale, m_error);
}

ExportPicture ComparisonExporter::picture(const ComparisonExportOptions& options)
{
    const Layout l = layout(options);
    ExportPicture picture;
    picture.size = l.size;
    picture.background = m_timelines[0]->renderer().theme().background;
    picture.title = messageToPlainText(options.headline).trimmed();
    picture.description = QStringLiteral("A Pollscope comparison of two runs");
    const QFont font = headlineFont(options);
    const QColor text = m_timelines[0]->renderer().theme().text;
    picture.paint = [this, l, font, text, background = picture.background,
                        headline = picture.title](QPainter& painter) {
        if (!l.headline.isEmpty()) {
            painter.save();
            painter.setFont(font);
            painter.setPen(text);
            painter.drawText(
                l.headline.adjusted(kHeadlinePadding, kHeadlinePadding, -kHeadlinePadding, 0),
                kHeadlineFlags, headline);
            painter.restore();
        }
        std::vector<ExportShape> boxes;
        for (std::size_t i = 0; i < 2; ++i) {
            const Layout::Section& section = l.sections[i];
            painter.save();
            painter.translate(section.rect.topLeft());
            // A timeline cut to fewer lanes than it has stops at its section, ...
            painter.setClipRect(QRect(QPoint(0, 0), section.rect.size()));
            for (ExportShape box : m_timelines[i]->picture(section.options).paint(painter)) {
                box.rect.translate(section.rect.topLeft());
                box.title = m_runs[i].title + u": "_qs + box.title;
                boxes.push_back(std::move(box));
            }
            painter.restore();
            // ... also in an SVG, whose generator ignores clipping: the gap below is filled over
            // the cut lane, and the next section's header covers what reaches further.
            painter.fillRect(
                QRect(0, section.rect.bottom() + 1, l.size.width(), kSectionGap), background);
        }
        return boxes;
    };
    return picture;
}

} // namespace pollscope
