#pragma once

#include "script/sourcetext.h"

#include <QList>
#include <QString>

#include <optional>

namespace pollscope {

/// A position in a scenario: offset into the text, 1-based line and column, length in chars.
struct SourceLocation {
    int offset = 0;
    int line = 1;
    int column = 1;
    int length = 1;
};

/// One problem in a scenario, at a position.
struct ScriptError {
    SourceLocation location;
    QString message;

    /// `FILE:LINE:COL: message`, then the source line and a caret under the position.
    QString format(const SourceText& source) const;
    /// Reads back what format() wrote for `fileName`: the position (the caret's width as the
    /// length, offset 0) and the message. A failed run's message is such a text when a script
    /// error stopped it; nullopt for any text that does not start with `fileName:LINE:COL: `.
    static std::optional<ScriptError> parse(const QString& text, const QString& fileName);
};

/// All errors, one after the other, as a compiler prints them.
QString formatErrors(const SourceText& source, const QList<ScriptError>& errors);

} // namespace pollscope
