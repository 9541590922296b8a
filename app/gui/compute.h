#pragma once
// The model runs off the UI thread. The UI posts a request whenever the image, the
// model settings, the filter or a perturbation change; the worker computes the latest
// request only (older ones are dropped) and the UI picks the result up on a later
// frame. Moving the query never posts a request: it only reads a row of the result.
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "attention_set.h"
#include "conv_filters.h"
#include "image.h"
#include "perturb.h"
#include "similarity_attention.h"

namespace ks::gui {

struct ComputeRequest {
    uint64_t id = 0;                          // increases with every request
    std::shared_ptr<const Image> image_a;     // the reference input
    uint64_t image_a_version = 0;             // changes whenever image_a is replaced
    std::shared_ptr<const Image> image_b;     // A/B mode: the compared input (else null)
    Perturbation perturb;
    SimilarityParams sim;
    std::string filter = "sobel_x";
    float gaussian_sigma = 1.0f;
};

struct ComputeResult {
    uint64_t id = 0;
    std::shared_ptr<const Image> shown;       // the input the model saw: (A or B resized to A) + perturbations
    std::shared_ptr<const AttentionSet> current;    // attention of `shown`
    std::shared_ptr<const AttentionSet> reference;  // attention of clean A (kernel change is measured against it)
    ConvKernel kernel;                        // the filter used on `shown`
    ConvKernel kernel_reference;              // the filter used on clean A (built independently: same by construction)
    Plane response;                           // conv response of luminance(shown)
    std::string error;                        // non-empty: nothing else is valid
    double seconds = 0.0;
};

class ComputeWorker {
public:
    ComputeWorker();
    ~ComputeWorker();
    ComputeWorker(const ComputeWorker&) = delete;
    ComputeWorker& operator=(const ComputeWorker&) = delete;

    void post(ComputeRequest req);
    // A finished result newer than the last one taken, if any.
    std::shared_ptr<const ComputeResult> take();
    bool busy() const;

private:
    void loop();
    std::shared_ptr<const ComputeResult> compute(const ComputeRequest& req);

    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::optional<ComputeRequest> pending_;
    std::shared_ptr<const ComputeResult> done_;
    bool working_ = false;
    bool quit_ = false;

    // Cache of the clean reference forward pass (worker thread only).
    uint64_t ref_image_version_ = ~0ull;
    SimilarityParams ref_sim_{};
    std::shared_ptr<const AttentionSet> ref_attention_;
    // ...and of the last perturbed / B forward pass, so changing only the filter
    // does not rerun the model.
    uint64_t cur_image_version_ = ~0ull;
    const Image* cur_image_b_ = nullptr;
    std::shared_ptr<const Image> cur_image_b_hold_;
    Perturbation cur_perturb_{};
    SimilarityParams cur_sim_{};
    std::shared_ptr<const Image> cur_shown_;
    std::shared_ptr<const AttentionSet> cur_attention_;

    std::thread thread_;
};

}  // namespace ks::gui
