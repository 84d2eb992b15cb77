#include "window/mainwindow.h"

#include "analysis/summary.h"
#include "export/exportdialog.h"
#include "export/exportfolder.h"
#include "io/outputfile.h"
#include "models/eventlogmodel.h"
#include "models/taskmetricsmodel.h"
#include "playback/playbackcontroller.h"
#include "source/sourceview.h"
#include "timeline/timelinemodel.h"
#include "timeline/timelinetheme.h"
#include "timeline/timelineview.h"
#include "timeline/timelinezoom.h"
#include "trace/chrometrace.h"
#include "window/comparisonwindow.h"
#include "window/diagnosticspanel.h"
#include "window/elidedlabel.h"
#include "window/runtimestatepanel.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QPainter>
#include <QProgressBar>
#include <QResizeEvent>
#include <QScreen>
#include <QScrollBar>
#include <QSettings>
#include <QShowEvent>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyleOptionViewItem>
#include <QTabWidget>
#include <QTableView>
#include <QTextBrowser>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QTreeWidget>
#include <QTreeWidgetItemIterator>
#include <QWindow>

#include <algorithm>
#include <utility>

namespace pollscope {

namespace {

constexpr int kMaxRecentFiles = 8;
constexpr int kEntryRole = Qt::UserRole; ///< scenario list: built-in name or file path
constexpr int kVariantRole = Qt::UserRole + 1;
constexpr int kOpenRole = Qt::UserRole + 2; ///< scenario list: the "Open a scenario file…" item
constexpr int kLineRole = Qt::UserRole; ///< problems: the error's line (0: none)
constexpr int kColumnRole = Qt::UserRole + 1; ///< problems: the error's column

/// A palette for the widgets around a dark timeline, from its colours.
QPalette windowPalette(const TimelineTheme& t)
{
    QPalette p;
    p.setColor(QPalette::Window, t.header);
    p.setColor(QPalette::WindowText, t.text);
    p.setColor(QPalette::Base, t.background);
    p.setColor(QPalette::AlternateBase, t.laneStripe);
    p.setColor(QPalette::Text, t.text);
    p.setColor(QPalette::PlaceholderText, t.dimText);
    p.setColor(QPalette::Button, t.header);
    p.setColor(QPalette::ButtonText, t.text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::ToolTipBase, t.laneSeparator);
    p.setColor(QPalette::ToolTipText, t.text);
    p.setColor(QPalette::Highlight, t.rulerSelection);
    p.setColor(QPalette::HighlightedText, t.hatch);
    p.setColor(QPalette::Link, t.ready);
    p.setColor(QPalette::LinkVisited, t.readyEdge);
    // Bevels and frames, from light to shadow.
    p.setColor(QPalette::Light, t.header.lighter(150));
    p.setColor(QPalette::Midlight, t.header.lighter(120));
    p.setColor(QPalette::Mid, t.laneSeparator);
    p.setColor(QPalette::Dark, t.background.darker(130));
    p.setColor(QPalette::Shadow, t.hatch);
    for (const QPalette::ColorRole role :
        { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
        p.setColor(QPalette::Disabled, role, t.tick);
    return p;
}

/// `icon` drawn in `color` where it is opaque.
QIcon tintedIcon(const QIcon& icon, const QColor& color)
{
    QIcon tinted;
    for (const int side : { 16, 24, 32, 48 }) {
        QPixmap pixmap = icon.pixmap(QSize(side, side));
        QPainter painter(&pixmap);
        painter.setCompositionMode(QPainter::CompositionMode_SourceIn);
        painter.fillRect(pixmap.rect(), color);
        painter.end();
        tinted.addPixmap(pixmap);
    }
    return tinted;
}

/// The playback speeds offered in the toolbar: polls per second, or a fraction of virtual time.
struct Speed {
    const char* label;
    double pollsPerSecond; ///< 0: virtual time
    double virtualScale;
};
constexpr Speed kSpeeds[] = {
    { QT_TRANSLATE_NOOP("MainWindow", "1 poll/s"), 1, 0 },      { QT_TRANSLATE_NOOP("MainWindow", "4 polls/s"), 4, 0 },
    { QT_TRANSLATE_NOOP("MainWindow", "16 polls/s"), 16, 0 },   { QT_TRANSLATE_NOOP("MainWindow", "100 polls/s"), 100, 0 },
    { QT_TRANSLATE_NOOP("MainWindow", "1000 polls/s"), 1000, 0 }, { QT_TRANSLATE_NOOP("MainWindow", "time ÷ 100"), 0, 0.01 },
    { QT_TRANSLATE_NOOP("MainWindow", "time ÷ 10"), 0, 0.1 },   { QT_TRANSLATE_NOOP("MainWindow", "real time"), 0, 1 },
};

/// "1 task", "2 tasks": the status bar reads like the command line's summary.
QString countOf(std::uint64_t n, const QString& noun)
{
    return QStringLiteral("%1 %2%3").arg(n).arg(noun, n == 1 ? QString() : u"s"_qs);
}

QString runSummary(const RunResult& result)
{
    const Trace& trace = *result.trace;
    QString text = QStringLiteral("%1 in %2 — %3, %4")
                       .arg(runStatusName(trace.report.status), formatTime(trace.report.elapsed),
                           countOf(trace.tables.tasks.size(), u"task"_qs),
                           countOf(trace.report.polls, u"poll"_qs));
    if (!trace.virtualClock)
        text += MainWindow::tr(" (Qt event loop, wall clock)");
    return text;
}

/// How the scenario list names an entry: a built-in by its name, a file by its path.
QString entryKey(const ScenarioEntry& entry)
{
    return entry.path.startsWith(u':') ? entry.name : entry.path;
}

/// An entry's title, or its name if it has none.
QString displayTitle(const ScenarioEntry& entry)
{
    return entry.title.isEmpty() ? entry.name : entry.title;
}

/// A run's name in a comparison: its variant, or its scenario's title.
QString comparedName(const RunResult& result)
{
    return result.request.variant.isEmpty() ? result.program->info.title : result.request.variant;
}

/// A script error as the Problems list and the status bar give it: "file:line:column: message",
/// or "file: message" when it has no place in the text.
QString problemText(const QString& file, const ScriptError& error)
{
    const SourceLocation& at = error.location;
    if (at.line <= 0)
        return QStringLiteral("%1: %2").arg(file, error.message);
    return QStringLiteral("%1:%2:%3: %4").arg(file).arg(at.line).arg(at.column).arg(error.message);
}

/// The width the Tasks table's End column needs for any word it can show (taskEndWords(), at
/// any cursor) and for its header: a cell's text measured as the table's delegate measures it.
int endColumnWidth(const QTableView& table)
{
    QStyleOptionViewItem option;
    option.initFrom(&table);
    option.features = QStyleOptionViewItem::HasDisplay;
    const int grid = table.showGrid() ? 1 : 0; // as QTableView::sizeHintForColumn() adds
    int width = table.horizontalHeader()->sectionSizeHint(TaskMetricsModel::EndColumn);
    for (const QString& word : taskEndWords()) {
        option.text = word;
        const QSize cell =
            table.style()->sizeFromContents(QStyle::CT_ItemViewItem, &option, QSize(), &table);
        width = std::max(width, cell.width() + grid);
    }
    return width;
}

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_runner(new ScenarioRunner(this))
    , m_compareRunner(new ScenarioRunner(this))
    , m_watcher(new QFileSystemWatcher(this))
    , m_timeline(new TimelineView(this))
    , m_playback(new PlaybackController(this))
{
    setWindowTitle(tr("Pollscope"));
    setObjectName(u"MainWindow"_qs);
    m_lightPalette = QApplication::palette();
    m_centre = new QStackedWidget(this);
    m_centre->addWidget(m_timeline);
    m_noRunNotice = new QLabel(this);
    m_noRunNotice->setObjectName(u"NoRunNotice"_qs);
    m_noRunNotice->setAlignment(Qt::AlignCenter);
    m_noRunNotice->setWordWrap(true);
    m_noRunNotice->setAutoFillBackground(true);
    m_noRunNotice->setBackgroundRole(QPalette::Base);
    m_centre->addWidget(m_noRunNotice);
    setCentralWidget(m_centre);
    m_timeline->setFocus();

    createActions();
    createDocks();
    createMenus();
    createToolBars();
    fillScenarioList();

    // Status bar: the narration of the current step, then the run's outcome or progress.
    m_narrationLabel = new ElidedLabel(this);
    m_narrationLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_runLabel = new QLabel(this);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 0);
    m_progress->setMaximumWidth(120);
    m_progress->hide();
    m_cancelButton = new QToolButton(this);
    m_cancelButton->setDefaultAction(m_stopAction);
    m_cancelButton->hide();
    statusBar()->addWidget(m_narrationLabel, 1);
    statusBar()->addPermanentWidget(m_runLabel);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancelButton);

    connect(m_runner, &ScenarioRunner::finished, this, &MainWindow::showResult);
    connect(m_runner, &ScenarioRunner::compileFailed, this, &MainWindow::showCompileErrors);
    connect(m_runner, &ScenarioRunner::partialRun, this, &MainWindow::showLive);
    connect(m_runner, &ScenarioRunner::progress, this, [this](qint64 events) {
        if (!m_runAgain) // a run being cancelled for a newer request counts no more
            m_runLabel->setText(tr("Running… %L1 events").arg(events));
    });
    connect(m_runner, &ScenarioRunner::runningChanged, this, [this](bool running) {
        m_progress->setVisible(running);
        m_cancelButton->setVisible(running);
        m_stopAction->setEnabled(running);
        if (!running && std::exchange(m_runAgain, false))
            startRun();
    });

    // "Running … to compare…" stays while the second run computes, however long, and goes
    // when it ends either way (unless another message, such as an export's, replaced it).
    connect(m_compareRunner, &ScenarioRunner::runningChanged, this, [this](bool running) {
        if (!running && statusBar()->currentMessage() == compareMessage())
            statusBar()->clearMessage();
    });
    connect(m_compareRunner, &ScenarioRunner::finished, this, [this](std::shared_ptr<const RunResult> other) {
        if (!m_result)
            return;
        if (!m_comparison) {
            m_comparison = new ComparisonWindow(this);
            m_comparison->setTheme(m_timeline->theme());
        }
        // A run on the Qt event loop says so: its times are wall-clock.
        const auto label = [this](const RunResult& run, const QString& name) {
            return run.request.runtime == RuntimeKind::EventLoop
                ? tr("%1 (Qt event loop)").arg(name)
                : name;
        };
        m_comparison->setRuns(m_result, label(*m_result, comparedName(*m_result)), other,
            label(*other, m_compareLabel));
        m_comparison->show();
        m_comparison->raise();
    });
    connect(m_compareRunner, &ScenarioRunner::compileFailed, this, [this](const CompileResult& result, const RunRequest&) {
        QMessageBox::warning(this, tr("Cannot Compare"), result.errorText());
    });

    connect(m_playback, &PlaybackController::cursorChanged, this, &MainWindow::followCursor);
    connect(m_playback, &PlaybackController::pollCountChanged, this, &MainWindow::updateRunActions);
    connect(m_playback, &PlaybackController::playingChanged, this, [this](bool playing) {
        m_playAction->setText(playing ? tr("Pause") : tr("Play"));
        updatePlaybackIcons();
    });
    connect(m_timeline, &TimelineView::seekRequested, m_playback, &PlaybackController::seekToTime);
    connect(m_timeline->zoom(), &TimelineZoom::selectedTaskChanged, this,
        &MainWindow::showSelectedTask);
    connect(m_timeline, &TimelineView::pollSelected, this, [this](qint64 event) {
        if (event < 0)
            return;
        if (const std::ptrdiff_t sequence = m_timeline->model()->pollOfEvent(std::size_t(event));
            sequence >= 0)
            showPollDetails(std::size_t(sequence));
    });
    connect(m_timeline, &TimelineView::wakeSelected, this, [this](qint64 event) {
        // As a click on a poll: told, its line shown (the await it wakes), its row selected.
        const TimelineModel& model = *m_timeline->model();
        m_narrationLabel->setFullText(model.narration().wakeEventSentence(std::size_t(event)));
        revealSourceLine(model.trace().line(model.trace().events[std::size_t(event)].span));
        showEventInLog(model, std::size_t(event));
    });
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, [this](const QString& path) {
        // Editors save by replacing the file: wait a moment, watch the new one, reload.
        QTimer::singleShot(150, this, [this, path] {
            if (m_entry.path != path || !QFileInfo::exists(path))
                return;
            m_watcher->addPath(path);
            ScenarioEntry entry;
            QString error;
            if (ScenarioLibrary::load(path, entry, error))
                open(entry, m_variant);
        });
    });

    QSettings settings;
    if (!restoreGeometry(settings.value(u"window/geometry"_qs).toByteArray())) {
        m_firstStartSize = firstStartSize();
        resize(m_firstStartSize);
    }
    if (!restoreState(settings.value(u"window/state"_qs).toByteArray())) {
        // First start: the timeline gets most of the room (fitSideDocks() on the first show
        // narrows these for a small window).
        m_defaultDocks = true;
        resizeDocks({ findChild<QDockWidget*>(u"ScenarioDock"_qs), findChild<QDockWidget*>(u"SourceDock"_qs) }, { 250, 400 },
                    Qt::Horizontal);
        resizeDocks({ findChild<QDockWidget*>(u"DetailsDock"_qs) }, { 230 }, Qt::Vertical);
    }
    setTheme(settings.value(u"view/dark"_qs, false).toBool());
    m_dimAction->setChecked(settings.value(u"view/dimAhead"_qs, false).toBool());
    updateRecentFiles();
    showNoRun(tr("Pick a scenario to run"));
}

MainWindow::~MainWindow()
{
    // Stop the runs before the views they feed go away: a runner's destructor cancels its run
    // and waits for the worker, and emits nothing more. Then no child (a tab widget losing its
    // pages, say) may call back into this half-destroyed window while Qt deletes them.
    delete m_compareRunner;
    delete m_runner;
    for (QObject* child : findChildren<QObject*>())
        child->disconnect(this);
}

void MainWindow::createActions()
{
    auto action = [this](const QString& text, const QKeySequence& key, QStyle::StandardPixmap icon = QStyle::SP_CustomBase) {
        auto* a = new QAction(text, this);
        if (!key.isEmpty())
            a->setShortcut(key);
        if (icon != QStyle::SP_CustomBase)
            a->setIcon(style()->standardIcon(icon));
        addAction(a);
        return a;
    };
    m_openAction = action(tr("&Open…"), QKeySequence::Open, QStyle::SP_DialogOpenButton);
    connect(m_openAction, &QAction::triggered, this, [this] {
        const QString dir = QSettings().value(u"files/lastDir"_qs).toString();
        const QString path = QFileDialog::getOpenFileName(this, tr("Open Scenario"), dir, tr("Scenarios (*.scn);;All files (*)"));
        if (!path.isEmpty())
            openFile(path);
    });
    m_runAgainAction = action(tr("&Run Again"), QKeySequence(Qt::Key_F5), QStyle::SP_BrowserReload);
    connect(m_runAgainAction, &QAction::triggered, this, &MainWindow::startRun);
    m_stopAction = action(tr("&Stop"), QKeySequence(Qt::CTRL | Qt::Key_Period), QStyle::SP_BrowserStop);
    m_stopAction->setEnabled(false);
    connect(m_stopAction, &QAction::triggered, m_runner, &ScenarioRunner::cancel);
    m_exportImageAction = action(tr("Export &Image…"), QKeySequence(Qt::CTRL | Qt::Key_E));
    connect(m_exportImageAction, &QAction::triggered, this, &MainWindow::exportImage);
    m_exportTraceAction = action(tr("Export Trace for &Perfetto…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    connect(m_exportTraceAction, &QAction::triggered, this, &MainWindow::exportTrace);
    m_quitAction = action(tr("&Quit"), QKeySequence::Quit);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    m_playAction = action(tr("Play"), QKeySequence(Qt::Key_Space));
    connect(m_playAction, &QAction::triggered, m_playback, [this] {
        if (m_playback->atEnd() && !m_playback->isPlaying())
            m_playback->goToStart();
        m_playback->togglePlaying();
    });
    m_stepAction = action(tr("Step"), QKeySequence(Qt::Key_Right));
    connect(m_stepAction, &QAction::triggered, m_playback, &PlaybackController::stepForward);
    m_stepBackAction = action(tr("Step Back"), QKeySequence(Qt::Key_Left));
    connect(m_stepBackAction, &QAction::triggered, m_playback, &PlaybackController::stepBack);
    m_nextOfTaskAction = action(tr("Next Poll of Selected Task"), QKeySequence(Qt::CTRL | Qt::Key_Right));
    connect(m_nextOfTaskAction, &QAction::triggered, this,
        [this] { m_playback->nextPollOfTask(steppedTask()); });
    m_previousOfTaskAction = action(tr("Previous Poll of Selected Task"), QKeySequence(Qt::CTRL | Qt::Key_Left));
    connect(m_previousOfTaskAction, &QAction::triggered, this,
        [this] { m_playback->previousPollOfTask(steppedTask()); });
    m_startAction = action(tr("Go to Start"), QKeySequence(Qt::Key_Home));
    connect(m_startAction, &QAction::triggered, m_playback, &PlaybackController::goToStart);
    m_endAction = action(tr("Go to End"), QKeySequence(Qt::Key_End));
    connect(m_endAction, &QAction::triggered, m_playback, &PlaybackController::goToEnd);
    updatePlaybackIcons();

    m_zoomInAction = action(tr("Zoom In"), QKeySequence(Qt::Key_Plus));
    m_zoomInAction->setShortcuts({ QKeySequence(Qt::Key_Plus), QKeySequence(Qt::Key_Equal), QKeySequence::ZoomIn });
    connect(m_zoomInAction, &QAction::triggered, m_timeline, &TimelineView::zoomIn);
    m_zoomOutAction = action(tr("Zoom Out"), QKeySequence(Qt::Key_Minus));
    m_zoomOutAction->setShortcuts({ QKeySequence(Qt::Key_Minus), QKeySequence::ZoomOut });
    connect(m_zoomOutAction, &QAction::triggered, m_timeline, &TimelineView::zoomOut);
    m_zoomFitAction = action(tr("Zoom to Fit"), QKeySequence(Qt::CTRL | Qt::Key_0));
    connect(m_zoomFitAction, &QAction::triggered, m_timeline, &TimelineView::zoomToFit);
    m_dimAction = action(tr("&Dim What Lies Ahead of the Cursor"), QKeySequence());
    m_dimAction->setCheckable(true);
    m_dimAction->setToolTip(tr("During playback, dim the polls after the cursor instead of hiding them"));
    connect(m_dimAction, &QAction::toggled, this, [this](bool dim) {
        m_timeline->setDimAfterCursor(dim);
        QSettings().setValue(u"view/dimAhead"_qs, dim);
    });
    m_darkAction = action(tr("&Dark Theme"), QKeySequence());
    m_darkAction->setCheckable(true);
    connect(m_darkAction, &QAction::toggled, this, &MainWindow::setTheme);

    m_fixAction = action(tr("Fix It"), QKeySequence(Qt::CTRL | Qt::Key_F), QStyle::SP_DialogApplyButton);
    m_fixAction->setCheckable(true);
    m_fixAction->setToolTip(tr("Run the scenario's fix (its variant) instead"));
    connect(m_fixAction, &QAction::toggled, this, [this](bool on) {
        const QString variant = on && !m_entry.variants.isEmpty() ? m_entry.variants.front() : QString();
        if (variant != m_variant)
            open(m_entry, variant);
    });
    m_compareFixAction = action(tr("Compare with the &Fix"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F));
    m_compareFixAction->setEnabled(false); // until a run of a scenario with a fix is shown
    // Comparisons are with the run on screen, which after a failed open is not the open file's.
    connect(m_compareFixAction, &QAction::triggered, this, [this] {
        if (!m_result || m_shownEntry.variants.isEmpty())
            return;
        const RunRequest& here = m_result->request;
        const QString variant = here.variant.isEmpty() ? m_shownEntry.variants.front() : QString();
        compareWith(RunRequest { here.source, here.path, variant, here.runtime },
            variant.isEmpty() ? tr("as written") : variant);
    });
    m_compareRuntimeAction = action(tr("Compare Model and &Real Run"), QKeySequence());
    connect(m_compareRuntimeAction, &QAction::triggered, this, [this] {
        if (!m_result)
            return;
        const RunRequest& here = m_result->request;
        const bool real = here.runtime == RuntimeKind::EventLoop;
        compareWith(RunRequest { here.source, here.path, here.variant,
                        real ? RuntimeKind::Model : RuntimeKind::EventLoop },
            comparedName(*m_result));
    });
    m_compareScenarioAction = action(tr("Compare with &Another Scenario…"), QKeySequence());
    connect(m_compareScenarioAction, &QAction::triggered, this, [this] {
        const auto& builtins = ScenarioLibrary::builtins();
        QStringList titles;
        for (const ScenarioEntry& entry : builtins)
            titles << entry.title;
        titles << tr("A file…");
        // The built-ins come in teaching order, a pitfall without a variant followed by the
        // scenario that avoids it (chat-blocking, chat-async): offer the one after the shown
        // built-in, or before the last one.
        const auto shown = std::find_if(builtins.begin(), builtins.end(),
            [this](const ScenarioEntry& entry) { return entry.path == m_shownEntry.path; });
        const auto position = int(shown - builtins.begin());
        const int offered = shown == builtins.end() ? 0
            : position + 1 < int(builtins.size())   ? position + 1
                                                    : position - 1;
        bool ok = false;
        const QString choice = QInputDialog::getItem(
            this, tr("Compare With"), tr("Scenario:"), titles, offered, false, &ok);
        if (!ok)
            return;
        ScenarioEntry other;
        const qsizetype index = titles.indexOf(choice);
        if (index < qsizetype(builtins.size())) {
            other = builtins.at(index);
        } else {
            const QString path = QFileDialog::getOpenFileName(this, tr("Compare With"), QString(), tr("Scenarios (*.scn)"));
            QString error;
            if (path.isEmpty())
                return;
            if (!ScenarioLibrary::load(path, other, error)) {
                QMessageBox::warning(this, tr("Cannot Open Scenario"), error);
                return;
            }
        }
        compareWith(RunRequest { other.source, other.path, QString(), m_result ? m_result->request.runtime : RuntimeKind::Model },
                    other.title.isEmpty() ? other.name : other.title);
    });

    m_runtimeGroup = new QActionGroup(this);
    m_modelRuntimeAction = action(tr("&Model Runtime (tokio, virtual clock)"), QKeySequence());
    m_qtRuntimeAction = action(tr("&Qt Event Loop (real time)"), QKeySequence());
    for (QAction* a : { m_modelRuntimeAction, m_qtRuntimeAction }) {
        a->setCheckable(true);
        m_runtimeGroup->addAction(a);
        connect(a, &QAction::triggered, this, &MainWindow::startRun);
    }
    m_modelRuntimeAction->setChecked(true);
}

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_openAction);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    file->addSeparator();
    file->addAction(m_exportImageAction);
    file->addAction(m_exportTraceAction);
    file->addSeparator();
    file->addAction(m_quitAction);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_zoomInAction);
    view->addAction(m_zoomOutAction);
    view->addAction(m_zoomFitAction);
    view->addSeparator();
    view->addAction(m_dimAction);
    view->addAction(m_darkAction);
    view->addSeparator();
    for (QDockWidget* dock : findChildren<QDockWidget*>())
        view->addAction(dock->toggleViewAction());

    QMenu* playback = menuBar()->addMenu(tr("&Playback"));
    for (QAction* a : { m_playAction, m_stepAction, m_stepBackAction, m_nextOfTaskAction, m_previousOfTaskAction, m_startAction, m_endAction })
        playback->addAction(a);

    QMenu* run = menuBar()->addMenu(tr("&Run"));
    run->addAction(m_runAgainAction);
    run->addAction(m_stopAction);
    run->addSeparator();
    run->addAction(m_fixAction);
    run->addSeparator();
    run->addAction(m_compareFixAction);
    run->addAction(m_compareRuntimeAction);
    run->addAction(m_compareScenarioAction);
    run->addSeparator();
    run->addAction(m_modelRuntimeAction);
    run->addAction(m_qtRuntimeAction);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Pollscope"), this, [this] {
        QMessageBox::about(this, tr("About Pollscope"),
                           tr("<h3>Pollscope</h3><p>Makes async execution visible: a poll-model executor (C++20 coroutines, "
                              "tokio 1.24's current-thread rules) runs scenario scripts and shows every poll, wake and "
                              "block on a timeline.</p><p>Scenario language: docs/scenario-language.md.</p>"));
    });
}

void MainWindow::createToolBars()
{
    QToolBar* run = addToolBar(tr("Run"));
    run->setObjectName(u"RunToolBar"_qs);
    run->addAction(m_openAction);
    run->addAction(m_runAgainAction);
    run->addAction(m_stopAction);
    run->addSeparator();
    run->addAction(m_fixAction);
    m_variants = new QComboBox(this);
    m_variants->setObjectName(u"VariantBox"_qs);
    m_variants->setToolTip(tr("Variant of the scenario"));
    // As wide as the open scenario's longest variant, not as the first one shown.
    m_variants->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    run->addWidget(m_variants);
    connect(m_variants, &QComboBox::activated, this, [this](int index) {
        const QString variant = m_variants->itemData(index).toString();
        if (variant != m_variant)
            open(m_entry, variant);
    });
    auto* runtime = new QComboBox(this);
    runtime->addItem(tr("Model runtime"));
    runtime->addItem(tr("Qt event loop"));
    runtime->setToolTip(tr("Which runtime runs the script: the tokio model on a virtual clock, or a real Qt event loop"));
    run->addWidget(runtime);
    connect(runtime, &QComboBox::activated, this, [this](int index) { (index ? m_qtRuntimeAction : m_modelRuntimeAction)->trigger(); });
    connect(m_runtimeGroup, &QActionGroup::triggered, runtime,
            [this, runtime](QAction* a) { runtime->setCurrentIndex(a == m_qtRuntimeAction ? 1 : 0); });

    QToolBar* playback = addToolBar(tr("Playback"));
    playback->setObjectName(u"PlaybackToolBar"_qs);
    for (QAction* a : { m_startAction, m_stepBackAction, m_playAction, m_stepAction, m_endAction })
        playback->addAction(a);
    m_speed = new QComboBox(this);
    for (const Speed& speed : kSpeeds)
        m_speed->addItem(tr(speed.label));
    m_speed->setCurrentIndex(1);
    m_speed->setToolTip(tr("Playback speed"));
    playback->addWidget(m_speed);
    connect(m_speed, &QComboBox::currentIndexChanged, this, [this](int index) {
        const Speed& speed = kSpeeds[index];
        if (speed.pollsPerSecond > 0)
            m_playback->setPollsPerSecond(speed.pollsPerSecond);
        else
            m_playback->setVirtualTimeScale(speed.virtualScale);
    });
    playback->addSeparator();
    playback->addAction(m_zoomInAction);
    playback->addAction(m_zoomOutAction);
    playback->addAction(m_zoomFitAction);
    playback->addAction(m_exportImageAction);
}

void MainWindow::createDocks()
{
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks);
    auto dock = [this](const QString& title, const QString& name, QWidget* widget, Qt::DockWidgetArea area) {
        auto* d = new QDockWidget(title, this);
        d->setObjectName(name);
        d->setWidget(widget);
        addDockWidget(area, d);
        return d;
    };

    m_scenarioList = new QTreeWidget(this);
    m_scenarioList->setHeaderHidden(true);
    m_scenarioList->setUniformRowHeights(true);
    // A scenario opens with one click, or with Enter; the open one is not opened again (the
    // second click of a double click). "Open a scenario file…" asks for a file alike, once.
    // Connected once: fillScenarioList() refills the items but keeps these connections.
    const auto openItem = [this](QTreeWidgetItem* item) {
        if (item->data(0, kOpenRole).toBool()) {
            askForScenarioFile();
            return;
        }
        const QString key = item->data(0, kEntryRole).toString();
        const QString variant = item->data(0, kVariantRole).toString();
        if (key.isEmpty() || (key == entryKey(m_entry) && variant == m_variant))
            return;
        if (key.startsWith(u'/') || QFileInfo::exists(key))
            openFile(key);
        else
            openBuiltin(key, variant);
    };
    connect(m_scenarioList, &QTreeWidget::itemClicked, this, openItem);
    connect(m_scenarioList, &QTreeWidget::itemActivated, this, openItem);
    dock(tr("Scenarios"), u"ScenarioDock"_qs, m_scenarioList, Qt::LeftDockWidgetArea);

    m_source = new SourceView(this);
    dock(tr("Source"), u"SourceDock"_qs, m_source, Qt::RightDockWidgetArea);

    m_details = new QTabWidget(this);
    m_eventModel = new EventLogModel(this);
    m_eventLog = new QTableView(this);
    m_eventLog->setModel(m_eventModel);
    m_eventLog->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_eventLog->setSelectionMode(QAbstractItemView::SingleSelection);
    m_eventLog->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed); // 10M rows: no per-row sizing
    m_eventLog->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 4);
    m_eventLog->verticalHeader()->hide();
    // Fixed widths: sizing columns to their contents would read all of a 10M-row log.
    const int digit = fontMetrics().horizontalAdvance(u'0');
    QHeaderView* columns = m_eventLog->horizontalHeader();
    columns->setStretchLastSection(false);
    columns->resizeSection(EventLogModel::TimeColumn, digit * 12);
    columns->resizeSection(EventLogModel::TaskColumn, digit * 16);
    columns->resizeSection(EventLogModel::EventColumn, digit * 12);
    columns->resizeSection(EventLogModel::LineColumn, digit * 6);
    columns->setSectionResizeMode(EventLogModel::DetailsColumn, QHeaderView::Stretch);
    connect(m_eventLog, &QTableView::activated, this, [this](const QModelIndex& index) {
        const int line = index.data(EventLogModel::LineRole).toInt();
        if (line > 0)
            revealSourceLine(line);
    });
    // A row the user picks selects its event's task; the row that follows the cursor does not.
    connect(m_eventLog->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex& index) {
            if (m_cursorMovesRows || !index.isValid())
                return;
            if (const qint64 task = index.data(EventLogModel::TaskRole).toLongLong(); task >= 0)
                m_timeline->selectTask(TaskId(task));
        });
    m_details->addTab(m_eventLog, tr("Events"));

    m_taskModel = new TaskMetricsModel(this);
    m_tasks = new QTableView(this);
    m_tasks->setModel(m_taskModel);
    m_tasks->setSortingEnabled(false);
    m_tasks->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tasks->setSelectionMode(QAbstractItemView::SingleSelection);
    connect(m_tasks->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex& index) {
            if (index.isValid())
                m_timeline->selectTask(TaskId(index.data(TaskMetricsModel::TaskRole).toLongLong()));
        });
    m_tasks->verticalHeader()->hide();
    // Figures stay next to their headers; a wide window leaves room at the right.
    m_tasks->horizontalHeader()->setStretchLastSection(false);
    // A task's end changes with the cursor ("running" before it ended): the column keeps the
    // width of its widest word (showResult()), where the figures keep those of the whole run.
    m_tasks->horizontalHeader()->setSectionResizeMode(
        TaskMetricsModel::EndColumn, QHeaderView::Fixed);
    m_details->addTab(m_tasks, tr("Tasks"));

    m_diagnostics = new DiagnosticsPanel(this);
    connect(m_diagnostics, &DiagnosticsPanel::diagnosticActivated, this, [this](const Diagnostic& d) {
        if (!m_result)
            return;
        if (const SourceSpan& span = m_result->trace->span(d.span); span.isValid())
            revealSourceLine(span.line);
        // To where it has been found (the wait of a starvation is over), so that it stays
        // listed; d.time may be earlier.
        m_playback->seekToTime(m_result->trace->events[d.event].time);
        m_eventLog->scrollTo(m_eventModel->index(int(d.event), 0), QAbstractItemView::PositionAtCenter);
        m_eventLog->selectRow(int(d.event));
        m_timeline->selectTask(d.task);
    });
    m_details->addTab(m_diagnostics, tr("Diagnostics"));

    m_runtimeState = new RuntimeStatePanel(this);
    m_details->addTab(m_runtimeState, tr("Runtime State"));
    connect(m_details, &QTabWidget::currentChanged, this, [this] { followCursor(); });

    m_about = new QTextBrowser(this);
    m_about->setOpenExternalLinks(true);
    m_details->addTab(m_about, tr("About"));

    m_problems = new QListWidget(this);
    // Problems are the open file's, as the source pane is: they go to their place in it, not
    // to a line of the run. As in an IDE's problem list, picking one shows it, by a click or
    // by the keys that select it (the list keeps the focus, for the next); activating it
    // (double click, Enter) also takes the focus there, to read on.
    const auto showProblem = [this](QListWidgetItem* item) {
        if (!item || item->data(kLineRole).toInt() <= 0)
            return false;
        m_source->showPosition(item->data(kLineRole).toInt(), item->data(kColumnRole).toInt());
        return true;
    };
    connect(m_problems, &QListWidget::currentItemChanged, this, showProblem);
    // The current one clicked again: back to it, wherever the source pane was scrolled since.
    connect(m_problems, &QListWidget::itemClicked, this, showProblem);
    connect(
        m_problems, &QListWidget::itemActivated, this, [this, showProblem](QListWidgetItem* item) {
            if (showProblem(item))
                m_source->setFocus();
        });
    m_details->addTab(m_problems, tr("Problems"));
    dock(tr("Details"), u"DetailsDock"_qs, m_details, Qt::BottomDockWidgetArea);
}

void MainWindow::fillScenarioList()
{
    m_scenarioList->clear();
    auto* builtins = new QTreeWidgetItem(m_scenarioList, { tr("Built-in scenarios") });
    builtins->setFlags(Qt::ItemIsEnabled);
    for (const ScenarioEntry& entry : ScenarioLibrary::builtins()) {
        auto* item = new QTreeWidgetItem(builtins, { entry.title });
        item->setData(0, kEntryRole, entry.name);
        item->setToolTip(0, QStringLiteral("<b>%1</b><p>%2</p><p><i>pollscope run %3</i></p>")
                                .arg(entry.title.toHtmlEscaped(), entry.about.toHtmlEscaped(), entry.name));
        for (const QString& variant : entry.variants) {
            auto* child = new QTreeWidgetItem(item, { tr("fix: %1").arg(variant) });
            child->setData(0, kEntryRole, entry.name);
            child->setData(0, kVariantRole, variant);
            child->setToolTip(0, tr("The scenario's variant \"%1\"").arg(variant));
        }
    }
    builtins->setExpanded(true);
    auto* recent = new QTreeWidgetItem(m_scenarioList, { tr("Recent files") });
    recent->setFlags(Qt::ItemIsEnabled);
    for (const QString& path : QSettings().value(u"files/recent"_qs).toStringList()) {
        auto* item = new QTreeWidgetItem(recent, { QFileInfo(path).fileName() });
        item->setData(0, kEntryRole, path);
        item->setToolTip(0, path);
    }
    recent->setExpanded(true);
    auto* openItem = new QTreeWidgetItem(m_scenarioList, { tr("Open a scenario file…") });
    openItem->setIcon(0, style()->standardIcon(QStyle::SP_DialogOpenButton));
    openItem->setData(0, kOpenRole, true);
}

void MainWindow::markOpenEntry()
{
    const QString key = entryKey(m_entry);
    for (QTreeWidgetItemIterator it(m_scenarioList); *it; ++it) {
        if ((*it)->data(0, kEntryRole).toString() == key &&
            (*it)->data(0, kVariantRole).toString() == m_variant) {
            const QSignalBlocker block(m_scenarioList);
            m_scenarioList->setCurrentItem(*it);
            return;
        }
    }
}

void MainWindow::askForScenarioFile()
{
    // A click gives itemClicked, and where the style activates on one click itemActivated too;
    // a double click adds a second click. Asked once the event is done, they ask once: the
    // dialog is modal, so a click after it shows does not reach the list.
    if (std::exchange(m_askingForFile, true))
        return;
    QTimer::singleShot(0, this, [this] {
        m_openAction->trigger();
        m_askingForFile = false;
        // Cancelled, or the file did not open: the list marks what is open, not this item.
        markOpenEntry();
    });
}

void MainWindow::updateRecentFiles()
{
    m_recentMenu->clear();
    const QStringList recent = QSettings().value(u"files/recent"_qs).toStringList();
    for (const QString& path : recent)
        m_recentMenu->addAction(QFileInfo(path).fileName(), this, [this, path] { openFile(path); })->setToolTip(path);
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::addRecentFile(const QString& path)
{
    QSettings settings;
    QStringList recent = settings.value(u"files/recent"_qs).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecentFiles)
        recent.removeLast();
    settings.setValue(u"files/recent"_qs, recent);
    settings.setValue(u"files/lastDir"_qs, QFileInfo(path).absolutePath());
    updateRecentFiles();
    fillScenarioList();
}

bool MainWindow::openBuiltin(const QString& name, const QString& variant)
{
    const ScenarioEntry* entry = ScenarioLibrary::find(name);
    if (!entry)
        return false;
    open(*entry, variant);
    return true;
}

bool MainWindow::openFile(const QString& path)
{
    ScenarioEntry entry;
    QString error;
    if (!ScenarioLibrary::load(QFileInfo(path).absoluteFilePath(), entry, error)) {
        QMessageBox::warning(this, tr("Cannot Open Scenario"), error);
        return false;
    }
    if (!m_watcher->files().isEmpty())
        m_watcher->removePaths(m_watcher->files());
    m_watcher->addPath(entry.path);
    addRecentFile(entry.path);
    open(entry, QString());
    return true;
}

void MainWindow::setRuntime(RuntimeKind runtime)
{
    (runtime == RuntimeKind::EventLoop ? m_qtRuntimeAction : m_modelRuntimeAction)->setChecked(true);
    emit m_runtimeGroup->triggered(runtime == RuntimeKind::EventLoop ? m_qtRuntimeAction : m_modelRuntimeAction);
}

void MainWindow::open(const ScenarioEntry& entry, const QString& variant)
{
    m_entry = entry;
    m_variant = variant;
    m_source->setSource(entry.source);
    showProblems(entry.path, {});
    updateVariantControls();
    markOpenEntry();
    setWindowTitle(tr("%1 — Pollscope").arg(displayTitle(entry)));
    startRun();
}

void MainWindow::updateVariantControls()
{
    const QSignalBlocker blockFix(m_fixAction);
    const QSignalBlocker blockCombo(m_variants);
    m_fixAction->setEnabled(!m_entry.variants.isEmpty());
    m_fixAction->setChecked(!m_variant.isEmpty());
    m_variants->clear();
    m_variants->addItem(tr("as written"), QString());
    for (const QString& variant : m_entry.variants)
        m_variants->addItem(tr("fix: %1").arg(variant), variant);
    m_variants->setCurrentIndex(std::max(0, m_variants->findData(m_variant)));
    m_variants->setEnabled(!m_entry.variants.isEmpty());
}

void MainWindow::startRun()
{
    if (m_entry.source.isEmpty())
        return;
    const RunRequest request { m_entry.source, m_entry.path, m_variant,
        m_qtRuntimeAction->isChecked() ? RuntimeKind::EventLoop : RuntimeKind::Model };
    // The same run again (Run Again, the file saved) replaces the one shown when it is done.
    // Any other run would leave the views showing one script beside the source of another
    // for as long as it takes: they let the old run go now.
    if (!showsRun() || m_shownRequest.path != request.path ||
        m_shownRequest.variant != request.variant || m_shownRequest.runtime != request.runtime)
        showNoRun(tr("<h3>%1</h3><p>Running…</p>").arg(displayTitle(m_entry).toHtmlEscaped()));
    m_runLabel->setText(tr("Running…"));
    m_runLabel->setToolTip(QString());
    if (m_runner->isRunning()) {
        // One run at a time: stop this one and run the new request when it has ended.
        m_runAgain = true;
        m_runner->cancel();
        return;
    }
    m_runEntry = m_entry;
    m_runRequest = request;
    m_runner->start(request);
}

void MainWindow::showResult(std::shared_ptr<const RunResult> result)
{
    if (m_runAgain)
        return; // cancelled for a newer request, which runs next
    const bool wasLive = std::exchange(m_live, false);
    m_result = std::move(result);
    m_shownEntry = m_runEntry;
    m_shownRequest = m_result->request;
    m_centre->setCurrentWidget(m_timeline);
    const RunResult& r = *m_result;
    const std::shared_ptr<const TimelineModel>& model = r.model; // laid out by the worker
    m_timeline->setTitle(r.trace->virtualClock ? r.title : tr("%1 — Qt event loop, wall clock").arg(r.title));
    // The end of a live run keeps the user's view; any other run starts fitted.
    if (wasLive)
        m_timeline->updateModel(model);
    else
        m_timeline->setModel(model);
    m_timeline->setFollowing(false);
    m_playback->setModel(model);
    m_eventModel->setTrace(r.trace);
    m_taskModel->setMetrics(r.trace, r.metrics);
    m_tasks->resizeColumnsToContents();
    m_tasks->setColumnWidth(TaskMetricsModel::EndColumn, endColumnWidth(*m_tasks));
    m_diagnostics->setDiagnostics(r.trace, r.diagnostics);
    showDiagnosticsUntil(m_playback->eventLimit(), m_playback->cursorTime());
    m_timeline->setMarkers(r.markers);
    m_runtimeState->setTrace(r.trace);
    m_compareFixAction->setEnabled(!m_shownEntry.variants.isEmpty());
    // A script error at run time is a problem of the text, like a compile error, when the
    // source pane shows that text (a run cut short by opening another file is not).
    if (sourceShowsRun()) {
        QList<ScriptError> errors;
        QList<ScriptNote> notes;
        const RunReport& report = r.trace->report;
        if (const SourceSpan& at = r.trace->span(report.errorSpan); at.isValid()) {
            errors << ScriptError { SourceLocation::of(at), report.errorMessage };
            for (const ErrorNote& note : report.errorNotes)
                notes << ScriptNote::of(r.trace->span(note.span), note.message);
        } else if (report.status == RunStatus::Failed || report.status == RunStatus::LimitReached) {
            // A failure without a position (main never completed), or a runaway bound such as
            // max_events that has none: listed, not marked.
            errors << ScriptError { SourceLocation { 0, 0, 0, 0 }, report.message.section(u'\n', 0, 0) };
        }
        showProblems(r.request.path, errors, notes);
        if (!errors.isEmpty())
            m_details->setCurrentWidget(m_problems);
    }
    showAbout();
    m_runLabel->setText(runSummary(r));
    m_runLabel->setToolTip(QString());
    followCursor(); // at the end of the run: why it ended, if not by main's return
}

void MainWindow::showLive(std::shared_ptr<const TimelineModel> model)
{
    // A real-time run in progress: the timeline grows as events stream in, following the
    // newest ones until the user zooms or pans away (zoom to fit follows again).
    if (m_runAgain)
        return; // cancelled for a newer request, which runs next
    m_timeline->setMarkers({});
    m_shownEntry = m_runEntry;
    m_shownRequest = m_runRequest;
    m_centre->setCurrentWidget(m_timeline);
    if (!m_live) {
        m_live = true;
        // Its tasks and diagnostics come with its result.
        m_taskModel->setMetrics(nullptr, {});
        m_diagnostics->setDiagnostics(nullptr, {});
        showDiagnosticsUntil(0, 0);
        m_timeline->setTitle(tr("%1 — live on a Qt event loop")
                                 .arg(runTitle(displayTitle(m_runEntry), m_runRequest.variant)));
        m_timeline->setModel(model);
        m_timeline->setFollowing(true);
    } else {
        m_timeline->updateModel(model);
    }
    m_playback->setModel(model);
    // The event log streams too, like a log tail: kept at the newest row while it is there.
    QScrollBar* scroll = m_eventLog->verticalScrollBar();
    const bool atEnd = scroll->value() == scroll->maximum();
    const int position = scroll->value();
    m_eventModel->setTrace(model->sharedTrace());
    if (atEnd)
        m_eventLog->scrollToBottom();
    else
        scroll->setValue(position);
    m_narrationLabel->setFullText(tr("Live: %1 polls so far, %2")
                                      .arg(model->pollCount())
                                      .arg(formatTime(model->trace().report.elapsed)));
}

void MainWindow::showCompileErrors(const CompileResult& result, const RunRequest& request)
{
    if (request.source != m_entry.source || request.path != m_entry.path)
        return; // another file was opened meanwhile: its own run follows
    // The errors are the open file's, shown in its text; the timeline and everything indexed
    // by it keep the last good run, whose lines are not this text's.
    showProblems(result.source.fileName(), result.errors);
    m_details->setCurrentWidget(m_problems);
    if (!sourceShowsRun())
        m_source->setCurrentLine(0);
    const QString errors =
        result.errors.size() == 1 ? tr("1 error") : tr("%1 errors").arg(result.errors.size());
    setWindowTitle(tr("%1 (%2) — Pollscope").arg(displayTitle(m_entry), errors));
    if (!showsRun())
        m_noRunNotice->setText(tr("<h3>%1</h3><p>The script has %2: see Problems.</p>")
                                   .arg(displayTitle(m_entry).toHtmlEscaped(), errors));
    m_runLabel->setText(
        showsRun() ? tr("%1 — the timeline still shows the previous run").arg(errors) : errors);
    if (showsRun()) {
        const QString shown =
            m_result && !m_result->title.isEmpty() ? m_result->title : displayTitle(m_shownEntry);
        m_runLabel->setToolTip(
            tr("The timeline, events, tasks, diagnostics and about text show the previous run, "
               "of %1. Fix %2 and save it to run it.")
                .arg(shown, QFileInfo(m_entry.path).fileName()));
    }
    const ScriptError& first = result.errors.front();
    m_narrationLabel->setFullText(
        problemText(QFileInfo(result.source.fileName()).fileName(), first));
}

void MainWindow::showProblems(
    const QString& fileName, const QList<ScriptError>& errors, const QList<ScriptNote>& notes)
{
    // Refilling the list picks no problem: the source pane shows the first error (setErrors()).
    const QSignalBlocker quiet(m_problems);
    m_problems->clear();
    const auto addItem = [&](const ScriptError& problem, QStyle::StandardPixmap icon) {
        auto* item = new QListWidgetItem(problemText(fileName, problem), m_problems);
        item->setData(kLineRole, problem.location.line);
        item->setData(kColumnRole, problem.location.column);
        item->setIcon(style()->standardIcon(icon));
    };
    QList<ScriptError> placed;
    for (const ScriptError& error : errors) {
        addItem(error, QStyle::SP_MessageBoxCritical);
        if (error.location.line > 0)
            placed << error;
    }
    for (const ScriptNote& note : notes)
        addItem(ScriptError { note.location, note.message }, QStyle::SP_MessageBoxInformation);
    m_source->setErrors(placed);
    m_details->setTabText(m_details->indexOf(m_problems),
        errors.isEmpty() ? tr("Problems") : tr("Problems (%1)").arg(errors.size()));
    // Problems that are fixed leave nothing to read there: back to the run's events.
    if (errors.isEmpty() && m_details->currentWidget() == m_problems)
        m_details->setCurrentWidget(m_eventLog);
}

void MainWindow::showNoRun(const QString& notice)
{
    m_result.reset();
    m_live = false;
    m_shownEntry = ScenarioEntry();
    m_shownRequest = RunRequest();
    m_noRunNotice->setText(notice);
    m_centre->setCurrentWidget(m_noRunNotice);
    m_timeline->setModel(nullptr);
    m_timeline->setMarkers({});
    m_timeline->setTitle(QString());
    m_playback->setModel(nullptr);
    m_eventModel->setTrace(nullptr);
    m_taskModel->setMetrics(nullptr, {});
    m_diagnostics->setDiagnostics(nullptr, {});
    showDiagnosticsUntil(0, 0);
    m_runtimeState->setTrace(nullptr);
    m_about->clear();
    m_compareFixAction->setEnabled(false);
    m_narrationLabel->setFullText(QString());
    updateRunActions();
}

bool MainWindow::showsRun() const
{
    return m_centre->currentWidget() == m_timeline;
}

void MainWindow::updateRunActions()
{
    const bool polls = m_playback->pollCount() > 0;
    for (QAction* a : { m_playAction, m_stepAction, m_stepBackAction, m_nextOfTaskAction,
             m_previousOfTaskAction, m_startAction, m_endAction, m_zoomInAction, m_zoomOutAction,
             m_zoomFitAction, m_exportImageAction, m_exportTraceAction })
        a->setEnabled(polls);
}

void MainWindow::showDiagnosticsUntil(std::size_t events, TimeNs time)
{
    const std::vector<Diagnostic>& all = m_diagnostics->diagnostics();
    std::size_t found = 0;
    for (std::size_t i = 0; i < all.size(); ++i) {
        const bool happened = isFound(all[i], events, time);
        m_diagnostics->topLevelItem(int(i))->setHidden(!happened);
        found += happened ? 1 : 0;
    }
    QString title = tr("Diagnostics");
    if (found < all.size())
        title = tr("Diagnostics (%1 of %2)").arg(found).arg(all.size());
    else if (!all.empty())
        title = tr("Diagnostics (%1)").arg(all.size());
    m_details->setTabText(m_details->indexOf(m_diagnostics), title);
}

bool MainWindow::sourceShowsRun() const
{
    return showsRun() && m_shownEntry.source == m_entry.source;
}

void MainWindow::showAbout()
{
    if (!m_result)
        return;
    const script::ScenarioInfo& info = m_result->program->info;
    QString html = QStringLiteral("<h3>%1</h3><p>%2</p>").arg(info.title.toHtmlEscaped(), info.about.toHtmlEscaped());
    if (!info.variant.isEmpty())
        html += QStringLiteral("<h4>%1</h4><p>%2</p>").arg(tr("Variant: %1").arg(info.variant).toHtmlEscaped(), info.variantAbout.toHtmlEscaped());
    html += QStringLiteral("<p><small>%1</small></p>")
                .arg(m_shownEntry.path.startsWith(u':')
                        ? tr("built-in scenario %1").arg(m_shownEntry.name)
                        : m_shownEntry.path.toHtmlEscaped());
    m_about->setHtml(html);
}

void MainWindow::followCursor()
{
    // Everything indexed by poll or event comes from the model the timeline shows: during a
    // live run that is the run in progress, not m_result (the previous run).
    if (!showsRun() || !m_timeline->model())
        return;
    const TimelineModel& model = *m_timeline->model();
    m_timeline->setPlaybackCursor(m_playback->eventLimit(), m_playback->cursorTime());
    const qint64 poll = m_playback->currentPoll();
    // Once everything has happened, a run that ended otherwise than by main's return is told
    // by why it ended, as when it arrived; its last poll stays a click away on the timeline.
    QString status = m_playback->eventLimit() >= model.eventCount() ? runEndText(model) : QString();
    if (!status.isEmpty() && !sourceShowsRun())
        status = tr("Previous run: %1").arg(status);
    if (poll >= 0 && std::size_t(poll) < model.pollCount()) {
        if (status.isEmpty())
            status = narrate(model, std::size_t(poll));
        const PollItem& item = model.poll(std::size_t(poll));
        if (!sourceShowsRun())
            m_source->setCurrentLine(0); // the run's line numbers are not the shown text's
        else if (item.endEvent != kNoItem)
            m_source->setCurrentLine(model.sourceLine(std::size_t(poll)));
    } else if (poll < 0) {
        if (status.isEmpty())
            status = tr("Start of the run: nothing has been polled yet");
        m_source->setCurrentLine(0);
    }
    if (!status.isEmpty())
        m_narrationLabel->setFullText(status);
    // The event log is set with the timeline (showResult, showLive); indices into one are only
    // valid in the other while both show the same run.
    if (m_eventModel->trace().get() != &model.trace())
        return;
    // The row is the last event that has happened: the PollEnd of the poll narrated above, or
    // with the cursor in a gap the last event at or before it (PlaybackController::eventLimit()).
    const std::size_t limit = m_playback->eventLimit();
    if (m_details->currentWidget() == m_eventLog) {
        m_cursorMovesRows = true;
        if (limit == 0) {
            m_eventLog->setCurrentIndex(QModelIndex()); // nothing has happened yet
            m_eventLog->clearSelection();
        } else {
            const QModelIndex row = m_eventModel->index(
                int(std::min<std::size_t>(limit, std::size_t(m_eventModel->rowCount())) - 1), 0);
            m_eventLog->setCurrentIndex(row);
            m_eventLog->scrollTo(row);
        }
        m_cursorMovesRows = false;
    }
    if (m_details->currentWidget() == m_tasks) // folds in the events stepped over
        m_taskModel->showUntil(limit, m_playback->cursorTime());
    showDiagnosticsUntil(limit, m_playback->cursorTime());
    m_runtimeState->showState(limit); // replays only while the panel is visible
}

TaskId MainWindow::steppedTask() const
{
    if (const TaskId task = m_timeline->zoom()->selectedTask(); task != kNoTask)
        return task;
    const std::shared_ptr<const TimelineModel>& model = m_timeline->model();
    const qint64 poll = m_playback->currentPoll();
    if (model && poll >= 0 && std::size_t(poll) < model->pollCount())
        return model->poll(std::size_t(poll)).task;
    return kMainTask;
}

void MainWindow::showSelectedTask(TaskId task)
{
    const QModelIndexList rows = task == kNoTask
        ? QModelIndexList()
        : m_taskModel->match(m_taskModel->index(0, TaskMetricsModel::TaskColumn),
              TaskMetricsModel::TaskRole, qint64(task), 1, Qt::MatchExactly);
    if (rows.isEmpty()) {
        m_tasks->clearSelection();
        m_tasks->setCurrentIndex(QModelIndex());
        return;
    }
    m_tasks->setCurrentIndex(rows.front());
    m_tasks->scrollTo(rows.front());
}

void MainWindow::showPollDetails(std::size_t sequence)
{
    const TimelineModel& model = *m_timeline->model();
    if (sequence >= model.pollCount())
        return;
    const PollItem& item = model.poll(sequence);
    m_narrationLabel->setFullText(narrate(model, sequence));
    revealSourceLine(model.sourceLine(sequence));
    showEventInLog(model, item.event);
}

void MainWindow::showEventInLog(const TimelineModel& model, std::size_t event)
{
    if (m_eventModel->trace().get() != &model.trace())
        return; // the log shows another run: its rows are not this model's events
    m_eventLog->scrollTo(m_eventModel->index(int(event), 0), QAbstractItemView::PositionAtCenter);
    m_eventLog->selectRow(int(event));
}

QString MainWindow::narrate(const TimelineModel& model, std::size_t poll) const
{
    const QString sentence = model.narration().stepSentence(poll);
    // Its line numbers are not the source pane's: say whose they are.
    return sourceShowsRun() ? sentence : tr("Previous run: %1").arg(sentence);
}

QString MainWindow::runEndText(const TimelineModel& model) const
{
    const RunReport& report = model.trace().report;
    if (m_live || report.status == RunStatus::Completed)
        return QString();
    // The run's file by name, as check errors and Problems name it.
    if (const SourceSpan& at = model.trace().span(report.errorSpan); at.isValid())
        return problemText(QFileInfo(m_shownRequest.path).fileName(),
            ScriptError { SourceLocation::of(at), report.errorMessage });
    return report.message;
}

void MainWindow::revealSourceLine(int line)
{
    if (line <= 0 || !sourceShowsRun())
        return;
    m_source->setCurrentLine(line);
}

void MainWindow::exportImage()
{
    if (!m_timeline->model())
        return;
    ExportDialog dialog(m_timeline->model(), m_timeline->frame(), m_timeline->theme().isDark, this);
    const QString variant = m_result ? m_result->request.variant : QString();
    const QString name = m_shownEntry.name +
        (variant.isEmpty() ? QString() : u'-' + QString(variant).replace(u' ', u'-'));
    dialog.setFileName(QDir(exportFolder()).filePath(name + u".png"));
    if (dialog.exec() == QDialog::Accepted)
        statusBar()->showMessage(tr("Wrote %1").arg(dialog.fileName()), 5000);
}

void MainWindow::exportTrace()
{
    if (!m_timeline->model())
        return;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Trace for Perfetto"),
        QDir(exportFolder()).filePath(m_shownEntry.name + u".json"), tr("Chrome trace (*.json)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!writeShownTrace(path, error)) {
        QMessageBox::warning(this, tr("Export Failed"), tr("Cannot write %1: %2").arg(path, error));
    } else {
        rememberExportFolder(path);
        statusBar()->showMessage(tr("Wrote %1 — open it at ui.perfetto.dev").arg(path), 5000);
    }
}

bool MainWindow::writeShownTrace(const QString& path, QString& error) const
{
    // The timeline's model, as Export Image draws it: a live run's result comes only at its end.
    const std::shared_ptr<const TimelineModel> model = m_timeline->model();
    if (!model) {
        error = tr("no run is shown");
        return false;
    }
    const QString title = m_live || !m_result
        ? runTitle(displayTitle(m_runEntry), m_runRequest.variant)
        : m_result->title;
    return writeOutputFile(
        path, [&](QIODevice& file) { return writeChromeTrace(model->trace(), title, file); },
        error);
}

QString MainWindow::compareMessage() const
{
    return tr("Running %1 to compare…").arg(m_compareLabel);
}

void MainWindow::compareWith(const RunRequest& request, const QString& label)
{
    if (!m_result || m_compareRunner->isRunning())
        return;
    m_compareLabel = label;
    statusBar()->showMessage(compareMessage());
    m_compareRunner->start(request);
}

void MainWindow::setTheme(bool dark)
{
    const QSignalBlocker block(m_darkAction);
    m_darkAction->setChecked(dark);
    const TimelineTheme theme = dark ? TimelineTheme::dark() : TimelineTheme::light();
    m_timeline->setTheme(theme);
    if (m_comparison)
        m_comparison->setTheme(theme);
    // The whole application follows: panels, source, menus and the comparison window. A
    // light start leaves the platform's palette alone.
    const QPalette palette = dark ? windowPalette(theme) : m_lightPalette;
    if (palette != QApplication::palette())
        QApplication::setPalette(palette);
    QSettings().setValue(u"view/dark"_qs, dark);
}

void MainWindow::updatePlaybackIcons()
{
    const QPalette& p = palette();
    const bool dark = p.color(QPalette::Window).lightness() < 128;
    const auto icon = [&](QStyle::StandardPixmap which) {
        const QIcon standard = style()->standardIcon(which);
        return dark ? tintedIcon(standard, p.color(QPalette::ButtonText)) : standard;
    };
    const bool playing = m_playback->isPlaying();
    m_playAction->setIcon(icon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    m_stepAction->setIcon(icon(QStyle::SP_MediaSeekForward));
    m_stepBackAction->setIcon(icon(QStyle::SP_MediaSeekBackward));
    m_startAction->setIcon(icon(QStyle::SP_MediaSkipBackward));
    m_endAction->setIcon(icon(QStyle::SP_MediaSkipForward));
}

void MainWindow::changeEvent(QEvent* event)
{
    QMainWindow::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        updatePlaybackIcons();
}

QString MainWindow::statusText() const { return m_narrationLabel->line(); }

QString MainWindow::runStatusText() const { return m_runLabel->text(); }

void MainWindow::showEvent(QShowEvent* event)
{
    QMainWindow::showEvent(event);
    // A first start's size again, now that the window's screen and frame may be known, unless
    // the window was resized since.
    if (const QSize first = std::exchange(m_firstStartSize, QSize());
        first.isValid() && size() == first)
        resize(firstStartSize());
    // A saved layout is the user's; the default one is fitted to the window it first shows in.
    if (std::exchange(m_defaultDocks, false))
        fitSideDocks();
}

QSize MainWindow::firstStartSize() const
{
    const QSize wanted(1480, 920);
    QSize room = wanted;
    if (const QScreen* screen = this->screen())
        room = screen->availableGeometry().size();
    if (const QWindow* window = windowHandle())
        room = room.shrunkBy(window->frameMargins());
    return wanted.boundedTo(room);
}

void MainWindow::resizeEvent(QResizeEvent* event)
{
    QMainWindow::resizeEvent(event);
    // Qt takes a shrinking window's width from the timeline alone, down to a sliver between
    // docks of unchanged width: the docks give way too. Only when the window narrows, so a dock
    // widened by hand keeps its width until then.
    if (isVisible() && event->oldSize().isValid() &&
        event->size().width() < event->oldSize().width())
        fitSideDocks();
}

void MainWindow::fitSideDocks()
{
    const int most = width() / 5;
    QList<QDockWidget*> docks;
    QList<int> widths;
    for (QDockWidget* dock : findChildren<QDockWidget*>()) {
        const Qt::DockWidgetArea area = dockWidgetArea(dock);
        if (dock->isVisible() && !dock->isFloating() &&
            (area == Qt::LeftDockWidgetArea || area == Qt::RightDockWidgetArea) &&
            dock->width() > most) {
            docks << dock;
            widths << most;
        }
    }
    if (!docks.isEmpty())
        resizeDocks(docks, widths, Qt::Horizontal);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    QSettings settings;
    settings.setValue(u"window/geometry"_qs, saveGeometry());
    settings.setValue(u"window/state"_qs, saveState());
    for (ScenarioRunner* runner : { m_runner, m_compareRunner }) {
        runner->cancel();
        runner->waitForIdle();
    }
    event->accept();
}

} // namespace pollscope
