# ---- checks of the build itself (issue 22) ------------------------------------------------
# Dear ImGui's backends where /usr/share/doc is excluded: the configure error, and the
# fallback of scripts/imgui_backends.sh (scripts/bootstrap.sh) unpacking them from the .deb.
# The unity build's name clashes are checked by scripts/check_unity.sh (run by sanitize.sh).
if(KS_BUILD_TESTS AND KS_BUILD_GUI)
  add_test(NAME imgui_backends_fallback
           COMMAND ${CMAKE_SOURCE_DIR}/tests/imgui_backends_test.sh ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/imgui_backends_test)
  set_tests_properties(imgui_backends_fallback PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
endif()
