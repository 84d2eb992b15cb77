#pragma once

#include "script/sourcetext.h"
#include "trace/trace.h"

#include <algorithm>

#include <QList>
#include <QString>

namespace pollscope {

/// A position in a scenario: offset into the text, 1-based line and column, length in chars.
struct SourceLocation {
    int offset = 0;
    int line = 1;
    int column = 1;
    int length = 1;

    bool operator==(const SourceLocation&) const = default;

    /// Where a statement's span starts, as long as its first line (at least one character).
    static SourceLocation of(const SourceSpan& span)
    {
        return { 0, span.line, span.column, std::max(1, span.endColumn - span.column) };
    }
};

/// One problem in a scenario, at a position.
struct ScriptError {
    SourceLocation location;
    QString message;

    bool operator==(const ScriptError&) const = default;

    /// `FILE:LINE:COL: message`, then the source line and a caret under the position.
    QString format(const SourceText& source) const;
};

/// A line that follows an error and points at another place, as a compiler's `note:`: the
/// call that led to a runtime error. A location with line 0 has no position.
struct ScriptNote {
    SourceLocation location;
    QString message;

    bool operator==(const ScriptNote&) const = default;

    /// A note at `span`; span 0 (invalid) gives one without a position.
    static ScriptNote of(const SourceSpan& span, const QString& message)
    {
        return { span.isValid() ? SourceLocation::of(span) : SourceLocation { 0, 0, 0, 0 },
            message };
    }

    /// `FILE:LINE:COL: note: message`, then the source line and a caret (`FILE: note: message`
    /// alone without a position).
    QString format(const SourceText& source) const;
};

/// All errors, one after the other, as a compiler prints them.
QString formatErrors(const SourceText& source, const QList<ScriptError>& errors);

} // namespace pollscope
