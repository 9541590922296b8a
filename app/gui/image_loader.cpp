#include "image_loader.h"
#include "background_priority.h"

namespace ks::gui {

ImageLoader::ImageLoader() : thread_([this] { loop(); }) {}

ImageLoader::~ImageLoader() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        quit_ = true;
        queued_.clear();
    }
    cv_.notify_all();
    thread_.join();
}

void ImageLoader::start(const std::string& path, bool second) {
    {
        std::lock_guard<std::mutex> lock(mu_);
        ImageLoad l;
        l.path = path;
        l.second = second;
        queued_.push_back(std::move(l));
    }
    cv_.notify_all();
}

std::optional<ImageLoad> ImageLoader::take() {
    std::lock_guard<std::mutex> lock(mu_);
    if (done_.empty()) return std::nullopt;
    ImageLoad l = std::move(done_.front());
    done_.pop_front();
    return l;
}

bool ImageLoader::busy() const {
    std::lock_guard<std::mutex> lock(mu_);
    return working_ || !queued_.empty() || !done_.empty();
}

void ImageLoader::loop() {
    lower_this_thread_priority("ks-loader");
    for (;;) {
        ImageLoad l;
        {
            std::unique_lock<std::mutex> lock(mu_);
            cv_.wait(lock, [this] { return quit_ || !queued_.empty(); });
            if (quit_) return;
            l = std::move(queued_.front());
            queued_.pop_front();
            working_ = true;
        }
        try {
            l.image = std::make_shared<const Image>(load_image(l.path));
        } catch (const std::exception& e) {
            l.error = e.what();
        }
        {
            std::lock_guard<std::mutex> lock(mu_);
            working_ = false;
            done_.push_back(std::move(l));
        }
    }
}

}  // namespace ks::gui
