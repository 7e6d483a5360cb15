// The SDK's own version and the build signature a plugin reports in its descriptor, so that
// `coregate plugins` can show what each plugin was built with.
#pragma once

#define COREGATE_SDK_VERSION "0.1.0"

#define COREGATE_SDK_STRINGIFY_(x) #x
#define COREGATE_SDK_STRINGIFY(x) COREGATE_SDK_STRINGIFY_(x)

#if defined(__clang__)
#define COREGATE_SDK_COMPILER \
  "clang " COREGATE_SDK_STRINGIFY(__clang_major__) "." COREGATE_SDK_STRINGIFY(__clang_minor__)
#elif defined(__GNUC__)
#define COREGATE_SDK_COMPILER \
  "gcc " COREGATE_SDK_STRINGIFY(__GNUC__) "." COREGATE_SDK_STRINGIFY(__GNUC_MINOR__)
#else
#define COREGATE_SDK_COMPILER "unknown compiler"
#endif

#if defined(_GLIBCXX_RELEASE)
#define COREGATE_SDK_STDLIB "libstdc++ " COREGATE_SDK_STRINGIFY(_GLIBCXX_RELEASE)
#elif defined(_LIBCPP_VERSION)
#define COREGATE_SDK_STDLIB "libc++ " COREGATE_SDK_STRINGIFY(_LIBCPP_VERSION)
#else
#define COREGATE_SDK_STDLIB "unknown stdlib"
#endif

#define COREGATE_SDK_BUILD_SIGNATURE \
  COREGATE_SDK_COMPILER "; " COREGATE_SDK_STDLIB "; sdk " COREGATE_SDK_VERSION
