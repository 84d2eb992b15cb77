#include "export/exportpicture.h"

#include "io/outputfile.h"
#include "timeline/timelinetheme.h"

#include <QBuffer>
#include <QFileDevice>
#include <QFileInfo>
#include <QGuiApplication>
#include <QImageWriter>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QRegularExpression>
#include <QSvgGenerator>
#include <QXmlStreamReader>
#include <QXmlStreamWriter>

#include <cmath>

namespace pollscope {

namespace {

/// Whether an SVG element `name` with `attributes`, moved by `offset`, is exactly `shape`:
/// a `<rect>` on its box (QSvgGenerator writes integer rectangles as integers) or a `<circle>`
/// in its square.
bool isShape(QStringView name, const QXmlStreamAttributes& attributes, QPointF offset,
    const ExportShape& shape)
{
    const auto at = [&](QLatin1StringView key) {
        bool ok = false;
        const double value = attributes.value(key).toDouble(&ok);
        return ok ? value : std::nan("");
    };
    const auto same = [](double a, double b) { return std::abs(a - b) < 1e-3; };
    const QRectF& r = shape.rect;
    switch (shape.kind) {
    case ExportShape::Kind::Box:
        return name == u"rect" && same(at(QLatin1StringView("x")) + offset.x(), r.x()) &&
            same(at(QLatin1StringView("y")) + offset.y(), r.y()) &&
            same(at(QLatin1StringView("width")), r.width()) &&
            same(at(QLatin1StringView("height")), r.height());
    case ExportShape::Kind::Circle:
        return name == u"circle" &&
            same(at(QLatin1StringView("cx")) + offset.x(), r.center().x()) &&
            same(at(QLatin1StringView("cy")) + offset.y(), r.center().y()) &&
            same(at(QLatin1StringView("r")), r.width() / 2);
    }
    return false;
}

/// The translation of a QSvgGenerator group's `transform="matrix(1,0,0,1,dx,dy)"`; nullopt
/// for any other transform, under which no poll box is painted.
std::optional<QPointF> translation(QStringView transform)
{
    static const QRegularExpression matrix(
        u"^\\s*matrix\\(([^,]+),([^,]+),([^,]+),([^,]+),([^,]+),([^,\\)]+)\\)\\s*$"_qs);
    const QRegularExpressionMatch m = matrix.match(transform.toString());
    if (!m.hasMatch())
        return std::nullopt;
    double v[6];
    for (int i = 0; i < 6; ++i) {
        bool ok = false;
        v[i] = m.capturedView(i + 1).trimmed().toDouble(&ok);
        if (!ok)
            return std::nullopt;
    }
    if (v[0] != 1 || v[1] != 0 || v[2] != 0 || v[3] != 1)
        return std::nullopt;
    return QPointF(v[4], v[5]);
}

bool writePng(QIODevice& device, const ExportPicture& picture, qreal scale, QString& error)
{
    QImage image = renderPicture(picture, scale, error);
    if (image.isNull())
        return false;
    if (!picture.title.isEmpty())
        image.setText(QStringLiteral("Title"), picture.title);
    image.setText(QStringLiteral("Software"), QStringLiteral("Pollscope"));
    QImageWriter writer(&device, "png");
    if (!writer.write(image)) {
        error = QStringLiteral("cannot write the PNG: %1").arg(writer.errorString());
        return false;
    }
    return true;
}

/// Copies QSvgGenerator's output to `device` with the titles and classes of the poll boxes and
/// rings added, the document's title escaped, the size in pixels and look-alikes of the font
/// named.
bool annotateSvg(const QByteArray& svg, const ExportPicture& picture,
    const std::vector<ExportShape>& boxes, QIODevice& device, QString& error)
{
    // QSvgGenerator writes one <rect> per rectangle and one <circle> per circle in paint order,
    // so the shapes appear in the order the picture reports them. It writes them where the
    // painter's translation puts them, as the `transform` of their group: with it, a shape's
    // place is the picture's. Other rectangles before a box never share its place (the box rows
    // hold only boxes), and only rings are circles, so matching in order and by geometry is
    // exact.
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
    // The translation of each open element; nullopt inside a group that scales or rotates.
    std::vector<std::optional<QPointF>> offsets { QPointF() };
    while (!in.atEnd()) {
        switch (in.readNext()) {
        case QXmlStreamReader::StartElement: {
            ++depth;
            const QString name = in.qualifiedName().toString();
            if (depth == 2 && name == u"title" && !titled) {
                // QSvgGenerator 6.4 does not escape its title: write ours here instead (an
                // untitled picture is named by what it is).
                out.writeTextElement(
                    name, picture.title.isEmpty() ? picture.description : picture.title);
                in.skipCurrentElement();
                --depth;
                titled = true;
                break;
            }
            const QXmlStreamAttributes attributes = in.attributes();
            std::optional<QPointF> offset = offsets.back();
            if (const QStringView transform = attributes.value(u"transform"_qs);
                offset && !transform.isEmpty()) {
                const std::optional<QPointF> by = translation(transform);
                offset = by ? std::optional<QPointF>(*offset + *by) : std::nullopt;
            }
            offsets.push_back(offset);
            const bool poll =
                next < boxes.size() && offset && isShape(name, attributes, *offset, boxes[next]);
            out.writeStartElement(name);
            for (const QXmlStreamAttribute& attribute : attributes) {
                const QString key = attribute.qualifiedName().toString();
                QString value = attribute.value().toString();
                if (depth == 1 && key == u"width")
                    value = QString::number(picture.size.width()); // pixels, not millimetres
                else if (depth == 1 && key == u"height")
                    value = QString::number(picture.size.height());
                else if (key == u"font-family" && value == fontFamily)
                    value = fontFamilies;
                out.writeAttribute(key, value);
            }
            if (poll) {
                const ExportShape& box = boxes[next++];
                out.writeAttribute(QStringLiteral("class"), box.cls);
                out.writeTextElement(QStringLiteral("title"), box.title);
            }
            break;
        }
        case QXmlStreamReader::EndElement:
            --depth;
            offsets.pop_back();
            out.writeEndElement();
            break;
        default:
            out.writeCurrentToken(in);
            break;
        }
    }
    if (in.hasError()) {
        error = QStringLiteral("internal error: unreadable SVG at line %1: %2")
                    .arg(in.lineNumber())
                    .arg(in.errorString());
        return false;
    }
    if (next != boxes.size()) {
        error = QStringLiteral("internal error: found %1 of %2 titled shapes in the SVG")
                    .arg(next)
                    .arg(boxes.size());
        return false;
    }
    if (out.hasError()) {
        error = QStringLiteral("cannot write the SVG: %1").arg(device.errorString());
        return false;
    }
    return true;
}

bool writeSvg(QIODevice& device, const ExportPicture& picture, QString& error)
{
    QBuffer raw;
    raw.open(QIODevice::WriteOnly);
    QSvgGenerator generator;
    generator.setOutputDevice(&raw);
    generator.setSize(picture.size);
    generator.setViewBox(QRect(QPoint(0, 0), picture.size));
    generator.setDescription(picture.description);
    QPainter painter;
    if (!painter.begin(&generator)) {
        error = QStringLiteral("cannot start the SVG");
        return false;
    }
    painter.fillRect(QRect(QPoint(0, 0), picture.size), picture.background);
    const std::vector<ExportShape> boxes = picture.paint(painter);
    painter.end();
    return annotateSvg(raw.data(), picture, boxes, device, error);
}

bool writePdf(QIODevice& device, const ExportPicture& picture, QString& error)
{
    QPdfWriter pdf(&device);
    // One page exactly the picture's size, at 72 dpi: a pixel of the picture is a point.
    pdf.setResolution(72);
    pdf.setPageSize(
        QPageSize(QSizeF(picture.size), QPageSize::Point, QString(), QPageSize::ExactMatch));
    pdf.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout::Point);
    pdf.setTitle(picture.title);
    pdf.setCreator(QStringLiteral("Pollscope"));
    QPainter painter;
    if (!painter.begin(&pdf)) {
        error = QStringLiteral("cannot start the PDF: %1").arg(device.errorString());
        return false;
    }
    painter.fillRect(QRect(QPoint(0, 0), picture.size), picture.background);
    picture.paint(painter);
    if (!painter.end()) {
        error = QStringLiteral("cannot write the PDF: %1").arg(device.errorString());
        return false;
    }
    return true;
}

} // namespace

std::optional<ImageFormat> imageFormatOf(const QString& path)
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

QString imageExtension(ImageFormat format)
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

QStringList imageNameFilters()
{
    return { QStringLiteral("PNG image (*.png)"), QStringLiteral("SVG image (*.svg)"),
        QStringLiteral("PDF document (*.pdf)") };
}

std::optional<ImageFormat> exportFormat(
    const QString& path, std::optional<ImageFormat> given, QString& error)
{
    if (given)
        return given;
    if (const std::optional<ImageFormat> format = imageFormatOf(path))
        return format;
    const QString suffix = QFileInfo(path).suffix();
    error = suffix.isEmpty()
        ? QStringLiteral("%1: no image format: end the name with .png, .svg or .pdf").arg(path)
        : QStringLiteral("%1: unknown image format \".%2\": use .png, .svg or .pdf")
              .arg(path, suffix);
    return std::nullopt;
}

bool checkImageOptions(const ImageExportOptions& options, ImageFormat format, QString& error)
{
    using Limits = ImageExportOptions;
    // Text needs the font database, which needs a GUI application (not a display).
    if (!qobject_cast<QGuiApplication*>(QCoreApplication::instance())) {
        error = QStringLiteral(
            "exporting an image needs a QGuiApplication (the offscreen platform will do)");
        return false;
    }
    if (options.width < Limits::kMinWidth || options.width > Limits::kMaxSide) {
        error = QStringLiteral("the width must be %1 to %2 pixels, not %3")
                    .arg(Limits::kMinWidth)
                    .arg(Limits::kMaxSide)
                    .arg(options.width);
        return false;
    }
    if (options.height != 0 &&
        (options.height < Limits::kMinHeight || options.height > Limits::kMaxSide)) {
        error = QStringLiteral("the height must be %1 to %2 pixels, not %3")
                    .arg(Limits::kMinHeight)
                    .arg(Limits::kMaxSide)
                    .arg(options.height);
        return false;
    }
    if (format == ImageFormat::Png && !(options.scale >= 0.5 && options.scale <= 8)) {
        error = QStringLiteral("the scale must be 0.5 to 8, not %1").arg(options.scale);
        return false;
    }
    if (options.range && options.range->isEmpty()) {
        error = QStringLiteral("the time range is empty: its start must lie before its end");
        return false;
    }
    return true;
}

bool checkImageSize(QSize size, ImageFormat format, qreal scale, QString& error)
{
    using Limits = ImageExportOptions;
    if (format != ImageFormat::Png)
        return true;
    const QSize pixels = size * scale;
    if (pixels.width() > Limits::kMaxSide || pixels.height() > Limits::kMaxSide ||
        qint64(pixels.width()) * pixels.height() > Limits::kMaxPixels) {
        error = QStringLiteral("a %1 \u00d7 %2 pixel image is too large: lower the size or the "
                               "scale")
                    .arg(pixels.width())
                    .arg(pixels.height());
        return false;
    }
    return true;
}

QImage renderPicture(const ExportPicture& picture, qreal scale, QString& error)
{
    // Opaque pixels: cheaper to paint and to encode than ARGB, and a PNG without alpha.
    QImage image(picture.size * scale, QImage::Format_RGB32);
    if (image.isNull()) {
        error = QStringLiteral("not enough memory for a %1 \u00d7 %2 pixel image")
                    .arg(picture.size.width() * scale)
                    .arg(picture.size.height() * scale);
        return {};
    }
    image.setDevicePixelRatio(scale);
    image.fill(picture.background);
    QPainter painter(&image);
    picture.paint(painter);
    painter.end();
    return image;
}

bool writePicture(QIODevice& device, ImageFormat format, const ExportPicture& picture, qreal scale,
    QString& error)
{
    if (!device.isWritable()) {
        error = QStringLiteral("cannot write to a device not open for writing");
        return false;
    }
    bool ok = false;
    switch (format) {
    case ImageFormat::Png:
        ok = writePng(device, picture, scale, error);
        break;
    case ImageFormat::Svg:
        ok = writeSvg(device, picture, error);
        break;
    case ImageFormat::Pdf:
        ok = writePdf(device, picture, error); // QPdfWriter does not report failed writes: below
        break;
    }
    if (const auto* file = qobject_cast<const QFileDevice*>(&device);
        ok && file && file->error() != QFileDevice::NoError) {
        error = QStringLiteral("cannot write: %1").arg(file->errorString());
        return false;
    }
    return ok;
}

bool writeImageFile(
    const QString& path, const std::function<bool(QIODevice&)>& write, QString& error)
{
    // The image appears whole or not at all. A failed write() says why in `error`, unless the
    // device failed.
    QString fileError;
    if (!writeOutputFile(path, write, fileError)) {
        if (!fileError.isEmpty())
            error = QStringLiteral("cannot write %1: %2").arg(path, fileError);
        return false;
    }
    return true;
}

} // namespace pollscope
