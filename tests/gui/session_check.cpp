// Checks the session runs of tests/gui_session_test.sh (File > Save session / Open
// session in the real app). Usage: session_check CHECK ARGS...
//   same_state A.json B.json     B, the state after opening the session saved in A's run,
//                                shows what A showed: inputs, query, view, filter, occlusion,
//                                zoom, centre view and the kernel changes to the last digit
//   same_session A.json B.json   two session files hold the same settings (every entry)
//   status STATE.json TEXT       the status line says TEXT (not as an error)
//   refused BEFORE.json AFTER.json FILE   opening FILE was refused in one sentence naming
//                                it, and the state shown before stayed
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

using nlohmann::json;

namespace {

int failures = 0;

void check(bool ok, const std::string& what) {
    std::cout << (ok ? "  ok    " : "  FAIL  ") << what << "\n";
    if (!ok) ++failures;
}

json read(const std::string& path) {
    std::ifstream in(path);
    try {
        return json::parse(in);
    } catch (const std::exception& e) {
        check(false, "read " + path + ": " + e.what());
        return json::object();
    }
}

// What a session restores, as the state JSON shows it.
const char* const kShown[] = {"image_a", "image_b", "b_mode", "filter", "occlusion", "zoom", "center_view", "grid"};

void same_entries(const json& a, const json& b, const std::string& what) {
    for (const char* k : kShown)
        check(a.value(k, json()) == b.value(k, json()), what + ": " + k + " " + a.value(k, json()).dump() + " = " + b.value(k, json()).dump());
    for (const char* k : {"row", "col", "pinned"})
        check(a["query"].value(k, json()) == b["query"].value(k, json()), what + ": query." + k + " " + a["query"].value(k, json()).dump());
    check(a["view"] == b["view"], what + ": view " + a["view"].dump());
    check(a["model"].value("kind", "") == b["model"].value("kind", "") && a["model"].value("weights", "") == b["model"].value("weights", ""),
          what + ": model " + a["model"].value("kind", "") + " " + a["model"].value("weights", ""));
}

int same_state(const std::string& pa, const std::string& pb) {
    const json a = read(pa), b = read(pb);
    same_entries(a, b, pb);
    // The same settings compute the same numbers, to the last digit.
    check(a["kernel_change"] == b["kernel_change"], pb + ": kernel changes " + a["kernel_change"].dump() + " = " + b["kernel_change"].dump());
    check(a["conv"].value("change_text", "") == b["conv"].value("change_text", ""), pb + ": conv change text");
    check(!b["status"].value("error", true), pb + ": no error in the status line (" + b["status"].value("text", "") + ")");
    return failures;
}

int same_session(const std::string& pa, const std::string& pb) {
    const json a = read(pa), b = read(pb);
    check(!a.empty() && a.contains("kernelscope_session"), pa + " is a session file");
    for (const auto& [section, entries] : a.items()) {
        if (!entries.is_object()) {
            check(b.value(section, json()) == entries, pb + ": " + section);
            continue;
        }
        for (const auto& [key, v] : entries.items()) {
            const json w = b.contains(section) ? b[section].value(key, json()) : json();
            check(w == v, pb + ": " + section + "." + key + " " + v.dump() + (w == v ? "" : " != " + w.dump()));
        }
    }
    return failures;
}

int status(const std::string& p, const std::string& text) {
    const json s = read(p);
    const std::string t = s["status"].value("text", "");
    check(t.find(text) != std::string::npos && !s["status"].value("error", true), p + ": the status line says '" + t + "'");
    return failures;
}

int refused(const std::string& pbefore, const std::string& pafter, const std::string& file) {
    const json a = read(pbefore), b = read(pafter);
    const std::string t = b["status"].value("text", "");
    check(b["status"].value("error", false), pafter + ": an error in the status line");
    check(t.find(file) != std::string::npos, pafter + ": it names " + file + " ('" + t + "')");
    check(!t.empty() && t.back() == '.' && t.find('\n') == std::string::npos, pafter + ": one sentence");
    same_entries(a, b, pafter + " (kept)");
    return failures;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string c = argc > 1 ? argv[1] : "";
    std::cout << "session_check " << c << ":\n";
    if (c == "same_state" && argc == 4) return same_state(argv[2], argv[3]) ? 1 : 0;
    if (c == "same_session" && argc == 4) return same_session(argv[2], argv[3]) ? 1 : 0;
    if (c == "status" && argc == 4) return status(argv[2], argv[3]) ? 1 : 0;
    if (c == "refused" && argc == 5) return refused(argv[2], argv[3], argv[4]) ? 1 : 0;
    std::cerr << "usage: session_check same_state|same_session|status|refused ARGS...\n";
    return 2;
}
