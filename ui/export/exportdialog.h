#pragma once

#include "export/comparisonexporter.h"
#include "export/timelineexporter.h"

#include <QDialog>

#include <array>
#include <memory>
#include <optional>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QRadioButton;
class QSpinBox;

namespace pollscope {

/// File > Export Image…: the timeline as PNG, SVG or PDF, written by TimelineExporter.
///
/// Starts from what the window shows: `view` is the timeline's frame (TimelineView::frame():
/// its size, visible range, playback cursor and title) and `dark` its theme. The user picks
/// the file (format by filter, by the format box or by extension), the whole run or the
/// visible range, the window's size (no taller than the lanes need) or a chosen one with a
/// scale, the theme, up to the playback cursor (offered while it hides something) or the full
/// run, and the title. Export writes the file and closes the dialog; a
/// failure is shown in a message box and the dialog stays open.
///
/// The comparison window's Export Image… uses it for two runs (ComparisonExporter): the same
/// choices, the range both runs' or the visible one, the title being the headline, and no
/// playback cursor (the comparison has none).
class ExportDialog : public QDialog {
    Q_OBJECT

public:
    ExportDialog(std::shared_ptr<const TimelineModel> model, const TimelineViewport& view,
        bool dark, QWidget* parent = nullptr);
    /// Two runs as one picture. `view`: the first timeline's frame (its width and the range
    /// both show), its title the headline, its height the most that "window size" may take.
    ExportDialog(ComparedRun first, ComparedRun second, const TimelineViewport& view, bool dark,
        QWidget* parent = nullptr);

    /// The file to write; without an extension, the chosen format's is added on export.
    void setFileName(const QString& path);
    QString fileName() const;
    /// The export the dialog's settings describe (format from the file name's extension).
    TimelineExportOptions options() const;

    /// Writes the file; on failure shows why in a message box and returns false.
    bool exportTo();
    /// Why the last exportTo() failed.
    QString errorString() const { return m_error; }

    void accept() override;

private:
    ExportDialog(std::shared_ptr<const TimelineModel> model,
        std::optional<std::array<ComparedRun, 2>> compared, const TimelineViewport& view, bool dark,
        QWidget* parent);
    /// The time the export can show: the run's, or both runs'.
    TimeRange bounds() const;
    /// What "whole run" shows: fitRange() of bounds().
    TimeRange wholeRange() const;
    /// The height that shows every lane at `options`' width (0: as tall as needed).
    int contentHeight(const TimelineExportOptions& options) const;
    void browse();
    void formatChosen(int index);
    void fileNameEdited(const QString& text);
    void updateEnabled();
    /// fileName() with the chosen format's extension if it has none.
    QString targetPath() const;
    /// The window's range, from the start of the run at the earliest.
    TimeRange visibleRange() const;
    /// The "window size" export: the window's, cropped to the lanes with `title`'s header.
    QSize windowSize(const QString& title) const;

    std::shared_ptr<const TimelineModel> m_model;
    std::optional<std::array<ComparedRun, 2>> m_compared; ///< set: a comparison of two runs
    TimelineViewport m_view;
    QString m_error;

    QLineEdit* m_file;
    QComboBox* m_format;
    QRadioButton* m_wholeRun;
    QRadioButton* m_visibleRange;
    QRadioButton* m_windowSize;
    QRadioButton* m_customSize;
    QSpinBox* m_width;
    QSpinBox* m_height;
    QCheckBox* m_allLanes;
    QComboBox* m_scale;
    QComboBox* m_theme;
    QRadioButton* m_upToCursor;
    QRadioButton* m_fullRun;
    QLineEdit* m_title;
};

} // namespace pollscope
