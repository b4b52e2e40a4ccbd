# Compiler warnings and sanitizers, applied to loa's own targets through loa_options.
add_library(loa_options INTERFACE)
add_library(loa::options ALIAS loa_options)
target_compile_options(loa_options INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                             -Wold-style-cast -Wcast-align -Woverloaded-virtual
                                             -Wimplicit-fallthrough)
if(LOA_WERROR)
  target_compile_options(loa_options INTERFACE -Werror)
endif()
if(LOA_SANITIZE)
  target_compile_options(loa_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
                                               -fno-sanitize-recover=undefined)
  target_link_options(loa_options INTERFACE -fsanitize=address,undefined)
endif()
