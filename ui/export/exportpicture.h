#pragma once

#include "timeline/timelinecoordinates.h"

#include <QColor>
#include <QImage>
#include <QRect>
#include <QSize>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>
#include <vector>

class QIODevice;
class QPainter;

namespace pollscope {

enum class ImageFormat { Png, Svg, Pdf };

/// What every image export takes, whatever it draws: a timeline (TimelineExportOptions) or a
/// comparison of two (ComparisonExportOptions).
struct ImageExportOptions {
    static constexpr int kMinWidth = 320;
    static constexpr int kMinHeight = 100;
    static constexpr int kMaxSide = 32767; ///< per side, in device pixels (and PDF points)
    static constexpr qint64 kMaxPixels = 200'000'000; ///< PNG: about 800 MB of pixels

    std::optional<ImageFormat> format; ///< nullopt: by the file's extension
    std::optional<TimeRange> range; ///< nullopt: the whole run, as the window's fit (fitRange)
    int width = 1600; ///< device-independent pixels; PDF: points (1 px = 1 pt)
    int height = 0; ///< 0: as tall as the picture needs
    qreal scale = 1; ///< PNG only: device pixel ratio (2: twice the pixels, same picture)
    bool dark = false; ///< TimelineTheme::dark() rather than light()
};

/// A titled shape of a vector picture, for the SVG: a poll's box, `<rect class="..."><title>`,
/// or a dropped future's ring, `<circle class="dropped"><title>`.
struct ExportShape {
    enum class Kind { Box, Circle };
    Kind kind = Kind::Box;
    QRectF rect; ///< in picture coordinates; a circle's bounding square
    /// "poll" on its task lane, "worker-poll" for the worker lane's copy, "dropped" for a ring
    QString cls;
    QString title;
};

/// What an export draws, in any format: `paint` draws it at the painter's origin, `size` large,
/// over `background` (already filled).
struct ExportPicture {
    QSize size; ///< device-independent pixels; PDF: points
    QColor background;
    QString title; ///< the document's: PNG "Title" text, SVG `<title>`, PDF title; may be empty
    QString description; ///< the SVG's `<desc>`, and its `<title>` when `title` is empty
    /// Paints; a vector picture (SVG, PDF) returns its poll boxes and dropped futures' rings in
    /// the order it painted them, one `<rect>` or `<circle>` each, so that the SVG can title them.
    std::function<std::vector<ExportShape>(QPainter&)> paint;
};

// The steps every export takes, so that a timeline and a comparison are written alike: the
// format from the options or the extension, the option checks before the file system is
// touched, then the picture written atomically. Each sets `error` to a sentence for the user.

/// The format of a file name's extension (.png, .svg, .pdf, any case), if it is one of ours.
std::optional<ImageFormat> imageFormatOf(const QString& path);
QString imageExtension(ImageFormat format); ///< "png", "svg", "pdf"
/// File dialog filters, in ImageFormat order: "PNG image (*.png)", ...
QStringList imageNameFilters();

/// `given`, else the format of `path`'s extension; nullopt with `error` naming the file.
std::optional<ImageFormat> exportFormat(
    const QString& path, std::optional<ImageFormat> given, QString& error);
/// The checks of the options themselves: a GUI application for the fonts, width, height (0 or
/// in range), a PNG's scale, a non-empty range.
bool checkImageOptions(const ImageExportOptions& options, ImageFormat format, QString& error);
/// Whether a picture of `size` can be written: a PNG's pixels at `scale` within the limits.
/// (A too tall auto height is the caller's to report: it knows what made it so tall.)
bool checkImageSize(QSize size, ImageFormat format, qreal scale, QString& error);

/// The picture's pixels at `scale` device pixels per pixel (RGB32); null, with `error`, when
/// memory runs out.
QImage renderPicture(const ExportPicture& picture, qreal scale, QString& error);
/// Writes the picture to an open device: PNG at `scale`, or SVG with each poll box a titled
/// `<rect>`, or PDF on one page of `size` points. False with `error`.
bool writePicture(QIODevice& device, ImageFormat format, const ExportPicture& picture, qreal scale,
    QString& error);
/// Writes `path` through `write` atomically (writeOutputFile): on failure no file is left
/// behind and an existing one keeps its contents. When the file fails, `error` says so and
/// names it; when `write` gave up, `error` is what `write` left in it.
bool writeImageFile(
    const QString& path, const std::function<bool(QIODevice&)>& write, QString& error);

/// The public steps of an exporter, the same for whatever it draws. `Derived` provides
/// `bool check(const Options&, ImageFormat)`, which sets m_error when it fails, and
/// `ExportPicture picture(const Options&)` for options that check() accepts.
template <class Derived, class Options>
class PictureExporter {
public:
    /// Writes `path`; the format is options.format, else the extension (.png, .svg, .pdf, any
    /// case). Returns false with errorString() on a bad option, an unknown extension or an
    /// unwritable path.
    bool exportTo(const QString& path, const Options& options)
    {
        m_error.clear();
        Options o = options;
        o.format = exportFormat(path, o.format, m_error);
        // Options first: a bad one must not touch the file system.
        if (!o.format || !self().check(o, *o.format))
            return false;
        return writeImageFile(
            path, [&](QIODevice& file) { return writeChecked(file, o); }, m_error);
    }
    /// Writes to an open device; false with errorString(). Needs options.format.
    bool write(QIODevice& device, const Options& options)
    {
        m_error.clear();
        if (!options.format) {
            m_error = QStringLiteral("no image format given");
            return false;
        }
        return self().check(options, *options.format) && writeChecked(device, options);
    }
    /// The PNG's pixels; a null image (and errorString()) if the options are bad.
    QImage renderImage(const Options& options)
    {
        m_error.clear();
        Options png = options;
        png.format = ImageFormat::Png;
        if (!self().check(png, ImageFormat::Png))
            return {};
        return renderPicture(self().picture(png), png.scale, m_error);
    }
    /// Why the last export failed; a sentence for the user, naming the file if there is one.
    QString errorString() const { return m_error; }

protected:
    QString m_error;

private:
    Derived& self() { return static_cast<Derived&>(*this); }
    bool writeChecked(QIODevice& device, const Options& options)
    {
        return writePicture(
            device, *options.format, self().picture(options), options.scale, m_error);
    }
};

} // namespace pollscope
