# pollscope_add_test(tst_name [SOURCES extra.cpp ...] LIBS lib ...)
# One executable per Qt Test suite (tests/tst_name.cpp), registered with ctest and run
# under the offscreen platform so widget tests need no display.
function(pollscope_add_test name)
    cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
    add_executable(${name} ${name}.cpp ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE Qt6::Test ${ARG_LIBS})
    target_compile_definitions(${name} PRIVATE
        POLLSCOPE_TEST_DATA="${CMAKE_CURRENT_SOURCE_DIR}/data")
    pollscope_set_warnings(${name})
    add_test(NAME ${name} COMMAND ${name})
    set(environment "QT_QPA_PLATFORM=offscreen;QT_LOGGING_RULES=qt.qpa.*=false")
    if(POLLSCOPE_SANITIZE MATCHES "thread")
        # Debian's Qt is not built for TSan: memory that Qt's own code copies or frees under its
        # internal mutexes (posted events, the thread pool's queue) is not checked; everything
        # our code touches is.
        list(APPEND environment "TSAN_OPTIONS=halt_on_error=1 ignore_noninstrumented_modules=1 suppressions=${PROJECT_SOURCE_DIR}/tests/tsan.supp")
    endif()
    if(POLLSCOPE_SANITIZE MATCHES "undefined")
        list(APPEND environment "UBSAN_OPTIONS=halt_on_error=1 print_stacktrace=1")
    endif()
    # A hung test fails in minutes instead of eating CI's 90.
    set_tests_properties(${name} PROPERTIES ENVIRONMENT "${environment}" TIMEOUT 600)
endfunction()
