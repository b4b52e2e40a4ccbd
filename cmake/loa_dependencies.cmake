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
# Asio: no deprecated interfaces; Beast: keep its heavy pieces in a few translation units.
target_compile_definitions(loa_boost INTERFACE BOOST_ASIO_NO_DEPRECATED BOOST_BEAST_USE_STD_STRING_VIEW)
add_library(loa::boost ALIAS loa_boost)
