#include "trace/jsonwriter.h"

#include <QIODevice>

#include <charconv>
#include <cstdint>

namespace pollscope {

namespace {

/// Writes `ns` as microseconds at `out` (at most 26 bytes); returns the end.
char* writeMicros(char* out, TimeNs ns)
{
    if (ns % 1000 == 0)
        return std::to_chars(out, out + 24, ns / 1000).ptr;
    if (ns < 0)
        *out++ = '-';
    const std::uint64_t magnitude = ns < 0 ? 0 - std::uint64_t(ns) : std::uint64_t(ns);
    out = std::to_chars(out, out + 24, magnitude / 1000).ptr;
    const auto fraction = unsigned(magnitude % 1000);
    *out++ = '.';
    *out++ = char('0' + fraction / 100);
    *out++ = char('0' + fraction / 10 % 10);
    *out++ = char('0' + fraction % 10);
    return out;
}

char hexDigit(unsigned value)
{
    return "0123456789abcdef"[value & 0xf];
}

/// Escapes `text` at `out`, which has room for 6 bytes per UTF-16 unit; returns the end.
char* writeEscaped(char* out, QStringView text)
{
    const char16_t* s = text.utf16();
    const char16_t* const end = s + text.size();
    while (s < end) {
        const char16_t u = *s++;
        if (u < 0x80) {
            if (u >= 0x20 && u != u'"' && u != u'\\') {
                *out++ = char(u);
                continue;
            }
            *out++ = '\\';
            switch (u) {
            case u'"':
                *out++ = '"';
                break;
            case u'\\':
                *out++ = '\\';
                break;
            case u'\b':
                *out++ = 'b';
                break;
            case u'\f':
                *out++ = 'f';
                break;
            case u'\n':
                *out++ = 'n';
                break;
            case u'\r':
                *out++ = 'r';
                break;
            case u'\t':
                *out++ = 't';
                break;
            default:
                *out++ = 'u';
                *out++ = '0';
                *out++ = '0';
                *out++ = hexDigit(u >> 4);
                *out++ = hexDigit(u);
                break;
            }
        } else if (u < 0x800) {
            *out++ = char(0xc0 | (u >> 6));
            *out++ = char(0x80 | (u & 0x3f));
        } else if (QChar::isHighSurrogate(u) && s < end && QChar::isLowSurrogate(*s)) {
            const char32_t c = QChar::surrogateToUcs4(u, *s++);
            *out++ = char(0xf0 | (c >> 18));
            *out++ = char(0x80 | ((c >> 12) & 0x3f));
            *out++ = char(0x80 | ((c >> 6) & 0x3f));
            *out++ = char(0x80 | (c & 0x3f));
        } else if (QChar::isSurrogate(u)) {
            // A lone surrogate has no UTF-8 form: JSON spells the code unit.
            *out++ = '\\';
            *out++ = 'u';
            *out++ = hexDigit(u >> 12);
            *out++ = hexDigit(u >> 8);
            *out++ = hexDigit(u >> 4);
            *out++ = hexDigit(u);
        } else {
            *out++ = char(0xe0 | (u >> 12));
            *out++ = char(0x80 | ((u >> 6) & 0x3f));
            *out++ = char(0x80 | (u & 0x3f));
        }
    }
    return out;
}

} // namespace

QByteArray formatMicros(TimeNs ns)
{
    char text[32];
    return QByteArray(text, writeMicros(text, ns) - text);
}

JsonWriter::JsonWriter(QIODevice& device)
    : m_device(device)
    , m_buffer(qsizetype(kChunk), Qt::Uninitialized)
    , m_data(m_buffer.data())
    , m_capacity(kChunk)
{
}

JsonWriter& JsonWriter::escaped(QStringView text)
{
    char* const start = reserve(std::size_t(text.size()) * 6);
    m_used += std::size_t(writeEscaped(start, text) - start);
    return *this;
}

JsonWriter& JsonWriter::number(qint64 value)
{
    char* const start = reserve(24);
    m_used += std::size_t(std::to_chars(start, start + 24, value).ptr - start);
    return *this;
}

JsonWriter& JsonWriter::micros(TimeNs ns)
{
    char* const start = reserve(32);
    m_used += std::size_t(writeMicros(start, ns) - start);
    return *this;
}

QByteArray JsonWriter::escape(QStringView text)
{
    QByteArray bytes(text.size() * 6, Qt::Uninitialized);
    bytes.truncate(writeEscaped(bytes.data(), text) - bytes.data());
    return bytes;
}

void JsonWriter::grow(std::size_t size)
{
    flush();
    if (size > m_capacity) {
        m_buffer.resize(qsizetype(size));
        m_data = m_buffer.data();
        m_capacity = size;
    }
}

void JsonWriter::flush()
{
    if (m_used > 0)
        m_ok = m_ok && m_device.write(m_data, qint64(m_used)) == qint64(m_used);
    m_used = 0;
}

bool JsonWriter::finish()
{
    flush();
    return m_ok;
}

} // namespace pollscope
