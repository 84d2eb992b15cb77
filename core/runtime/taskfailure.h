#pragma once

#include <QByteArray>
#include <QString>

#include <exception>

namespace pollscope {

/// Thrown inside a task to make it fail; awaiting the task's handle rethrows it.
class TaskFailure : public std::exception
{
public:
    explicit TaskFailure(QString message)
        : m_message(std::move(message))
        , m_utf8(m_message.toUtf8())
    {
    }
    const char* what() const noexcept override { return m_utf8.constData(); }
    const QString& message() const noexcept { return m_message; }

private:
    QString m_message;
    QByteArray m_utf8;
};

/// The message of a failure captured in a coroutine.
QString failureMessage(const std::exception_ptr& error);

} // namespace pollscope
