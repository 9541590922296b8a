# ---- install and package (issue 10) ----------------------------------------------------
# cmake --install build --prefix P:
#   P/bin/kernelscope
#   P/share/kernelscope/{shaders,assets/images}      the data folder (same layout as the source tree),
#   P/share/kernelscope/assets/imagenet_classes.txt  with the class names (and assets/SOURCES.md)
#   P/share/applications/kernelscope.desktop
#   P/share/icons/hicolor/NxN/apps/kernelscope.png   N = 16 32 48 64 128 256 (tools/make_icon.py)
# The binary finds its data at <its folder>/../share/kernelscope (app/data_dir.h); only a
# binary still in this build directory falls back to the source tree, and $KS_DATA_DIR
# overrides both. scripts/package_deb.sh builds the .deb (KS_NATIVE=OFF) with cpack.
include(GNUInstallDirs)

# Where the data lies relative to the binary once installed ("../share/kernelscope").
file(RELATIVE_PATH KS_DATA_REL "/${CMAKE_INSTALL_BINDIR}" "/${CMAKE_INSTALL_DATADIR}/kernelscope")
target_compile_definitions(kernelscope PRIVATE
  KS_VERSION="${PROJECT_VERSION}"
  KS_DATA_REL="${KS_DATA_REL}"
  KS_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
  KS_BUILD_DIR="$<TARGET_FILE_DIR:kernelscope>")

install(TARGETS kernelscope RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/shaders/ DESTINATION ${CMAKE_INSTALL_DATADIR}/kernelscope/shaders)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/assets/images/ DESTINATION ${CMAKE_INSTALL_DATADIR}/kernelscope/assets/images)
# ImageNet-1k's class names for the top logits, with their source and licence (assets/SOURCES.md).
install(FILES ${CMAKE_SOURCE_DIR}/assets/imagenet_classes.txt ${CMAKE_SOURCE_DIR}/assets/SOURCES.md
        DESTINATION ${CMAKE_INSTALL_DATADIR}/kernelscope/assets)
install(FILES ${CMAKE_SOURCE_DIR}/assets/kernelscope.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
foreach(size 16 32 48 64 128 256)
  install(FILES ${CMAKE_SOURCE_DIR}/assets/icons/kernelscope_${size}.png
          DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps RENAME kernelscope.png)
endforeach()

# ---- cpack -G DEB ---------------------------------------------------------------------
set(CPACK_PACKAGE_NAME kernelscope)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "self-attention kernels beside convolution kernels, on your own images")
set(CPACK_PACKAGE_DESCRIPTION "kernelscope puts a self-attention kernel and a convolution kernel side by side on
your own images: a desktop app (GLFW, OpenGL 3.3, Dear ImGui) and a command line
(kernelscope render) that reads Vision Transformer checkpoints in .safetensors.")
set(CPACK_PACKAGE_CONTACT "kernelscope developers <kernelscope@users.noreply.github.com>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_STRIP_FILES ON)
# Dependencies: dpkg-shlibdeps reads the binary's NEEDED libraries (libdnnl2, libglfw3,
# libgomp1, libopengl0, libstb0, libstdc++6, libc6, libgcc-s1 on Debian 12, with versions);
# libgl1 is named as well, since GLFW opens libGL.so.1 at run time for the GLX context.
# Without dpkg-shlibdeps (package dpkg-dev) the same list is declared by hand.
find_program(KS_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(KS_DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "libgl1")
else()
  set(CPACK_DEBIAN_PACKAGE_DEPENDS
      "libc6, libgcc-s1, libstdc++6, libgomp1, libdnnl2, libstb0, libglfw3, libgl1, libopengl0")
endif()
# Mesa's drivers draw the window where no vendor driver is installed; DejaVu is the UI font.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libgl1-mesa-dri, fonts-dejavu-core")
if(KS_NATIVE)
  # A package from a -march=native build runs only on CPUs like this one: say so in its name.
  set(CPACK_DEBIAN_FILE_NAME "kernelscope_${PROJECT_VERSION}_amd64-march-native.deb")
endif()
set(CPACK_GENERATOR DEB)
# cpack (and make install) package the build as it is, without building "all" first: the
# package_deb test must not rebuild the project, and scripts/package_deb.sh builds the
# binary itself. Like cmake --install, they expect a finished build.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)
include(CPack)

# ---- tests: the installed tree and the .deb, run without the source tree ----------------
# Neither rebuilds anything: install_relocated installs this build into a temp prefix and
# moves it; package_deb runs cpack on this build (whatever KS_NATIVE it has) and unpacks
# the .deb with dpkg-deb -x. Both run `render` and `--version`; install_relocated also
# takes a --screenshot under Xvfb when the GUI is built.
if(KS_BUILD_TESTS)
  add_test(NAME install_relocated
           COMMAND ${CMAKE_SOURCE_DIR}/tests/install_test.sh install ${CMAKE_BINARY_DIR}
                   ${CMAKE_BINARY_DIR}/install_relocated_out ${PROJECT_VERSION} $<BOOL:${KS_BUILD_GUI}>)
  add_test(NAME package_deb
           COMMAND ${CMAKE_SOURCE_DIR}/tests/install_test.sh deb ${CMAKE_BINARY_DIR}
                   ${CMAKE_BINARY_DIR}/package_deb_out ${PROJECT_VERSION} $<BOOL:${KS_BUILD_GUI}>)
  set_tests_properties(install_relocated package_deb PROPERTIES TIMEOUT 300)
endif()
