#include "export/timelineexporter.h"

#include "analysis/timeformat.h"
#include "io/outputfile.h"

#include <QBuffer>
#include <QFileInfo>
#include <QGuiApplication>
#include <QImageWriter>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgGenerator>
#include <QXmlStreamReader>
#include <QXmlStreamWriter>

#include <cmath>

namespace pollscope {

namespace {

/// Whether an SVG `<rect>`'s attributes put it exactly on `box` (QSvgGenerator writes integer
/// rectangles as integers).
bool isBox(const QXmlStreamAttributes& attributes, const QRect& box)
{
    const auto at = [&](QLatin1StringView name) {
        bool ok = false;
        const double value = attributes.value(name).toDouble(&ok);
        return ok ? value : std::nan("");
    };
    const auto same = [](double a, int b) { return std::abs(a - b) < 1e-3; };
    return same(at(QLatin1StringView("x")), box.x()) && same(at(QLatin1StringView("y")), box.y()) &&
        same(at(QLatin1StringView("width")), box.width()) &&
        same(at(QLatin1StringView("height")), box.height());
}

} // namespace

TimelineExporter::TimelineExporter(std::shared_ptr<const TimelineModel> model)
    : m_model(model ? std::move(model) : std::make_shared<const TimelineModel>())
{
    m_renderer.setModel(m_model);
}

std::optional<ImageFormat> TimelineExporter::formatOf(const QString& path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == u"png")
        return ImageFormat::Png;
    if (suffix == u"svg")
        return ImageFormat::Svg;
    if (suffix == u"pdf")
        return ImageFormat::Pdf;
    return std::nullopt;
}

QString TimelineExporter::extension(ImageFormat format)
{
    switch (format) {
    case ImageFormat::Png:
        return QStringLiteral("png");
    case ImageFormat::Svg:
        return QStringLiteral("svg");
    case ImageFormat::Pdf:
        return QStringLiteral("pdf");
    }
    return {};
}

QStringList TimelineExporter::nameFilters()
{
    return { QStringLiteral("PNG image (*.png)"), QStringLiteral("SVG image (*.svg)"),
        QStringLiteral("PDF document (*.pdf)") };
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
    // Text needs the font database, which needs a GUI application (not a display).
    if (!qobject_cast<QGuiApplication*>(QCoreApplication::instance())) {
        m_error = QStringLiteral(
            "exporting an image needs a QGuiApplication (the offscreen platform will do)");
        return false;
    }
    if (options.width < kMinWidth || options.width > kMaxSide) {
        m_error = QStringLiteral("the width must be %1 to %2 pixels, not %3")
                      .arg(kMinWidth)
                      .arg(kMaxSide)
                      .arg(options.width);
        return false;
    }
    if (options.height != 0 && (options.height < kMinHeight || options.height > kMaxSide)) {
        m_error = QStringLiteral("the height must be %1 to %2 pixels, not %3")
                      .arg(kMinHeight)
                      .arg(kMaxSide)
                      .arg(options.height);
        return false;
    }
    if (format == ImageFormat::Png && !(options.scale >= 0.5 && options.scale <= 8)) {
        m_error = QStringLiteral("the scale must be 0.5 to 8, not %1").arg(options.scale);
        return false;
    }
    if (options.range && options.range->isEmpty()) {
        m_error = QStringLiteral("the time range is empty: its start must lie before its end");
        return false;
    }
    const TimelineViewport v = viewport(options);
    if (v.size.height() > kMaxSide) {
        m_error = QStringLiteral("showing all %1 lanes would take %2 pixels of height, more than "
                                 "%3: choose a height")
                      .arg(m_model->laneCount())
                      .arg(v.size.height())
                      .arg(kMaxSide);
        return false;
    }
    if (format == ImageFormat::Png) {
        const QSize pixels = v.size * options.scale;
        if (pixels.width() > kMaxSide || pixels.height() > kMaxSide ||
            qint64(pixels.width()) * pixels.height() > kMaxPixels) {
            m_error = QStringLiteral("a %1 \u00d7 %2 pixel image is too large: lower the size or "
                                     "the scale")
                          .arg(pixels.width())
                          .arg(pixels.height());
            return false;
        }
    }
    return true;
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
    v.size = QSize(options.width, std::max(options.height, kMinHeight));
    if (options.height == 0)
        v.size.setHeight(m_renderer.contentHeight(v));
    return v;
}

QImage TimelineExporter::renderImage(const TimelineExportOptions& options)
{
    TimelineExportOptions png = options;
    png.format = ImageFormat::Png;
    if (!check(png, ImageFormat::Png))
        return {};
    const TimelineViewport v = viewport(png);
    // Opaque pixels: cheaper to paint and to encode than ARGB, and a PNG without alpha.
    QImage image(v.size * png.scale, QImage::Format_RGB32);
    if (image.isNull()) {
        m_error = QStringLiteral("not enough memory for a %1 \u00d7 %2 pixel image")
                      .arg(v.size.width() * png.scale)
                      .arg(v.size.height() * png.scale);
        return {};
    }
    image.setDevicePixelRatio(png.scale);
    image.fill(m_renderer.theme().background);
    QPainter painter(&image);
    m_renderer.paint(painter, v);
    painter.end();
    return image;
}

bool TimelineExporter::exportTo(const QString& path, const TimelineExportOptions& options)
{
    m_error.clear();
    TimelineExportOptions o = options;
    if (!o.format)
        o.format = formatOf(path);
    if (!o.format) {
        const QString suffix = QFileInfo(path).suffix();
        m_error = suffix.isEmpty()
            ? QStringLiteral("%1: no image format: end the name with .png, .svg or .pdf").arg(path)
            : QStringLiteral("%1: unknown image format \".%2\": use .png, .svg or .pdf")
                  .arg(path, suffix);
        return false;
    }
    // Options first: a bad one must not touch the file system.
    if (!check(o, *o.format))
        return false;
    // The image appears whole or not at all. A failed write() says why in m_error, unless the
    // device failed.
    QString error;
    if (!writeOutputFile(
            path, [&](QIODevice& file) { return write(file, o); }, error)) {
        if (!error.isEmpty())
            m_error = QStringLiteral("cannot write %1: %2").arg(path, error);
        return false;
    }
    return true;
}

bool TimelineExporter::write(QIODevice& device, const TimelineExportOptions& options)
{
    m_error.clear();
    if (!options.format) {
        m_error = QStringLiteral("no image format given");
        return false;
    }
    if (!check(options, *options.format))
        return false;
    if (!device.isWritable()) {
        m_error = QStringLiteral("cannot write to a device not open for writing");
        return false;
    }
    bool ok = false;
    switch (*options.format) {
    case ImageFormat::Png:
        ok = writePng(device, options);
        break;
    case ImageFormat::Svg:
        ok = writeSvg(device, options);
        break;
    case ImageFormat::Pdf:
        ok = writePdf(device, options); // QPdfWriter does not report failed writes: see below
        break;
    }
    if (const auto* file = qobject_cast<const QFileDevice*>(&device);
        ok && file && file->error() != QFileDevice::NoError) {
        m_error = QStringLiteral("cannot write: %1").arg(file->errorString());
        return false;
    }
    return ok;
}

bool TimelineExporter::writePng(QIODevice& device, const TimelineExportOptions& options)
{
    QImage image = renderImage(options);
    if (image.isNull())
        return false;
    if (!options.title.isEmpty())
        image.setText(QStringLiteral("Title"), options.title);
    image.setText(QStringLiteral("Software"), QStringLiteral("Pollscope"));
    QImageWriter writer(&device, "png");
    if (!writer.write(image)) {
        m_error = QStringLiteral("cannot write the PNG: %1").arg(writer.errorString());
        return false;
    }
    return true;
}

bool TimelineExporter::writeSvg(QIODevice& device, const TimelineExportOptions& options)
{
    const TimelineViewport v = viewport(options);
    QBuffer raw;
    raw.open(QIODevice::WriteOnly);
    QSvgGenerator generator;
    generator.setOutputDevice(&raw);
    generator.setSize(v.size);
    generator.setViewBox(QRect(QPoint(0, 0), v.size));
    generator.setDescription(QStringLiteral("A Pollscope timeline"));
    QPainter painter;
    if (!painter.begin(&generator)) {
        m_error = QStringLiteral("cannot start the SVG");
        return false;
    }
    painter.fillRect(QRect(QPoint(0, 0), v.size), m_renderer.theme().background);
    m_renderer.paint(painter, v);
    painter.end();
    return annotateSvg(raw.data(), v, device);
}

bool TimelineExporter::annotateSvg(
    const QByteArray& svg, const TimelineViewport& viewport, QIODevice& device)
{
    // QSvgGenerator writes one <rect> per rectangle in paint order, so the poll boxes appear in
    // the order the renderer reports them. Non-poll rectangles before a box never share its
    // geometry (the box rows hold only boxes), so matching in order and by geometry is exact.
    const std::vector<TimelinePollBox>& boxes = m_renderer.vectorPollBoxes();
    const QString fontFamily = TimelineTheme::bundledFontFamily();
    // The bundled font is not embedded: name look-alikes for viewers that lack it.
    const QString fontFamilies =
        QStringLiteral("'%1', 'Bitstream Vera Sans', Verdana, sans-serif").arg(fontFamily);
    QXmlStreamReader in(svg);
    in.setNamespaceProcessing(false); // copy xmlns attributes verbatim
    QXmlStreamWriter out(&device);
    std::size_t next = 0;
    int depth = 0;
    bool titled = false;
    while (!in.atEnd()) {
        switch (in.readNext()) {
        case QXmlStreamReader::StartElement: {
            ++depth;
            const QString name = in.qualifiedName().toString();
            if (depth == 2 && name == u"title" && !titled) {
                // QSvgGenerator 6.4 does not escape its title: write ours here instead.
                out.writeTextElement(name,
                    viewport.title.isEmpty() ? QStringLiteral("Pollscope timeline")
                                             : viewport.title);
                in.skipCurrentElement();
                --depth;
                titled = true;
                break;
            }
            const bool poll =
                name == u"rect" && next < boxes.size() && isBox(in.attributes(), boxes[next].rect);
            out.writeStartElement(name);
            for (const QXmlStreamAttribute& attribute : in.attributes()) {
                const QString key = attribute.qualifiedName().toString();
                QString value = attribute.value().toString();
                if (depth == 1 && key == u"width")
                    value = QString::number(viewport.size.width()); // pixels, not millimetres
                else if (depth == 1 && key == u"height")
                    value = QString::number(viewport.size.height());
                else if (key == u"font-family" && value == fontFamily)
                    value = fontFamilies;
                out.writeAttribute(key, value);
            }
            if (poll) {
                const TimelinePollBox& box = boxes[next++];
                out.writeAttribute(QStringLiteral("class"),
                    box.workerLane ? QStringLiteral("worker-poll") : QStringLiteral("poll"));
                out.writeTextElement(QStringLiteral("title"), pollTitle(*m_model, box.sequence));
            }
            break;
        }
        case QXmlStreamReader::EndElement:
            --depth;
            out.writeEndElement();
            break;
        default:
            out.writeCurrentToken(in);
            break;
        }
    }
    if (in.hasError()) {
        m_error = QStringLiteral("internal error: unreadable SVG at line %1: %2")
                      .arg(in.lineNumber())
                      .arg(in.errorString());
        return false;
    }
    if (next != boxes.size()) {
        m_error = QStringLiteral("internal error: found %1 of %2 poll boxes in the SVG")
                      .arg(next)
                      .arg(boxes.size());
        return false;
    }
    if (out.hasError()) {
        m_error = QStringLiteral("cannot write the SVG: %1").arg(device.errorString());
        return false;
    }
    return true;
}

bool TimelineExporter::writePdf(QIODevice& device, const TimelineExportOptions& options)
{
    const TimelineViewport v = viewport(options);
    QPdfWriter pdf(&device);
    // One page exactly the frame's size, at 72 dpi: a pixel of the frame is a point.
    pdf.setResolution(72);
    pdf.setPageSize(QPageSize(QSizeF(v.size), QPageSize::Point, QString(), QPageSize::ExactMatch));
    pdf.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout::Point);
    pdf.setTitle(v.title);
    pdf.setCreator(QStringLiteral("Pollscope"));
    QPainter painter;
    if (!painter.begin(&pdf)) {
        m_error = QStringLiteral("cannot start the PDF: %1").arg(device.errorString());
        return false;
    }
    painter.fillRect(QRect(QPoint(0, 0), v.size), m_renderer.theme().background);
    m_renderer.paint(painter, v);
    if (!painter.end()) {
        m_error = QStringLiteral("cannot write the PDF: %1").arg(device.errorString());
        return false;
    }
    return true;
}

} // namespace pollscope
