# Finds the Debian-packaged dependencies and gives them one name each (loa::…).
find_package(Threads REQUIRED)
find_package(Boost 1.81.0 EXACT REQUIRED CONFIG COMPONENTS headers json url)
find_package(SQLiteCpp REQUIRED CONFIG)
find_package(yaml-cpp REQUIRED CONFIG)
find_package(date REQUIRED CONFIG)
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBICAL REQUIRED IMPORTED_TARGET libical)

# Debian's SQLiteCpp and yaml-cpp export plain target names: alias them once here.
add_library(loa::sqlite ALIAS SQLiteCpp)
add_library(loa::yaml ALIAS yaml-cpp)
add_library(loa::ical ALIAS PkgConfig::LIBICAL)
add_library(loa::tz ALIAS date::date-tz)

add_library(loa_boost INTERFACE)
target_link_libraries(loa_boost INTERFACE Boost::headers Boost::json Boost::url Threads::Threads)
# Asio: no deprecated interfaces. (Beast 1.81's string_view converts to and from std::string_view by
# itself; its old BOOST_BEAST_USE_STD_STRING_VIEW only prints a deprecation note in every unit.)
target_compile_definitions(loa_boost INTERFACE BOOST_ASIO_NO_DEPRECATED)
add_library(loa::boost ALIAS loa_boost)

# The web forms: libsodium (argon2id, random tokens), Boost.Locale (gettext catalogs), kainjow
# mustache (header-only), msgfmt (compiles locale/*.po at build time).
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
add_library(loa::sodium ALIAS PkgConfig::SODIUM)
find_package(Boost 1.81.0 EXACT REQUIRED CONFIG COMPONENTS locale)
find_path(LOA_MUSTACHE_INCLUDE kainjow/mustache.hpp REQUIRED)
add_library(loa_mustache INTERFACE)
target_include_directories(loa_mustache SYSTEM INTERFACE ${LOA_MUSTACHE_INCLUDE})
add_library(loa::mustache ALIAS loa_mustache)
find_program(LOA_MSGFMT msgfmt REQUIRED)

# The dispatcher: OpenSSL for HTTPS webhooks (Beast's ssl_stream) and certificate checks; core: its
# SHA-256 for feed tokens (hashed on every feed request; it uses the CPU's SHA instructions).
find_package(OpenSSL 3.0 REQUIRED)
add_library(loa_openssl INTERFACE)
target_link_libraries(loa_openssl INTERFACE OpenSSL::SSL OpenSSL::Crypto)
add_library(loa::openssl ALIAS loa_openssl)

# The planner: LEMON (Debian liblemon-dev) for NetworkSimplex, a min-cost-flow solver. Its CMake
# file sets variables only, so give it a target here.
find_package(lemon REQUIRED CONFIG)
add_library(loa_lemon INTERFACE)
target_include_directories(loa_lemon SYSTEM INTERFACE ${LEMON_INCLUDE_DIRS})
target_link_libraries(loa_lemon INTERFACE ${LEMON_LIBRARIES})
add_library(loa::lemon ALIAS loa_lemon)

# The feeds: zlib (Debian zlib1g-dev) gzips the cached feed bytes once, when they are rendered.
find_package(ZLIB REQUIRED)
add_library(loa::zlib ALIAS ZLIB::ZLIB)

# The allocator: jemalloc (Debian libjemalloc-dev) with transparent huge pages for the executables
# (core/allocator.cpp says why). Not under the sanitizers, which bring their own allocator, nor in
# the fuzz build (sanitized too, and it builds no executable that links it).
add_library(loa_allocator INTERFACE)
if(NOT LOA_SANITIZE AND NOT LOA_FUZZ)
  pkg_check_modules(JEMALLOC REQUIRED IMPORTED_TARGET jemalloc)
  target_sources(loa_allocator INTERFACE ${PROJECT_SOURCE_DIR}/core/allocator.cpp)
  target_link_libraries(loa_allocator INTERFACE PkgConfig::JEMALLOC)
endif()
add_library(loa::allocator ALIAS loa_allocator)
