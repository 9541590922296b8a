#include "compare/gallery.h"

#include <algorithm>
#include <chrono>
#include <numeric>

#include "analysis/data_specificity.h"
#include "compare/comparison_at_query.h"
#include "image/match_size.h"
#include "io/input_error.h"
#include "vit/vit_forward.h"

namespace ks {

Image load_gallery_image(const std::string& path) {
    ImageLoadOptions o;
    o.max_pixels = kGalleryMaxPixels;
    return load_image(path, o);
}

std::vector<std::shared_ptr<const Image>> gallery_inputs(const std::vector<std::shared_ptr<const Image>>& images) {
    if (images.empty() || !images[0] || images[0]->empty()) throw InputError("The gallery needs at least one image.");
    std::vector<std::shared_ptr<const Image>> out;
    const int w = images[0]->width, h = images[0]->height;
    for (const auto& im : images) {
        if (!im || im->empty()) throw InputError("One of the gallery's images is empty.");
        out.push_back(im->width == w && im->height == h ? im : std::make_shared<const Image>(match_size_centre_crop(*im, w, h)));
    }
    return out;
}

void mean_and_distances(const std::vector<QueryKernel>& kernels, QueryKernel* mean, std::vector<double>* tv) {
    tv->clear();
    *mean = QueryKernel{};
    if (kernels.empty()) return;
    const QueryKernel& k0 = kernels[0];
    KernelShape shape{"gallery", 1, 1, 1, k0.h * k0.w, 0};
    KernelSums sums;
    sums.init(shape);
    for (const QueryKernel& k : kernels) {
        if (k.h != k0.h || k.w != k0.w || k.values.size() != shape.size())
            throw InputError("The gallery's kernels differ in shape (" + std::to_string(k.h) + " x " + std::to_string(k.w) +
                             " against " + std::to_string(k0.h) + " x " + std::to_string(k0.w) + ").");
        sums.add(KernelView{"gallery", 1, 1, 1, shape.tokens, 0, k.values.data()});
    }
    std::vector<double> m(sums.sum.size());
    for (size_t i = 0; i < m.size(); ++i) m[i] = sums.sum[i] / static_cast<double>(sums.images);
    for (const QueryKernel& k : kernels) tv->push_back(tv_distance(k.values.data(), m.data(), shape.tokens));
    mean->h = k0.h;
    mean->w = k0.w;
    mean->values = sums.mean();
}

namespace {

// The mean, the distances and the order (the largest distance first) of g.kernels.
void finish_gallery_kernels(GalleryResult& g) {
    mean_and_distances(g.kernels, &g.mean, &g.tv);
    g.order.resize(g.tv.size());
    std::iota(g.order.begin(), g.order.end(), size_t{0});
    std::stable_sort(g.order.begin(), g.order.end(), [&](size_t a, size_t b) { return g.tv[a] > g.tv[b]; });
}

}  // namespace

void read_gallery_kernels(GalleryResult& g, const ViewSpec& v) {
    const ModelFamily& family = family_by_id(g.family);
    // Every result is needed (GalleryRequest::keep_results); without them the kernels stay.
    if (g.results.empty() || std::any_of(g.results.begin(), g.results.end(), [](const auto& r) { return !r; })) return;
    g.kernels.clear();
    for (const auto& r : g.results) {
        if (!r) continue;
        g.view = resolve_view(*r, v);
        g.kernels.push_back(family.kernel_at_query(*r, g.view));
    }
    finish_gallery_kernels(g);
}

namespace {

// The hooks of image i of n: its phases named, its progress a share of the whole.
EngineHooks gallery_image_hooks(const EngineHooks& outer, size_t i, size_t n, std::string* phase_text) {
    EngineHooks h;
    h.cancel = outer.cancel;
    const float base = static_cast<float>(i) / n, share = 1.0f / n;
    if (outer.phase)
        h.phase = [outer, i, n, base, share, phase_text](const char* phase, float f) {
            *phase_text = "image " + std::to_string(i + 1) + " of " + std::to_string(n) + ": " + phase;
            outer.phase(phase_text->c_str(), f < 0 ? base : base + share * f);
        };
    if (outer.fraction || outer.phase)
        h.fraction = [outer, base, share](float f) {
            if (outer.fraction) outer.fraction(base + share * f);
        };
    return h;
}

// The query grid of the first result, and the query checked against it.
void take_query_grid(const ComparisonResult& r, const GalleryRequest& req, GalleryResult& out) {
    const TokenLayout& L = r.current->layout;
    out.grid_h = L.grid_h;
    out.grid_w = L.grid_w;
    const int row = req.base.query_row, col = req.base.query_col;
    if (row >= L.grid_h || col >= L.grid_w)
        throw InputError("The query (" + std::to_string(row) + ", " + std::to_string(col) + ") is outside the model's query grid of " +
                         std::to_string(L.grid_h) + " x " + std::to_string(L.grid_w) + " cells.");
    out.view = req.view;
    out.view.kind = QueryKind::Patch;
    out.view.row = row < 0 ? L.grid_h / 2 : row;
    out.view.col = col < 0 ? L.grid_w / 2 : col;
    out.view = resolve_view(r, out.view);
    const int input_w = r.model_w > 0 ? r.model_w : r.shown_a->width, input_h = r.model_h > 0 ? r.model_h : r.shown_a->height;
    out.grid_cover_x = std::min(1.0f, static_cast<float>(L.grid_w * L.patch) / std::max(1, input_w));
    out.grid_cover_y = std::min(1.0f, static_cast<float>(L.grid_h * L.patch) / std::max(1, input_h));
}

}  // namespace

void Gallery::run_all(const GalleryRequest& req, const EngineHooks& hooks, GalleryResult& out) {
    const auto inputs = gallery_inputs(req.images);
    const size_t n = inputs.size();
    std::string phase_text;
    for (size_t i = 0; i < n; ++i) {
        ComparisonRequest cr = req.base;
        cr.id = i + 1;
        cr.image_a = inputs[i];
        cr.image_a_version = next_version_++;
        cr.image_b = nullptr;
        cr.perturb = Perturbation{};
        cr.analyses = false;
        cr.model.second_weights_path.clear();
        auto r = engine_.run(cr, gallery_image_hooks(hooks, i, n, &phase_text));
        if (!r) throw Cancelled();
        const std::string name = i < req.names.size() ? req.names[i] : "image " + std::to_string(i + 1);
        if (!r->error.empty()) throw InputError(name + ": " + r->error);
        if (i == 0) {
            out.family = r->family;
            out.query_runs_model = family_by_id(r->family).query_runs_model;
            out.fixed_filter = r->filter;
            take_query_grid(*r, req, out);
        }
        out.names.push_back(name);
        out.pictures.push_back(r->shown_a_picture);
        out.fixed_kernels.push_back(r->kernel_reference);
        out.kernels.push_back(family_by_id(out.family).kernel_at_query(*r, out.view));
        out.results.push_back(req.keep_results ? r : nullptr);
    }
    finish_gallery_kernels(out);
}

std::shared_ptr<GalleryResult> Gallery::run(const GalleryRequest& req, const EngineHooks& hooks) {
    auto out = std::make_shared<GalleryResult>();
    out->id = req.id;
    const auto t0 = std::chrono::steady_clock::now();
    try {
        run_all(req, hooks, *out);
    } catch (const Cancelled&) {
        return nullptr;
    } catch (const std::exception& e) {
        auto failed = std::make_shared<GalleryResult>();
        failed->id = req.id;
        failed->error = e.what();
        return failed;
    }
    out->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return out;
}

}  // namespace ks
