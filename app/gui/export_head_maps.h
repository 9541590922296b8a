#pragma once
// File > Export head maps (Ctrl+Shift+E): for the query and layer on screen, every head's
// map as its own PNG, as DINO's visualize_attention.py saves attn-head{j}.png (core's
// head_map_files: the app's colormap, each patch nearest-upsampled to patch x patch
// pixels, optionally over the image), plus image.png; input B's in b/ when B is shown.
// A new folder in the screenshot folder, written off the UI thread, whole or not at all;
// it runs as the Ctrl+E export does (app.export_job), so one export at a time.

namespace ks::gui {

struct AppState;

// Starts the export (status line: "Exporting head maps ..."), or says in one sentence why
// not (a ResNet has no heads, the model is still computing, an export is running).
void start_head_maps_export(AppState& app);

}  // namespace ks::gui
