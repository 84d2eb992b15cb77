#include "script/value.h"

#include "runtime/frameallocator.h"
#include "script/scriptobjects.h"

#include <QStringList>

namespace pollscope::script {

QString describeKind(ValueKind kind)
{
    switch (kind) {
    case ValueKind::None:
        return u"none"_qs;
    case ValueKind::Bool:
        return u"a bool"_qs;
    case ValueKind::Int:
        return u"a number"_qs;
    case ValueKind::Duration:
        return u"a duration"_qs;
    case ValueKind::String:
        return u"a string"_qs;
    case ValueKind::List:
        return u"a list"_qs;
    case ValueKind::Range:
        return u"a range"_qs;
    case ValueKind::Future:
        return u"a future"_qs;
    case ValueKind::Handle:
        return u"a task handle"_qs;
    case ValueKind::Channel:
        return u"a channel"_qs;
    case ValueKind::Selected:
        return u"a select result"_qs;
    case ValueKind::Error:
        return u"an error"_qs;
    case ValueKind::Iterator:
        return u"an iterator"_qs;
    }
    return QString();
}

void* Object::operator new(std::size_t size) { return FrameAllocator::allocate(size); }

void Object::operator delete(void* object, std::size_t size) noexcept { FrameAllocator::deallocate(object, size); }

void Value::releaseObject() noexcept { m_object->release(); }

Value Value::object(ValueKind kind, Object* object)
{
    Value value;
    value.m_kind = kind;
    value.m_object = object;
    object->retain();
    return value;
}

Value Value::string(QString text) { return object(ValueKind::String, new StringObject(std::move(text))); }

Value Value::list(std::vector<Value> items)
{
    auto* list = new ListObject;
    list->items = std::move(items);
    return object(ValueKind::List, list);
}

Value Value::range(qint64 from, qint64 to, bool durations)
{
    return object(ValueKind::Range, new RangeObject(from, to, durations));
}

Value Value::error(QString message) { return object(ValueKind::Error, new ErrorObject(std::move(message))); }

Value Value::selected(qint64 index, Value value)
{
    return object(ValueKind::Selected, new SelectedObject(index, std::move(value)));
}

const QString& Value::text() const { return static_cast<StringObject*>(m_object)->text; }
std::vector<Value>& Value::items() const { return static_cast<ListObject*>(m_object)->items; }
const RangeObject& Value::rangeValue() const { return *static_cast<RangeObject*>(m_object); }
FutureObject* Value::future() const { return static_cast<FutureObject*>(m_object); }
HandleObject* Value::handle() const { return static_cast<HandleObject*>(m_object); }
ChannelObject* Value::channel() const { return static_cast<ChannelObject*>(m_object); }
const SelectedObject& Value::selectedValue() const { return *static_cast<SelectedObject*>(m_object); }
const QString& Value::errorMessage() const { return static_cast<ErrorObject*>(m_object)->message; }

QString formatDuration(qint64 ns)
{
    struct Unit {
        qint64 scale;
        const char16_t* suffix;
    };
    static constexpr Unit units[] = { { 1'000'000'000, u"s" }, { 1'000'000, u"ms" }, { 1'000, u"us" } };
    if (ns == 0)
        return u"0ms"_qs;
    for (const Unit& unit : units)
        if (ns % unit.scale == 0)
            return QString::number(ns / unit.scale) + QStringView(unit.suffix);
    return QString::number(ns) + u"ns";
}

namespace {
constexpr int kMaxNesting = 32;
}

ListObject::~ListObject()
{
    // Items that are the last reference to a list are moved to a per-thread queue and released
    // one at a time by the outermost destructor.
    thread_local std::vector<Value>* pending = nullptr;
    if (pending) {
        for (Value& item : items)
            pending->push_back(std::move(item));
        return;
    }
    std::vector<Value> queue = std::move(items);
    pending = &queue;
    while (!queue.empty()) {
        Value last = std::move(queue.back());
        queue.pop_back();
    }
    pending = nullptr;
}

QString Value::display(int depth) const
{
    if (depth > kMaxNesting)
        return u"..."_qs;
    switch (m_kind) {
    case ValueKind::None:
        return u"none"_qs;
    case ValueKind::Bool:
        return m_number ? u"true"_qs : u"false"_qs;
    case ValueKind::Int:
        return QString::number(m_number);
    case ValueKind::Duration:
        return formatDuration(m_number);
    case ValueKind::String:
        return text();
    case ValueKind::List: {
        QStringList parts;
        for (const Value& item : items())
            parts << item.display(depth + 1);
        return u'[' + parts.join(u", ") + u']';
    }
    case ValueKind::Range: {
        const RangeObject& r = rangeValue();
        return r.durations ? formatDuration(r.from) + u".." + formatDuration(r.to)
                           : QString::number(r.from) + u".." + QString::number(r.to);
    }
    case ValueKind::Future:
        return future()->description();
    case ValueKind::Handle:
        return handle()->name;
    case ValueKind::Channel:
        return channel()->label;
    case ValueKind::Selected:
        return QStringLiteral("select #%1: %2").arg(selectedValue().index).arg(selectedValue().value.display(depth + 1));
    case ValueKind::Error:
        return u"error: "_qs + errorMessage();
    case ValueKind::Iterator:
        return u"<iterator>"_qs;
    }
    return QString();
}

bool Value::equals(const Value& other, int depth) const
{
    if (m_kind != other.m_kind || depth > kMaxNesting)
        return false;
    switch (m_kind) {
    case ValueKind::None:
        return true;
    case ValueKind::Bool:
    case ValueKind::Int:
    case ValueKind::Duration:
        return m_number == other.m_number;
    case ValueKind::String:
        return text() == other.text();
    case ValueKind::Error:
        return errorMessage() == other.errorMessage();
    case ValueKind::List: {
        const auto& a = items();
        const auto& b = other.items();
        return a.size() == b.size()
            && std::equal(a.begin(), a.end(), b.begin(),
                          [depth](const Value& x, const Value& y) { return x.equals(y, depth + 1); });
    }
    default:
        return m_object == other.m_object;
    }
}

} // namespace pollscope::script
