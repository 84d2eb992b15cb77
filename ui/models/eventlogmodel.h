#pragma once

#include "trace/trace.h"

#include <QAbstractTableModel>

#include <memory>

namespace pollscope {

/// Every event of a trace as a table row: time, task, event, details, source line.
///
/// Lazy: a row is formatted only when a view asks for it, and nothing is stored per row, so a
/// 10M-event trace costs no more than the trace itself. Row i is event i.
class EventLogModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { TimeColumn, TaskColumn, EventColumn, DetailsColumn, LineColumn, ColumnCount };
    enum Role {
        EventIndexRole = Qt::UserRole, ///< the event's index (qint64)
        TimeRole, ///< its time in ns (qint64)
        TaskRole, ///< its task id (qint64; -1 for none)
        KindRole, ///< its EventKind (int)
        LineRole, ///< its source line (int; 0: unknown)
    };

    explicit EventLogModel(QObject* parent = nullptr);

    void setTrace(std::shared_ptr<const Trace> trace);
    const std::shared_ptr<const Trace>& trace() const { return m_trace; }

    int rowCount(const QModelIndex& parent = QModelIndex()) const override;
    int columnCount(const QModelIndex& parent = QModelIndex()) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// "poll end", "wake", ... as the Event column shows it.
    static QString eventName(EventKind kind);
    /// The Details column of event `index`.
    QString details(std::size_t index) const;

private:
    QString resourceLabel(std::uint32_t resource) const;

    std::shared_ptr<const Trace> m_trace;
};

} // namespace pollscope
