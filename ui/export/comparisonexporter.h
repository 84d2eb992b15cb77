#pragma once

#include "export/timelineexporter.h"

#include <QFont>
#include <QRect>
#include <QString>

#include <array>
#include <memory>

namespace pollscope {

/// One run of a comparison picture.
struct ComparedRun {
    std::shared_ptr<const TimelineModel> model;
    QString title; ///< above its timeline, and before its polls' titles in an SVG
    TimelineMarkers markers; ///< its diagnostics' warning signs; null: none
};

/// What a comparison export draws. Width, scale, theme and format as for a timeline; the range
/// is both timelines', by default both runs' (the window's fit of the two); the height is the
/// whole picture's (see ComparisonExporter).
struct ComparisonExportOptions : ImageExportOptions {
    /// As compareRuns() writes it; its backticked names are drawn without their backticks.
    /// Empty: no headline.
    QString headline;
};

/// Writes two runs as one picture, for before/after slides: the headline at the top, then the
/// first run's timeline with its title, then the second's, each as TimelineExporter draws a
/// single run (title, legend, time axis, lane names), both as wide and on the same time range,
/// so that a time stands at the same x in both.
///
/// Height: 0 makes each timeline as tall as its lanes need. A given height is the picture's:
/// what lies below the headline is shared, each timeline as tall as it needs where both fit;
/// otherwise a timeline that needs no more than half keeps what it needs and the other gets the
/// rest, cut to the lanes that fit whole (TimelineViewport::wholeLanes: it says how many it
/// leaves out); else each gets half. A height that leaves either less than
/// ImageExportOptions::kMinHeight is an error.
///
/// PNG, SVG and PDF are written as TimelineExporter writes them (exportpicture.h), atomically.
/// In an SVG every poll of both runs is a `<rect class="poll">` (and "worker-poll" for the
/// worker lane's copy) titled with its run's title, ": ", then TimelineExporter::pollTitle():
/// "Before: fetch-0 · poll #2 · Ready · at 80.01 ms for 10 µs".
class ComparisonExporter : public PictureExporter<ComparisonExporter, ComparisonExportOptions> {
public:
    static constexpr int kHeadlinePadding = 12; ///< around the headline's text
    static constexpr int kHeadlinePixelSize = 18;
    static constexpr int kSectionGap = 16; ///< between the first timeline and the second

    ComparisonExporter(ComparedRun first, ComparedRun second);

    /// Where the parts of a picture go.
    struct Layout {
        QSize size; ///< the whole picture's
        QRect headline; ///< the band at the top; empty without a headline
        /// Each run's timeline: where it stands and what TimelineExporter draws there.
        struct Section {
            QRect rect;
            TimelineExportOptions options;
        };
        std::array<Section, 2> sections;
    };
    Layout layout(const ComparisonExportOptions& options);

    /// The range both timelines show when the options give none: fitRange() of both runs.
    TimeRange wholeRange() const;
    /// The exporter of run 0 (first) or 1 (second): its renderer() and viewport() tell where
    /// its timeline put what, relative to its section.
    TimelineExporter& timeline(int run) { return *m_timelines[std::size_t(run)]; }
    /// The headline's font: the timelines' title font, larger.
    QFont headlineFont(const ComparisonExportOptions& options);

private:
    friend PictureExporter;
    bool check(const ComparisonExportOptions& options, ImageFormat format);
    ExportPicture picture(const ComparisonExportOptions& options);

    std::array<ComparedRun, 2> m_runs;
    std::array<std::unique_ptr<TimelineExporter>, 2> m_timelines;
};

} // namespace pollscope
