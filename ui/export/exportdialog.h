#pragma once

#include "export/timelineexporter.h"

#include <QDialog>

#include <memory>

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
class ExportDialog : public QDialog {
    Q_OBJECT

public:
    ExportDialog(std::shared_ptr<const TimelineModel> model, const TimelineViewport& view,
        bool dark, QWidget* parent = nullptr);

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
