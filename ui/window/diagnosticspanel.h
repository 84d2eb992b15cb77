#pragma once

#include "analysis/diagnostics.h"

#include <QTreeWidget>

#include <memory>

namespace pollscope {

/// The diagnostics of a run: kind, task, time, line and what to do. Activating one asks the
/// window to show it on the timeline and in the source. The message column wraps to its width
/// and shows the message's backticked names as code; its tooltip holds the whole message.
class DiagnosticsPanel : public QTreeWidget
{
    Q_OBJECT

public:
    static constexpr int MessageColumn = 4;
    /// Message column: the message as rich text (messageToHtml), which the column paints. Its
    /// display text is the plain form (messageToPlainText).
    static constexpr int MessageHtmlRole = Qt::UserRole;

    explicit DiagnosticsPanel(QWidget* parent = nullptr);

    void setDiagnostics(std::shared_ptr<const Trace> trace, std::vector<Diagnostic> diagnostics);
    const std::vector<Diagnostic>& diagnostics() const { return m_diagnostics; }

signals:
    void diagnosticActivated(const pollscope::Diagnostic& diagnostic);

private:
    std::vector<Diagnostic> m_diagnostics;
};

} // namespace pollscope
