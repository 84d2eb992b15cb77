#include "export/exportdialog.h"

#include "export/exportfolder.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

namespace pollscope {

namespace {

QString rangeText(const TimeRange& range)
{
    return QStringLiteral("%1 \u2013 %2").arg(roundedTime(range.start), roundedTime(range.end));
}

/// A file name made of a title: "Spawn first, then await" -> "spawn-first-then-await".
QString slug(const QString& title)
{
    QString name;
    for (const QChar c : title.toLower()) {
        if (c.isLetterOrNumber() && c.unicode() < 128)
            name += c;
        else if (!name.isEmpty() && !name.endsWith(u'-'))
            name += u'-';
    }
    while (name.endsWith(u'-'))
        name.chop(1);
    return name.isEmpty() ? QStringLiteral("timeline") : name;
}

} // namespace

ExportDialog::ExportDialog(std::shared_ptr<const TimelineModel> model, const TimelineViewport& view,
    bool dark, QWidget* parent)
    : ExportDialog(std::move(model), std::nullopt, view, dark, parent)
{
}

ExportDialog::ExportDialog(
    ComparedRun first, ComparedRun second, const TimelineViewport& view, bool dark, QWidget* parent)
    : ExportDialog(nullptr, std::array<ComparedRun, 2> { std::move(first), std::move(second) },
          view, dark, parent)
{
}

ExportDialog::ExportDialog(std::shared_ptr<const TimelineModel> model,
    std::optional<std::array<ComparedRun, 2>> compared, const TimelineViewport& view, bool dark,
    QWidget* parent)
    : QDialog(parent)
    , m_model(compared ? (*compared)[0].model : std::move(model))
    , m_compared(std::move(compared))
    , m_view(view)
    , m_file(new QLineEdit(this))
    , m_format(new QComboBox(this))
    , m_wholeRun(new QRadioButton(this))
    , m_visibleRange(new QRadioButton(this))
    , m_windowSize(new QRadioButton(this))
    , m_customSize(new QRadioButton(tr("Custom:"), this))
    , m_width(new QSpinBox(this))
    , m_height(new QSpinBox(this))
    , m_allLanes(new QCheckBox(tr("as tall as all lanes need"), this))
    , m_scale(new QComboBox(this))
    , m_theme(new QComboBox(this))
    , m_upToCursor(new QRadioButton(this))
    , m_fullRun(new QRadioButton(tr("The full run"), this))
    , m_title(new QLineEdit(view.title, this))
{
    if (!m_model)
        m_model = std::make_shared<const TimelineModel>();
    if (m_compared) {
        for (ComparedRun& run : *m_compared)
            if (!run.model)
                run.model = std::make_shared<const TimelineModel>();
    }
    setWindowTitle(m_compared ? tr("Export Comparison Image") : tr("Export Image"));

    // File and format.
    auto* browse = new QPushButton(tr("Browse\u2026"), this);
    auto* fileRow = new QHBoxLayout;
    fileRow->addWidget(m_file, 1);
    fileRow->addWidget(browse);
    m_format->addItems({ tr("PNG image"), tr("SVG image (vector)"), tr("PDF document (vector)") });
    const QDir directory(exportFolder());
    const QString name = m_compared
        ? slug((*m_compared)[0].title + u" vs "_qs + (*m_compared)[1].title)
        : slug(view.title);
    m_file->setText(directory.filePath(name + u".png"));

    // Time.
    const TimeRange whole = wholeRange();
    m_wholeRun->setText(m_compared ? tr("Both runs (%1)").arg(rangeText(bounds()))
                                   : tr("Whole run (%1)").arg(rangeText(bounds())));
    m_visibleRange->setText(tr("Visible range (%1)").arg(rangeText(visibleRange())));
    auto* range = new QButtonGroup(this);
    range->addButton(m_wholeRun);
    range->addButton(m_visibleRange);
    const bool zoomed = !view.range.isEmpty() && !(view.range == whole);
    m_visibleRange->setEnabled(!visibleRange().isEmpty());
    (zoomed ? m_visibleRange : m_wholeRun)->setChecked(true);
    auto* rangeBox = new QVBoxLayout;
    rangeBox->addWidget(m_wholeRun);
    rangeBox->addWidget(m_visibleRange);

    // Size and scale.
    const QSize window = windowSize(view.title);
    m_windowSize->setText(
        tr("Window size (%1 \u00d7 %2)").arg(window.width()).arg(window.height()));
    auto* size = new QButtonGroup(this);
    size->addButton(m_windowSize);
    size->addButton(m_customSize);
    m_windowSize->setChecked(true);
    for (QSpinBox* spin : { m_width, m_height }) {
        spin->setSuffix(tr(" px"));
        spin->setMaximum(ImageExportOptions::kMaxSide);
    }
    m_width->setMinimum(ImageExportOptions::kMinWidth);
    m_height->setMinimum(ImageExportOptions::kMinHeight);
    m_width->setValue(std::max(1600, window.width()));
    m_height->setValue(window.height());
    m_allLanes->setChecked(true);
    auto* custom = new QHBoxLayout;
    custom->addWidget(m_customSize);
    custom->addWidget(m_width);
    custom->addWidget(new QLabel(QStringLiteral("\u00d7"), this));
    custom->addWidget(m_height);
    custom->addWidget(m_allLanes);
    custom->addStretch(1);
    auto* sizeBox = new QVBoxLayout;
    sizeBox->addWidget(m_windowSize);
    sizeBox->addLayout(custom);
    const std::pair<const char*, double> scales[] = { { "1\u00d7", 1.0 }, { "1.5\u00d7", 1.5 },
        { "2\u00d7 (high DPI)", 2.0 }, { "3\u00d7", 3.0 }, { "4\u00d7", 4.0 } };
    for (const auto& [label, factor] : scales)
        m_scale->addItem(tr(label), factor);

    // Theme and playback.
    m_theme->addItems({ tr("Light"), tr("Dark") });
    m_theme->setCurrentIndex(dark ? 1 : 0);
    // A cursor at the end of the run hides nothing: the export is of the full run, without it.
    const bool cursor = !m_compared && view.eventLimit != kAllEvents &&
        (view.eventLimit < m_model->eventCount() ||
            (view.cursorTime != kNever && view.cursorTime < m_model->bounds().end));
    m_upToCursor->setText(cursor && view.cursorTime != kNever
            ? tr("Up to the playback cursor (at %1)").arg(roundedTime(view.cursorTime))
            : tr("Up to the playback cursor"));
    m_upToCursor->setEnabled(cursor);
    auto* playback = new QButtonGroup(this);
    playback->addButton(m_upToCursor);
    playback->addButton(m_fullRun);
    (cursor ? m_upToCursor : m_fullRun)->setChecked(true);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Export"));

    auto* form = new QFormLayout;
    form->addRow(tr("File:"), fileRow);
    form->addRow(tr("Format:"), m_format);
    form->addRow(tr("Time:"), rangeBox);
    form->addRow(tr("Size:"), sizeBox);
    form->addRow(tr("Scale:"), m_scale);
    form->addRow(tr("Theme:"), m_theme);
    if (m_compared) {
        // A comparison has no playback cursor: both runs are shown whole.
        m_upToCursor->hide();
        m_fullRun->hide();
        form->addRow(tr("Headline:"), m_title);
    } else {
        // Made here, where the form takes it: a layout no one holds would leak.
        auto* playbackBox = new QVBoxLayout;
        playbackBox->addWidget(m_upToCursor);
        playbackBox->addWidget(m_fullRun);
        form->addRow(tr("Playback:"), playbackBox);
        form->addRow(tr("Title:"), m_title);
    }
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(new QLabel(m_compared
            ? tr("Each run's timeline has its title, time axis, lane names and legend.")
            : tr("The time axis, lane names and legend are always included."),
        this));
    layout->addWidget(buttons);

    connect(browse, &QPushButton::clicked, this, &ExportDialog::browse);
    connect(m_format, &QComboBox::currentIndexChanged, this, &ExportDialog::formatChosen);
    connect(m_file, &QLineEdit::textEdited, this, &ExportDialog::fileNameEdited);
    connect(m_customSize, &QRadioButton::toggled, this, &ExportDialog::updateEnabled);
    connect(m_allLanes, &QCheckBox::toggled, this, &ExportDialog::updateEnabled);
    connect(buttons, &QDialogButtonBox::accepted, this, &ExportDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ExportDialog::reject);
    updateEnabled();
}

void ExportDialog::setFileName(const QString& path)
{
    m_file->setText(path);
    fileNameEdited(path);
}

QString ExportDialog::fileName() const
{
    return m_file->text().trimmed();
}

TimelineExportOptions ExportDialog::options() const
{
    TimelineExportOptions o;
    // The extension decides; an unknown one is left for the exporter to report.
    o.format = imageFormatOf(targetPath());
    if (m_visibleRange->isChecked())
        o.range = visibleRange();
    o.title = m_title->text();
    if (m_windowSize->isChecked()) {
        const QSize size = windowSize(o.title);
        o.width = size.width();
        o.height = size.height();
    } else {
        o.width = m_width->value();
        o.height = m_allLanes->isChecked() ? 0 : m_height->value();
    }
    o.scale = m_scale->currentData().toDouble();
    o.dark = m_theme->currentIndex() == 1;
    o.markers = m_view.markers;
    if (m_upToCursor->isChecked()) {
        o.eventLimit = m_view.eventLimit;
        o.cursorTime = m_view.cursorTime;
        o.dimAfterCursor = m_view.dimAfterCursor;
    }
    return o;
}

TimeRange ExportDialog::bounds() const
{
    if (!m_compared)
        return m_model->bounds();
    return (*m_compared)[0].model->bounds().united((*m_compared)[1].model->bounds());
}

TimeRange ExportDialog::wholeRange() const
{
    return fitRange(bounds());
}

int ExportDialog::contentHeight(const TimelineExportOptions& options) const
{
    if (!m_compared)
        return TimelineExporter(m_model).viewport(options).size.height();
    ComparisonExportOptions o;
    static_cast<ImageExportOptions&>(o) = options;
    o.headline = options.title;
    return ComparisonExporter((*m_compared)[0], (*m_compared)[1]).layout(o).size.height();
}

TimeRange ExportDialog::visibleRange() const
{
    if (m_view.range.isEmpty())
        return m_view.range;
    return TimeRange { std::max(m_view.range.start, bounds().start), m_view.range.end };
}

QSize ExportDialog::windowSize(const QString& title) const
{
    // The window's width; its height, but no more than the lanes need (the window is often
    // taller than a short run's lanes, and the rest would be empty).
    TimelineExportOptions all;
    all.width = std::max(m_view.size.width(), ImageExportOptions::kMinWidth);
    all.title = title;
    const int content = contentHeight(all);
    return QSize(all.width,
        std::max(std::min(m_view.size.height(), content), ImageExportOptions::kMinHeight));
}

QString ExportDialog::targetPath() const
{
    const QString path = fileName();
    if (path.isEmpty() || !QFileInfo(path).suffix().isEmpty())
        return path;
    return path + u'.' + imageExtension(ImageFormat(m_format->currentIndex()));
}

bool ExportDialog::exportTo()
{
    const QString path = targetPath();
    if (path.isEmpty()) {
        m_error = tr("Choose a file to export to.");
    } else {
        const TimelineExportOptions o = options();
        QGuiApplication::setOverrideCursor(Qt::WaitCursor);
        bool ok = false;
        if (m_compared) {
            ComparisonExporter exporter((*m_compared)[0], (*m_compared)[1]);
            ComparisonExportOptions c;
            static_cast<ImageExportOptions&>(c) = o;
            c.headline = o.title;
            ok = exporter.exportTo(path, c);
            m_error = exporter.errorString();
        } else {
            TimelineExporter exporter(m_model);
            ok = exporter.exportTo(path, o);
            m_error = exporter.errorString();
        }
        QGuiApplication::restoreOverrideCursor();
        if (ok) {
            m_error.clear();
            m_file->setText(path);
            rememberExportFolder(path);
            return true;
        }
    }
    QMessageBox::warning(this, tr("Export Failed"), m_error);
    return false;
}

void ExportDialog::accept()
{
    if (exportTo())
        QDialog::accept();
}

void ExportDialog::browse()
{
    const QStringList filters = imageNameFilters();
    QString filter = filters.value(m_format->currentIndex());
    QString path = QFileDialog::getSaveFileName(
        this, tr("Export Image"), targetPath(), filters.join(u";;"), &filter);
    if (path.isEmpty())
        return;
    if (!imageFormatOf(path))
        path += u'.' + imageExtension(ImageFormat(std::max<qsizetype>(0, filters.indexOf(filter))));
    setFileName(path);
}

void ExportDialog::formatChosen(int index)
{
    // The name follows the format: "run.png" becomes "run.svg".
    const QString path = fileName();
    const QFileInfo info(path);
    const QString extension = imageExtension(ImageFormat(index));
    if (path.isEmpty())
        return;
    if (imageFormatOf(path))
        m_file->setText(path.left(path.size() - info.suffix().size()) + extension);
    updateEnabled();
}

void ExportDialog::fileNameEdited(const QString& text)
{
    // ... and the format follows the name's extension.
    if (const std::optional<ImageFormat> format = imageFormatOf(text.trimmed())) {
        const QSignalBlocker blocker(m_format);
        m_format->setCurrentIndex(int(*format));
    }
    updateEnabled();
}

void ExportDialog::updateEnabled()
{
    m_width->setEnabled(m_customSize->isChecked());
    m_allLanes->setEnabled(m_customSize->isChecked());
    m_height->setEnabled(m_customSize->isChecked() && !m_allLanes->isChecked());
    m_scale->setEnabled(m_format->currentIndex() == int(ImageFormat::Png));
}

} // namespace pollscope
