// The cut detector (app/gui/layout_audit) on frames built to cut text in each way it
// knows, and on the same frames laid out to fit: Dear ImGui alone, headless (no window,
// no GL), so it runs anywhere. Usage: layout_audit_check (exit 1 on any failure).
#include <imgui.h>

#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "layout_audit.h"

using ks::gui::TextCut;

namespace {

int failures = 0;

void check(bool ok, const std::string& what, const std::vector<TextCut>& cut) {
    std::cout << (ok ? "  ok    " : "  FAIL  ") << what << "\n";
    if (!ok) {
        ++failures;
        for (const TextCut& c : cut) std::cout << "        cut: " << c.kind << ": " << c.where << " (" << c.over_px << " px)\n";
    }
}

// Plays `draw` for a few frames (tables size their columns from the frame before,
// tooltips and auto-sized windows appear one frame late) and audits the last one.
std::vector<TextCut> frames(const std::function<void()>& draw) {
    ImGuiIO& io = ImGui::GetIO();
    for (int f = 0; f < 4; ++f) {
        io.DeltaTime = 1.0f / 60.0f;
        ImGui::NewFrame();
        draw();
        ImGui::Render();
    }
    return ks::gui::text_cut();
}

bool has(const std::vector<TextCut>& cut, const std::string& kind, const std::string& where_part) {
    for (const TextCut& c : cut)
        if (c.kind == kind && c.where.find(where_part) != std::string::npos) return true;
    return false;
}

void window_at(const char* name, float w, float h, ImGuiWindowFlags flags = 0) {
    ImGui::SetNextWindowPos(ImVec2(10, 10));
    ImGui::SetNextWindowSize(ImVec2(w, h));
    ImGui::Begin(name, nullptr, ImGuiWindowFlags_NoSavedSettings | flags);
}

void readout_table(float conv_w) {
    // The readouts' layout: a fixed column too narrow for "0 (exactly)" clips it.
    if (ImGui::BeginTable("##stats", 2, ImGuiTableFlags_Borders)) {
        ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed);
        ImGui::TableSetupColumn("conv w", ImGuiTableColumnFlags_WidthFixed, conv_w);
        ImGui::TableHeadersRow();
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::TextUnformatted("change");
        ImGui::TableSetColumnIndex(1);
        ImGui::TextUnformatted("0 (exactly)");
        ImGui::EndTable();
    }
}

void combo(float width) {
    static int i = 0;
    ImGui::SetNextItemWidth(width);
    ImGui::Combo("score", &i, "cosine similarity\0dot\0");
}

}  // namespace

int main() {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(640, 480);
    io.Fonts->AddFontDefault();
    unsigned char* pixels = nullptr;
    int tw = 0, th = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &tw, &th);
    io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(1)));
    io.MousePos = ImVec2(300, 200);  // where tooltips open

    std::vector<TextCut> c = frames([] {
        window_at("Fits", 400, 300);
        ImGui::TextUnformatted("a short label");
        readout_table(0.0f);
        combo(200);
        ImGui::End();
    });
    check(c.empty(), "labels, a table and a combo with room: nothing is cut", c);

    c = frames([] {
        window_at("Narrow", 120, 100);
        ImGui::TextUnformatted("a label far wider than this window");
        ImGui::End();
    });
    check(has(c, "right edge", "Narrow"), "a label past a window's right edge", c);

    c = frames([] {
        window_at("Readouts###readouts", 400, 200);
        readout_table(20.0f);
        ImGui::End();
    });
    check(has(c, "table cell", "Readouts / table column 'conv w'"), "a table cell wider than its column, named by window and column", c);
    check(!has(c, "right edge", "Readouts"), "...which the window's own extent does not show", c);

    for (const float width : {600.0f, 200.0f}) {
        c = frames([width] {
            window_at("Scrolling", width, 200);
            if (ImGui::BeginTable("##wide", 3, ImGuiTableFlags_ScrollX | ImGuiTableFlags_SizingFixedFit, ImVec2(0, 120))) {
                for (int col = 0; col < 3; ++col) ImGui::TableSetupColumn(col == 2 ? "last" : "c");
                ImGui::TableNextRow();
                for (int col = 0; col < 3; ++col) {
                    ImGui::TableSetColumnIndex(col);
                    ImGui::TextUnformatted("0.000123456");
                }
                ImGui::EndTable();
            }
            ImGui::End();
        });
        if (width > 300)
            check(c.empty(), "a table that could scroll sideways, its columns fitted to content and in view, is not cut", c);
        else
            check(has(c, "table cell", "Scrolling / table ##wide column 'last'"),
                  "a column running past the view of a table that scrolls sideways shows its text cut", c);
    }

    c = frames([] {
        window_at("Model", 400, 200);
        combo(60);
        ImGui::End();
    });
    check(has(c, "clipped letters", "Model text 'co"), "a combo's preview clipped inside its frame, with the text as shown", c);

    c = frames([] {
        window_at("Elided", 300, 200);
        static float v = 0.5f;
        ImGui::SetNextItemWidth(250);
        ImGui::SliderFloat("x", &v, 0, 1);
        ImGui::End();
    });
    check(!has(c, "clipped letters", ""), "a slider's value inside a wide frame is whole", c);

    c = frames([] {
        window_at("Fixed", 300, 80, ImGuiWindowFlags_NoScrollbar);
        for (int i = 0; i < 10; ++i) ImGui::Text("line %d", i);
        ImGui::End();
    });
    check(has(c, "bottom edge", "Fixed"), "lines below the bottom of a window that cannot scroll", c);
    // Window heights that put some row's digits across the bottom edge.
    c.clear();
    for (float h = 60; h < 100; h += 3) {
        const std::vector<TextCut> one = frames([h] {
            window_at("Scrolls", 300, h);
            static int v[10] = {11, 11, 11, 11, 11, 11, 11, 11, 11, 11};
            for (int i = 0; i < 10; ++i) {
                ImGui::PushID(i);
                ImGui::InputInt("seed", &v[i], 0, 0);  // its digits are clipped by the window's bottom, not by the field
                ImGui::PopID();
            }
            ImGui::End();
        });
        c.insert(c.end(), one.begin(), one.end());
    }
    check(c.empty(), "...but not of a window that scrolls, even where a field's digits meet its edge", c);

    c = frames([] {
        window_at("Conv", 300, 300);
        ImGui::BeginChild("##notes", ImVec2(120, 50), false);
        for (int i = 0; i < 10; ++i) ImGui::Text("note %d", i);
        ImGui::EndChild();
        ImGui::BeginChild("##wide_child", ImVec2(80, 150), false);
        ImGui::TextUnformatted("a note wider than its child window");
        ImGui::EndChild();
        ImGui::End();
    });
    check(has(c, "scroll box", "Conv / ##notes"), "a child window scrolling text in a box of two lines", c);
    check(has(c, "right edge", "Conv / ##wide_child"), "a child window's text past its right edge, named after its parent", c);

    c = frames([] {
        window_at("Tips", 300, 200);
        ImGui::TextUnformatted("hover");
        ImGui::BeginTooltip();
        ImGui::TextUnformatted(std::string(200, 'w').c_str());
        ImGui::EndTooltip();
        ImGui::End();
    });
    check(has(c, "tooltip", "") || has(c, "right edge", "Tooltip"), "a tooltip wider than the screen", c);
    c = frames([] {
        window_at("Tips", 300, 200);
        ImGui::BeginTooltip();
        ImGui::TextUnformatted("a short tip");
        ImGui::EndTooltip();
        ImGui::End();
    });
    check(c.empty(), "...but not a short one", c);

    ImGui::DestroyContext();
    std::cout << (failures ? "layout_audit_check: FAILED (" + std::to_string(failures) + ")" : "layout_audit_check: passed")
              << "\n";
    return failures ? 1 : 0;
}
