#pragma once

#include "timeline/timelinerenderer.h"

#include <QByteArray>
#include <QImage>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <utility>

class QIODevice;

namespace pollscope {

enum class ImageFormat { Png, Svg, Pdf };

/// What an export draws. The defaults: the whole run, 1600 px wide, as tall as all lanes need,
/// light theme, no playback cursor. Time axis, lane names and legend are always drawn; the
/// window's visible span ("↔ 104 ms") never is.
struct TimelineExportOptions {
    std::optional<ImageFormat> format; ///< nullopt: by the file's extension
    std::optional<TimeRange> range; ///< nullopt: the whole run, as the window's fit (fitRange)
    int width = 1600; ///< device-independent pixels; PDF: points (1 px = 1 pt)
    int height = 0; ///< 0: as tall as all lanes need (TimelineRenderer::contentHeight)
    qreal scale = 1; ///< PNG only: device pixel ratio (2: twice the pixels, same picture)
    QString title;
    bool dark = false; ///< TimelineTheme::dark() rather than light()
    /// Playback cursor, as TimelineViewport has it: kAllEvents and kNever for the full run.
    std::size_t eventLimit = kAllEvents;
    TimeNs cursorTime = kNever;
    bool dimAfterCursor = false;
    TimelineMarkers markers; ///< diagnostics' warning signs, as the window shows them
};

/// Writes a timeline as PNG, SVG or PDF with TimelineRenderer::paint, the routine that paints
/// the window, so an export shows what the window shows for the same settings.
///
/// - PNG: a raster frame exactly as the widget paints it, at `scale` device pixels per pixel.
/// - SVG: a vector frame (TimelineViewport::vector). Every poll is one `<rect>` with a
///   `<title>` naming task, poll index and outcome ("fetch-0 · poll #2 · Ready · ..."): class
///   "poll" on its task lane, exactly one per visible poll, and class "worker-poll" for the
///   worker lane's copy. Text stays text.
/// - PDF: a vector frame on one page of width x height points, with selectable text.
///
/// Files are written atomically (QSaveFile): on any error no file is left behind and an
/// existing file keeps its contents. Needs a QGuiApplication (fonts), never a display: the
/// offscreen platform will do.
class TimelineExporter {
public:
    static constexpr int kMinWidth = 320;
    static constexpr int kMinHeight = 100;
    static constexpr int kMaxSide = 32767; ///< per side, in device pixels (and PDF points)
    static constexpr qint64 kMaxPixels = 200'000'000; ///< PNG: about 800 MB of pixels

    explicit TimelineExporter(std::shared_ptr<const TimelineModel> model);

    /// Writes `path`; the format is options.format, else the extension (.png, .svg, .pdf, any
    /// case). Returns false with errorString() on a bad option, an unknown extension or an
    /// unwritable path.
    bool exportTo(const QString& path, const TimelineExportOptions& options);
    /// Writes to an open device; false with errorString(). Needs options.format.
    bool write(QIODevice& device, const TimelineExportOptions& options);
    /// Why the last export failed; a sentence for the user, naming the file if there is one.
    QString errorString() const { return m_error; }

    /// The frame an export of `options` paints (size in device-independent pixels).
    TimelineViewport viewport(const TimelineExportOptions& options);
    /// The PNG's pixels; a null image (and errorString()) if the options are bad.
    QImage renderImage(const TimelineExportOptions& options);
    /// The renderer exports paint with; its theme is the last export's.
    const TimelineRenderer& renderer() const { return m_renderer; }

    /// The format of a file name's extension, if it is one of ours.
    static std::optional<ImageFormat> formatOf(const QString& path);
    static QString extension(ImageFormat format); ///< "png", "svg", "pdf"
    /// File dialog filters, in ImageFormat order: "PNG image (*.png)", ...
    static QStringList nameFilters();
    /// What an SVG poll's title says: "fetch-0 · poll #2 · Ready · at 80.01 ms for 10 µs", both
    /// times exact (formatExactTime).
    static QString pollTitle(const TimelineModel& model, std::size_t sequence);

private:
    bool check(const TimelineExportOptions& options, ImageFormat format);
    void applyTheme(const TimelineExportOptions& options);
    bool writePng(QIODevice& device, const TimelineExportOptions& options);
    bool writeSvg(QIODevice& device, const TimelineExportOptions& options);
    bool writePdf(QIODevice& device, const TimelineExportOptions& options);
    /// Adds the titles and classes of the poll rects to QSvgGenerator's output.
    bool annotateSvg(const QByteArray& svg, const TimelineViewport& viewport, QIODevice& device);

    std::shared_ptr<const TimelineModel> m_model;
    TimelineRenderer m_renderer;
    std::optional<std::pair<bool, bool>> m_themeKey; ///< the renderer's theme: dark, for PDF
    QString m_error;
};

} // namespace pollscope
