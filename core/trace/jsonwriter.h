#pragma once

#include "runtime/runtimetypes.h"

#include <QByteArray>
#include <QStringView>

#include <cstring>

class QIODevice;

namespace pollscope {

/// Formats nanoseconds as microseconds: an integer when exact, else 3 decimals ("1.500").
QByteArray formatMicros(TimeNs ns);

/// Streams JSON text to a device through a large buffer: the shared back end of the JSON-lines
/// and Chrome trace exporters.
///
/// Shaped for traces of millions of events: every piece is copied straight into the buffer
/// (numbers with std::to_chars, strings escaped in place), nothing allocates per event, and the
/// device sees writes of a megabyte. Strings are escaped as QJsonDocument does. The caller writes
/// the structure (braces, commas, keys); this class only knows how to spell values.
class JsonWriter {
public:
    explicit JsonWriter(QIODevice& device);
    JsonWriter(const JsonWriter&) = delete;
    JsonWriter& operator=(const JsonWriter&) = delete;

    /// Text that needs no escaping: punctuation, keys, literals.
    template <std::size_t N>
    JsonWriter& raw(const char (&text)[N])
    {
        return raw(text, N - 1);
    }
    JsonWriter& raw(const char* text, std::size_t size)
    {
        std::memcpy(reserve(size), text, size);
        m_used += size;
        return *this;
    }
    JsonWriter& raw(const QByteArray& text)
    {
        return raw(text.constData(), std::size_t(text.size()));
    }
    JsonWriter& raw(char c)
    {
        *reserve(1) = c;
        ++m_used;
        return *this;
    }

    /// A quoted, escaped JSON string.
    JsonWriter& string(QStringView text) { return raw('"').escaped(text).raw('"'); }
    /// The inside of a JSON string (no quotes), to build one from pieces.
    JsonWriter& escaped(QStringView text);
    JsonWriter& number(qint64 value);
    /// Nanoseconds as microseconds: an integer when exact, else 3 decimals (formatMicros).
    JsonWriter& micros(TimeNs ns);

    /// Writes out everything; false if the device failed at any point.
    bool finish();

    /// The inside of a JSON string for `text`, for a caller that repeats it (task names).
    static QByteArray escape(QStringView text);

private:
    static constexpr std::size_t kChunk = std::size_t(1) << 20;

    /// Room for `size` more bytes; returns where they go. A full buffer goes to the device.
    char* reserve(std::size_t size)
    {
        if (m_used + size > m_capacity)
            grow(size);
        return m_data + m_used;
    }
    void grow(std::size_t size);
    void flush();

    QIODevice& m_device;
    QByteArray m_buffer;
    char* m_data = nullptr; ///< m_buffer's bytes, detached once
    std::size_t m_capacity = 0;
    std::size_t m_used = 0;
    bool m_ok = true;
};

} // namespace pollscope
