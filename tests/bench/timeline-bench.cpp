// timeline-bench: how fast the timeline builds and paints large traces, offscreen.
//
//   timeline-bench [--events N ...] [--frames F] [--repeat R] [--width W --height H]
//       Records a synthetic trace of about N events per size (default 1M and 10M: many tasks
//       yielding and sleeping, with a little compute and a mark now and then), builds the
//       TimelineModel, then paints F frames at each zoom level (fit, 1/10, 1/100, 1/1000 of the
//       run, 20 µs), panning a little every frame so that no frame replays cached geometry. Prints
//       one JSON line per trace (build) and per zoom (frame-time median, p95, max in ms); R repeats
//       everything.
//   timeline-bench --export-png [--events N ...] [--width W --height H] [--repeat R]
//       Exports each synthetic trace's whole run as a W x H PNG with TimelineExporter (the path of
//       File > Export Image and `pollscope run --export`) R times (default 5) into a temporary
//       file, and prints one JSON line per trace: the median and every run of the whole export
//       (paint, PNG encoding, atomic write), and the median of the paint alone.
//   timeline-bench --snapshots DIR [--width W]
//       Writes PNGs of every built-in scenario (and variant), light and dark, at the end and
//       with a playback cursor halfway, for looking at what the renderer draws; and of the
//       TimelineView and SourceView widgets (-view.png, -source.png) at that cursor.

#include "export/timelineexporter.h"
#include "runtime/executor.h"
#include "runtime/futures.h"
#include "script/compiler.h"
#include "script/interpreter.h"
#include "script/scenariolibrary.h"
#include "source/sourceview.h"
#include "timeline/timelinemodel.h"
#include "timeline/timelinerenderer.h"
#include "timeline/timelineview.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPainter>
#include <QTemporaryDir>

#include <algorithm>
#include <chrono>
#include <cstdio>

using namespace pollscope;
using namespace std::chrono_literals;

namespace {

Task<> worker(int k, int iterations)
{
    for (int i = 0; i < iterations; ++i) {
        if (i % 3 == 2)
            co_await sleep(std::chrono::microseconds(50 + (k * 37 + i * 11) % 400));
        else
            co_await yieldNow();
        if (i % 64 == 0)
            compute(u"step", 3us);
        if (i % 16 == 0)
            mark(u"checkpoint");
    }
}

Task<> spawnWorkers(int tasks, int iterations)
{
    std::vector<JoinHandle<void>> handles;
    handles.reserve(std::size_t(tasks));
    for (int k = 0; k < tasks; ++k)
        handles.push_back(spawn(worker(k, iterations), QStringLiteral("worker-%1").arg(k)));
    for (auto& handle : handles)
        co_await handle;
}

/// About `events` events: `tasks` tasks at ~3.4 events per iteration.
std::shared_ptr<const Trace> syntheticTrace(std::int64_t events, int tasks)
{
    RuntimeSettings settings;
    settings.pollCost = 1'000;
    settings.maxEvents = std::uint64_t(events) * 2 + 1'000'000;
    const int iterations = int(std::max<std::int64_t>(1, events * 10 / 34 / tasks));
    return std::make_shared<const Trace>(recordRun(spawnWorkers(tasks, iterations), settings));
}

double milliseconds(std::chrono::steady_clock::duration d)
{
    return std::chrono::duration<double, std::milli>(d).count();
}

double percentile(std::vector<double> values, double p)
{
    std::sort(values.begin(), values.end());
    const auto index = std::size_t(
        std::clamp(p * double(values.size() - 1) + 0.5, 0.0, double(values.size() - 1)));
    return values[index];
}

void printJson(const QJsonObject& object)
{
    std::printf("%s\n", QJsonDocument(object).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
}

void bench(std::int64_t events, int tasks, int frames, QSize size, const QString& framePrefix)
{
    const auto recordStart = std::chrono::steady_clock::now();
    const std::shared_ptr<const Trace> trace = syntheticTrace(events, tasks);
    const auto buildStart = std::chrono::steady_clock::now();
    const auto model = std::make_shared<const TimelineModel>(trace);
    const auto buildEnd = std::chrono::steady_clock::now();
    printJson(QJsonObject {
        { u"bench"_qs, u"timeline-model"_qs },
        { u"events"_qs, qint64(trace->events.size()) },
        { u"polls"_qs, qint64(model->pollCount()) },
        { u"tasks"_qs, tasks },
        { u"lanes"_qs, model->laneCount() },
        { u"record_ms"_qs, milliseconds(buildStart - recordStart) },
        { u"build_ms"_qs, milliseconds(buildEnd - buildStart) },
    });

    TimelineRenderer renderer;
    renderer.setModel(model);
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(1);
    const TimeRange bounds = model->bounds();
    struct Zoom {
        const char16_t* name;
        TimeNs duration;
    };
    // From the whole run to 20 µs: in between lie the zooms where polls are a few pixels
    // apart and cannot merge, the most rectangles per frame.
    const Zoom zooms[] = {
        { u"fit", bounds.duration() },
        { u"wide", std::max<TimeNs>(bounds.duration() / 10, 1'000) },
        { u"mid", std::max<TimeNs>(bounds.duration() / 100, 1'000) },
        { u"close", std::max<TimeNs>(bounds.duration() / 1000, 1'000) },
        { u"deep", 20'000 },
    };
    for (const Zoom& zoom : zooms) {
        std::vector<double> times;
        times.reserve(std::size_t(frames));
        TimelineViewport viewport;
        viewport.size = size;
        viewport.title = u"timeline-bench"_qs;
        viewport.cursorTime = kNever;
        // Start in the middle of the run, where every task is active.
        TimeNs start = bounds.start + (bounds.duration() - zoom.duration) / 2;
        for (int frame = 0; frame < frames; ++frame) {
            // Pan by a few pixels each frame (back and forth at fit, where there is no room):
            // every frame rebuilds its geometry, as when the user drags.
            const TimeNs pan = std::max<TimeNs>(1, zoom.duration / 300);
            const TimeNs offset = (frame % 2 ? 1 : -1) * pan * (1 + frame % 7);
            viewport.range = TimeRange { start + offset, start + offset + zoom.duration };
            viewport.scrollY = (frame % 3) * TimelineRenderer::kLaneHeight * 5;
            QPainter painter(&image);
            const auto t0 = std::chrono::steady_clock::now();
            renderer.paint(painter, viewport);
            painter.end();
            times.push_back(milliseconds(std::chrono::steady_clock::now() - t0));
            start += zoom.duration / 500;
        }
        if (!framePrefix.isEmpty())
            image.save(QStringLiteral("%1-%2-%3.png")
                           .arg(framePrefix)
                           .arg(trace->events.size())
                           .arg(QString::fromUtf16(zoom.name)));
        printJson(QJsonObject {
            { u"bench"_qs, u"timeline-frame"_qs },
            { u"events"_qs, qint64(trace->events.size()) },
            { u"zoom"_qs, QString::fromUtf16(zoom.name) },
            { u"range_us"_qs, double(zoom.duration) / 1000.0 },
            { u"width"_qs, size.width() },
            { u"height"_qs, size.height() },
            { u"frames"_qs, frames },
            { u"median_ms"_qs, percentile(times, 0.5) },
            { u"p95_ms"_qs, percentile(times, 0.95) },
            { u"max_ms"_qs, *std::max_element(times.begin(), times.end()) },
        });
    }
}

int benchExport(std::int64_t events, int tasks, int repeat, QSize size)
{
    const std::shared_ptr<const Trace> trace = syntheticTrace(events, tasks);
    const auto buildStart = std::chrono::steady_clock::now();
    const auto model = std::make_shared<const TimelineModel>(trace);
    const double buildMs = milliseconds(std::chrono::steady_clock::now() - buildStart);
    const QTemporaryDir directory;
    const QString path = directory.filePath(u"export.png"_qs);
    TimelineExportOptions options;
    options.width = size.width();
    options.height = size.height();
    options.title = u"timeline-bench"_qs;
    std::vector<double> exports, paints;
    QJsonArray runs;
    for (int r = 0; r < repeat; ++r) {
        // A new exporter each time, as the dialog and the command line make one: no cache.
        TimelineExporter exporter(model);
        const auto t0 = std::chrono::steady_clock::now();
        if (!exporter.exportTo(path, options)) {
            std::fprintf(stderr, "%s\n", qPrintable(exporter.errorString()));
            return 2;
        }
        exports.push_back(milliseconds(std::chrono::steady_clock::now() - t0));
        runs.append(exports.back());
        TimelineExporter painter(model);
        const auto t1 = std::chrono::steady_clock::now();
        const QImage image = painter.renderImage(options);
        paints.push_back(milliseconds(std::chrono::steady_clock::now() - t1));
    }
    printJson(QJsonObject {
        { u"bench"_qs, u"timeline-export-png"_qs },
        { u"events"_qs, qint64(trace->events.size()) },
        { u"polls"_qs, qint64(model->pollCount()) },
        { u"lanes"_qs, model->laneCount() },
        { u"width"_qs, size.width() },
        { u"height"_qs, size.height() },
        { u"bytes"_qs, QFileInfo(path).size() },
        { u"model_build_ms"_qs, buildMs },
        { u"repeat"_qs, repeat },
        { u"median_ms"_qs, percentile(exports, 0.5) },
        { u"runs_ms"_qs, runs },
        { u"paint_median_ms"_qs, percentile(paints, 0.5) },
    });
    return 0;
}

bool writeSnapshot(TimelineRenderer& renderer, const TimelineModel& model, const QString& title,
    const QString& path, int width, std::size_t position)
{
    TimelineViewport viewport;
    viewport.title = title;
    const TimeRange bounds = model.bounds();
    const TimeNs pad = bounds.duration() / 50;
    viewport.range = TimeRange { bounds.start - pad, bounds.end + pad };
    viewport.size = QSize(width, 100);
    viewport.size.setHeight(renderer.contentHeight(viewport));
    if (position < model.pollCount()) {
        viewport.eventLimit = model.eventLimit(position);
        viewport.cursorTime = model.cursorTime(position);
        if (position > 0)
            viewport.selectedPoll = std::uint32_t(position - 1);
    }
    return renderer.render(viewport).save(path);
}

int snapshots(const QString& directory, int width)
{
    if (!QDir().mkpath(directory)) {
        std::fprintf(stderr, "cannot create %s\n", qPrintable(directory));
        return 2;
    }
    TimelineRenderer renderer;
    for (const ScenarioEntry& entry : ScenarioLibrary::builtins()) {
        QStringList variants { QString() };
        variants << entry.variants;
        for (const QString& variant : variants) {
            const CompileResult compiled = compileScenario(entry.source, entry.path, variant);
            if (!compiled.ok()) {
                std::fprintf(stderr, "%s\n", qPrintable(compiled.errorText()));
                return 1;
            }
            const auto model = std::make_shared<const TimelineModel>(
                std::make_shared<const Trace>(runScenario(*compiled.program)));
            renderer.setModel(model);
            QString name = entry.name;
            QString title = entry.title;
            if (!variant.isEmpty()) {
                name += u'-' +
                    QString(variant).replace(QRegularExpression(u"[^A-Za-z0-9]+"_qs), u"_"_qs);
                title += QStringLiteral(" (%1)").arg(variant);
            }
            const QString base = directory + u'/' + name;
            renderer.setTheme(TimelineTheme::light());
            bool ok =
                writeSnapshot(renderer, *model, title, base + u"-light.png", width, kAllEvents);
            ok = ok &&
                writeSnapshot(
                    renderer, *model, title, base + u"-cursor.png", width, model->pollCount() / 2);
            renderer.setTheme(TimelineTheme::dark());
            ok = ok &&
                writeSnapshot(renderer, *model, title, base + u"-dark.png", width, kAllEvents);
            if (!ok) {
                std::fprintf(stderr, "cannot write %s\n", qPrintable(base));
                return 2;
            }
            if (variant.isEmpty()) {
                // The widgets, as a window shows them, with the cursor halfway.
                const std::size_t half = model->pollCount() / 2;
                TimelineView view;
                view.resize(1200, 360);
                view.setModel(model);
                if (half > 0) {
                    view.setPlaybackCursor(model->eventLimit(half), model->cursorTime(half));
                    view.selectPoll(qint64(half - 1));
                }
                view.zoomToFit();
                ok = view.grab().save(base + u"-view.png");
                SourceView source;
                source.resize(620, 420);
                source.setSource(entry.source);
                if (half > 0)
                    source.setCurrentLine(model->sourceLine(half - 1));
                ok = ok && source.grab().save(base + u"-source.png");
                if (!ok) {
                    std::fprintf(stderr, "cannot write %s\n", qPrintable(base));
                    return 2;
                }
            }
            std::printf("%s\n", qPrintable(base));
        }
    }
    return 0;
}

} // namespace

int main(int argc, char* argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Measures how fast the timeline builds and paints."));
    parser.addHelpOption();
    const QCommandLineOption eventsOption(QStringLiteral("events"),
        QStringLiteral("Approximate events of a synthetic trace (repeatable)."),
        QStringLiteral("N"));
    const QCommandLineOption tasksOption(QStringLiteral("tasks"),
        QStringLiteral("Tasks of a synthetic trace."), QStringLiteral("T"), QStringLiteral("1000"));
    const QCommandLineOption framesOption(QStringLiteral("frames"),
        QStringLiteral("Frames per zoom level."), QStringLiteral("F"), QStringLiteral("60"));
    const QCommandLineOption repeatOption(QStringLiteral("repeat"),
        QStringLiteral("Repeat everything R times."), QStringLiteral("R"), QStringLiteral("1"));
    const QCommandLineOption widthOption(QStringLiteral("width"), QStringLiteral("Frame width."),
        QStringLiteral("W"), QStringLiteral("1600"));
    const QCommandLineOption heightOption(QStringLiteral("height"), QStringLiteral("Frame height."),
        QStringLiteral("H"), QStringLiteral("1000"));
    const QCommandLineOption snapshotsOption(QStringLiteral("snapshots"),
        QStringLiteral("Write PNGs of the built-in scenarios to DIR."), QStringLiteral("DIR"));
    const QCommandLineOption framesPngOption(QStringLiteral("frame-png"),
        QStringLiteral("Save the last frame of each zoom as PREFIX-EVENTS-ZOOM.png."),
        QStringLiteral("PREFIX"));
    const QCommandLineOption exportOption(QStringLiteral("export-png"),
        QStringLiteral("Time PNG exports of the whole run (repeat: 5 unless given)."));
    parser.addOptions({ eventsOption, tasksOption, framesOption, repeatOption, widthOption,
        heightOption, snapshotsOption, framesPngOption, exportOption });
    parser.process(app);

    const int width = parser.value(widthOption).toInt();
    const int height = parser.value(heightOption).toInt();
    if (width < 300 || height < 100) {
        std::fprintf(stderr, "--width must be at least 300 and --height at least 100\n");
        return 2;
    }
    if (parser.isSet(snapshotsOption))
        return snapshots(parser.value(snapshotsOption), width);

    QList<std::int64_t> sizes;
    for (const QString& value : parser.values(eventsOption))
        sizes << value.toLongLong();
    if (sizes.isEmpty())
        sizes = { 1'000'000, 10'000'000 };
    const int tasks = parser.value(tasksOption).toInt();
    const int frames = parser.value(framesOption).toInt();
    const int repeat = std::max(1, parser.value(repeatOption).toInt());
    if (tasks <= 0 || frames <= 0 ||
        std::any_of(sizes.begin(), sizes.end(), [](std::int64_t n) { return n <= 0; })) {
        std::fprintf(stderr, "--events, --tasks and --frames must be positive\n");
        return 2;
    }
    if (parser.isSet(exportOption)) {
        for (const std::int64_t events : sizes) {
            if (const int code = benchExport(
                    events, tasks, parser.isSet(repeatOption) ? repeat : 5, QSize(width, height)))
                return code;
        }
        return 0;
    }
    for (int r = 0; r < repeat; ++r) {
        for (const std::int64_t events : sizes)
            bench(events, tasks, frames, QSize(width, height), parser.value(framesPngOption));
    }
    return 0;
}
