#pragma once

#include "export/exportpicture.h"
#include "timeline/timelinerenderer.h"

#include <QString>

#include <memory>
#include <optional>
#include <utility>

namespace pollscope {

/// What an export draws. The defaults: the whole run, 1600 px wide, as tall as all lanes need
/// (height 0: TimelineRenderer::contentHeight), light theme, no playback cursor. Time axis,
/// lane names and legend are always drawn; the window's visible span ("↔ 104 ms") never is.
struct TimelineExportOptions : ImageExportOptions {
    QString title;
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
///   worker lane's copy. Every dropped future's ring is a `<circle class="dropped">` titled as
///   the window's tooltip tells it ("select dropped the losing branch at 100 ms, ..."). Text
///   stays text.
/// - PDF: a vector frame on one page of width x height points, with selectable text.
///
/// A height too short for every lane shows those that fit whole, never the top of the next,
/// and says how many it leaves out (TimelineViewport::wholeLanes).
///
/// Files are written atomically (QSaveFile): on any error no file is left behind and an
/// existing file keeps its contents. Needs a QGuiApplication (fonts), never a display: the
/// offscreen platform will do.
class TimelineExporter : public PictureExporter<TimelineExporter, TimelineExportOptions> {
public:
    explicit TimelineExporter(std::shared_ptr<const TimelineModel> model);

    /// The frame an export of `options` paints (size in device-independent pixels).
    TimelineViewport viewport(const TimelineExportOptions& options);
    /// What an export of `options` draws; its paint() draws with renderer(). For options that
    /// check() accepts: others may draw nothing sensible. (ComparisonExporter stacks two.)
    ExportPicture picture(const TimelineExportOptions& options);
    /// The renderer exports paint with; its theme is the last export's.
    const TimelineRenderer& renderer() const { return m_renderer; }

    /// What an SVG poll's title says: "fetch-0 · poll #2 · Ready · at 80.01 ms for 10 µs", both
    /// times exact (formatExactTime).
    static QString pollTitle(const TimelineModel& model, std::size_t sequence);

private:
    friend PictureExporter;
    /// The options' own checks, then the size of the frame they make; false with errorString().
    bool check(const TimelineExportOptions& options, ImageFormat format);
    void applyTheme(const TimelineExportOptions& options);

    std::shared_ptr<const TimelineModel> m_model;
    TimelineRenderer m_renderer;
    std::optional<std::pair<bool, bool>> m_themeKey; ///< the renderer's theme: dark, for PDF
};

} // namespace pollscope
