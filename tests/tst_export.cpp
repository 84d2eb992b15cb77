// TimelineExporter and ExportDialog: PNG pixels where the polls are, one titled SVG rect per
// poll, a PDF with real text, atomic files and clean failures.
//
// Set POLLSCOPE_TEST_OUTPUT to a directory to keep the exported files.

#include "analysis/comparison.h"
#include "export/comparisonexporter.h"
#include "export/exportdialog.h"
#include "export/timelineexporter.h"
#include "run/scenariorunner.h"
#include "runtime/executor.h"
#include "runtime/futures.h"
#include "script/compiler.h"
#include "script/interpreter.h"
#include "script/scenariolibrary.h"
#include "timeline/timelineview.h"
#include "timelinetestsupport.h"
#include "window/comparisonwindow.h"
#include "window/messagetext.h"

#include <QApplication>
#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QXmlStreamReader>

#include <map>
#include <set>
#include <unistd.h>

using namespace pollscope;
using namespace pollscope::testing;
using namespace std::chrono_literals;

namespace {

struct Scenario {
    std::shared_ptr<const TimelineModel> model;
    QString title;
    std::vector<Diagnostic> diagnostics;
    std::shared_ptr<const Trace> trace;
};

Scenario scripted(const QString& source, const QString& path = u"test.scn"_qs)
{
    const CompileResult compiled = compileScenario(source, path);
    if (!compiled.ok())
        return {};
    auto trace = std::make_shared<const Trace>(runScenario(*compiled.program));
    return { std::make_shared<const TimelineModel>(trace), compiled.program->info.title,
        diagnose(*trace, compiled.program.get()), trace };
}

/// The run as the comparison window gets it from the runner.
std::shared_ptr<const RunResult> runResult(const Scenario& s)
{
    auto result = std::make_shared<RunResult>();
    result->trace = s.trace;
    result->model = s.model;
    result->title = s.title;
    result->diagnostics = s.diagnostics;
    result->markers = diagnosticMarkers(s.diagnostics);
    return result;
}

/// main#0 [0, 20 ms] Pending, then main#1 [d, d + 20 ms] Ready (20 ms per poll).
Task<> sleepsFor(std::chrono::milliseconds d)
{
    co_await sleep(d);
}

/// How many pixels of `area` are not `color`.
int pixelsOtherThan(const QImage& image, const QRect& area, const QColor& color)
{
    int n = 0;
    for (int y = area.top(); y <= area.bottom(); ++y)
        for (int x = area.left(); x <= area.right(); ++x)
            n += QColor(image.pixel(x, y)) != color;
    return n;
}

Scenario builtin(const QString& name)
{
    const ScenarioEntry* entry = ScenarioLibrary::find(name);
    return entry ? scripted(entry->source, entry->path) : Scenario {};
}

std::size_t pollStarts(const Trace& trace)
{
    std::size_t n = 0;
    for (const TraceEvent& event : trace.events)
        n += event.kind == EventKind::PollStart;
    return n;
}

/// What `exporter` writes for `options` in `format` (empty, with a warning, if it fails).
QByteArray exported(TimelineExporter& exporter, TimelineExportOptions options, ImageFormat format)
{
    options.format = format;
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    if (!exporter.write(buffer, options))
        qWarning() << exporter.errorString();
    return buffer.data();
}

QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void keep(const QString& path)
{
    const QString directory = qEnvironmentVariable("POLLSCOPE_TEST_OUTPUT");
    if (directory.isEmpty())
        return;
    QDir().mkpath(directory);
    const QString target = directory + u'/' + QFileInfo(path).fileName();
    QFile::remove(target);
    QFile::copy(path, target);
}

/// The poll rects of an SVG: class, title and the fill of the group around them.
struct SvgRect {
    QString cls;
    QString title;
    QString fill;
    QRect rect;
};

/// A titled circle of an SVG: a dropped future's ring.
struct SvgCircle {
    QString cls;
    QString title;
    QPointF centre;
    qreal radius = 0;
};

struct SvgSummary {
    bool ok = false;
    QString error;
    std::vector<SvgRect> polls; ///< class "poll" or "worker-poll", in document order
    std::vector<SvgCircle> circles; ///< those with a class, in document order
    QString documentTitle;
    QStringList texts;
    std::vector<QPointF> textsAt; ///< where each of texts stands
    int images = 0;
    QSize size;
};

/// The translation of a `transform="matrix(1,0,0,1,dx,dy)"`, as QSvgGenerator writes it for a
/// translated painter; none for anything else.
QPoint translation(const QXmlStreamAttributes& a)
{
    static const QRegularExpression matrix(u"^matrix\\(1,0,0,1,(-?[\\d.]+),(-?[\\d.]+)\\)$"_qs);
    const QRegularExpressionMatch m = matrix.match(a.value(u"transform"_qs).toString());
    return m.hasMatch() ? QPoint(qRound(m.captured(1).toDouble()), qRound(m.captured(2).toDouble()))
                        : QPoint();
}

SvgSummary readSvg(const QByteArray& svg)
{
    SvgSummary s;
    QXmlStreamReader xml(svg);
    std::vector<QString> fills { QString() };
    std::vector<QPoint> offsets { QPoint() }; // where each open element's coordinates start
    int depth = 0;
    const auto close = [&] {
        --depth;
        fills.pop_back();
        offsets.pop_back();
    };
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            ++depth;
            const QXmlStreamAttributes a = xml.attributes();
            const QStringView name = xml.name();
            fills.push_back(
                a.hasAttribute(u"fill"_qs) ? a.value(u"fill"_qs).toString() : fills.back());
            offsets.push_back(offsets.back() + translation(a));
            const QPoint at = offsets.back();
            if (name == u"svg") {
                s.size = QSize(a.value(u"width"_qs).toInt(), a.value(u"height"_qs).toInt());
            } else if (name == u"title" && depth == 2) {
                s.documentTitle = xml.readElementText();
                close();
            } else if (name == u"text") {
                s.textsAt.emplace_back(
                    a.value(u"x"_qs).toDouble() + at.x(), a.value(u"y"_qs).toDouble() + at.y());
                s.texts << xml.readElementText();
                close();
            } else if (name == u"image") {
                ++s.images;
            } else if (name == u"rect" && a.hasAttribute(u"class"_qs)) {
                SvgRect r;
                r.cls = a.value(u"class"_qs).toString();
                r.fill = fills.back();
                r.rect = QRect(a.value(u"x"_qs).toInt(), a.value(u"y"_qs).toInt(),
                    a.value(u"width"_qs).toInt(), a.value(u"height"_qs).toInt())
                             .translated(at);
                while (xml.readNextStartElement()) {
                    if (xml.name() == u"title")
                        r.title = xml.readElementText();
                    else
                        xml.skipCurrentElement();
                }
                close(); // readNextStartElement consumed the rect's end
                s.polls.push_back(r);
            } else if (name == u"circle" && a.hasAttribute(u"class"_qs)) {
                SvgCircle c;
                c.cls = a.value(u"class"_qs).toString();
                c.centre = QPointF(a.value(u"cx"_qs).toDouble(), a.value(u"cy"_qs).toDouble()) + at;
                c.radius = a.value(u"r"_qs).toDouble();
                while (xml.readNextStartElement()) {
                    if (xml.name() == u"title")
                        c.title = xml.readElementText();
                    else
                        xml.skipCurrentElement();
                }
                close();
                s.circles.push_back(c);
            }
        } else if (xml.isEndElement()) {
            close();
        }
    }
    s.ok = !xml.hasError();
    s.error = xml.errorString();
    return s;
}

// A small PDF reader: objects, Flate streams, ToUnicode CMaps and the text each BT..ET block
// shows, so that "the PDF has the title as text" is checked with nothing but Qt.

QByteArray inflate(const QByteArray& deflated)
{
    QByteArray framed(4, '\0');
    const quint32 hint = quint32(deflated.size()) * 8 + 1024; // qUncompress grows as needed
    framed[0] = char(hint >> 24);
    framed[1] = char(hint >> 16);
    framed[2] = char(hint >> 8);
    framed[3] = char(hint);
    return qUncompress(framed + deflated);
}

struct PdfObject {
    QByteArray dictionary;
    QByteArray stream; ///< decoded
};

std::map<int, PdfObject> pdfObjects(const QByteArray& pdf)
{
    std::map<int, PdfObject> objects;
    static const QRegularExpression start(u"(?:^|\\n)(\\d+) 0 obj"_qs);
    const QString latin = QString::fromLatin1(pdf); // byte offsets stay character offsets
    QRegularExpressionMatchIterator it = start.globalMatch(latin);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        const qsizetype begin = m.capturedEnd();
        const qsizetype end = pdf.indexOf("endobj", begin);
        if (end < 0)
            break;
        const QByteArray body = pdf.mid(begin, end - begin);
        PdfObject object;
        const qsizetype streamAt = body.indexOf("stream");
        object.dictionary = streamAt < 0 ? body : body.left(streamAt);
        if (streamAt >= 0) {
            qsizetype data = streamAt + 6;
            if (body.at(data) == '\r')
                ++data;
            if (body.at(data) == '\n')
                ++data;
            const QByteArray raw = body.mid(data, body.lastIndexOf("endstream") - data);
            object.stream = object.dictionary.contains("/FlateDecode") ? inflate(raw) : raw;
        }
        objects[m.captured(1).toInt()] = object;
    }
    return objects;
}

int reference(const QByteArray& dictionary, const QByteArray& key)
{
    const QRegularExpression pattern(QString::fromLatin1(key) + u"\\s+(\\d+) 0 R"_qs);
    const QRegularExpressionMatch m = pattern.match(QString::fromLatin1(dictionary));
    return m.hasMatch() ? m.captured(1).toInt() : -1;
}

/// ToUnicode: glyph code -> text (bfchar and bfrange, with or without arrays).
std::map<uint, QString> toUnicode(const QByteArray& cmap)
{
    std::map<uint, QString> map;
    const QString text = QString::fromLatin1(cmap);
    const auto hex = [](const QString& h) { return h.toUInt(nullptr, 16); };
    const auto unit = [&](const QString& h) { return QString(QChar(char16_t(hex(h)))); };
    static const QRegularExpression range(
        u"<([0-9A-Fa-f]+)>\\s*<([0-9A-Fa-f]+)>\\s*(?:<([0-9A-Fa-f]+)>|\\[([^\\]]*)\\])"_qs);
    static const QRegularExpression single(u"<([0-9A-Fa-f]+)>\\s*<([0-9A-Fa-f]+)>"_qs);
    static const QRegularExpression item(u"<([0-9A-Fa-f]+)>"_qs);
    for (const QString& section : text.split(u"beginbf"_qs).mid(1)) {
        const QString body = section.left(section.indexOf(u"endbf"));
        if (section.startsWith(u"range")) {
            auto it = range.globalMatch(body);
            while (it.hasNext()) {
                const auto m = it.next();
                const uint from = hex(m.captured(1)), to = hex(m.captured(2));
                if (!m.captured(3).isEmpty()) {
                    for (uint code = from; code <= to; ++code)
                        map[code] = QString(QChar(char16_t(hex(m.captured(3)) + code - from)));
                } else {
                    auto items = item.globalMatch(m.captured(4));
                    for (uint code = from; code <= to && items.hasNext(); ++code)
                        map[code] = unit(items.next().captured(1));
                }
            }
        } else if (section.startsWith(u"char")) {
            auto it = single.globalMatch(body);
            while (it.hasNext()) {
                const auto m = it.next();
                map[hex(m.captured(1))] = unit(m.captured(2));
            }
        }
    }
    return map;
}

/// The text of every BT..ET block of every page's content, as a reader copies it.
QStringList pdfTexts(const QByteArray& pdf)
{
    const std::map<int, PdfObject> objects = pdfObjects(pdf);
    std::map<QString, std::map<uint, QString>> fonts; // "/F7" -> its ToUnicode
    QStringList texts;
    for (const auto& [number, object] : objects) {
        if (!object.dictionary.contains("/Type /Page") || object.dictionary.contains("/Pages"))
            continue;
        const auto resources = objects.find(reference(object.dictionary, "/Resources"));
        if (resources == objects.end())
            continue;
        static const QRegularExpression fontEntry(u"/(F\\d+)\\s+(\\d+) 0 R"_qs);
        auto it = fontEntry.globalMatch(QString::fromLatin1(resources->second.dictionary));
        while (it.hasNext()) {
            const auto m = it.next();
            const auto font = objects.find(m.captured(2).toInt());
            if (font == objects.end())
                continue;
            const auto cmap = objects.find(reference(font->second.dictionary, "/ToUnicode"));
            if (cmap != objects.end())
                fonts[u'/' + m.captured(1)] = toUnicode(cmap->second.stream);
        }
        const auto contents = objects.find(reference(object.dictionary, "/Contents"));
        if (contents == objects.end())
            continue;
        const QString content = QString::fromLatin1(contents->second.stream);
        static const QRegularExpression token(
            u"(\\bBT\\b)|(\\bET\\b)|(/F\\d+)\\s+[\\d.]+\\s+Tf|<([0-9A-Fa-f]*)>\\s*Tj"_qs);
        auto tokens = token.globalMatch(content);
        QString current, font;
        bool inText = false;
        while (tokens.hasNext()) {
            const auto m = tokens.next();
            if (!m.captured(1).isEmpty()) {
                inText = true;
                current.clear();
            } else if (!m.captured(2).isEmpty()) {
                if (inText)
                    texts << current.simplified();
                inText = false;
            } else if (!m.captured(3).isEmpty()) {
                font = m.captured(3);
            } else {
                const QString glyphs = m.captured(4);
                for (qsizetype i = 0; i + 4 <= glyphs.size(); i += 4) {
                    const auto& map = fonts[font];
                    const auto found = map.find(glyphs.mid(i, 4).toUInt(nullptr, 16));
                    current += found == map.end() ? u"\ufffd"_qs : found->second;
                }
            }
        }
    }
    return texts;
}

} // namespace

class TestExport : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(TimelineTheme::registerBundledFonts());
        // The comparison window remembers the export folder: not in the user's settings.
        QCoreApplication::setOrganizationName(u"PollscopeTests"_qs);
        QStandardPaths::setTestModeEnabled(true);
    }

    void formatsByExtension()
    {
        QCOMPARE(imageFormatOf(u"a/b.png"_qs), ImageFormat::Png);
        QCOMPARE(imageFormatOf(u"B.SVG"_qs), ImageFormat::Svg);
        QCOMPARE(imageFormatOf(u"run.pdf"_qs), ImageFormat::Pdf);
        QVERIFY(!imageFormatOf(u"run.jpg"_qs));
        QVERIFY(!imageFormatOf(u"png"_qs));
        QCOMPARE(imageNameFilters().size(), 3);
        QVERIFY(imageNameFilters().at(1).contains(u"*.svg"));
    }

    void pngHasThePollsWhereTheRendererPutsThem_data()
    {
        QTest::addColumn<bool>("dark");
        QTest::addColumn<qreal>("scale");
        QTest::newRow("light") << false << 1.0;
        QTest::newRow("dark") << true << 1.0;
        QTest::newRow("light, 2x") << false << 2.0;
    }
    void pngHasThePollsWhereTheRendererPutsThem()
    {
        QFETCH(bool, dark);
        QFETCH(qreal, scale);
        const auto model = twoPollModel();
        TimelineExporter exporter(model);
        TimelineExportOptions options;
        options.width = TimelineRenderer::kLabelWidth + kTimeOriginInset + 1000; // 1000 px of time
        options.height = 180;
        options.scale = scale;
        options.dark = dark;
        options.range = TimeRange { 0, 100 * ms };
        options.title = u"Two polls"_qs;
        const QString path = m_dir.filePath(
            QStringLiteral("two-polls-%1-%2x.png").arg(dark ? u"dark"_qs : u"light"_qs).arg(scale));
        QVERIFY2(exporter.exportTo(path, options), qPrintable(exporter.errorString()));
        keep(path);

        QImage image;
        QVERIFY(image.load(path, "PNG"));
        QCOMPARE(image.size(), QSize(options.width, options.height) * scale);
        const TimelineTheme theme = dark ? TimelineTheme::dark() : TimelineTheme::light();
        QCOMPARE(exporter.renderer().theme().background, theme.background);
        const TimelineViewport viewport = exporter.viewport(options);
        const TimelineRenderer& renderer = exporter.renderer();
        const auto at = [&](QPoint p) { return QColor(image.pixel(p * scale)); };
        for (const int lane : { model->laneOfTask(0), TimelineModel::workerLane() }) {
            const QRect pending = renderer.pollRect(viewport, lane, 0);
            const QRect ready = renderer.pollRect(viewport, lane, 1);
            // [0, 20 ms]: from the time origin, right of the lane names, 200 px.
            QCOMPARE(pending, QRect(184, renderer.layout(viewport).boxTop(lane), 200, 14));
            QCOMPARE(at(pending.center()), theme.pending);
            QCOMPARE(at(ready.center()), theme.ready);
            QCOMPARE(at(pending.topLeft()), theme.pendingEdge);
            QCOMPARE(at(ready.bottomRight()), theme.readyEdge);
            QVERIFY(at(QPoint(ready.right() + 5, ready.center().y())) != theme.ready);
            QVERIFY(at(QPoint(pending.center().x(), pending.top() - 3)) != theme.pending);
        }
        // The header shows the title on the theme's header colour.
        QCOMPARE(at(QPoint(2, 2)), theme.header);
    }

    void pngEqualsTheWindowsFrame()
    {
        // One renderer: the PNG is exactly what TimelineRenderer paints for the same viewport.
        const Scenario s = builtin(u"chat-blocking"_qs);
        QVERIFY(s.model);
        TimelineExporter exporter(s.model);
        TimelineExportOptions options;
        options.width = 1400;
        options.title = s.title;
        options.eventLimit = s.model->eventLimit(12);
        options.cursorTime = s.model->cursorTime(12);
        const QImage exported = exporter.renderImage(options);
        QVERIFY(!exported.isNull());
        TimelineRenderer window;
        window.setModel(s.model);
        TimelineViewport viewport;
        viewport.size = QSize(1400, 100);
        viewport.range = fitRange(s.model->bounds());
        viewport.title = s.title;
        viewport.showSpan = false; // the window's zoom, not the picture's
        viewport.eventLimit = options.eventLimit;
        viewport.cursorTime = options.cursorTime;
        viewport.size.setHeight(window.contentHeight(viewport));
        QCOMPARE(viewport.size.height(),
            window.layout(viewport).lanes.top() + s.model->laneCount() * 28);
        QCOMPARE(exported.size(), viewport.size);
        QCOMPARE(exported.convertToFormat(QImage::Format_RGB32),
            window.render(viewport).convertToFormat(QImage::Format_RGB32));
    }

    void overlappingArrowheadsStaySolid()
    {
        // In chat-blocking two wakes end at one point of the broadcaster's lane. Filled by the
        // odd-even rule the two heads cancelled into a hollow triangle; by the winding rule
        // they stay solid, in the window and in a viewer of the SVG.
        const Scenario s = builtin(u"chat-blocking"_qs);
        QVERIFY(s.model);
        TimelineExporter exporter(s.model);
        TimelineExportOptions options;
        options.width = 1200;
        const TimelineTheme theme = TimelineTheme::light();
        QXmlStreamReader xml(exported(exporter, options, ImageFormat::Svg));
        QStringList fill; // of each open <g>
        QStringList rules; // of the wake and spawn colours' paths
        while (!xml.atEnd()) {
            xml.readNext();
            if (xml.isStartElement() && xml.name() == u"g")
                fill << xml.attributes().value(u"fill"_qs).toString();
            else if (xml.isEndElement() && xml.name() == u"g")
                fill.removeLast();
            else if (xml.isStartElement() && xml.name() == u"path" && !fill.isEmpty() &&
                (fill.last() == theme.wake.name() || fill.last() == theme.spawn.name()))
                rules << xml.attributes().value(u"fill-rule"_qs).toString();
        }
        QVERIFY(!xml.hasError());
        // The lanes' heads and the legend's.
        QCOMPARE(rules, QStringList(4, u"nonzero"_qs));
    }

    void blockLabelsThatDoNotFitAreElided_data()
    {
        QTest::addColumn<int>("width");
        QTest::addColumn<QString>("label");
        // 1024 px of time: each of carol's 100 ms bars just fits her label whole.
        QTest::newRow("wide") << TimelineRenderer::kLabelWidth + kTimeOriginInset + 1024
                              << u"block carol: blocking socket read"_qs;
        QTest::newRow("narrow") << 700 << u"block carol: b\u2026"_qs;
    }
    void blockLabelsThatDoNotFitAreElided()
    {
        // carol blocks four times back to back; each bar keeps a label, elided if need be, in
        // the worker's lane and in carol's: rather than some bars losing theirs. The first of
        // carol's starts right of her poll's "#0", so it is elided further.
        QFETCH(int, width);
        QFETCH(QString, label);
        const Scenario s = builtin(u"chat-blocking"_qs);
        QVERIFY(s.model);
        TimelineExporter exporter(s.model);
        TimelineExportOptions options;
        options.width = width;
        const SvgSummary svgSummary = readSvg(exported(exporter, options, ImageFormat::Svg));
        const QStringList& svg = svgSummary.texts;
        QCOMPARE(svg.count(label), 7);
        const QRegularExpression blockLabel(u"^block car"_qs);
        QCOMPARE(svg.filter(blockLabel).size(), 8);
        // carol's first block label starts right of her poll's "#0", on the same row.
        const qsizetype pollLabel = svg.indexOf(u"#0"_qs);
        QVERIFY(pollLabel >= 0);
        const QPointF pollLabelAt = svgSummary.textsAt[std::size_t(pollLabel)];
        const qreal end = pollLabelAt.x() +
            QFontMetrics(TimelineTheme::light().font).horizontalAdvance(svg[pollLabel]);
        int onItsRow = 0;
        for (qsizetype i = 0; i < svg.size(); ++i) {
            const QPointF at = svgSummary.textsAt[std::size_t(i)];
            if (blockLabel.match(svg[i]).hasMatch() && qFuzzyCompare(at.y(), pollLabelAt.y())) {
                QVERIFY2(at.x() > end, qPrintable(svg[i]));
                ++onItsRow;
            }
        }
        QCOMPARE(onItsRow, 4);
        // A PDF's text is not shaped, so it is a little wider: some labels may be elided where
        // the SVG's are not, but none is lost.
        QCOMPARE(
            pdfTexts(exported(exporter, options, ImageFormat::Pdf)).filter(blockLabel).size(), 8);
    }

    void svgHasOneTitledRectPerPoll_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<bool>("dark");
        QTest::newRow("spawn-first") << u"spawn-first"_qs << false;
        QTest::newRow("blocking-in-loop") << u"blocking-in-loop"_qs << false;
        QTest::newRow("chat-blocking, dark") << u"chat-blocking"_qs << true;
        QTest::newRow("spawn-blocking-fix") << u"spawn-blocking-fix"_qs << false;
    }
    void svgHasOneTitledRectPerPoll()
    {
        QFETCH(QString, scenario);
        QFETCH(bool, dark);
        const Scenario s = builtin(scenario);
        QVERIFY(s.model);
        const std::size_t polls = pollStarts(s.model->trace());
        QVERIFY(polls > 5);
        QCOMPARE(s.model->pollCount(), polls);
        TimelineExporter exporter(s.model);
        TimelineExportOptions options;
        options.title = s.title + u" <&> \"quoted\""_qs; // escaped in the SVG
        options.dark = dark;
        const QString path = m_dir.filePath(scenario + (dark ? u"-dark.svg"_qs : u".svg"_qs));
        QVERIFY2(exporter.exportTo(path, options), qPrintable(exporter.errorString()));
        keep(path);

        const SvgSummary svg = readSvg(readAll(path));
        QVERIFY2(svg.ok, qPrintable(svg.error));
        QCOMPARE(svg.documentTitle, options.title);
        QCOMPARE(svg.images, 0); // vector: no pixels
        QVERIFY(svg.texts.contains(options.title));
        QVERIFY(svg.texts.contains(u"main"_qs));
        QVERIFY(svg.texts.contains(u"Pending"_qs)); // the legend
        const TimelineTheme theme = dark ? TimelineTheme::dark() : TimelineTheme::light();
        const TimelineViewport viewport = exporter.viewport(options);
        QCOMPARE(svg.size, viewport.size);

        // Exactly one "poll" rect per poll, and one "worker-poll" copy of each.
        static const QRegularExpression titlePattern(
            u"^(\\S+) \u00b7 poll #(\\d+) \u00b7 (Pending|Ready) \u00b7 at .+ for .+$"_qs);
        std::set<std::pair<QString, int>> seen;
        std::size_t onTasks = 0, onWorker = 0;
        std::vector<std::size_t> pending(s.model->trace().tables.tasks.size());
        for (std::size_t sequence = 0; sequence < s.model->pollCount(); ++sequence)
            ++pending[s.model->poll(sequence).task];
        for (const SvgRect& rect : svg.polls) {
            const QRegularExpressionMatch m = titlePattern.match(rect.title);
            QVERIFY2(m.hasMatch(), qPrintable(rect.title));
            if (rect.cls == u"worker-poll") {
                ++onWorker;
                continue;
            }
            QCOMPARE(rect.cls, u"poll"_qs);
            ++onTasks;
            QVERIFY2(seen.insert({ m.captured(1), m.captured(2).toInt() }).second,
                qPrintable(rect.title));
            // The box where the renderer puts it, in its outcome's colour.
            const int lane = [&] {
                for (int l = 0; l < s.model->laneCount(); ++l)
                    if (s.model->laneName(l) == m.captured(1))
                        return l;
                return -1;
            }();
            QVERIFY(lane > 0);
            std::size_t sequence = 0;
            for (const LanePoll& p : s.model->lanePolls(lane))
                if (s.model->poll(p.sequence).index == uint(m.captured(2).toInt()))
                    sequence = p.sequence;
            const PollItem& poll = s.model->poll(sequence);
            QCOMPARE(m.captured(3) == u"Ready", poll.outcome == PollOutcome::Ready);
            QCOMPARE(rect.rect, exporter.renderer().pollRect(viewport, lane, sequence));
            QCOMPARE(rect.fill,
                (poll.outcome == PollOutcome::Ready ? theme.ready : theme.pending).name());
        }
        QCOMPARE(onTasks, polls);
        QCOMPARE(onWorker, polls);
        QCOMPARE(seen.size(), polls);
    }

    void svgTitlesADroppedFuture()
    {
        // select-timeout's select drops the request at 100 ms: its ring is a circle titled with
        // what was dropped and why, as the window's tooltip says; the key says "dropped
        // future", and nothing is "cancelled". In a comparison, the title names its run.
        const Scenario s = builtin(u"select-timeout"_qs);
        QVERIFY(s.model);
        const QString dropped = u"select dropped the losing branch at 100 ms, line 11: I/O GET "
                                "slow.example, due at 300 ms, was cancelled"_qs;
        TimelineExporter exporter(s.model);
        TimelineExportOptions options;
        options.title = s.title;
        const QString path = m_dir.filePath(u"select-timeout.svg"_qs);
        QVERIFY2(exporter.exportTo(path, options), qPrintable(exporter.errorString()));
        keep(path);
        const SvgSummary svg = readSvg(readAll(path));
        QVERIFY2(svg.ok, qPrintable(svg.error));
        QCOMPARE(svg.circles.size(), 1u);
        QCOMPARE(svg.circles[0].cls, u"dropped"_qs);
        QCOMPARE(svg.circles[0].title, dropped);
        QCOMPARE(exporter.renderer().dropRings().size(), 1u);
        QCOMPARE(svg.circles[0].centre, exporter.renderer().dropRings()[0].circle.center());
        QVERIFY(svg.texts.contains(u"dropped future"_qs));
        QVERIFY(!svg.texts.contains(u"cancelled"_qs));
        QCOMPARE(svg.polls.size(), 4u); // the polls are titled still

        ComparisonExporter comparison({ s.model, u"Timeout"_qs, {} }, { s.model, u"Again"_qs, {} });
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        ComparisonExportOptions both;
        both.format = ImageFormat::Svg;
        QVERIFY2(comparison.write(buffer, both), qPrintable(comparison.errorString()));
        const SvgSummary two = readSvg(buffer.data());
        QCOMPARE(two.circles.size(), 2u);
        QCOMPARE(two.circles[0].title, u"Timeout: "_qs + dropped);
        QCOMPARE(two.circles[1].title, u"Again: "_qs + dropped);
        QVERIFY(two.circles[1].centre.y() > two.circles[0].centre.y());
    }

    void svgUpToTheCursorHasThePollsBeforeIt()
    {
        const Scenario s = builtin(u"spawn-first"_qs);
        QVERIFY(s.model);
        TimelineExporter exporter(s.model);
        for (const std::size_t position : { std::size_t(0), std::size_t(5), std::size_t(9) }) {
            TimelineExportOptions options;
            options.title = s.title;
            options.eventLimit = s.model->eventLimit(position);
            options.cursorTime = s.model->cursorTime(position);
            const QString path =
                m_dir.filePath(QStringLiteral("spawn-first-at-%1.svg").arg(position));
            QVERIFY2(exporter.exportTo(path, options), qPrintable(exporter.errorString()));
            keep(path);
            const SvgSummary svg = readSvg(readAll(path));
            QVERIFY(svg.ok);
            const auto count = std::count_if(svg.polls.begin(), svg.polls.end(),
                [](const SvgRect& r) { return r.cls == u"poll"; });
            QCOMPARE(std::size_t(count), position);
        }
        // A time range: only the polls that overlap it.
        TimelineExportOptions options;
        options.range = TimeRange { 79 * ms, 81 * ms };
        const QString path = m_dir.filePath(u"spawn-first-range.svg"_qs);
        QVERIFY(exporter.exportTo(path, options));
        std::size_t expected = 0;
        for (const PollItem& poll : s.model->polls())
            expected += poll.end >= options.range->start && poll.start <= options.range->end;
        QVERIFY(expected > 0 && expected < s.model->pollCount());
        const SvgSummary svg = readSvg(readAll(path));
        QCOMPARE(std::size_t(std::count_if(svg.polls.begin(), svg.polls.end(),
                     [](const SvgRect& r) { return r.cls == u"poll"; })),
            expected);
    }

    void laneNamesKeepHowTheirTasksEnded()
    {
        // "worker-0  ← main · cancelled" is wider than the column of lane names. The parent
        // gives way first, then the middle of a long task name, never the word that says how
        // the task ended: in the SVG and the PDF, as in the window and the PNG.
        const Scenario s = scripted(u"async fn worker(n) { loop { sleep(10ms).await; } }\n"
                                    "async fn a_worker_with_a_name_longer_than_its_lane() {\n"
                                    "    loop { sleep(10ms).await; }\n"
                                    "}\n"
                                    "async fn failing() { sleep(5ms).await; fail(\"boom\"); }\n"
                                    "async fn main() {\n"
                                    "    spawn worker(1);\n"
                                    "    spawn a_worker_with_a_name_longer_than_its_lane();\n"
                                    "    spawn failing();\n"
                                    "    sleep(30ms).await;\n"
                                    "}\n"_qs);
        QVERIFY(s.model);
        TimelineExporter exporter(s.model);
        const SvgSummary svg = readSvg(exported(exporter, {}, ImageFormat::Svg));
        QStringList names; // the texts of the lanes' column
        for (qsizetype i = 0; i < svg.texts.size(); ++i)
            if (svg.textsAt[std::size_t(i)].x() < TimelineRenderer::kLabelWidth)
                names << svg.texts[i];
        const QString what = names.join(u" | "_qs);
        const auto ending = [&](const QString& word) {
            return names.filter(QRegularExpression(u"(^| · )"_qs + word + u'$')).size();
        };
        QVERIFY2(ending(u"cancelled"_qs) == 2, qPrintable(what));
        QVERIFY2(ending(u"failed"_qs) == 1, qPrintable(what));
        QVERIFY2(names.contains(u"worker-0"_qs), qPrintable(what));
        QVERIFY2(names.filter(QRegularExpression(u"^a_w.+\u2026.+-0$"_qs)).size() == 1,
            qPrintable(what));
        for (const QString& name : names)
            QVERIFY2(!name.endsWith(u'\u2026'), qPrintable(what));
        // The PDF's text is the same.
        const QStringList pdf = pdfTexts(exported(exporter, {}, ImageFormat::Pdf));
        for (const QString& name : names)
            QVERIFY2(pdf.contains(name), qPrintable(name));
    }

    void pdfIsVectorWithText()
    {
        const Scenario s = builtin(u"spawn-first"_qs);
        QVERIFY(s.model);
        TimelineExporter exporter(s.model);
        TimelineExportOptions options;
        options.title = s.title;
        options.width = 1200;
        const QString path = m_dir.filePath(u"spawn-first.pdf"_qs);
        QVERIFY2(exporter.exportTo(path, options), qPrintable(exporter.errorString()));
        keep(path);
        const QByteArray pdf = readAll(path);
        QVERIFY(pdf.startsWith("%PDF-1."));
        QVERIFY(pdf.trimmed().endsWith("%%EOF"));
        QVERIFY(pdf.size() > 5000);
        // One page the size of the frame, in points.
        const int height = exporter.viewport(options).size.height();
        QVERIFY2(
            pdf.contains(
                QStringLiteral("/MediaBox [0 0 1200.000000 %1.000000]").arg(height).toLatin1()),
            pdf.left(2000).constData());
        QCOMPARE(pdf.count("/Type /Page\n"), 1);
        QVERIFY(!pdf.contains("/Subtype /Image")); // vector: no pixels
        QVERIFY(pdf.contains("/FontFile2")); // the bundled font, embedded
        // The title, the lane names and the legend are text objects, and copy as typed ("fi" of
        // "first" is two letters, not a ligature).
        const QStringList texts = pdfTexts(pdf);
        QVERIFY2(texts.contains(s.title), qPrintable(texts.join(u" | ")));
        QVERIFY(texts.contains(u"main"_qs));
        QVERIFY(texts.contains(u"page_title-0"_qs));
        QVERIFY(texts.contains(u"Ready"_qs));
        // And a PDF tool, if there is one, extracts them too.
        const QString pdftotext = QStandardPaths::findExecutable(u"pdftotext"_qs);
        if (!pdftotext.isEmpty()) {
            QProcess process;
            process.start(pdftotext, { path, u"-"_qs });
            QVERIFY(process.waitForFinished(30'000));
            const QString text = QString::fromUtf8(process.readAllStandardOutput());
            QVERIFY2(text.contains(s.title), qPrintable(text));
            QVERIFY(text.contains(u"page_title-2"));
        }
    }

    void autoHeightShowsEveryLane()
    {
        const Scenario s = builtin(u"chat-blocking"_qs);
        TimelineExporter exporter(s.model);
        TimelineExportOptions options;
        options.width = 900;
        options.title = s.title;
        const TimelineViewport viewport = exporter.viewport(options);
        const TimelineLayout layout = exporter.renderer().layout(viewport);
        QCOMPARE(layout.firstLane, 0);
        QCOMPARE(layout.lastLane, s.model->laneCount());
        QCOMPARE(viewport.size.height(), exporter.renderer().contentHeight(viewport));
        QCOMPARE(exporter.renderImage(options).size(), viewport.size);
        options.height = 150; // cut: the lanes that fit
        QCOMPARE(exporter.renderImage(options).size(), QSize(900, 150));
    }

    void badPathsFailCleanly_data()
    {
        // A timeline's export and a comparison's take the same path (PictureExporter).
        QTest::addColumn<bool>("compared");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("error");
        for (const bool compared : { false, true }) {
            const auto row = [compared](const char* what) -> QTestData& {
                return QTest::newRow(qPrintable(
                    (compared ? u"comparison, "_qs : u"timeline, "_qs) + QLatin1String(what)));
            };
            row("no such directory") << compared << u"missing/run.png"_qs << u"cannot write"_qs;
            row("a file as directory") << compared << u"plain.txt/run.svg"_qs << u"cannot write"_qs;
            row("a file as a PDF's directory")
                << compared << u"plain.txt/run.pdf"_qs << u"cannot write"_qs;
            row("a directory as file") << compared << u"folder.pdf"_qs << u"cannot write"_qs;
            row("unknown extension")
                << compared << u"run.bmp"_qs << u"unknown image format \".bmp\""_qs;
            row("no extension") << compared << u"run"_qs << u"no image format"_qs;
        }
    }
    void badPathsFailCleanly()
    {
        QFETCH(bool, compared);
        QFETCH(QString, name);
        QFETCH(QString, error);
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkdir(u"folder.pdf"_qs));
        QFile plain(dir.filePath(u"plain.txt"_qs));
        QVERIFY(plain.open(QIODevice::WriteOnly));
        plain.close();
        const QStringList before =
            QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
        const QString path = dir.filePath(name);
        QString message;
        if (compared) {
            ComparisonExporter exporter({ twoPollModel(), u"A"_qs, nullptr },
                { modelOf(sleepsFor(60ms), 20 * ms), u"B"_qs, nullptr });
            QVERIFY(!exporter.exportTo(path, {}));
            message = exporter.errorString();
        } else {
            TimelineExporter exporter(twoPollModel());
            QVERIFY(!exporter.exportTo(path, {}));
            message = exporter.errorString();
        }
        QVERIFY2(message.contains(error), qPrintable(message));
        QVERIFY2(message.contains(path), qPrintable(message));
        QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
            before);
        QVERIFY(QFileInfo(dir.filePath(u"folder.pdf"_qs)).isDir());
    }

    void unwritableDirectoryFailsCleanly()
    {
        TimelineExporter exporter(twoPollModel());
        // A file system nobody may create files in, not even root.
        if (QFileInfo(u"/proc/self"_qs).isDir()) {
            QVERIFY(!exporter.exportTo(u"/proc/pollscope-export.png"_qs, {}));
            QVERIFY2(
                exporter.errorString().startsWith(u"cannot write /proc/pollscope-export.png: "),
                qPrintable(exporter.errorString()));
            QVERIFY(!QFile::exists(u"/proc/pollscope-export.png"_qs));
        }
        // A directory without write permission.
        QTemporaryDir dir;
        const QString locked = dir.filePath(u"locked"_qs);
        QVERIFY(QDir().mkdir(locked));
        QVERIFY(QFile::setPermissions(locked, QFile::ReadOwner | QFile::ExeOwner));
        const auto unlock = qScopeGuard([&] {
            QFile::setPermissions(locked, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        });
        if (::geteuid() == 0)
            QSKIP("root writes into read-only directories");
        for (const QString& name : { u"run.png"_qs, u"run.svg"_qs, u"run.pdf"_qs }) {
            QVERIFY(!exporter.exportTo(locked + u'/' + name, {}));
            QVERIFY2(exporter.errorString().startsWith(u"cannot write " + locked),
                qPrintable(exporter.errorString()));
        }
        QVERIFY(QDir(locked).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden));
    }

    void badOptionsLeaveTheOldFile_data()
    {
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("height");
        QTest::addColumn<qreal>("scale");
        QTest::addColumn<bool>("emptyRange");
        QTest::addColumn<QString>("error");
        QTest::newRow("narrow") << 100 << 0 << 1.0 << false
                                << u"the width must be 320 to 32767 pixels, not 100"_qs;
        QTest::newRow("tall") << 800 << 40000 << 1.0 << false << u"the height must be"_qs;
        QTest::newRow("scale 0") << 800 << 0 << 0.0 << false << u"the scale must be 0.5 to 8"_qs;
        QTest::newRow("huge") << 30000 << 30000 << 1.0 << false << u"too large"_qs;
        QTest::newRow("empty range") << 800 << 0 << 1.0 << true << u"the time range is empty"_qs;
    }
    void badOptionsLeaveTheOldFile()
    {
        QFETCH(int, width);
        QFETCH(int, height);
        QFETCH(qreal, scale);
        QFETCH(bool, emptyRange);
        QFETCH(QString, error);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"old.png"_qs);
        QFile old(path);
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write("old contents");
        old.close();
        TimelineExporter exporter(twoPollModel());
        TimelineExportOptions options;
        options.width = width;
        options.height = height;
        options.scale = scale;
        if (emptyRange)
            options.range = TimeRange { 5 * ms, 5 * ms };
        QVERIFY(!exporter.exportTo(path, options));
        QVERIFY2(exporter.errorString().contains(error), qPrintable(exporter.errorString()));
        QCOMPARE(readAll(path), QByteArray("old contents"));
        QCOMPARE(
            QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList { u"old.png"_qs });
        // A good export replaces it whole.
        QVERIFY(exporter.exportTo(path, {}));
        QVERIFY(readAll(path).startsWith("\x89PNG"));
    }

    void aFailingDeviceIsAnError_data()
    {
        QTest::addColumn<int>("format");
        QTest::newRow("png") << int(ImageFormat::Png);
        QTest::newRow("svg") << int(ImageFormat::Svg);
        QTest::newRow("pdf") << int(ImageFormat::Pdf);
    }
    void aFailingDeviceIsAnError()
    {
        QFETCH(int, format);
        TimelineExporter exporter(twoPollModel());
        TimelineExportOptions options;
        options.format = ImageFormat(format);
        QBuffer readOnly;
        QVERIFY(readOnly.open(QIODevice::ReadOnly));
        QVERIFY(!exporter.write(readOnly, options));
        QVERIFY2(exporter.errorString().startsWith(u"cannot "), qPrintable(exporter.errorString()));
        QBuffer writable;
        QVERIFY(writable.open(QIODevice::WriteOnly));
        QVERIFY2(exporter.write(writable, options), qPrintable(exporter.errorString()));
        QVERIFY(writable.size() > 1000);
        // Without a format there is nothing to go by.
        options.format.reset();
        QVERIFY(!exporter.write(writable, options));
        QCOMPARE(exporter.errorString(), u"no image format given"_qs);
    }

    void commandLineDrawsTheSamePicture()
    {
        // `pollscope run --export` and the window's exporter: the same pixels.
        const Scenario s = builtin(u"blocking-in-loop"_qs);
        QVERIFY(s.model);
        const QString path = m_dir.filePath(u"cli.png"_qs);
        QProcess process;
        process.start(QStringLiteral(POLLSCOPE_BINARY),
            { u"run"_qs, u"blocking-in-loop"_qs, u"--export"_qs, path, u"--width"_qs, u"1000"_qs,
                u"--theme"_qs, u"dark"_qs, u"--range"_qs, u"150ms..310ms"_qs });
        QVERIFY(process.waitForFinished(60'000));
        QCOMPARE(process.exitCode(), 0);
        QImage cli;
        QVERIFY(cli.load(path, "PNG"));
        TimelineExporter exporter(s.model);
        TimelineExportOptions options;
        options.width = 1000;
        options.dark = true;
        options.range = TimeRange { 150 * ms, 310 * ms };
        options.title = s.title;
        options.markers = diagnosticMarkers(s.diagnostics); // the window's warning signs
        QVERIFY(!options.markers->empty());
        const QImage own = exporter.renderImage(options);
        QCOMPARE(cli.size(), own.size());
        QCOMPARE(
            cli.convertToFormat(QImage::Format_RGB32), own.convertToFormat(QImage::Format_RGB32));
    }

    void dialogStartsFromTheWindow()
    {
        const Scenario s = builtin(u"spawn-first"_qs);
        TimelineViewport view;
        view.size = QSize(1000, 400);
        view.range = TimeRange { 10 * ms, 90 * ms };
        view.eventLimit = s.model->eventLimit(5);
        view.cursorTime = s.model->cursorTime(5);
        view.title = s.title;
        ExportDialog dialog(s.model, view, true);
        if (!qEnvironmentVariableIsEmpty("POLLSCOPE_TEST_OUTPUT")) {
            dialog.resize(dialog.sizeHint());
            const QString shot = m_dir.filePath(u"export-dialog.png"_qs);
            QVERIFY(dialog.grab().save(shot));
            keep(shot);
        }
        TimelineExportOptions o = dialog.options();
        QCOMPARE(o.format, ImageFormat::Png);
        QVERIFY(dialog.fileName().endsWith(u"/spawn-first-then-await.png"));
        QCOMPARE(o.range, std::optional<TimeRange>(view.range)); // zoomed in: the visible range
        QCOMPARE(o.width, 1000);
        // The window's height, down to what the lanes need.
        TimelineExportOptions all;
        all.width = 1000;
        all.title = s.title;
        const int lanesEnd = TimelineExporter(s.model).viewport(all).size.height();
        QVERIFY(lanesEnd < 400);
        QCOMPARE(o.height, lanesEnd);
        QCOMPARE(o.dark, true);
        QCOMPARE(o.title, s.title);
        QCOMPARE(o.eventLimit, view.eventLimit);
        QCOMPARE(o.cursorTime, view.cursorTime);

        // The format follows the name; a name without extension gets the chosen format's.
        dialog.setFileName(m_dir.filePath(u"from-dialog.svg"_qs));
        QCOMPARE(dialog.options().format, ImageFormat::Svg);
        dialog.setFileName(m_dir.filePath(u"from-dialog"_qs));
        QCOMPARE(dialog.options().format, ImageFormat::Svg);
        QVERIFY(dialog.exportTo());
        QCOMPARE(dialog.fileName(), m_dir.filePath(u"from-dialog.svg"_qs));
        const SvgSummary svg = readSvg(readAll(dialog.fileName()));
        QVERIFY(svg.ok);
        QCOMPARE(svg.size, QSize(1000, lanesEnd));
        // Up to the cursor at position 5 and within 10..90 ms: the polls that lie there.
        std::size_t expected = 0;
        for (std::size_t i = 0; i < 5; ++i)
            expected += s.model->poll(i).end >= 10 * ms && s.model->poll(i).start <= 90 * ms;
        QCOMPARE(std::size_t(std::count_if(svg.polls.begin(), svg.polls.end(),
                     [](const SvgRect& r) { return r.cls == u"poll"; })),
            expected);
    }

    void dialogWholeRunWithoutCursor()
    {
        const auto model = twoPollModel();
        TimelineViewport view;
        view.size = QSize(200, 50); // smaller than an export may be: raised to the minimum
        view.range = fitRange(model->bounds());
        ExportDialog dialog(model, view, false);
        const TimelineExportOptions o = dialog.options();
        QVERIFY(!o.range); // showing everything: the whole run
        QCOMPARE(o.width, ImageExportOptions::kMinWidth);
        QCOMPARE(o.height, ImageExportOptions::kMinHeight);
        QCOMPARE(o.eventLimit, kAllEvents);
        QCOMPARE(o.cursorTime, kNever);
        QCOMPARE(o.dark, false);
        QVERIFY(dialog.fileName().endsWith(u"/timeline.png"));
    }

    void exportsLeaveOutTheVisibleSpan()
    {
        // The window shows the zoom's span ("↔ 52.5 ms") left of the ruler; on a slide it
        // means nothing, and the ruler has the times.
        const auto model = twoPollModel();
        TimelineExporter exporter(model);
        TimelineExportOptions options;
        options.width = 800;
        const QImage image = exporter.renderImage(options);
        const TimelineViewport viewport = exporter.viewport(options);
        const TimelineLayout layout = exporter.renderer().layout(viewport);
        const QRect corner(0, layout.ruler.top() + 1, TimelineRenderer::kLabelWidth - 1,
            layout.ruler.height() - 2);
        const QColor header = exporter.renderer().theme().header;
        const auto blank = [&](const QImage& frame) {
            for (int y = corner.top(); y <= corner.bottom(); ++y)
                for (int x = corner.left(); x <= corner.right(); ++x)
                    if (QColor(frame.pixel(x, y)) != header)
                        return false;
            return true;
        };
        QVERIFY(blank(image));
        TimelineRenderer window; // the same frame in the window has it
        window.setModel(model);
        TimelineViewport shown = viewport;
        shown.showSpan = true;
        QVERIFY(!blank(window.render(shown)));
    }

    void dialogWindowSizeCropsToTheLanes()
    {
        // A window much taller than a short run's lanes: the export stops below the last lane.
        const auto model = twoPollModel();
        TimelineViewport view;
        view.size = QSize(1000, 600);
        view.range = fitRange(model->bounds());
        view.title = u"Two polls"_qs;
        ExportDialog dialog(model, view, false);
        const TimelineExportOptions o = dialog.options();
        QCOMPARE(o.width, 1000);
        TimelineExporter exporter(model);
        const TimelineViewport frame = exporter.viewport(o);
        const int lanesEnd = exporter.renderer().layout(frame).lanes.top() +
            model->laneCount() * TimelineRenderer::kLaneHeight;
        QCOMPARE(o.height, lanesEnd);
        QVERIFY(o.height < 300);
        const QString path = m_dir.filePath(u"window-size.png"_qs);
        dialog.setFileName(path);
        QVERIFY(dialog.exportTo());
        keep(path);
        QImage image;
        QVERIFY(image.load(path, "PNG"));
        QCOMPARE(image.size(), QSize(1000, lanesEnd));
    }

    void dialogCursorAtTheEndIsNoCursor()
    {
        // After a run the cursor stands at its end and hides nothing: the export is of the
        // whole run without the cursor's line over its last polls.
        const Scenario s = builtin(u"select-timeout"_qs);
        QVERIFY(s.model);
        const std::size_t end = s.model->pollCount();
        TimelineViewport view;
        view.size = QSize(1000, 500);
        view.range = fitRange(s.model->bounds());
        view.eventLimit = s.model->eventLimit(end);
        view.cursorTime = s.model->cursorTime(end);
        ExportDialog dialog(s.model, view, false);
        const TimelineExportOptions o = dialog.options();
        QVERIFY(!o.range);
        QCOMPARE(o.eventLimit, kAllEvents);
        QCOMPARE(o.cursorTime, kNever);
        const auto buttons = dialog.findChildren<QRadioButton*>();
        const auto upToCursor =
            std::find_if(buttons.begin(), buttons.end(), [](const QRadioButton* b) {
                return b->text().startsWith(u"Up to the playback cursor");
            });
        QVERIFY(upToCursor != buttons.end());
        QVERIFY(!(*upToCursor)->isEnabled());
        QVERIFY(!(*upToCursor)->isChecked());
        const QString path = m_dir.filePath(u"whole-run.png"_qs);
        dialog.setFileName(path);
        QVERIFY(dialog.exportTo());
        keep(path);
        QImage image;
        QVERIFY(image.load(path, "PNG"));
        const QColor cursor = TimelineTheme::light().cursor;
        for (int y = 0; y < image.height(); ++y)
            for (int x = TimelineRenderer::kLabelWidth; x < image.width(); ++x)
                QVERIFY2(QColor(image.pixel(x, y)) != cursor,
                    qPrintable(QStringLiteral("(%1, %2)").arg(x).arg(y)));
        // One step back the cursor hides the last poll: up to it is offered, and the default.
        view.eventLimit = s.model->eventLimit(end - 1);
        view.cursorTime = s.model->cursorTime(end - 1);
        ExportDialog before(s.model, view, false);
        QCOMPARE(before.options().eventLimit, view.eventLimit);
        QCOMPARE(before.options().cursorTime, view.cursorTime);
    }

    void dialogRangesStartAtTheRun()
    {
        // A view that shows time before the run: the dialog offers, and exports, the range from
        // the start of the run, never a negative time.
        const auto model = twoPollModel();
        TimelineViewport view;
        view.size = QSize(1000, 300);
        view.range = TimeRange { -2'400'000, 30 * ms };
        ExportDialog dialog(model, view, false);
        const auto buttons = dialog.findChildren<QRadioButton*>();
        const auto visible = std::find_if(buttons.begin(), buttons.end(),
            [](const QRadioButton* b) { return b->text().startsWith(u"Visible range"); });
        QVERIFY(visible != buttons.end());
        QCOMPARE((*visible)->text(), u"Visible range (0 \u2013 30 ms)"_qs);
        QVERIFY((*visible)->isChecked());
        QCOMPARE(dialog.options().range, std::optional<TimeRange>(TimeRange { 0, 30 * ms }));
    }

    void dialogShowsErrors()
    {
        const auto model = twoPollModel();
        TimelineViewport view;
        view.size = QSize(800, 300);
        view.range = fitRange(model->bounds());
        ExportDialog dialog(model, view, false);
        const QString path = m_dir.filePath(u"missing/run.png"_qs);
        dialog.setFileName(path);
        bool shown = false;
        QTimer::singleShot(0, [&] {
            if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget())) {
                shown = box->text().contains(u"cannot write " + path);
                box->accept();
            }
        });
        QVERIFY(!dialog.exportTo());
        QVERIFY(shown);
        QVERIFY(dialog.errorString().startsWith(u"cannot write " + path));
        QVERIFY(!QFile::exists(path));
        // accept() keeps the dialog open on failure.
        dialog.setFileName(m_dir.filePath(u"run.gif"_qs));
        QTimer::singleShot(0, [] {
            if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget()))
                box->accept();
        });
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        QVERIFY(dialog.errorString().contains(u"unknown image format"));
    }

    // Comparisons: two runs as one picture.

    void comparisonPngStacksBothRunsOnOneTimeAxis()
    {
        // Both runs poll main at 0 ms; the first is Ready at 30 ms, the second at 60 ms.
        const auto before = twoPollModel();
        const auto after = modelOf(sleepsFor(60ms), 20 * ms);
        ComparisonExporter exporter(
            { before, u"Before"_qs, nullptr }, { after, u"After"_qs, nullptr });
        ComparisonExportOptions options;
        options.width = TimelineRenderer::kLabelWidth + kTimeOriginInset + 1000;
        options.headline = u"`main` took 30 ms longer"_qs;
        const QString path = m_dir.filePath(u"comparison.png"_qs);
        QVERIFY2(exporter.exportTo(path, options), qPrintable(exporter.errorString()));
        keep(path);
        QImage image;
        QVERIFY(image.load(path, "PNG"));
        QCOMPARE(image.text(u"Title"_qs), u"main took 30 ms longer"_qs); // without backticks

        // Headline, first timeline, a gap, second timeline: each as tall as a single export.
        const ComparisonExporter::Layout layout = exporter.layout(options);
        QCOMPARE(image.size(), layout.size);
        QCOMPARE(layout.headline.top(), 0);
        QVERIFY(layout.headline.height() > ComparisonExporter::kHeadlinePixelSize);
        const QRect first = layout.sections[0].rect;
        const QRect second = layout.sections[1].rect;
        QCOMPARE(first.top(), layout.headline.bottom() + 1);
        QCOMPARE(second.top(), first.bottom() + 1 + ComparisonExporter::kSectionGap);
        QCOMPARE(image.height(), second.bottom() + 1);
        for (const auto& [model, title, rect] : { std::tuple { before, u"Before"_qs, first },
                 std::tuple { after, u"After"_qs, second } }) {
            TimelineExportOptions single;
            single.width = options.width;
            single.title = title;
            QCOMPARE(rect.height(), TimelineExporter(model).viewport(single).size.height());
            QVERIFY(image.height() > rect.height() + layout.headline.height());
        }

        const TimelineTheme theme = TimelineTheme::light();
        const auto at = [&](QPoint p) { return QColor(image.pixel(p)); };
        // The headline's text on the background; each title on its timeline's header.
        QCOMPARE(at(QPoint(1, 1)), theme.background);
        QVERIFY(pixelsOtherThan(image, layout.headline.adjusted(0, 0, -options.width / 2, 0),
                    theme.background) > 100);
        for (const QRect& rect : { first, second }) {
            QCOMPARE(at(rect.topLeft() + QPoint(2, 2)), theme.header);
            QVERIFY(pixelsOtherThan(
                        image, QRect(rect.left() + 10, rect.top() + 5, 60, 20), theme.header) > 50);
        }
        QCOMPARE(
            at(QPoint(2, first.bottom() + ComparisonExporter::kSectionGap / 2)), theme.background);

        // Each run's polls where its renderer puts them, moved to its section.
        std::array<QRect, 2> pending, ready;
        for (int run = 0; run < 2; ++run) {
            const auto& section = layout.sections[std::size_t(run)];
            const TimelineViewport viewport = exporter.timeline(run).viewport(section.options);
            const TimelineRenderer& renderer = exporter.timeline(run).renderer();
            QCOMPARE(viewport.range, fitRange(TimeRange { 0, 80 * ms })); // both runs
            for (const int lane : { 1, TimelineModel::workerLane() }) {
                pending[std::size_t(run)] =
                    renderer.pollRect(viewport, lane, 0).translated(section.rect.topLeft());
                ready[std::size_t(run)] =
                    renderer.pollRect(viewport, lane, 1).translated(section.rect.topLeft());
                QVERIFY(section.rect.contains(ready[std::size_t(run)]));
                QCOMPARE(at(pending[std::size_t(run)].center()), theme.pending);
                QCOMPARE(at(ready[std::size_t(run)].center()), theme.ready);
                QVERIFY(at(ready[std::size_t(run)].center() + QPoint(0, -14)) != theme.ready);
            }
        }
        // One time axis: 0 ms at the same x in both, and 60 ms twice as far from it as 30 ms.
        QCOMPARE(pending[1].left(), pending[0].left());
        QVERIFY(std::abs((ready[1].left() - pending[1].left()) -
                    2 * (ready[0].left() - pending[0].left())) <= 1);
        QVERIFY(ready[1].left() > ready[0].right());
    }

    void comparisonSvgTitlesThePollsOfBothRuns()
    {
        const Scenario blocking = builtin(u"chat-blocking"_qs);
        const Scenario async = builtin(u"chat-async"_qs);
        QVERIFY(blocking.model && async.model);
        ComparisonExporter exporter(
            { blocking.model, u"Blocking"_qs, diagnosticMarkers(blocking.diagnostics) },
            { async.model, u"Async"_qs, diagnosticMarkers(async.diagnostics) });
        ComparisonExportOptions options;
        options.headline = u"Async finished sooner"_qs;
        const QString path = m_dir.filePath(u"comparison.svg"_qs);
        QVERIFY2(exporter.exportTo(path, options), qPrintable(exporter.errorString()));
        keep(path);
        const SvgSummary svg = readSvg(readAll(path));
        QVERIFY2(svg.ok, qPrintable(svg.error));
        options.format = ImageFormat::Svg;
        const ComparisonExporter::Layout layout = exporter.layout(options);
        QCOMPARE(svg.size, layout.size);
        QCOMPARE(svg.documentTitle, options.headline);
        // Without a headline the document is named by what it is, not as a single timeline.
        QBuffer untitled;
        untitled.open(QIODevice::WriteOnly);
        ComparisonExportOptions noHeadline;
        noHeadline.format = ImageFormat::Svg;
        QVERIFY2(exporter.write(untitled, noHeadline), qPrintable(exporter.errorString()));
        QCOMPARE(readSvg(untitled.data()).documentTitle, u"A Pollscope comparison of two runs"_qs);
        QVERIFY(svg.texts.contains(u"Blocking"_qs));
        QVERIFY(svg.texts.contains(u"Async"_qs));
        QCOMPARE(svg.images, 0);

        // Every poll of each run once on its task's lane and once on the worker's, titled with
        // its run, in its run's section, in its outcome's colour.
        const TimelineTheme theme = TimelineTheme::light();
        static const QRegularExpression titlePattern(
            u"^(Blocking|Async): (\\S+) \u00b7 poll #(\\d+) \u00b7 (Pending|Ready) \u00b7 at .+$"_qs);
        std::map<std::pair<QString, QString>, std::size_t> counts; // (run, class) -> rects
        std::set<QString> seen;
        for (const SvgRect& rect : svg.polls) {
            const QRegularExpressionMatch m = titlePattern.match(rect.title);
            QVERIFY2(m.hasMatch(), qPrintable(rect.title));
            ++counts[{ m.captured(1), rect.cls }];
            const int run = m.captured(1) == u"Blocking" ? 0 : 1;
            QVERIFY2(
                layout.sections[std::size_t(run)].rect.contains(rect.rect), qPrintable(rect.title));
            QCOMPARE(rect.fill, (m.captured(4) == u"Ready" ? theme.ready : theme.pending).name());
            if (rect.cls == u"poll")
                QVERIFY2(seen.insert(rect.title).second, qPrintable(rect.title));
        }
        const std::size_t blockingPolls = pollStarts(blocking.model->trace());
        const std::size_t asyncPolls = pollStarts(async.model->trace());
        QCOMPARE(blockingPolls, std::size_t(32));
        QCOMPARE(asyncPolls, std::size_t(41));
        QCOMPARE((counts[{ u"Blocking"_qs, u"poll"_qs }]), blockingPolls);
        QCOMPARE((counts[{ u"Blocking"_qs, u"worker-poll"_qs }]), blockingPolls);
        QCOMPARE((counts[{ u"Async"_qs, u"poll"_qs }]), asyncPolls);
        QCOMPARE((counts[{ u"Async"_qs, u"worker-poll"_qs }]), asyncPolls);
        QCOMPARE(std::size_t(std::count_if(svg.polls.begin(), svg.polls.end(),
                     [](const SvgRect& r) { return r.cls == u"poll"; })),
            blockingPolls + asyncPolls);

        // The second run's first poll exactly where its renderer puts it in its section.
        const auto& section = layout.sections[1];
        const TimelineViewport viewport = exporter.timeline(1).viewport(section.options);
        const QRect expected = exporter.timeline(1)
                                   .renderer()
                                   .pollRect(viewport, async.model->laneOfTask(0), 0)
                                   .translated(section.rect.topLeft());
        const auto main0 = std::find_if(svg.polls.begin(), svg.polls.end(), [](const SvgRect& r) {
            return r.cls == u"poll" && r.title.startsWith(u"Async: main \u00b7 poll #0 ");
        });
        QVERIFY(main0 != svg.polls.end());
        QCOMPARE(main0->rect, expected);
    }

    void comparisonPdfHasBothRunsAsText()
    {
        const Scenario blocking = builtin(u"chat-blocking"_qs);
        const Scenario async = builtin(u"chat-async"_qs);
        ComparisonExporter exporter(
            { blocking.model, blocking.title, nullptr }, { async.model, async.title, nullptr });
        ComparisonExportOptions options;
        options.width = 1200;
        options.headline = u"`carol` no longer blocks the worker"_qs;
        const QString path = m_dir.filePath(u"comparison.pdf"_qs);
        QVERIFY2(exporter.exportTo(path, options), qPrintable(exporter.errorString()));
        keep(path);
        const QByteArray pdf = readAll(path);
        QCOMPARE(pdf.count("/Type /Page\n"), 1);
        options.format = ImageFormat::Pdf;
        const QSize size = exporter.layout(options).size;
        QVERIFY(pdf.contains(
            QStringLiteral("/MediaBox [0 0 1200.000000 %1.000000]").arg(size.height()).toLatin1()));
        const QStringList texts = pdfTexts(pdf);
        const QString all = texts.join(u" | "_qs);
        QVERIFY2(texts.contains(u"carol no longer blocks the worker"_qs), qPrintable(all));
        QVERIFY2(texts.contains(blocking.title), qPrintable(all));
        QVERIFY2(texts.contains(async.title), qPrintable(all));
        QCOMPARE(texts.count(u"broadcaster"_qs), 2); // a lane of each run
    }

    void comparisonHeightIsThePictures()
    {
        // chat-blocking needs more height than two polls of main: given too little for both,
        // the short timeline keeps what it needs and the tall one gets the rest.
        const auto tall = builtin(u"chat-blocking"_qs).model;
        const auto shortRun = twoPollModel();
        ComparisonExporter exporter(
            { tall, u"Tall"_qs, nullptr }, { shortRun, u"Short"_qs, nullptr });
        ComparisonExportOptions options;
        options.width = 900;
        options.headline = u"Headline"_qs;
        const ComparisonExporter::Layout natural = exporter.layout(options);
        const int top = natural.headline.height();
        const int needTall = natural.sections[0].rect.height();
        const int needShort = natural.sections[1].rect.height();
        QVERIFY(needTall > needShort + 40);
        QCOMPARE(
            natural.size.height(), top + needTall + ComparisonExporter::kSectionGap + needShort);

        // Taller than needed: the picture is as tall as asked, the timelines as tall as they need.
        options.height = natural.size.height() + 50;
        QCOMPARE(exporter.renderImage(options).size(), QSize(900, options.height));
        QCOMPARE(exporter.layout(options).sections[0].rect.height(), needTall);
        QCOMPARE(exporter.layout(options).sections[1].rect.height(), needShort);

        // Too short for both: the short one whole, the tall one cut to what is left.
        options.height = top + ComparisonExporter::kSectionGap + 2 * needShort + 20;
        const ComparisonExporter::Layout cut = exporter.layout(options);
        QCOMPARE(cut.sections[1].rect.height(), needShort);
        QCOMPARE(cut.sections[0].rect.height(), needShort + 20);
        QCOMPARE(cut.sections[1].rect.bottom() + 1, options.height);
        const QImage image = exporter.renderImage(options);
        QCOMPARE(image.size(), QSize(900, options.height));
        // The cut timeline stops at its section: the gap below it is empty.
        const QRect gap(0, cut.sections[0].rect.bottom() + 1, 900, ComparisonExporter::kSectionGap);
        QCOMPARE(pixelsOtherThan(image, gap, TimelineTheme::light().background), 0);

        // Less than two of the smallest exports below the headline: an error, and no file.
        options.height =
            top + ComparisonExporter::kSectionGap + 2 * ImageExportOptions::kMinHeight - 1;
        const QString path = m_dir.filePath(u"too-short.png"_qs);
        QVERIFY(!exporter.exportTo(path, options));
        QVERIFY2(exporter.errorString().startsWith(
                     u"the height must be at least %1 pixels for two timelines"_qs.arg(
                         options.height + 1)),
            qPrintable(exporter.errorString()));
        QVERIFY(!QFile::exists(path));
        ++options.height;
        QVERIFY2(exporter.exportTo(path, options), qPrintable(exporter.errorString()));
    }

    void aCutTimelineShowsWholeLanesAndSaysHowManyItLeavesOut()
    {
        // --height 300 for chat-blocking against chat-async cut each timeline below main, and the
        // top of the next lane showed (its warning sign, a spawn arrowhead) without its name.
        // Each now ends with its last whole lane, nothing of the next below it, and says, left
        // of its ruler, how many lanes it leaves out. So does a single timeline.
        const Scenario blocking = builtin(u"chat-blocking"_qs);
        const Scenario async = builtin(u"chat-async"_qs);
        QVERIFY(blocking.model && async.model);
        ComparisonExporter exporter(
            { blocking.model, blocking.title, diagnosticMarkers(blocking.diagnostics) },
            { async.model, async.title, diagnosticMarkers(async.diagnostics) });
        ComparisonExportOptions options;
        options.headline = u"Chat server, async finished sooner"_qs;
        options.height = 300;
        const QImage image = exporter.renderImage(options);
        QVERIFY2(!image.isNull(), qPrintable(exporter.errorString()));
        image.save(m_dir.filePath(u"cut-comparison.png"_qs));
        keep(m_dir.filePath(u"cut-comparison.png"_qs));
        options.format = ImageFormat::Png;
        const ComparisonExporter::Layout layout = exporter.layout(options);
        const TimelineTheme theme = TimelineTheme::light();
        for (const int run : { 0, 1 }) {
            const auto& section = layout.sections[std::size_t(run)];
            TimelineExporter& timeline = exporter.timeline(run);
            const TimelineLayout lanes =
                timeline.renderer().layout(timeline.viewport(section.options));
            const int laneCount = timeline.renderer().model()->laneCount();
            QCOMPARE(lanes.lastLane, 2); // worker and main
            QCOMPARE(lanes.hiddenLanes, laneCount - 2);
            QCOMPARE(lanes.lanes.height(), 2 * TimelineRenderer::kLaneHeight);
            // Below main, to the section's end: the background, nothing of the next lane.
            const QRect below(0, section.rect.top() + lanes.lanes.bottom() + 1, image.width(),
                section.rect.bottom() - (section.rect.top() + lanes.lanes.bottom()));
            QVERIFY(below.height() > 0);
            QCOMPARE(pixelsOtherThan(image, below, theme.background), 0);
            // The note, in the ruler's corner above the lane names: text on the header colour.
            const QRect note = lanes.cutNote.translated(section.rect.topLeft());
            QCOMPARE(note,
                QRect(section.rect.left(), section.rect.top() + lanes.ruler.top(),
                    TimelineRenderer::kLabelWidth, TimelineRenderer::kRulerHeight));
            QVERIFY(pixelsOtherThan(image, note.adjusted(0, 0, -1, -1), theme.header) > 50);
        }
        // The words, in an SVG: the polls titled are those of the lanes shown, main's.
        options.format = ImageFormat::Svg;
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        QVERIFY2(exporter.write(buffer, options), qPrintable(exporter.errorString()));
        const SvgSummary svg = readSvg(buffer.data());
        QCOMPARE(svg.texts.filter(u"not shown"_qs),
            (QStringList { u"+4 lanes not shown"_qs, u"+4 lanes not shown"_qs }));
        for (const SvgRect& poll : svg.polls) {
            if (poll.cls == u"poll")
                QVERIFY2(poll.title.contains(u": main \u00b7 poll #"_qs), qPrintable(poll.title));
        }

        // A single timeline with room for all but one lane, and one with room for all.
        TimelineExporter single(blocking.model);
        TimelineExportOptions one;
        one.format = ImageFormat::Svg;
        const int all = single.viewport(one).size.height();
        one.height = all - 1;
        QBuffer cut;
        cut.open(QIODevice::WriteOnly);
        QVERIFY2(single.write(cut, one), qPrintable(single.errorString()));
        QCOMPARE(readSvg(cut.data()).texts.filter(u"not shown"_qs),
            QStringList { u"+1 lane not shown"_qs });
        one.height = all;
        QBuffer whole;
        whole.open(QIODevice::WriteOnly);
        QVERIFY2(single.write(whole, one), qPrintable(single.errorString()));
        QVERIFY(readSvg(whole.data()).texts.filter(u"not shown"_qs).isEmpty());
    }

    void commandLineComparisonDrawsTheSamePicture()
    {
        // `pollscope run A --compare B --export` and the comparison exporter: the same pixels,
        // each run titled as the comparison names it, under its headline, with its warning signs.
        const Scenario blocking = builtin(u"chat-blocking"_qs);
        const Scenario async = builtin(u"chat-async"_qs);
        const QString path = m_dir.filePath(u"cli-comparison.png"_qs);
        QProcess process;
        process.start(QStringLiteral(POLLSCOPE_BINARY),
            { u"run"_qs, u"chat-blocking"_qs, u"--compare"_qs, u"chat-async"_qs, u"--export"_qs,
                path, u"--width"_qs, u"1200"_qs, u"--range"_qs, u"100ms..650ms"_qs });
        QVERIFY(process.waitForFinished(60'000));
        QCOMPARE(process.exitCode(), 0);
        QImage cli;
        QVERIFY(cli.load(path, "PNG"));
        const Comparison comparison =
            compareRuns(blocking.model->trace(), blocking.title, async.model->trace(), async.title);
        ComparisonExporter exporter(
            { blocking.model, blocking.title, diagnosticMarkers(blocking.diagnostics) },
            { async.model, async.title, diagnosticMarkers(async.diagnostics) });
        ComparisonExportOptions options;
        options.width = 1200;
        options.range = TimeRange { 100 * ms, 650 * ms };
        options.headline = comparison.headline;
        const QImage own = exporter.renderImage(options);
        QVERIFY(!own.isNull());
        QCOMPARE(cli.size(), own.size());
        QCOMPARE(
            cli.convertToFormat(QImage::Format_RGB32), own.convertToFormat(QImage::Format_RGB32));
    }

    void comparisonWindowExportsOnePicture()
    {
        const Scenario blocking = builtin(u"chat-blocking"_qs);
        const Scenario async = builtin(u"chat-async"_qs);
        ComparisonWindow window;
        // Nothing to export before the runs arrive.
        QVERIFY(!window.exportImageAction().isEnabled());
        QVERIFY(!window.exportDialog());
        window.setRuns(runResult(blocking), u"blocking"_qs, runResult(async), u"async"_qs);
        window.resize(1300, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        // The main window's shortcut, and a button beside the headline.
        QCOMPARE(window.exportImageAction().shortcut(), QKeySequence(Qt::CTRL | Qt::Key_E));
        QVERIFY(window.exportImageAction().isEnabled());
        QVERIFY(window.actions().contains(&window.exportImageAction()));
        const auto buttons = window.findChildren<QPushButton*>();
        const auto button = std::find_if(buttons.begin(), buttons.end(),
            [](const QPushButton* b) { return b->text() == u"Export Image\u2026"; });
        QVERIFY(button != buttons.end());
        QVERIFY((*button)->isVisible() && (*button)->isEnabled());
        QVERIFY(
            (*button)->mapTo(&window, QPoint()).y() < window.before().mapTo(&window, QPoint()).y());

        // The dialog starts from the window: its width, both runs whole, the headline.
        const std::unique_ptr<ExportDialog> dialog = window.exportDialog();
        QVERIFY(dialog);
        TimelineExportOptions o = dialog->options();
        QVERIFY(!o.range);
        QCOMPARE(o.width, window.before().frame().size.width());
        QCOMPARE(o.title, messageToPlainText(window.comparison().headline));
        QCOMPARE(o.eventLimit, kAllEvents);
        QVERIFY(dialog->fileName().endsWith(u".png"));
        const QString png = m_dir.filePath(u"window-comparison.png"_qs);
        dialog->setFileName(png);
        QVERIFY(dialog->exportTo());
        keep(png);
        QImage image;
        QVERIFY(image.load(png, "PNG"));
        ComparisonExporter exporter(
            { blocking.model, u"blocking"_qs, nullptr }, { async.model, u"async"_qs, nullptr });
        ComparisonExportOptions expected;
        static_cast<ImageExportOptions&>(expected) = o;
        expected.headline = o.title;
        QCOMPARE(image.size(), exporter.layout(expected).size);
        // Both timelines whole, not cut to the window's height.
        TimelineExportOptions whole = o;
        whole.height = 0;
        QVERIFY(image.height() > TimelineExporter(blocking.model).viewport(whole).size.height() +
                TimelineExporter(async.model).viewport(whole).size.height());

        // Zoomed in, the visible range is the one both timelines show.
        window.after().zoomIn();
        const TimeRange visible = window.before().frame().range;
        QCOMPARE(window.after().frame().range, visible);
        QCOMPARE(window.exportDialog()->options().range, std::optional<TimeRange>(visible));

        // The action opens the dialog; accepting it writes the file.
        const QString svg = m_dir.filePath(u"window-comparison.svg"_qs);
        bool opened = false;
        QTimer::singleShot(0, [&] {
            auto* open = qobject_cast<ExportDialog*>(QApplication::activeModalWidget());
            if (!open)
                return;
            opened = true;
            open->setFileName(svg);
            open->accept();
        });
        window.exportImageAction().trigger();
        QVERIFY(opened);
        const SvgSummary summary = readSvg(readAll(svg));
        QVERIFY(summary.ok);
        QVERIFY(std::any_of(summary.polls.begin(), summary.polls.end(),
            [](const SvgRect& r) { return r.title.startsWith(u"blocking: "); }));
        QVERIFY(std::any_of(summary.polls.begin(), summary.polls.end(),
            [](const SvgRect& r) { return r.title.startsWith(u"async: "); }));
        QCOMPARE(QSettings().value(u"files/exportDir"_qs).toString(), m_dir.path());
        QCOMPARE(window.statusBar().currentMessage(), u"Wrote "_qs + svg);

        // A failure: a message box that names the file, and no file.
        const QString missing = m_dir.filePath(u"missing/comparison.png"_qs);
        const std::unique_ptr<ExportDialog> failing = window.exportDialog();
        failing->setFileName(missing);
        QString message;
        QTimer::singleShot(0, [&] {
            if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget())) {
                message = box->text();
                box->accept();
            }
        });
        QVERIFY(!failing->exportTo());
        QVERIFY2(message.startsWith(u"cannot write " + missing), qPrintable(message));
        QVERIFY(!QFile::exists(missing));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestExport)
#include "tst_export.moc"
