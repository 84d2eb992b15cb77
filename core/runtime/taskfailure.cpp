#include "runtime/taskfailure.h"

namespace pollscope {

QString failureMessage(const std::exception_ptr& error)
{
    try {
        std::rethrow_exception(error);
    } catch (const TaskFailure& failure) {
        return failure.message();
    } catch (const std::exception& e) {
        return QString::fromUtf8(e.what());
    } catch (...) {
        return QStringLiteral("unknown failure");
    }
}

} // namespace pollscope
