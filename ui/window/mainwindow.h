#pragma once

#include "run/scenariorunner.h"
#include "script/scenariolibrary.h"

#include <QMainWindow>

#include <memory>

class QAction;
class QActionGroup;
class QComboBox;
class QFileSystemWatcher;
class QLabel;
class QListWidget;
class QProgressBar;
class QStackedWidget;
class QTabWidget;
class QTableView;
class QTextBrowser;
class QToolButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace pollscope {

class ComparisonWindow;
class DiagnosticsPanel;
class ElidedLabel;
class EventLogModel;
class PlaybackController;
class RuntimeStatePanel;
class SourceView;
class TaskMetricsModel;
class TimelineModel;
class TimelineView;

/// Pollscope's window: the scenario list, the timeline, the source with the current line, and
/// a details area (event log, per-task metrics, diagnostics, the runtime's state at the
/// cursor, the about text, problems). Runs happen off the GUI thread.
///
/// The source pane and the problems always show the scenario opened last (what Run Again
/// runs, what the user fixes); the timeline, the event log, the tasks, the diagnostics and the
/// about text show one run, of that scenario. A run of it again (Run Again, the file saved)
/// leaves the previous run on screen until it is done, or when the edited text has errors:
/// that run may be of an earlier text, and its lines are marked in the source only while the
/// source is its text. A run of another scenario, variant or runtime empties those views at
/// once, and the timeline's place says what is running or that the script has errors.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Opens a built-in scenario by name (see `pollscope list`); false if there is none.
    bool openBuiltin(const QString& name, const QString& variant = {});
    /// Opens a scenario file; on failure says why in a message box and returns false.
    bool openFile(const QString& path);
    /// Which runtime the next runs use.
    void setRuntime(RuntimeKind runtime);
    /// Writes the run the timeline shows as a Chrome trace (Export Trace, after its dialog):
    /// during a live run, its events so far. False, with `error` set, when it cannot.
    bool writeShownTrace(const QString& path, QString& error) const;

    // For tests and automation.
    ScenarioRunner& runner() { return *m_runner; }
    PlaybackController& playback() { return *m_playback; }
    TimelineView& timeline() { return *m_timeline; }
    SourceView& source() { return *m_source; }
    const std::shared_ptr<const RunResult>& result() const { return m_result; }
    QListWidget& problems() { return *m_problems; }
    RuntimeStatePanel& runtimeState() { return *m_runtimeState; }
    DiagnosticsPanel& diagnostics() { return *m_diagnostics; }
    QTreeWidget& scenarioList() { return *m_scenarioList; }
    ComparisonWindow* comparison() { return m_comparison; }
    ScenarioRunner& compareRunner() { return *m_compareRunner; }
    QAction& openAction() { return *m_openAction; }
    QAction& compareFixAction() { return *m_compareFixAction; }
    QAction& compareRuntimeAction() { return *m_compareRuntimeAction; }
    QAction& darkThemeAction() { return *m_darkAction; }
    /// The status bar's message: its first line only (the bar elides it to fit).
    QString statusText() const;
    /// The status bar's run summary, progress or error count.
    QString runStatusText() const;
    const EventLogModel& eventLog() const { return *m_eventModel; }
    QTabWidget& details() { return *m_details; }
    QTableView& eventTable() { return *m_eventLog; }
    QTableView& taskTable() { return *m_tasks; }
    QAction& nextPollOfTaskAction() { return *m_nextOfTaskAction; }
    QAction& previousPollOfTaskAction() { return *m_previousOfTaskAction; }

protected:
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void createActions();
    /// Sets the playback actions' icons: the style's, drawn in the palette's text colour when
    /// the palette is dark (the style's media glyphs are dark whatever the palette).
    void updatePlaybackIcons();
    void createMenus();
    void createToolBars();
    void createDocks();
    /// Narrows the docked side docks to a fifth of the window's width each, where wider.
    void fitSideDocks();
    /// The size of a window with no saved geometry: 1480 x 920 where the screen has room for
    /// it and its frame, else the room the screen has beside its panels, so that no part of the
    /// window opens off-screen. The frame counts once the platform knows it (on X11 only once
    /// the window is mapped, which a window manager keeps on screen).
    QSize firstStartSize() const;
    void fillScenarioList();
    /// Makes the open scenario (and variant) the scenario list's current item.
    void markOpenEntry();
    /// "Open a scenario file…" picked in the scenario list: asks for a file once the event that
    /// picked it is done, once however many signals that one click or key gave.
    void askForScenarioFile();
    void updateRecentFiles();
    void addRecentFile(const QString& path);

    void open(const ScenarioEntry& entry, const QString& variant);
    void startRun();
    void showResult(std::shared_ptr<const RunResult> result);
    void showLive(std::shared_ptr<const TimelineModel> model);
    void showCompileErrors(const CompileResult& result, const RunRequest& request);
    /// Empties the views of the run shown and turns playback off; the timeline's place shows
    /// `notice` (rich text) instead.
    void showNoRun(const QString& notice);
    /// Whether the timeline shows a run (finished or live), not a notice.
    bool showsRun() const;
    /// Enables what needs a run to step through, zoom or export.
    void updateRunActions();
    /// Lists the diagnostics found with the first `events` events happened and the cursor at
    /// `time` (isFound()); the tab counts them.
    void showDiagnosticsUntil(std::size_t events, TimeNs time);
    /// Lists `errors` of the open scenario in Problems and marks those with a line in the source;
    /// then `notes` (the calls that led to a run's error), which go to their place when
    /// activated but are neither marked nor counted.
    void showProblems(const QString& fileName, const QList<ScriptError>& errors,
        const QList<ScriptNote>& notes = {});
    /// Whether the source pane shows the text of the run on the timeline.
    bool sourceShowsRun() const;
    void showAbout();
    void updateVariantControls();
    void followCursor();
    /// What Next/Previous Poll of Selected Task step through: the task selected last (the
    /// timeline's zoom holds it), else the task of the cursor's poll, else main.
    TaskId steppedTask() const;
    /// Shows the timeline's selected task as the Tasks table's current row.
    void showSelectedTask(TaskId task);
    void showPollDetails(std::size_t sequence);
    /// Selects event `event` of `model` in the event log, if the log shows that run.
    void showEventInLog(const TimelineModel& model, std::size_t event);
    /// The narration of `poll` of `model`, the run on the timeline.
    QString narrate(const TimelineModel& model, std::size_t poll) const;
    /// Why the run on the timeline ended, if not by main's return (a bound, Stop, a failure, a
    /// deadlock): its report's message, at the run's FILE:LINE:COLUMN where it has one. Empty
    /// for a completed run, or one still live.
    QString runEndText(const TimelineModel& model) const;
    void revealSourceLine(int line);
    void exportImage();
    void exportTrace();
    void setTheme(bool dark);
    /// Runs `request` beside the current run and shows both in the comparison window.
    void compareWith(const RunRequest& request, const QString& label);
    /// The status bar's message while the second run of a comparison computes.
    QString compareMessage() const;

    // Run
    ScenarioRunner* m_runner;
    ScenarioRunner* m_compareRunner;
    ComparisonWindow* m_comparison = nullptr;
    QString m_compareLabel;
    std::shared_ptr<const RunResult> m_result; ///< what the window shows
    ScenarioEntry m_entry; ///< what was opened last: the source pane shows it
    ScenarioEntry m_runEntry; ///< what the run in progress (or the last one) runs
    RunRequest m_runRequest; ///< ... and how
    ScenarioEntry m_shownEntry; ///< what the timeline shows a run of
    RunRequest m_shownRequest; ///< ... and how
    QString m_variant;
    bool m_runAgain = false; ///< a run was asked for while another was in progress
    bool m_live = false; ///< showing a real-time run as it goes
    QFileSystemWatcher* m_watcher;

    // Views
    QStackedWidget* m_centre; ///< the timeline, or a notice while there is no run to show
    TimelineView* m_timeline;
    QLabel* m_noRunNotice;
    PlaybackController* m_playback;
    SourceView* m_source;
    QTreeWidget* m_scenarioList;
    QTabWidget* m_details;
    QTableView* m_eventLog;
    EventLogModel* m_eventModel;
    QTableView* m_tasks;
    TaskMetricsModel* m_taskModel;
    DiagnosticsPanel* m_diagnostics;
    RuntimeStatePanel* m_runtimeState;
    QTextBrowser* m_about;
    QListWidget* m_problems;
    ElidedLabel* m_narrationLabel;
    QLabel* m_runLabel;
    QProgressBar* m_progress;
    QToolButton* m_cancelButton;
    QComboBox* m_speed;
    QComboBox* m_variants;
    bool m_defaultDocks = false; ///< no saved layout: fitted to the window on first show
    QSize m_firstStartSize; ///< no saved geometry: the size given until the first show
    bool m_cursorMovesRows = false; ///< followCursor() moves the event log's row: not a selection
    bool m_askingForFile = false; ///< askForScenarioFile() will ask, or is asking

    // Actions
    QAction* m_openAction;
    QAction* m_runAgainAction;
    QAction* m_stopAction;
    QAction* m_exportImageAction;
    QAction* m_exportTraceAction;
    QAction* m_quitAction;
    QAction* m_playAction;
    QAction* m_stepAction;
    QAction* m_stepBackAction;
    QAction* m_nextOfTaskAction;
    QAction* m_previousOfTaskAction;
    QAction* m_startAction;
    QAction* m_endAction;
    QAction* m_zoomInAction;
    QAction* m_zoomOutAction;
    QAction* m_zoomFitAction;
    QAction* m_darkAction;
    QPalette m_lightPalette; ///< the application's palette when the window was made
    QAction* m_dimAction;
    QAction* m_fixAction;
    QAction* m_compareFixAction;
    QAction* m_compareRuntimeAction;
    QAction* m_compareScenarioAction;
    QActionGroup* m_runtimeGroup;
    QAction* m_modelRuntimeAction;
    QAction* m_qtRuntimeAction;
    QMenu* m_recentMenu;
};

} // namespace pollscope
