#pragma once

#include <QString>

namespace pollscope {

// The analysis writes its messages for the command line, where names from the scenario stand
// between backticks (`carol`, `read_line(conn)`). Widgets show those parts as code instead.

/// `message` as rich text: each backticked part in <code> (monospace) without its backticks,
/// the rest escaped, line breaks kept. A backtick without a partner stays as it is.
QString messageToHtml(const QString& message);

/// `message` without the backticks around its code, for plain-text places (copying, sorting,
/// accessibility).
QString messageToPlainText(const QString& message);

} // namespace pollscope
